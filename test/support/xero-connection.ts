// A Xero sandbox whose identity service runs on a clock the test moves, and gateways over it whose Xero source renews
// its tokens with a rotating refresh token (a standard app), for the suites about connections that stay alive.
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';
import type { TokenStore } from '../../adapters/kit/token-store.js';
import { fragmentProvider } from '../../adapters/fragment/provider.js';
import { startXeroSandbox, type XeroSandboxHandle, type XeroSandboxOptions } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { xeroProvider } from '../../adapters/xero/provider.js';
import { xeroSettingsSchema } from '../../adapters/xero/settings.js';
import type { SourceSpec } from '../../src/config.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { startSandboxes, type RunningSandboxes } from '../../src/sandboxes.js';
import { queryGateway, type GraphQLAnswer } from './gateway.js';

/** A clock tests move by hand (epoch ms). */
export interface TestClock {
  now(): number;
  advance(ms: number): void;
}

export function createTestClock(start = Date.parse('2026-06-01T08:00:00Z')): TestClock {
  let at = start;
  return { now: () => at, advance: (ms) => void (at += ms) };
}

export interface XeroConnectionSandbox {
  sandbox: XeroSandboxHandle;
  clock: TestClock;
  /** Raw settings of a Xero source in refresh-token mode over the sandbox (seed refresh token included). */
  settings(overrides?: Record<string, unknown>): Record<string, unknown>;
  /** The seed refresh token of a consent made for the demo user (every tenant unless `tenants`). */
  seed: string;
  close(): Promise<void>;
}

/** Starts a Xero sandbox with the given access-token lifetime and grace period, on a clock of the test's. */
export async function startXeroConnectionSandbox(
  options: { lifetimeSeconds?: number; graceSeconds?: number; tenants?: string[]; consentTenants?: string[]; sandbox?: XeroSandboxOptions } = {},
): Promise<XeroConnectionSandbox> {
  const clock = createTestClock();
  const sandbox = await startXeroSandbox({
    invoiceCount: 40,
    ...(options.tenants && { tenants: options.tenants }),
    ...options.sandbox,
    identity: { now: clock.now, ...options.sandbox?.identity },
  });
  sandbox.identity.accessTokenLifetimeSeconds = options.lifetimeSeconds ?? 1800;
  sandbox.identity.refreshGraceSeconds = options.graceSeconds ?? 1800;
  const seed = sandbox.identity.consent({ tenants: options.consentTenants }).refreshToken;
  return {
    sandbox,
    clock,
    seed,
    settings: (overrides = {}) => ({
      name: 'xero',
      baseUrl: sandbox.apiUrl,
      tenantId: sandbox.tenants[0],
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      refreshToken: seed,
      tokenUrl: sandbox.tokenUrl,
      connectionsUrl: sandbox.identity.connectionsUrl,
      ...overrides,
    }),
    close: () => sandbox.close(),
  };
}

/** A Xero source spec from raw settings. */
export function xeroSpec(raw: Record<string, unknown>): SourceSpec {
  return { provider: xeroProvider, settings: xeroSettingsSchema.parse(raw) as SourceSpec['settings'] };
}

/** A logger whose lines the test can read. */
export function createCapturedLogger(): { logger: Logger; lines: () => Array<Record<string, any>>; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return {
    logger: pino({ level: 'info' }, stream),
    text: () => chunks.join(''),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, any>),
  };
}

export interface ConnectionGateway {
  gateway: Gateway;
  query<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLAnswer<T>>;
  get(path: string): Promise<string>;
  close(): Promise<void>;
}

/** A gateway over the given sources (and, with `fragment`, the Fragment sandbox too), on the test's token clock. */
export async function startConnectionGateway(
  sources: SourceSpec[],
  options: Omit<GatewayOptions, 'sources'> & { fragment?: boolean } = {},
): Promise<ConnectionGateway & { fragment?: RunningSandboxes }> {
  const { fragment: withFragment, ...gatewayOptions } = options;
  const fragment = withFragment ? await startSandboxes([fragmentProvider]) : undefined;
  const gateway = createGateway({ sources: [...(fragment?.specs ?? []), ...sources], ...gatewayOptions });
  return {
    gateway,
    fragment,
    query: (query, variables) => queryGateway(gateway, query, variables),
    get: async (path) => (await gateway.yoga.fetch(`http://gateway.test${path}`)).text(),
    async close() {
      await gateway.close();
      await fragment?.close();
    },
  };
}

/** The refresh tokens the sandbox's token endpoint was sent, in order. */
export function refreshTokensSent(sandbox: XeroSandboxHandle): string[] {
  return sandbox.calls
    .list()
    .filter((c) => c.name === 'token' && (c.body as Record<string, string> | undefined)?.grant_type === 'refresh_token')
    .map((c) => (c.body as Record<string, string>).refresh_token);
}


export type { TokenStore };
