// Change notifications end to end: the three sandboxes, one or more gateways (replicas) each on its own loopback HTTP
// server, and subscribers using the real clients (graphql-sse over SSE, graphql-ws over WebSocket).
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { providers } from '../../adapters/index.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import type { SandboxChanges } from '../../adapters/kit/sandbox-changes.js';
import type { SandboxHandle } from '../../adapters/kit/sandbox-server.js';
import type { SourceSpec } from '../../src/config.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { createGatewayServers, listen, type GatewayServers } from '../../src/http-server.js';
import { startSandboxes, type RunningSandboxes } from '../../src/sandboxes.js';
import { createRedisState, type RedisState } from '../../src/state/shared-state.js';
import { waitFor } from './replicas.js';

export { waitFor };

export const WEBHOOK_KEY = 'test-webhook-key-0123456789abcdef';

export interface EventReplica {
  gateway: Gateway;
  servers: GatewayServers;
  url: string;
  state?: RedisState;
  /** Stops this replica; `died` plays a crash (leases expire rather than being let go). */
  stop(died?: boolean): Promise<void>;
}

export interface EventStack {
  sandboxes: RunningSandboxes;
  replicas: EventReplica[];
  changes(kind: 'fragment' | 'korint' | 'xero'): SandboxChanges;
  xero: XeroSandboxHandle;
  close(): Promise<void>;
}

export interface EventStackOptions {
  replicas?: number;
  redis?: { url: string; keyPrefix: string; leaseMs?: number };
  gateway?: Omit<GatewayOptions, 'sources' | 'state'>;
  /** Point Xero's webhook at the first replica (true unless told). */
  webhook?: boolean;
  invoiceCounts?: Record<string, number>;
  /** Changes the sources' specs before the replicas are made (a Xero source that discovers its tenant, say). */
  specs?: (specs: SourceSpec[], sandboxes: RunningSandboxes) => SourceSpec[];
}

/** Starts the sandboxes and the replicas, Xero's webhook pointed at the first one. */
export async function startEventStack(options: EventStackOptions = {}): Promise<EventStack> {
  const sandboxes = await startSandboxes(providers, { invoiceCounts: options.invoiceCounts ?? { fragment: 120, korint: 60, xero: 60 } });
  const replicas: EventReplica[] = [];
  const specs = options.specs ? options.specs(sandboxes.specs, sandboxes) : sandboxes.specs;
  for (let i = 0; i < (options.replicas ?? 1); i += 1) {
    const state = options.redis
      ? createRedisState({ url: options.redis.url, keyPrefix: options.redis.keyPrefix, replicas: options.replicas ?? 1, leaseMs: options.redis.leaseMs ?? 1_500 })
      : undefined;
    const gateway = createGateway({
      sources: specs,
      state,
      ...options.gateway,
      events: { xeroWebhookKey: WEBHOOK_KEY, pollIntervalMs: 150, pollSweepMs: 600, poll: true, ...options.gateway?.events },
    });
    const servers = createGatewayServers(gateway, { admin: false });
    const url = `http://127.0.0.1:${await listen(servers.public, 0, '127.0.0.1')}`;
    let stopped = false;
    replicas.push({
      gateway,
      servers,
      url,
      state,
      async stop(died = false) {
        if (stopped) return;
        stopped = true;
        if (died) await gateway.events.close(false);
        servers.public.closeAllConnections();
        await gateway.close();
        await new Promise((resolve) => servers.public.close(resolve));
        await state?.close();
      },
    });
  }
  if (state0(replicas)) await waitFor(() => replicas.every((r) => r.state!.report().status === 'connected'), 'replicas connected to Redis');
  const xero = sandboxes.handle<XeroSandboxHandle>('xero');
  if (options.webhook !== false) {
    const intent = await xero.webhooks.subscribe({ url: `${replicas[0].url}/webhooks/xero`, key: WEBHOOK_KEY, retryDelaysMs: [100, 200, 400] });
    if (!intent.passed) throw new Error(`intent to receive failed: ${JSON.stringify(intent.answers)}`);
  }
  return {
    sandboxes,
    replicas,
    xero,
    changes: (kind) => (kind === 'xero' ? xero.changes : sandboxes.handle<SandboxHandle & { changes: SandboxChanges }>(kind).changes),
    async close() {
      xero.webhooks.unsubscribe();
      await Promise.allSettled(replicas.map((r) => r.stop()));
      await sandboxes.close();
    },
  };
}

function state0(replicas: EventReplica[]): boolean {
  return replicas.length > 0 && replicas[0].state !== undefined;
}

export interface Collected {
  results: Array<{ data?: any; errors?: any[]; extensions?: Record<string, any> }>;
  /** The events received (data.invoiceChanged of each result that has one). */
  events(): any[];
  done: Promise<void>;
  error?: unknown;
  stop(): void;
}

function collector(): Collected & { push(value: any): void; finish(error?: unknown): void } {
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));
  const collected = {
    results: [] as Collected['results'],
    events: () => collected.results.flatMap((r) => (r.data?.invoiceChanged ? [r.data.invoiceChanged] : [])),
    done,
    error: undefined as unknown,
    stop: () => undefined,
    push: (value: any) => collected.results.push(value),
    finish: (error?: unknown) => {
      collected.error = error;
      resolveDone();
    },
  };
  return collected;
}

/** A subscription client of either protocol (graphql-sse's and graphql-ws's share this shape). */
interface SubscribingClient {
  subscribe(payload: { query: string; variables: Record<string, unknown> }, sink: { next(value: any): void; error(error: unknown): void; complete(): void }): () => void;
}

/** Collects one subscription's results; `stop` unsubscribes and disposes of the client. */
function collectFrom(client: SubscribingClient, query: string, variables: Record<string, unknown>, dispose: () => void): Collected {
  const collected = collector();
  const unsubscribe = client.subscribe(
    { query, variables },
    { next: (value) => collected.push(value), error: (error) => collected.finish(error), complete: () => collected.finish() },
  );
  collected.stop = () => {
    unsubscribe();
    dispose();
  };
  return collected;
}

export const CHANGE_SUBSCRIPTION = /* GraphQL */ `
  subscription Changes($filter: InvoiceChangeFilter, $after: ID) {
    invoiceChanged(filter: $filter, after: $after) {
      id
      invoiceId
      source
      kind
      occurredAt
      invoice { id status amountDue { amount currency } }
    }
  }
`;

/** Subscribes over SSE with graphql-sse (distinct connections mode, as Yoga serves it). */
export function subscribeSse(url: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}, query = CHANGE_SUBSCRIPTION): Collected {
  const client = createSseClient({ url: `${url}/graphql`, headers, retryAttempts: 0 });
  return collectFrom(client, query, variables, () => client.dispose());
}

/** Subscribes over WebSocket with graphql-ws (graphql-transport-ws). */
export function subscribeWs(
  url: string,
  variables: Record<string, unknown> = {},
  connectionParams: Record<string, unknown> = {},
  query = CHANGE_SUBSCRIPTION,
): Collected & { client: WsClient; closed: Promise<{ code: number; reason: string }> } {
  let resolveClosed!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (resolveClosed = resolve));
  const client = createWsClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { closed: (event) => resolveClosed({ code: (event as { code: number }).code, reason: String((event as { reason: string }).reason) }) },
  });
  client.on('error', () => undefined);
  return Object.assign(collectFrom(client, query, variables, () => void client.dispose()), { client, closed });
}
