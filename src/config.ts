// Configuration from the environment (and an optional sources file), validated once at start. A bad value stops the
// start with one message listing every problem.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ProviderDefinition } from '../adapters/kit/adapter.js';
import { SOURCE_NAME } from './ids.js';
import { authFromEnv } from './access/auth-config.js';
import { AUTH_MODES, type AuthOptions } from './access/authenticate.js';
import { readTrustedDocuments } from './access/trusted-documents.js';
import type { TrustedDocuments } from './plugins/trusted-documents.js';
import { DEFAULT_LIMITS, DEFAULT_RATE_LIMIT, type LimitSettings, type RateLimitSettings } from './limits/limit-settings.js';
import { DEFAULT_REDIS_COMMAND_TIMEOUT_MS } from './state/redis-connection.js';
import { DEFAULT_ADDRESS_LIMITS, type AddressLimits } from './limits/address-limits.js';
import { parseTrustedProxies } from './limits/client-address.js';

export interface SourceSpec {
  provider: ProviderDefinition<any>;
  settings: { name: string; baseUrl: string } & Record<string, unknown>;
  /** Header and body timeout of this source's calls. */
  timeoutMs?: number;
}

export interface GatewayConfig {
  port: number;
  host: string;
  /** True when the built-in sandboxes serve every provider. */
  sandbox: boolean;
  sources: SourceSpec[];
  requestTimeoutMs: number;
  upstreamTimeoutMs: number;
  connectTimeoutMs: number;
  maxIds: number;
  /** The most representations one `_entities` fetch takes. */
  maxEntities: number;
  logLevel: string;
  circuit: { failureThreshold: number; coolDownMs: number };
  /** Shared state: absent `redisUrl` keeps everything in this process. */
  sharedState: { redisUrl?: string; keyPrefix: string; replicas: number; leaseMs: number; commandTimeoutMs: number };
  cache: { ttlMs: number; staleIfErrorMs: number; maxEntries: number };
  /** Who may call (GATEWAY_AUTH and its settings). */
  auth: AuthOptions;
  /** GATEWAY_CORS_ORIGINS: the origins whose pages may read answers. */
  corsOrigins: string[];
  /** GATEWAY_GRAPHIQL and GATEWAY_INTROSPECTION: on by default over the sandboxes, off over real providers. */
  graphiql: boolean;
  introspection: boolean;
  trustedDocuments?: TrustedDocuments;
  /** GATEWAY_ADMIN_PORT: when set, /health, /ready and /metrics are served there only. */
  adminPort?: number;
  maxBodyBytes: number;
  /** What one connection may hold of the HTTP server. */
  http: HttpServerLimits;
  /** What one request may cost (src/limits/limit-settings.ts). */
  limits: LimitSettings;
  /** Per-client budgets per minute, for clients without their own. */
  rateLimit: RateLimitSettings;
  /** What one client address may hold, and which proxies say who the client is (src/limits/address-limits.ts). */
  perAddress: AddressLimits;
  /** GATEWAY_CURSOR_SECRET: the key listInvoices cursors are signed with (share it across replicas). */
  cursorSecret?: string;
}

export interface HttpServerLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
  /** Connections one client address may hold (a trusted proxy's are not counted). */
  maxConnectionsPerAddress: number;
  maxHeaderBytes: number;
}

/** Thrown when the configuration is invalid; the message lists every problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * An integer from the environment (a string) or a sources file (a number), with a message that quotes what was given:
 * `PORT: expected an integer, got "abc"` rather than zod's `received NaN`.
 */
