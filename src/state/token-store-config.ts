// The token store as the configuration sees it: which connections keep tokens there, whether GATEWAY_TOKEN_KEY is
// there to seal them, and whether the sources naming one connection agree that it is one consent of one app.
import type { SourceSpec } from '../source-settings.js';
import { tokenStoreSettingsFromEnv, type TokenStoreSettings } from './token-store-settings.js';

export interface TokenStoreConfig extends TokenStoreSettings {
  /** The connections whose tokens the sources keep in the store (none: no store is opened). */
  connections: string[];
}

/** Reads the token store's settings and checks them against the sources; problems go to `problems`. */
export function tokenStoreConfig(env: Record<string, string | undefined>, sources: SourceSpec[], problems: string[]): TokenStoreConfig {
  const settings = tokenStoreSettingsFromEnv(env, problems);
  const byConnection = new Map<string, SourceSpec[]>();
  for (const spec of sources) {
    const connection = spec.provider.connectionOf?.(spec.settings);
    if (connection) byConnection.set(connection, [...(byConnection.get(connection) ?? []), spec]);
  }
  if (byConnection.size > 0 && env.GATEWAY_TOKEN_KEY === undefined) {
    problems.push(
      `GATEWAY_TOKEN_KEY: is not set, and the connection${byConnection.size > 1 ? 's' : ''} ${[...byConnection.keys()].map((c) => `"${c}"`).join(', ')} store rotating refresh tokens: set 32 random bytes as hex (openssl rand -hex 32)`,
    );
  }
  for (const [connection, specs] of byConnection) {
    const apps = new Set(specs.map((spec) => `${spec.provider.kind}:${String(spec.settings.clientId ?? '')}`));
    if (apps.size > 1) {
      problems.push(`connection "${connection}" is named by sources of different apps (${specs.map((s) => s.settings.name).join(', ')}): a connection is one consent of one app`);
    }
  }
  return { ...settings, connections: [...byConnection.keys()] };
}
