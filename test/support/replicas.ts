// Several gateways (replicas) in one process, each with its own HTTP pools and its own Redis connection, over one Xero
// sandbox tenant and one Redis: what a deployment behind a load balancer looks like to the provider and to Redis.
import { xeroProvider } from '../../adapters/xero/provider.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { startSandboxes, type RunningSandboxes } from '../../src/sandboxes.js';
import { createRedisState, type RedisState } from '../../src/state/shared-state.js';
import { queryGateway, type GraphQLAnswer } from './gateway.js';

export interface Replica {
  gateway: Gateway;
  state: RedisState;
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>>;
  /** GET a path of the gateway (`/ready`, `/metrics`) and its body as text. */
  get(path: string): Promise<string>;
}

export interface Replicas {
  sandbox: XeroSandboxHandle;
  tenant: string;
  replicas: Replica[];
  /** Xero invoice ids of the sandbox tenant, as global ids. */
  invoiceIds(count: number, offset?: number): string[];
  close(): Promise<void>;
}

export interface ReplicasOptions {
  count: number;
  redisUrl: string;
  /** A prefix of its own per test, so tests sharing one Redis never share counters. */
  keyPrefix: string;
  leaseMs?: number;
  /** REDIS_COMMAND_TIMEOUT_MS of each replica. */
  commandTimeoutMs?: number;
  xero?: Record<string, unknown>;
  gateway?: Omit<GatewayOptions, 'sources' | 'state'>;
}

/** Starts one Xero sandbox and `count` gateways sharing it and one Redis. */
export async function startReplicas(options: ReplicasOptions): Promise<Replicas> {
  const sandboxes: RunningSandboxes = await startSandboxes([xeroProvider]);
  const sandbox = sandboxes.handle<XeroSandboxHandle>('xero');
  const spec = sandboxes.specs[0];
  const replicas: Replica[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const state = createRedisState({
      url: options.redisUrl,
      keyPrefix: options.keyPrefix,
      replicas: options.count,
      leaseMs: options.leaseMs,
      commandTimeoutMs: options.commandTimeoutMs,
    });
    const gateway = createGateway({
      sources: [{ ...spec, settings: { ...spec.settings, ...options.xero } }],
      state,
      rateLimitStore: state.rateLimits,
      ...options.gateway,
    });
    replicas.push({
      gateway,
      state,
      query: (query, variables) => queryGateway(gateway, query, variables),
      get: async (path) => (await gateway.yoga.fetch(`http://gateway.test${path}`)).text(),
    });
  }
  // Every replica starts connected, as a deployment does once Redis answers.
  await waitFor(() => replicas.every((r) => r.state.report().status === 'connected'), 'replicas connected to Redis');
  const tenant = sandbox.tenants[0];
  return {
    sandbox,
    tenant,
    replicas,
    invoiceIds: (count, offset = 0) =>
      sandbox
        .dataset()
        .invoices.slice(offset, offset + count)
        .map((invoice) => `xero:Invoice:${invoice.id}`),
    async close() {
      await Promise.allSettled(replicas.map((r) => r.gateway.close()));
      await Promise.allSettled(replicas.map((r) => r.state.close()));
      await sandboxes.close();
    },
  };
}

/** Polls `condition` until it holds, or fails after `timeoutMs` (a bound, not a timing assertion). */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
