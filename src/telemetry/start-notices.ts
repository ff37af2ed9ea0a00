// What the start summary warns about: a start that would surprise whoever deployed it. Credentials set for a provider
// whose base URL is not (the provider is then not configured at all, and the sandboxes may serve instead), a variable
// that looks like a misspelling of one the gateway reads, NODE_ENV (which the gateway does not read), and listInvoices
// cursors signed with the built-in key while real providers are served.
import type { ProviderDefinition } from '../../adapters/kit/adapter.js';

export interface NoticeSituation {
  /** True when the built-in sandboxes serve every provider. */
  sandbox: boolean;
  cursorSecret?: string;
  /** REDIS_URL is set: several replicas share state. */
  replicas: boolean;
  /** Every variable invoice-gateway reads (src/config.ts, knownVariables), to tell a misspelling from a stranger. */
  knownVariables: readonly string[];
}

/** Edits (insertions, deletions, substitutions) that turn `a` into `b`; stops counting past `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The known variable `name` is most likely a misspelling of, if any (`XERO_CLIENTID` → `XERO_CLIENT_ID`). */
export function likelyMeant(name: string, known: readonly string[]): string | undefined {
  if (known.includes(name)) return undefined;
  const bare = (text: string) => text.replace(/_/g, '').toLowerCase();
  const prefix = name.split('_')[0];
  let best: { name: string; edits: number } | undefined;
  for (const candidate of known) {
    if (candidate.split('_')[0] !== prefix) continue;
    const edits = distance(bare(name), bare(candidate), 2);
    if (edits <= 2 && (!best || edits < best.edits)) best = { name: candidate, edits };
  }
  return best?.name;
}

const NODE_ENV_EFFECTS: Record<string, string> = {
  production:
    'its only effect is that graphql-js skips its check for a second copy of itself. What production means here comes ' +
    'from configuring real providers: authentication required, GraphiQL and introspection off (docs/deployment.md)',
  test: 'its only effect is that graphql-yoga pings Server-Sent Events connections every 300 ms instead of 12 s',
  development: 'errors stay masked as always (the gateway masks them itself), and nothing else changes',
};

/** The notices for this start, each one sentence naming the variable to look at. */
export function startNotices(
  env: Record<string, string | undefined>,
  providers: readonly ProviderDefinition<any>[],
  situation: NoticeSituation,
): string[] {
  const notices: string[] = [];
  const set = (name: string) => (env[name] ?? '').trim() !== '';
  const known = situation.knownVariables;

  for (const provider of providers) {
    const variables = provider.envVariables ?? {};
    const baseUrl = variables.baseUrl;
    if (!baseUrl || set(baseUrl)) continue;
    const credentials = Object.entries(variables).filter(([setting, name]) => setting !== 'baseUrl' && set(name)).map(([, name]) => name);
    if (credentials.length === 0) continue;
    const served = situation.sandbox ? 'its sandbox serves sandbox data instead' : 'it is not served';
    notices.push(`${credentials.join(', ')} ${credentials.length > 1 ? 'are' : 'is'} set but ${baseUrl} is not: ${provider.kind} is not configured, and ${served}`);
  }

  const prefixes = new Set([...providers.map((p) => `${p.kind.toUpperCase()}_`), 'GATEWAY_', 'REDIS_']);
  for (const name of Object.keys(env).sort()) {
    if (![...prefixes].some((prefix) => name.startsWith(prefix)) || !set(name)) continue;
    const meant = likelyMeant(name, known);
    if (meant) notices.push(`${name} is not a variable invoice-gateway reads: did you mean ${meant}? (it is ignored)`);
  }

  const nodeEnv = env.NODE_ENV;
  if (nodeEnv !== undefined) {
    const effect = NODE_ENV_EFFECTS[nodeEnv] ?? 'no library the gateway uses reacts to this value';
    notices.push(`NODE_ENV=${nodeEnv.slice(0, 40)} is set: invoice-gateway does not read NODE_ENV; ${effect}`);
  }

  if (!situation.cursorSecret && !situation.sandbox) {
    notices.push(
      'GATEWAY_CURSOR_SECRET is not set: listInvoices cursors are signed with the built-in key, which anyone can read in ' +
        'the source, so a client can forge a cursor (a listing position of its choosing, within its grants); set 16 or more ' +
        `random characters${situation.replicas ? ', the same on every replica' : ''}`,
    );
  } else if (!situation.cursorSecret && situation.replicas) {
    notices.push('GATEWAY_CURSOR_SECRET is not set with several replicas (REDIS_URL): the built-in key works on every replica, but cursors can be forged; set one before serving real providers');
  }
  return notices;
}
