// Connections per client address (GATEWAY_MAX_CONNECTIONS_PER_ADDRESS): past the bound a new connection from that
// address gets one HTTP 429 RATE_LIMITED answer and is closed, so slow clients from one address (a thousand trickling
// connections) cannot take every connection the server has. A trusted proxy's connections carry many clients and are
// not bounded here; behind it, requests in flight are bounded per forwarded client (requests-in-flight.ts).
import type { Server } from 'node:http';
import { createAddressCounter } from './address-counter.js';
import { normalizeAddress } from './client-address.js';

function refusal(maximum: number): string {
  const body = JSON.stringify({
    errors: [
      {
        message: `too many connections from this address (limit ${maximum}, GATEWAY_MAX_CONNECTIONS_PER_ADDRESS)`,
        extensions: { code: 'RATE_LIMITED', retryAfter: 1, limit: 'GATEWAY_MAX_CONNECTIONS_PER_ADDRESS', maximum },
      },
    ],
  });
  return [
    'HTTP/1.1 429 Too Many Requests',
    'content-type: application/json',
    'retry-after: 1',
    'connection: close',
    `content-length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** Bounds `server`'s connections per remote address to `maximum`, but for the addresses `exempt` says. */
export function boundConnectionsPerAddress(server: Server, maximum: number, exempt: (address: string) => boolean = () => false): void {
  const counter = createAddressCounter(maximum);
  const answer = refusal(maximum);
  server.on('connection', (socket) => {
    const address = normalizeAddress(socket.remoteAddress ?? '');
    if (!address || exempt(address)) return;
    const release = counter.tryAcquire(address);
    if (!release) {
      socket.on('error', () => undefined);
      socket.end(answer);
      return;
    }
    socket.once('close', release);
  });
}
