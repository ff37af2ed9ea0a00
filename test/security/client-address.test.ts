// Who the client is: the connection's address, or behind a listed proxy the first address in X-Forwarded-For, read from
// the right, that is not a listed proxy. GATEWAY_TRUSTED_PROXIES is checked like every setting.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createClientAddresses, parseTrustedProxies } from '../../src/limits/client-address.js';

describe('GATEWAY_TRUSTED_PROXIES', () => {
  it('takes addresses and CIDR ranges, IPv4 and IPv6, comma separated', () => {
    const config = loadConfig({ GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.1.10,fd00::/8 , ::1' }, providers);
    expect(config.perAddress.trustedProxies).toEqual(['10.0.0.0/8', '192.168.1.10', 'fd00::/8', '::1']);
    expect(loadConfig({}, providers).perAddress).toEqual({ trustedProxies: [], maxRequestsInFlight: 64, authFailuresPerMinute: 30 });
  });

  it('lists every entry that is not one', () => {
    const problems: string[] = [];
    parseTrustedProxies('10.0.0.0/33, proxy.internal, 10.0.0.1/8/8, 300.1.1.1, ::1/129', problems);
    expect(problems).toHaveLength(5);
    expect(() => loadConfig({ GATEWAY_TRUSTED_PROXIES: 'everyone' }, providers)).toThrow(ConfigError);
  });
});

describe('the client address', () => {
  const addresses = createClientAddresses(['10.0.0.0/8', '192.168.1.10', 'fd00::/8']);

  it('is the connection itself, whatever X-Forwarded-For says, when it is not a listed proxy', () => {
    expect(addresses.resolve('203.0.113.5', '198.51.100.1')).toBe('203.0.113.5');
    expect(addresses.resolve('::ffff:203.0.113.5', undefined)).toBe('203.0.113.5');
    expect(addresses.resolve(undefined, undefined)).toBe('local');
  });

  it('is read from the right past the listed proxies', () => {
    expect(addresses.resolve('10.1.2.3', '198.51.100.1')).toBe('198.51.100.1');
    expect(addresses.resolve('10.1.2.3', '203.0.113.9, 198.51.100.1, 192.168.1.10')).toBe('198.51.100.1');
    expect(addresses.resolve('::ffff:10.1.2.3', ['203.0.113.9', '10.4.4.4'])).toBe('203.0.113.9');
    expect(addresses.resolve('fd00::1', '2001:db8::7')).toBe('2001:db8::7');
    // Every hop a proxy: the leftmost. A hop that is no address: the proxy itself.
    expect(addresses.resolve('10.1.2.3', '10.9.9.9, 10.8.8.8')).toBe('10.9.9.9');
    expect(addresses.resolve('10.1.2.3', 'not-an-address')).toBe('10.1.2.3');
    expect(addresses.isTrustedProxy('192.168.1.11')).toBe(false);
  });

  it('cannot be chosen by the client, whatever it puts in the header (property)', () => {
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((parts) => parts.join('.'));
    const outside = ipv4.filter((ip) => !ip.startsWith('10.') && ip !== '192.168.1.10');
    fc.assert(
      fc.property(fc.string(), outside, (forged, client) => {
        // Straight to the gateway: the connection's address.
        expect(addresses.resolve(client, forged)).toBe(client);
        // Through the proxy, which appends the address it saw: that one.
        expect(addresses.resolve('10.0.0.1', `${forged}, ${client}`)).toBe(client);
      }),
    );
  });
});
