// Starts sandboxes and a gateway over them, in-process; queries go through yoga.fetch.
import { providers } from '../../adapters/index.js';
import type { SandboxHandle } from '../../adapters/kit/sandbox-server.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { startSandboxes, type RunningSandboxes } from '../../src/sandboxes.js';

export interface GraphQLAnswer<T = any> {
  data?: T;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  extensions?: Record<string, any>;
}

export interface TestGateway {
  gateway: Gateway;
  sandboxes: RunningSandboxes;
  /** The sandbox handle of a provider kind. */
  sandbox<H extends SandboxHandle = SandboxHandle>(kind: string): H;
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>>;
  close(): Promise<void>;
}

/** Sends one GraphQL request to `gateway` in-process (yoga.fetch) and reads its JSON answer. */
export async function queryGateway<T = any>(gateway: Gateway, query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>> {
  const response = await gateway.yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLAnswer<T>;
}

/** A gateway over the sandboxes of `kinds` (every provider by default). */
export async function startTestGateway(
  kinds?: string[],
  options: Omit<GatewayOptions, 'sources'> & {
    settings?: Record<string, Record<string, unknown>>;
    /** Seeded invoices per provider kind, instead of each sandbox's default. */
    invoiceCounts?: Record<string, number>;
  } = {},
): Promise<TestGateway> {
  const chosen = kinds ? providers.filter((p) => kinds.includes(p.kind)) : providers;
  const { settings: overrides = {}, invoiceCounts, ...gatewayOptions } = options;
  const sandboxes = await startSandboxes(chosen, { invoiceCounts });
  const sources = sandboxes.specs.map((spec) => ({ ...spec, settings: { ...spec.settings, ...overrides[spec.provider.kind] } }));
  const gateway = createGateway({ sources, ...gatewayOptions });
  return {
    gateway,
    sandboxes,
    sandbox: (kind) => sandboxes.handle(kind),
    query: (query, variables) => queryGateway(gateway, query, variables),
    async close() {
      await gateway.close();
      await sandboxes.close();
    },
  };
}
