// docs/configuration.md, rendered from the settings schemas themselves: every room's variables (src/config.ts,
// SETTINGS_ROOMS), each provider's settings and the variables they are read from (adapters/<provider>/settings.ts), the
// sources file's keys, and `npm run connect`'s variables. Each row's default and meaning come from the schema; nothing
// here repeats them.
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import type { ProviderDefinition } from '../adapters/kit/adapter.js';
import { SETTINGS_ROOMS } from '../src/config.js';
import type { EnvShape } from '../src/settings-room.js';
import { SOURCES_FILE_KEYS } from '../src/source-settings.js';

type Schema = z.ZodType;
interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  defaultValue?: unknown;
  entries?: Record<string, string>;
  format?: string;
  protocol?: RegExp;
}
const defOf = (schema: Schema) => (schema as unknown as { def: Def }).def;
const metaOf = (schema: Schema) => (schema.meta() ?? {}) as { description?: string; defaultIs?: string; range?: [number, number] };

/** The schema and the ones it wraps, outermost first (defaults, optionals, pipes: their input side, or a preprocess's output). */
function layers(schema: Schema): Schema[] {
  const found: Schema[] = [];
  for (let at: Schema | undefined = schema; at; ) {
    found.push(at);
    const def = defOf(at);
    if (def.innerType) at = def.innerType;
    else if (def.type === 'pipe') at = def.in && defOf(def.in).type === 'transform' ? def.out : def.in;
    else at = undefined;
  }
  return found;
}

const code = (text: string) => `\`${text}\``;
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function describe(schema: Schema): string {
  const description = layers(schema).map((layer) => metaOf(layer).description).find(Boolean);
  if (!description) throw new Error('a setting without a description: give it .describe() in its schema');
  return description;
}

function defaultOf(schema: Schema): string {
  const all = layers(schema);
  const said = all.map((layer) => metaOf(layer).defaultIs).find(Boolean);
  if (said) return said;
  const withDefault = all.find((layer) => defOf(layer).type === 'default');
  if (withDefault) {
    const value = defOf(withDefault).defaultValue;
    return code(typeof value === 'string' ? value : JSON.stringify(value));
  }
  return all.some((layer) => defOf(layer).type === 'optional') ? 'unset' : 'required';
}

/** A number schema's bounds (`.positive()` on an integer is from 1; the largest safe integer is no bound). */
function numberRange(schema: Schema): string {
  const { isInt, minValue, maxValue } = schema as unknown as { isInt: boolean; minValue: number | null; maxValue: number | null };
  const checks = (defOf(schema) as { checks?: Array<{ _zod: { def: { check: string; inclusive?: boolean } } }> }).checks ?? [];
  const exclusiveLow = checks.some((c) => c._zod.def.check === 'greater_than' && c._zod.def.inclusive === false);
  const low = minValue === null ? undefined : isInt && exclusiveLow ? minValue + 1 : minValue;
  const bounded = maxValue !== null && maxValue < Number.MAX_SAFE_INTEGER;
  const kind = isInt ? 'integer' : 'number';
  if (low === undefined) return bounded ? `${kind}, at most ${maxValue}` : kind;
  return bounded ? `${kind}, ${low} to ${maxValue}` : `${kind}, ${low} or more`;
}

/** What a value may be: an integer range, a choice, a URL; empty for free text. */
export function accepts(schema: Schema): string {
  for (const layer of layers(schema)) {
    const range = metaOf(layer).range;
    if (range) return `integer, ${range[0]} to ${range[1] === Number.MAX_SAFE_INTEGER ? 'any' : range[1]}`;
    const def = defOf(layer);
    if (def.type === 'enum' && def.entries) return Object.values(def.entries).map(code).join(', ');
    if (def.format === 'url') {
      // The URL schemes allowed, from a `/^https?$/`-shaped protocol check.
      const scheme = def.protocol && /^\^([a-z]+)s\?\$$/.exec(def.protocol.source)?.[1];
      return scheme ? `${scheme}:// or ${scheme}s:// URL` : 'URL';
    }
    if (def.type === 'number') return numberRange(layer);
    if (def.type === 'record' || def.type === 'object') return 'JSON object (sources file)';
  }
  return '';
}

