// The stack every benchmark runs against: each provider's sandbox and the gateway as a real HTTP server, all on
// 127.0.0.1, so traffic crosses sockets as it does in production and never leaves the machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { providers } from '../../adapters/index.js';
import type { SandboxHandle } from '../../adapters/kit/sandbox-server.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { startSandboxes, type RunningSandboxes } from '../../src/sandboxes.js';

export interface BenchStack {
  /** `http://127.0.0.1:<port>/graphql` */
  url: string;
  gateway: Gateway;
  sandboxes: RunningSandboxes;
  /** The sandbox handle of a provider kind. */
  sandbox<H extends SandboxHandle = SandboxHandle>(kind: string): H;
  close(): Promise<void>;
}

/** The per-client budgets of the benchmarks: lifted, as Xero's are. */
export const BENCH_RATE_LIMIT = { requestsPerMinute: 100_000_000, upstreamCallsPerMinute: 100_000_000, providerSharePercent: 100 };

/** Requests a Xero tenant may start per minute in the benchmarks (Xero's own limit is 60). */
export const BENCH_XERO_PER_MINUTE = 1_000_000;

/**
 * Starts every sandbox and a gateway over them listening on 127.0.0.1 (a free port).
 * `settings` overrides source settings per provider kind, after validation.
 */
export async function startBenchStack(
  options: Omit<GatewayOptions, 'sources'> & { settings?: Record<string, Record<string, unknown>> } = {},
): Promise<BenchStack> {
  const sandboxes = await startSandboxes(providers);
  const { settings: overrides = {}, ...gatewayOptions } = options;
  const sources = sandboxes.specs.map((spec) => ({ ...spec, settings: { ...spec.settings, ...overrides[spec.provider.kind] } }));
  // Every benchmark request comes from one address: the per-address budgets would measure the rate limiter, not the
  // gateway (bench/hostile-queries.ts passes its own, real limits).
  const gateway = createGateway({ sources, rateLimit: BENCH_RATE_LIMIT, ...gatewayOptions });
  const server: Server = createServer(gateway.yoga);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (error) {
    await gateway.close();
    await sandboxes.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    gateway,
    sandboxes,
    sandbox: (kind) => sandboxes.handle(kind),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      await sandboxes.close();
    },
  };
}

/**
 * Lifts Xero's per-minute budget on both sides, the adapter's limiter and the sandbox's enforcement. A real tenant
 * allows 60 requests a minute: a benchmark sending hundreds a second would measure that queue and nothing else, and the
 * limiter has tests of its own. The concurrency limit (5 in flight) stays Xero's. The sandbox's daily and app-wide
 * budgets are lifted for the same reason (5000 a day is a minute of soak).
 */
export const XERO_BENCH_SETTINGS = { perMinuteLimit: BENCH_XERO_PER_MINUTE };

/** The sandbox half of XERO_BENCH_SETTINGS; call once the stack is up. */
export function liftXeroSandboxBudget(stack: BenchStack): void {
  const limits = stack.sandbox<XeroSandboxHandle>('xero').limits;
  limits.perMinute = BENCH_XERO_PER_MINUTE;
  limits.perDay = BENCH_XERO_PER_MINUTE * 1_440;
  limits.appPerMinute = BENCH_XERO_PER_MINUTE;
}
