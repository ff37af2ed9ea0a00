// Which sources are served: each provider's variables (adapters/<provider>/settings.ts), a sources file for several
// sources (two Xero tenants, say), or the built-in sandboxes. Every source is validated with its provider's schema, and
// a problem is named by the variable (or the sources file's entry) the user set. docs/providers.md explains them.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ProviderDefinition } from '../adapters/kit/adapter.js';
import { SOURCE_NAME } from './ids.js';
import { flag, int, settingsRoom, situational, type RoomValues } from './settings-room.js';

export interface SourceSpec {
  provider: ProviderDefinition<any>;
  settings: { name: string; baseUrl: string } & Record<string, unknown>;
  /** Header and body timeout of this source's calls. */
  timeoutMs?: number;
}

export const SOURCE_SETTINGS = settingsRoom({ title: 'Sources', guide: 'providers.md', source: import.meta.url }, {
  GATEWAY_SOURCES_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('A JSON file listing several sources (`{ "sources": [{ "kind": "xero", "name": "xero-nz", … }] }`), each validated like the variables; its keys are listed per provider below.'),
  GATEWAY_SANDBOX: situational(
    flag().optional(),
    '`1` serves the built-in sandboxes whatever is configured; `0` forbids them (the start fails when no provider is configured).',
    'the sandboxes serve when no provider is configured',
  ),
});

/** The keys a sources file entry takes beside its provider's settings. */
const SourcesFileEntry = z.looseObject({
  kind: z.string().min(1).describe('The provider: `fragment`, `korint` or `xero`.'),
  name: situational(
    z.string().min(1).optional(),
    'The source\'s name, the prefix of its ids (`xero-nz:Invoice:…`): lower-case letters, digits, `-` or `_`; unique.',
    'the provider\'s (`fragment`, `korint`, `xero`)',
  ),
  timeoutMs: int(100, 600_000)
    .optional()
    .describe('This source\'s header and body timeout, instead of GATEWAY_UPSTREAM_TIMEOUT_MS.'),
});

/** The keys every sources file entry takes, whatever its provider (for the reference). */
export const SOURCES_FILE_KEYS = SourcesFileEntry.shape;

const SourcesFile = z.object({ sources: z.array(SourcesFileEntry).min(1) });

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

/** The sources to serve, or the sandboxes. */
export interface SourcesConfig {
  /** True when the built-in sandboxes serve every provider. */
  sandbox: boolean;
  /** The configured sources (every one validated), even when GATEWAY_SANDBOX=1 serves the sandboxes instead. */
  configured: SourceSpec[];
}

/**
 * The sources from the sources file and from each provider's variables; with none configured (or GATEWAY_SANDBOX=1) the
 * sandboxes serve every provider. `v` is undefined when the variables did not validate (the sources are read anyway, so
 * every problem is reported at once).
 */
export function sourcesFrom(
  env: Record<string, string | undefined>,
  v: RoomValues<typeof SOURCE_SETTINGS> | undefined,
  providers: ProviderDefinition<any>[],
  problems: string[],
): SourcesConfig {
  const configured: SourceSpec[] = [];
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
      if (spec) configured.push(spec);
    });
  }
  for (const provider of providers) {
    const raw = provider.settingsFromEnv(env);
    if (!raw) continue;
    const spec = validateSource(provider, raw, `${provider.kind.toUpperCase()}_*`, problems, provider.envVariables ?? {});
    if (spec) configured.push(spec);
  }
  const seen = new Set<string>();
  for (const spec of configured) {
    if (seen.has(spec.settings.name)) problems.push(`two sources are named "${spec.settings.name}"`);
    seen.add(spec.settings.name);
  }
  const flagged = v?.GATEWAY_SANDBOX;
  return { sandbox: flagged === '1' || (flagged === undefined && configured.length === 0), configured };
}