function variableTable(shape: EnvShape): string[] {
  return [
    '| variable | default | accepts | meaning |',
    '|---|---|---|---|',
    ...Object.entries(shape).map(([name, schema]) => `| ${code(name)} | ${cell(defaultOf(schema))} | ${cell(accepts(schema))} | ${cell(describe(schema))} |`),
  ];
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The repository path of a module, from its `import.meta.url`. */
const fileOf = (source: string) => relative(ROOT, fileURLToPath(source)).split('\\').join('/');

const anchor = (title: string) => title.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');
const providerTitle = (kind: string) => kind.charAt(0).toUpperCase() + kind.slice(1);

function shapeOf(schema: Schema | undefined, what: string): EnvShape {
  const shape = (schema as unknown as { shape?: EnvShape } | undefined)?.shape;
  if (!shape) throw new Error(`${what}: the settings schema is not an object schema`);
  return shape;
}

function providerSection(provider: ProviderDefinition<any>): string[] {
  const variables = provider.envVariables ?? {};
  const title = providerTitle(provider.kind);
  const lines = [
    `### ${title}`,
    '',
    `Owned by ${code(`adapters/${provider.kind}/settings.ts`)}. ${title} is configured when ${code(variables.baseUrl ?? 'its base URL')} is set (or a sources file entry has ${code(`"kind": "${provider.kind}"`)}); a setting without a variable is set in a sources file entry.`,
    '',
    '| setting (sources file key) | variable | default | accepts | meaning |',
    '|---|---|---|---|---|',
    ...Object.entries(shapeOf(provider.settingsSchema, provider.kind)).map(
      ([key, schema]) =>
        `| ${code(key)} | ${variables[key] ? code(variables[key]) : '—'} | ${cell(defaultOf(schema))} | ${cell(accepts(schema))} | ${cell(describe(schema))} |`,
    ),
  ];
  const connect = provider.connect;
  if (connect?.settingsSchema && connect.envVariables) {
    const connectVariables = connect.envVariables;
    const shape = shapeOf(connect.settingsSchema, `${provider.kind} connect`);
    lines.push(
      '',
      `#### \`npm run connect -- ${provider.kind}\``,
      '',
      `The onboarding command reads these (and GATEWAY_TOKEN_KEY, REDIS_URL or GATEWAY_TOKEN_STORE_FILE, to store the tokens where the gateway reads them).`,
      '',
      ...variableTable(Object.fromEntries(Object.entries(shape).map(([key, schema]) => [connectVariables[key] ?? key, schema]))),
    );
  }
  return lines;
}

/** The whole page. */
export function renderConfigurationReference(providers: readonly ProviderDefinition<any>[]): string {
  const rooms = SETTINGS_ROOMS.map((room) => room.title);
  const lines = [
    '# Configuration reference',
    '',
    '<!-- Generated by `npm run docs:config` from the settings schemas; `npm test` fails when this page is stale. Edit the schemas, then run it again. -->',
    '',
    'Every variable invoice-gateway reads, with its default and meaning, generated from the settings schemas themselves:',
    "each room of `src/` owns its variables, each provider's are in `adapters/<provider>/settings.ts`. The configuration is",
    'read once at start; a bad value stops the start with one message listing every problem, each named by the variable',
    'you set. A set variable that looks like a misspelling of one of these is named in the start summary. With no provider',
    'configured, `npm start` serves the built-in sandboxes; when some are configured, only those are served.',
    '',
    '```',
    'invalid configuration:',
    '  - PORT: expected an integer, got "abc"',
    '  - XERO_ACCESS_TOKEN: Xero needs XERO_ACCESS_TOKEN, or XERO_CLIENT_ID and XERO_CLIENT_SECRET (with XERO_REFRESH_TOKEN or XERO_CONNECTION for a standard app)',
    '```',
    '',
    `Rooms: ${[...rooms, 'Providers'].map((title) => `[${title}](#${anchor(title)})`).join(' · ')}.`,
  ];
  for (const room of SETTINGS_ROOMS) {
    lines.push('', `## ${room.title}`, '', `Owned by ${code(fileOf(room.source))}${room.guide ? `; how to choose them: [${room.guide.split('#')[0]}](${room.guide})` : ''}.`, '');
    lines.push(...variableTable(room.env));
  }
  lines.push(
    '',
    '## Providers',
    '',
    "A provider is configured by its variables (one source each) or by entries of `GATEWAY_SOURCES_FILE` (several sources,",
    "two Xero tenants say). An entry takes its provider's settings by key, plus these:",
    '',
    '| sources file key | default | accepts | meaning |',
    '|---|---|---|---|',
    ...Object.entries(SOURCES_FILE_KEYS).map(([key, schema]) => `| ${code(key)} | ${cell(defaultOf(schema))} | ${cell(accepts(schema))} | ${cell(describe(schema))} |`),
  );
  for (const provider of providers) lines.push('', ...providerSection(provider));
  return `${lines.join('\n')}\n`;
}
