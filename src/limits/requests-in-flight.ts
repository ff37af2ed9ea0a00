// Requests in flight per client address (GATEWAY_MAX_REQUESTS_IN_FLIGHT_PER_ADDRESS): past the bound a GraphQL request
// answers HTTP 429 RATE_LIMITED with Retry-After at once, so slow or piled-up requests from one address cannot take the
// process from the others. Long-lived requests are not requests in flight: a subscription over SSE (`Accept:
// text/event-stream`) or a WebSocket upgrade (which never reaches this handler) has a bound of its own (an
// AddressCounter its transport takes a slot from, see docs/limits.md). Provider webhooks are outside client limits.
import type { Plugin } from 'graphql-yoga';
import { userError } from '../errors.js';
import type { AddressCounter } from './address-counter.js';
import type { ClientAddresses } from './client-address.js';
import { isOutsideClientLimits } from './client-limits-exempt.js';

/** True for a request that stays open to stream events (GraphQL over SSE): counted by its own bound, not here. */
export function isEventStream(request: Request): boolean {
  return /\btext\/event-stream\b/i.test(request.headers.get('accept') ?? '');
}

export function useRequestsInFlightPerAddress(counter: AddressCounter, addresses: ClientAddresses, graphqlEndpoint: string): Plugin {
  const releases = new WeakMap<Request, () => void>();
  return {
    onRequest({ request, url, serverContext, endResponse, fetchAPI }) {
      if (url.pathname !== graphqlEndpoint || isOutsideClientLimits(url.pathname) || isEventStream(request)) return;
      const address = addresses.of(serverContext);
      const release = counter.tryAcquire(address);
      if (!release) {
        const error = userError('RATE_LIMITED', `address ${address} has ${counter.maximum} requests in flight already; retry in 1 s`, {
          retryAfter: 1,
          limit: 'GATEWAY_MAX_REQUESTS_IN_FLIGHT_PER_ADDRESS',
          maximum: counter.maximum,
        });
        endResponse(
          fetchAPI.Response.json({ errors: [{ message: error.message, extensions: error.extensions }] }, { status: 429, headers: { 'retry-after': '1' } }),
        );
        return;
      }
      releases.set(request, release);
      // Over Node's server, the slot is given back when the response is done or the connection closes, whichever first.
      (serverContext as { res?: { once?(event: 'close', listener: () => void): void } } | undefined)?.res?.once?.('close', release);
    },
    onResponse({ request }) {
      releases.get(request)?.();
    },
  };
}
