// GraphQL over WebSocket (`graphql-transport-ws`, the graphql-ws library on ws) at /graphql on the gateway's own HTTP
// server. The client authenticates in `connection_init` (`{ "authorization": "Bearer <key or token>" }` or
// `{ "x-api-key": "<key>" }`; the upgrade request's own headers are read when the payload has none), as for queries;
// a refusal closes the socket (4403) before any subscription. Each subscribe message then runs through the same Yoga
// pipeline (validation rules, masking, the subscription's event source) with the client found at connection time, and
// spends a request of the client's per-minute budget.
import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ClientIdentity } from '../access/client.js';
import type { Authenticator } from '../access/authenticate.js';
import type { GatewayContext } from '../context.js';
import type { AuthFailureLimit } from '../limits/auth-failures.js';
import type { ClientAddresses } from '../limits/client-address.js';
import { describeCaller, rateLimitKey } from '../limits/client-key.js';
import type { RateLimitSettings } from '../limits/limit-settings.js';
import type { RateLimitStore } from '../state/rate-limit-store.js';

/** The client each WebSocket subscription's request was authenticated as (the context factory reads it). */
const socketClients = new WeakMap<Request, ClientIdentity>();

/** The client a WebSocket connection authenticated as, for a request made on it; undefined for HTTP requests. */
export function socketClientOf(request: Request | undefined): ClientIdentity | undefined {
  return request ? socketClients.get(request) : undefined;
}

export interface SubscriptionSocketOptions {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  authenticator: Authenticator;
  rateLimitStore: RateLimitStore;
  rateLimit: RateLimitSettings;
  /** The largest message accepted (GATEWAY_MAX_BODY_BYTES). */
  maxPayloadBytes: number;
  /** GATEWAY_CORS_ORIGINS: the other origins whose pages may open a socket (the gateway's own origin always may). */
  corsOrigins: readonly string[];
  /** Who the client is behind GATEWAY_TRUSTED_PROXIES, as for every request. */
  addresses: ClientAddresses;
  /** Counts a refused `connection_init` against its address (GATEWAY_AUTH_FAILURES_PER_MINUTE), as a refused request. */
  authFailures?: AuthFailureLimit;
  path?: string;
}

type Extra = {
  request: IncomingMessage;
  socket: WebSocket;
  client?: ClientIdentity;
};

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The credential headers of a connection: from `connection_init`'s payload, else from the upgrade request. */
function credentialHeaders(params: Record<string, unknown> | undefined, request: IncomingMessage): Headers {
  const headers = new Headers();
  const pick = (...names: string[]) => {
    for (const name of names) {
      const value = params?.[name];
      if (typeof value === 'string' && value !== '') return value;
    }
    return undefined;
  };
  const authorization = pick('authorization', 'Authorization');
  const token = pick('token', 'accessToken');
  const apiKey = pick('x-api-key', 'X-API-Key', 'apiKey');
  if (authorization) headers.set('authorization', authorization);
  else if (token) headers.set('authorization', `Bearer ${token}`);
  if (apiKey) headers.set('x-api-key', apiKey);
  if (!authorization && !token && !apiKey) {
    const fromUpgrade = headerOf(request, 'authorization');
    const keyFromUpgrade = headerOf(request, 'x-api-key');
    if (fromUpgrade) headers.set('authorization', fromUpgrade);
    if (keyFromUpgrade) headers.set('x-api-key', keyFromUpgrade);
  }
  return headers;
}

/**
 * True when a browser page of `origin` may open a socket: WebSockets are not covered by CORS, so without this check any
 * page a user visits could subscribe to a gateway on their machine or network that needs no credential. Clients that are
 * not browsers send no Origin.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** Serves subscriptions over WebSocket on `server`; answers the close function. */
export function attachSubscriptionSocket(server: Server, options: SubscriptionSocketOptions): () => Promise<void> {
  const wss = new WebSocketServer({
    server,
    path: options.path ?? '/graphql',
    maxPayload: options.maxPayloadBytes,
    verifyClient: ({ origin, req }: { origin: string; req: IncomingMessage }) => originAllowed(origin || undefined, req.headers.host, options.corsOrigins),
  });
  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      connectionInitWaitTimeout: 10_000,
      // An unexpected error closes the socket (4500) with a generic reason, never its message, whatever NODE_ENV says.
      isProd: true,
      async onConnect(ctx) {
        const outcome = await options.authenticator.authenticate(credentialHeaders(ctx.connectionParams, ctx.extra.request));
        if (!('client' in outcome)) {
          // Counted like a refused request; past the address's budget the socket closes with 4429 instead of 4403.
          const limited = await options.authFailures?.({ req: ctx.extra.request }, { Response });
          if (limited) ctx.extra.socket.close(4429, 'Too many failed authentications');
          return false;
        }
        ctx.extra.client = outcome.client;
        return true;
      },
      async onSubscribe(ctx, _id, payload) {
        const client = ctx.extra.client;
        if (!client) return [new GraphQLError('not authenticated', { extensions: { code: 'UNAUTHENTICATED' } })];
        const address = options.addresses.of({ req: ctx.extra.request });
        const limit = client.rateLimit?.requestsPerMinute ?? options.rateLimit.requestsPerMinute;
        try {
          const decision = await options.rateLimitStore.consume(`requests:${rateLimitKey(client, address)}`, 1, limit, 60_000);
          if (!decision.allowed) {
            const retryAfter = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
            return [
              new GraphQLError(`${describeCaller(client, address)} sent more than ${limit} requests this minute; retry in ${retryAfter} s`, {
                extensions: { code: 'RATE_LIMITED', retryAfter },
              }),
            ];
          }
        } catch {
          // A shared store that cannot answer never fails a request (as for HTTP).
        }
        const headers = new Headers();
        const requestId = headerOf(ctx.extra.request, 'x-request-id');
        if (requestId) headers.set('x-request-id', requestId);
        const request = new Request('http://gateway/graphql', { headers });
        socketClients.set(request, client);
        const enveloped = options.yoga.getEnveloped({ request, req: ctx.extra.request, socket: ctx.extra.socket, params: payload });
        let document;
        try {
          document = enveloped.parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('the document could not be parsed', { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
        }
        let errors: readonly GraphQLError[];
        try {
          errors = enveloped.validate(enveloped.schema, document);
        } catch (error) {
          // The limits that depend on the variables (ids, cost) throw their refusal rather than return it.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
        if (errors.length > 0) return [...errors];
        const contextValue = await enveloped.contextFactory();
        return {
          schema: enveloped.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
          rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe },
        } as ExecutionArgs;
      },
      execute: (args) => (args.rootValue as { execute: (a: ExecutionArgs) => never }).execute(args),
      subscribe: (args) => (args.rootValue as { subscribe: (a: ExecutionArgs) => never }).subscribe(args),
    },
    wss,
  );
  return async () => {
    await disposable.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  };
}
