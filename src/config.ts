// The configuration: every room's settings (each room owns its variables, their defaults and meanings: see
// SETTINGS_ROOMS) validated at once, from the environment and an optional sources file. A bad value stops the start
// with one message listing every problem, each named by the variable the user set. docs/configuration.md is generated
// from the same rooms (`npm run docs:config`).
import { z } from 'zod';
import type { ProviderDefinition } from '../adapters/kit/adapter.js';
import { ACCESS_SETTINGS, accessSettingsFrom, type AccessConfig } from './access/access-settings.js';
import { EVENT_SETTINGS, eventSettingsFrom, type EventSettings } from './events/event-settings.js';
import { HTTP_SERVER_SETTINGS, httpServerSettingsFrom, type HttpServerConfig } from './http-server-settings.js';
import { LIMIT_SETTINGS, limitSettingsFrom, type LimitsConfig } from './limits/limit-settings.js';
import { LISTING_SETTINGS, listingSettingsFrom } from './listing/listing-settings.js';
import { RESILIENCE_SETTINGS, resilienceSettingsFrom, type ResilienceConfig } from './resilience-settings.js';
import type { EnvShape, RoomValues, SettingsRoom } from './settings-room.js';
import { SOURCE_SETTINGS, sourcesFrom, type SourceSpec } from './source-settings.js';
import { STATE_SETTINGS, stateSettingsFrom, type StateConfig } from './state/state-settings.js';
import { tokenStoreConfig, type TokenStoreConfig } from './state/token-store-config.js';
import { TELEMETRY_SETTINGS, telemetrySettingsFrom } from './telemetry/telemetry-settings.js';

export type { HttpServerLimits } from './http-server-settings.js';
export { validateSource, type SourceSpec } from './source-settings.js';

/**
 * Every room's settings, in the order the reference lists them (and problems are reported). A new variable goes in its
 * room's settings file (its schema with `.default` and `.describe`, and the room's `...SettingsFrom`), never here; a
 * new room is one more line below.
 */
export const SETTINGS_ROOMS = [
  HTTP_SERVER_SETTINGS,
  SOURCE_SETTINGS,
  ACCESS_SETTINGS,
  LIMIT_SETTINGS,
  RESILIENCE_SETTINGS,
  LISTING_SETTINGS,
  STATE_SETTINGS,
  EVENT_SETTINGS,
  TELEMETRY_SETTINGS,
] as const;

/** The validated values of every room's variables. */
type AllValues<T extends readonly SettingsRoom[]> = T extends readonly [infer Head extends SettingsRoom, ...infer Rest extends readonly SettingsRoom[]]
  ? RoomValues<Head> & AllValues<Rest>
  : unknown;

/** The rooms' variables as one shape, so one parse reports every problem. */
const GatewayEnv = z.object(Object.assign({}, ...SETTINGS_ROOMS.map((room) => room.env)) as EnvShape);

/** Every variable the gateway's own settings read. */
export const GATEWAY_VARIABLES: readonly string[] = Object.keys(GatewayEnv.shape);

/**
 * Every variable invoice-gateway reads: the rooms', each provider's (its sources' settings and its `npm run connect`),
 * so the start summary tells a misspelling of any of them.
 */
export function knownVariables(providers: readonly ProviderDefinition<any>[]): string[] {
  const fromProviders = providers.flatMap((p) => [...Object.values(p.envVariables ?? {}), ...Object.values(p.connect?.envVariables ?? {})]);
  return [...new Set([...GATEWAY_VARIABLES, ...fromProviders])];
}

export interface GatewayConfig extends HttpServerConfig, AccessConfig, LimitsConfig, ResilienceConfig, StateConfig {
  /** True when the built-in sandboxes serve every provider. */
  sandbox: boolean;
  sources: SourceSpec[];
  logLevel: string;
  /** GATEWAY_CURSOR_SECRET: the key listInvoices cursors are signed with (share it across replicas). */
  cursorSecret?: string;
  /** Where rotating refresh tokens are kept (GATEWAY_TOKEN_STORE_FILE or Redis, sealed under GATEWAY_TOKEN_KEY). */
  tokens: TokenStoreConfig;
  /** Change notifications: polling, retention, subscription bounds, XERO_WEBHOOK_KEY (src/events/event-settings.ts). */
  events: EventSettings;
}

/** Thrown when the configuration is invalid; the message lists every problem. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads the configuration. Sources come from the sources file and from each provider's environment variables; with none
 * configured (or GATEWAY_SANDBOX=1) the sandboxes serve every provider.
 */
export function loadConfig(env: Record<string, string | undefined>, providers: ProviderDefinition<any>[]): GatewayConfig {
  const problems: string[] = [];
  const parsed = GatewayEnv.safeParse(env);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const v = parsed.success ? (parsed.data as AllValues<typeof SETTINGS_ROOMS>) : undefined;

  // Read even when a variable is bad, so every problem is reported at once.
  const { sandbox, configured } = sourcesFrom(env, v, providers, problems);
  const sources = sandbox ? [] : configured;
  const tokens = tokenStoreConfig(env, sources, problems);
  if (v?.GATEWAY_SANDBOX === '0' && configured.length === 0 && problems.length === 0) {
    problems.push('no provider is configured and GATEWAY_SANDBOX=0 forbids the sandboxes: set FRAGMENT_BASE_URL, KORINT_BASE_URL, XERO_BASE_URL or GATEWAY_SOURCES_FILE');
  }
  if (!v) throw new ConfigError(problems);

  const sourceNames = sandbox ? providers.map((p) => p.kind) : sources.map((s) => s.settings.name);
  const access = accessSettingsFrom(v, { sandbox, sourceNames, host: v.HOST }, problems);
  const http = httpServerSettingsFrom(v, problems);
  const limits = limitSettingsFrom(v, problems);
  if (problems.length > 0 || !access.auth) throw new ConfigError(problems);

  return {
    ...http,
    sandbox,
    sources,
    ...resilienceSettingsFrom(v),
    ...limits,
    ...telemetrySettingsFrom(v),
    ...stateSettingsFrom(v),
    ...access,
    auth: access.auth,
    ...listingSettingsFrom(v),
    tokens,
    events: eventSettingsFrom(v),
  };
}
