// CORS by allowlist (GATEWAY_CORS_ORIGINS): a listed origin gets its own origin back, with credentials; any other
// origin, `null` included, gets no CORS header at all, so a browser never lets another site read an answer.
import type { YogaServerOptions } from 'graphql-yoga';

type CorsOption = NonNullable<YogaServerOptions<object, object>['cors']>;

/** Yoga's `cors` option for an allowlist of exact origins (`https://app.example.com`). */
export function corsForOrigins(origins: readonly string[]): CorsOption {
  const allowed = new Set(origins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) return false;
    return {
      origin: [origin],
      credentials: true,
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type', 'authorization', 'x-api-key', 'x-request-id', 'x-graphql-csrf', 'traceparent'],
      exposedHeaders: ['x-request-id', 'retry-after'],
      maxAge: 600,
    };
  };
}

/** Marks every answer as varying by Origin, since its CORS headers do (a shared cache must not mix them up). */
export function useVaryOrigin(): import('graphql-yoga').Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary');
      if (!vary?.toLowerCase().split(/\s*,\s*/).includes('origin')) response.headers.set('vary', vary ? `${vary}, Origin` : 'Origin');
    },
  };
}
