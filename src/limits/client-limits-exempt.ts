// Provider webhook endpoints (`/webhooks/…`: Xero's deliveries) are called by the providers, not by clients: they have
// their own verification (a signature over the body), and are outside client authentication and every per-client or
// per-address budget of src/limits. Every such check asks this one function, so a new webhook route needs no exception
// of its own.

/** The path prefix of provider webhook endpoints. */
export const WEBHOOK_PATH_PREFIX = '/webhooks/';

/** True when a request to `pathname` is outside client authentication and client limits. */
export function isOutsideClientLimits(pathname: string): boolean {
  return pathname.startsWith(WEBHOOK_PATH_PREFIX);
}