const int = (min: number, max: number) =>
  z.unknown().transform((value, ctx) => {
    const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : undefined;
    if (text === undefined || !/^-?\d+$/.test(text)) {
      ctx.addIssue({ code: 'custom', message: `expected an integer, got ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    const number = Number(text);
    if (number < min || number > max) {
      ctx.addIssue({ code: 'custom', message: `expected an integer from ${min} to ${max}, got ${text}` });
      return z.NEVER;
    }
    return number;
  });

const GatewayEnv = z.object({
  PORT: int(0, 65535).default(4000),
  HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_SANDBOX: z.enum(['0', '1']).optional(),
  GATEWAY_SOURCES_FILE: z.string().min(1).optional(),
  GATEWAY_REQUEST_TIMEOUT_MS: int(100, 600_000).default(30_000),
  GATEWAY_UPSTREAM_TIMEOUT_MS: int(100, 600_000).default(10_000),
  GATEWAY_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5_000),
  GATEWAY_MAX_IDS: int(1, 10_000).default(1000),
  GATEWAY_MAX_ENTITIES: int(1, 100_000).default(10_000),
  GATEWAY_CIRCUIT_FAILURES: int(1, 1000).default(5),
  GATEWAY_CIRCUIT_COOLDOWN_MS: int(100, 3_600_000).default(30_000),
  GATEWAY_MAX_DEPTH: int(1, 1000).default(DEFAULT_LIMITS.maxDepth),
  GATEWAY_MAX_ALIASES: int(0, 1_000_000).default(DEFAULT_LIMITS.maxAliases),
  GATEWAY_MAX_TOKENS: int(10, 10_000_000).default(DEFAULT_LIMITS.maxTokens),
  GATEWAY_MAX_DIRECTIVES: int(0, 1_000_000).default(DEFAULT_LIMITS.maxDirectives),
  GATEWAY_MAX_COST: int(1, Number.MAX_SAFE_INTEGER).default(DEFAULT_LIMITS.maxCost),
  GATEWAY_MAX_IDS_PER_OPERATION: int(1, 10_000_000).default(DEFAULT_LIMITS.maxIdsPerOperation),
  GATEWAY_COST_LIST_SIZE: int(1, 10_000).default(DEFAULT_LIMITS.assumedListSize),
  GATEWAY_MAX_UPSTREAM_CALLS_PER_SOURCE: int(1, 1_000_000).default(DEFAULT_LIMITS.maxUpstreamCallsPerSource),
  GATEWAY_MAX_OBJECTS: int(1, 100_000_000).default(DEFAULT_LIMITS.maxObjects),
  GATEWAY_MAX_RESPONSE_BYTES: int(1024, 2_000_000_000).default(DEFAULT_LIMITS.maxResponseBytes),
  GATEWAY_RATE_LIMIT_REQUESTS_PER_MINUTE: int(1, 100_000_000).default(DEFAULT_RATE_LIMIT.requestsPerMinute),
  GATEWAY_RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE: int(1, 100_000_000).default(DEFAULT_RATE_LIMIT.upstreamCallsPerMinute),
  GATEWAY_PROVIDER_SHARE_PERCENT: int(1, 100).default(DEFAULT_RATE_LIMIT.providerSharePercent),
  GATEWAY_CURSOR_SECRET: z.string().min(16, 'GATEWAY_CURSOR_SECRET must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  REDIS_KEY_PREFIX: z.string().min(1).max(100).default('invoice-gateway:'),
  REDIS_LEASE_MS: int(500, 600_000).default(10_000),
  REDIS_COMMAND_TIMEOUT_MS: int(10, 10_000).default(DEFAULT_REDIS_COMMAND_TIMEOUT_MS),
  GATEWAY_REPLICAS: int(1, 1000).default(3),
  GATEWAY_CACHE_TTL_MS: int(0, 86_400_000).default(0),
  GATEWAY_STALE_IF_ERROR_MS: int(0, 7 * 86_400_000).default(0),
  GATEWAY_CACHE_MAX_ENTRIES: int(1, 10_000_000).default(10_000),
  // Who may call, and what a browser or a stranger can see (README, "Security").
  GATEWAY_AUTH: z.preprocess((v) => (v === 'jwt,api-key' ? 'api-key,jwt' : v), z.enum(AUTH_MODES)).optional(),
  GATEWAY_CLIENTS_FILE: z.string().min(1).optional(),
  GATEWAY_JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  GATEWAY_JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  GATEWAY_JWT_ISSUER: z.string().min(1).optional(),
  GATEWAY_JWT_AUDIENCE: z.string().min(1).optional(),
  GATEWAY_CORS_ORIGINS: z.string().optional(),
  GATEWAY_GRAPHIQL: z.enum(['0', '1']).optional(),
  GATEWAY_INTROSPECTION: z.enum(['0', '1']).optional(),
  GATEWAY_PERSISTED_OPERATIONS_FILE: z.string().min(1).optional(),
  GATEWAY_PERSISTED_ONLY: z.enum(['0', '1']).default('0'),
  GATEWAY_ADMIN_PORT: int(0, 65535).optional(),
  GATEWAY_MAX_BODY_BYTES: int(1024, 100_000_000).default(1_048_576),
  GATEWAY_HTTP_HEADERS_TIMEOUT_MS: int(1000, 300_000).default(10_000),
  GATEWAY_HTTP_REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  GATEWAY_HTTP_KEEP_ALIVE_TIMEOUT_MS: int(1000, 600_000).default(5_000),
  GATEWAY_MAX_CONNECTIONS: int(1, 1_000_000).default(1024),
  GATEWAY_MAX_CONNECTIONS_PER_ADDRESS: int(1, 1_000_000).default(128),
  GATEWAY_MAX_REQUESTS_IN_FLIGHT_PER_ADDRESS: int(1, 1_000_000).default(DEFAULT_ADDRESS_LIMITS.maxRequestsInFlight),
  GATEWAY_AUTH_FAILURES_PER_MINUTE: int(1, 1_000_000).default(DEFAULT_ADDRESS_LIMITS.authFailuresPerMinute),
  GATEWAY_TRUSTED_PROXIES: z.string().optional(),
  GATEWAY_MAX_HEADER_BYTES: int(1024, 1_048_576).default(16_384),
  // Read by the OpenTelemetry SDK itself (src/telemetry/tracing.ts); checked here so a typo stops the start.
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
});

/** Parses GATEWAY_CORS_ORIGINS: exact origins (`https://app.example.com`), comma separated. */
function parseOrigins(value: string | undefined, problems: string[]): string[] {
  const origins = (value ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let exact = false;
    try {
      exact = new URL(origin).origin === origin && origin !== 'null';
    } catch {
      exact = false;
    }
    if (!exact) problems.push(`GATEWAY_CORS_ORIGINS: "${origin.slice(0, 100)}" is not an exact origin such as https://app.example.com (no path, no wildcard)`);
  }
  return origins;
}

const SourcesFile = z.object({
  sources: z
    .array(
      z.looseObject({
        kind: z.string().min(1),
        name: z.string().min(1).optional(),
        timeoutMs: int(100, 600_000).optional(),
      }),
    )
    .min(1),
});

function describe(issues: z.core.$ZodIssue[], where: string): string[] {
  return issues.map((issue) => `${where}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
}

/** Issues of settings read from environment variables, each named by the variable the user sets (`XERO_TENANT_ID`). */
function describeEnv(issues: z.core.$ZodIssue[], variables: Readonly<Record<string, string>>, fallback: string): string[] {
  const names = Object.keys(variables).sort((a, b) => b.length - a.length);
  const rename = (text: string) =>
    names.length === 0 ? text : text.replace(new RegExp(`\\b(${names.join('|')})\\b`, 'g'), (name) => variables[name] ?? name);
  return issues.map((issue) => {
    const key = issue.path[0];
    const where = typeof key === 'string' ? (variables[key] ?? `${fallback} (${issue.path.join('.')})`) : fallback;
    const unset = issue.code === 'invalid_type' && / received undefined$/.test(issue.message);
    return `${where}: ${unset ? 'is not set' : rename(issue.message)}`;
  });
}

function readSourcesFile(path: string, problems: string[]): z.infer<typeof SourcesFile> | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`GATEWAY_SOURCES_FILE: cannot read ${path} as JSON (${error instanceof Error ? error.message : 'error'})`);
    return undefined;
  }
  const parsed = SourcesFile.safeParse(raw);
  if (!parsed.success) {
    problems.push(...describe(parsed.error.issues, 'GATEWAY_SOURCES_FILE'));
    return undefined;
  }
  return parsed.data;
}

/** Validates one source's raw settings with its provider's schema. */
export function validateSource(
  provider: ProviderDefinition<any>,
  raw: Record<string, unknown>,
  where: string,
  problems: string[],
  /** Setting -> environment variable, when the settings came from the environment. */
  variables?: Readonly<Record<string, string>>,
): SourceSpec | undefined {
  const { kind: _kind, timeoutMs, ...settings } = raw;
  const parsed = provider.settingsSchema.safeParse(settings);
  if (!parsed.success) {
    problems.push(...(variables ? describeEnv(parsed.error.issues, variables, where) : describe(parsed.error.issues, where)));
    return undefined;
  }
  const name = (parsed.data as { name: string }).name;
  if (!SOURCE_NAME.test(name)) {
    problems.push(`${where}.name: "${name}" must be lower-case letters, digits, "-" or "_"`);
    return undefined;
  }
  return { provider, settings: parsed.data as SourceSpec['settings'], timeoutMs: timeoutMs as number | undefined };
}

/**
 * Reads the configuration. Sources come from the sources file and from each provider's environment variables; with none
 * configured (or GATEWAY_SANDBOX=1) the sandboxes serve every provider.
 */
export function loadConfig(env: Record<string, string | undefined>, providers: ProviderDefinition<any>[]): GatewayConfig {
  const problems: string[] = [];
  const gateway = GatewayEnv.safeParse(env);
  if (!gateway.success) {
    problems.push(...gateway.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }

  const sources: SourceSpec[] = [];
  if (env.GATEWAY_SOURCES_FILE) {
    const file = readSourcesFile(env.GATEWAY_SOURCES_FILE, problems);
    file?.sources.forEach((entry, index) => {
      const provider = providers.find((p) => p.kind === entry.kind);
      const where = `GATEWAY_SOURCES_FILE.sources[${index}]`;
      if (!provider) {
        problems.push(`${where}.kind: unknown provider "${entry.kind}" (known: ${providers.map((p) => p.kind).join(', ')})`);
        return;
      }
      const spec = validateSource(provider, entry, where, problems);
      if (spec) sources.push(spec);
    });
  }
  for (const provider of providers) {
    const raw = provider.settingsFromEnv(env);
    if (!raw) continue;
    const spec = validateSource(provider, raw, `${provider.kind.toUpperCase()}_*`, problems, provider.envVariables ?? {});
    if (spec) sources.push(spec);
  }
  const seen = new Set<string>();
  for (const spec of sources) {
    if (seen.has(spec.settings.name)) problems.push(`two sources are named "${spec.settings.name}"`);
    seen.add(spec.settings.name);
  }

  const sandboxFlag = gateway.success ? gateway.data.GATEWAY_SANDBOX : undefined;
  const sandbox = sandboxFlag === '1' || (sandboxFlag === undefined && sources.length === 0);
  if (sandboxFlag === '0' && sources.length === 0 && problems.length === 0) {
    problems.push('no provider is configured and GATEWAY_SANDBOX=0 forbids the sandboxes: set FRAGMENT_BASE_URL, KORINT_BASE_URL, XERO_BASE_URL or GATEWAY_SOURCES_FILE');
  }
  let auth: AuthOptions | undefined;
  let corsOrigins: string[] = [];
  let trustedDocuments: TrustedDocuments | undefined;
  let trustedProxies: string[] = [];
  if (gateway.success) {
    const g = gateway.data;
    trustedProxies = parseTrustedProxies(g.GATEWAY_TRUSTED_PROXIES, problems);
    const sourceNames = sandbox ? providers.map((p) => p.kind) : sources.map((s) => s.settings.name);
    auth = authFromEnv(g, { sandbox, sourceNames, host: g.HOST }, problems);
    corsOrigins = parseOrigins(g.GATEWAY_CORS_ORIGINS, problems);
    if (g.GATEWAY_PERSISTED_OPERATIONS_FILE) {
      trustedDocuments = { documents: readTrustedDocuments(g.GATEWAY_PERSISTED_OPERATIONS_FILE, problems), only: g.GATEWAY_PERSISTED_ONLY === '1' };
    } else if (g.GATEWAY_PERSISTED_ONLY === '1') {
      problems.push('GATEWAY_PERSISTED_ONLY=1 needs GATEWAY_PERSISTED_OPERATIONS_FILE (the trusted documents)');
    }
    if (g.GATEWAY_HTTP_HEADERS_TIMEOUT_MS > g.GATEWAY_HTTP_REQUEST_TIMEOUT_MS) {
      problems.push('GATEWAY_HTTP_HEADERS_TIMEOUT_MS must not exceed GATEWAY_HTTP_REQUEST_TIMEOUT_MS');
    }
    if (g.GATEWAY_ADMIN_PORT !== undefined && g.GATEWAY_ADMIN_PORT !== 0 && g.GATEWAY_ADMIN_PORT === g.PORT) {
      problems.push('GATEWAY_ADMIN_PORT must differ from PORT');
    }
  }
  if (problems.length > 0 || !gateway.success || !auth) throw new ConfigError(problems);

  const g = gateway.data;
  return {
    port: g.PORT,
    host: g.HOST,
    sandbox,
    sources: sandbox ? [] : sources,
    requestTimeoutMs: g.GATEWAY_REQUEST_TIMEOUT_MS,
    upstreamTimeoutMs: g.GATEWAY_UPSTREAM_TIMEOUT_MS,
    connectTimeoutMs: g.GATEWAY_CONNECT_TIMEOUT_MS,
    maxIds: g.GATEWAY_MAX_IDS,
    maxEntities: g.GATEWAY_MAX_ENTITIES,
    logLevel: g.LOG_LEVEL,
    circuit: { failureThreshold: g.GATEWAY_CIRCUIT_FAILURES, coolDownMs: g.GATEWAY_CIRCUIT_COOLDOWN_MS },
    sharedState: {
      redisUrl: g.REDIS_URL,
      keyPrefix: g.REDIS_KEY_PREFIX,
      replicas: g.GATEWAY_REPLICAS,
      leaseMs: g.REDIS_LEASE_MS,
      commandTimeoutMs: g.REDIS_COMMAND_TIMEOUT_MS,
    },
    cache: { ttlMs: g.GATEWAY_CACHE_TTL_MS, staleIfErrorMs: g.GATEWAY_STALE_IF_ERROR_MS, maxEntries: g.GATEWAY_CACHE_MAX_ENTRIES },
    auth,
    corsOrigins,
    graphiql: g.GATEWAY_GRAPHIQL ? g.GATEWAY_GRAPHIQL === '1' : sandbox,
    introspection: g.GATEWAY_INTROSPECTION ? g.GATEWAY_INTROSPECTION === '1' : sandbox,
    trustedDocuments,
    adminPort: g.GATEWAY_ADMIN_PORT,
    maxBodyBytes: g.GATEWAY_MAX_BODY_BYTES,
    http: {
      headersTimeoutMs: g.GATEWAY_HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: g.GATEWAY_HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: g.GATEWAY_HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: g.GATEWAY_MAX_CONNECTIONS,
      maxConnectionsPerAddress: g.GATEWAY_MAX_CONNECTIONS_PER_ADDRESS,
      maxHeaderBytes: g.GATEWAY_MAX_HEADER_BYTES,
    },
    limits: {
      maxDepth: g.GATEWAY_MAX_DEPTH,
      maxAliases: g.GATEWAY_MAX_ALIASES,
      maxTokens: g.GATEWAY_MAX_TOKENS,
      maxDirectives: g.GATEWAY_MAX_DIRECTIVES,
      maxCost: g.GATEWAY_MAX_COST,
      maxIdsPerOperation: g.GATEWAY_MAX_IDS_PER_OPERATION,
      assumedListSize: g.GATEWAY_COST_LIST_SIZE,
      maxUpstreamCallsPerSource: g.GATEWAY_MAX_UPSTREAM_CALLS_PER_SOURCE,
      maxObjects: g.GATEWAY_MAX_OBJECTS,
      maxResponseBytes: g.GATEWAY_MAX_RESPONSE_BYTES,
    },
    rateLimit: {
      requestsPerMinute: g.GATEWAY_RATE_LIMIT_REQUESTS_PER_MINUTE,
      upstreamCallsPerMinute: g.GATEWAY_RATE_LIMIT_UPSTREAM_CALLS_PER_MINUTE,
      providerSharePercent: g.GATEWAY_PROVIDER_SHARE_PERCENT,
    },
    perAddress: {
      trustedProxies,
      maxRequestsInFlight: g.GATEWAY_MAX_REQUESTS_IN_FLIGHT_PER_ADDRESS,
      authFailuresPerMinute: g.GATEWAY_AUTH_FAILURES_PER_MINUTE,
    },
    cursorSecret: g.GATEWAY_CURSOR_SECRET,
  };
}
