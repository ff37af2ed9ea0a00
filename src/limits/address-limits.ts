// What one client address may hold of the gateway, beside what one request may cost: requests in flight, failed
// authentications a minute, and which proxies may say who the client is (client-address.ts). The HTTP server's bound
// on connections per address is with its other connection limits (src/http-server.ts).

export interface AddressLimits {
  /** GATEWAY_TRUSTED_PROXIES: proxies whose `X-Forwarded-For` is believed (addresses and CIDR ranges). */
  trustedProxies: readonly string[];
  /** GATEWAY_MAX_REQUESTS_IN_FLIGHT_PER_ADDRESS: GraphQL requests one address may have in flight (subscriptions apart). */
  maxRequestsInFlight: number;
  /** GATEWAY_AUTH_FAILURES_PER_MINUTE: refused credentials from one address a minute before they answer 429. */
  authFailuresPerMinute: number;
}

export const DEFAULT_ADDRESS_LIMITS: AddressLimits = {
  trustedProxies: [],
  maxRequestsInFlight: 64,
  authFailuresPerMinute: 30,
};
