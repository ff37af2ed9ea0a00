// The address a request comes from, for the budgets kept per address (anonymous callers' rate limits, requests in
// flight, failed authentications, connections). It is the connection's own address, unless that address is one of the
// proxies listed in GATEWAY_TRUSTED_PROXIES: then `X-Forwarded-For` is read from the right, past every listed proxy,
// and the first address that is not one is the client's. A client cannot choose its address by sending the header: an
// address the header claims is believed only when a listed proxy added it.
import { BlockList, isIP } from 'node:net';

export interface ClientAddresses {
  /** The client's address of a request, from Yoga's server context (`local` for in-process calls). */
  of(serverContext: unknown): string;
  /** The client's address from a connection's address and the request's `X-Forwarded-For` header. */
  resolve(socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string;
  /** True for a listed proxy's address (its connections are not bounded per address: they carry many clients). */
  isTrustedProxy(address: string | undefined): boolean;
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) as `10.0.0.1`; any other address as it is. */
export function normalizeAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/**
 * Parses GATEWAY_TRUSTED_PROXIES: addresses and CIDR ranges, IPv4 or IPv6, comma separated
 * (`10.0.0.0/8, 192.168.1.10, fd00::/8`). Each bad entry adds a problem.
 */
export function parseTrustedProxies(value: string | undefined, problems: string[]): string[] {
  const entries = (value ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address);
    const bits = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits);
    if (family === 0 || !prefixOk || extra !== undefined) {
      problems.push(`GATEWAY_TRUSTED_PROXIES: "${entry.slice(0, 60)}" is not an IP address or CIDR range (10.0.0.0/8, 192.168.1.10, fd00::/8)`);
    }
  }
  return entries;
}

/** The client addresses as `trustedProxies` (parsed by parseTrustedProxies) say. */
export function createClientAddresses(trustedProxies: readonly string[] = []): ClientAddresses {
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address, prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address, type);
    else trusted.addSubnet(address, Number(prefix), type);
  }
  const isTrustedProxy = (address: string | undefined): boolean => {
    if (!address || trustedProxies.length === 0) return false;
    const plain = normalizeAddress(address);
    const family = isIP(plain);
    return family !== 0 && trusted.check(plain, family === 6 ? 'ipv6' : 'ipv4');
  };
  const resolve = (socketAddress: string | undefined, forwardedFor: string | string[] | undefined): string => {
    if (!socketAddress) return 'local';
    const peer = normalizeAddress(socketAddress);
    if (!isTrustedProxy(peer) || forwardedFor === undefined) return peer;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((hop) => normalizeAddress(hop.trim()));
    for (let i = hops.length - 1; i >= 0; i -= 1) {
      const hop = hops[i];
      // A listed proxy added every hop to the right of this one; a hop that is no address ends the trust there.
      if (isIP(hop) === 0) return peer;
      if (!isTrustedProxy(hop)) return hop;
    }
    return hops[0] && isIP(hops[0]) !== 0 ? hops[0] : peer;
  };
  // Each request resolves once: the same IncomingMessage answers from this map afterwards.
  const resolved = new WeakMap<object, string>();
  return {
    isTrustedProxy,
    resolve,
    of(serverContext) {
      const req = (serverContext as { req?: { socket?: { remoteAddress?: string }; headers?: Record<string, string | string[] | undefined> } } | undefined)?.req;
      if (!req) return 'local';
      let address = resolved.get(req);
      if (address === undefined) {
        address = resolve(req.socket?.remoteAddress, req.headers?.['x-forwarded-for']);
        resolved.set(req, address);
      }
      return address;
    },
  };
}
