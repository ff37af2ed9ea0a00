// Where the upstream budget is enforced: first in each source's middleware chain, so a refused call never reaches the
// retries, the circuit breaker or the provider. The budget travels with the call (CallContext.admit).
import type { HttpMiddleware } from '../../adapters/kit/http.js';

/** Middleware asking the request's budget before each call to `source` (retries of that call are not asked again). */
export function upstreamBudgetMiddleware(source: string): HttpMiddleware {
  return async (req, next) => {
    if (req.admit) await req.admit(source);
    return next(req);
  };
}
