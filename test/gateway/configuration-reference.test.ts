// One source of truth for settings: docs/configuration.md is what the schemas say (fresh), every variable of every room
// carries a meaning, every one the reference names is known to the start notices' misspelling check, and every integer
// variable of every room, given a bad value, stops the start naming itself.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { accepts, renderConfigurationReference } from '../../scripts/configuration-reference.js';
import { GATEWAY_VARIABLES, knownVariables, SETTINGS_ROOMS } from '../../src/config.js';
import { likelyMeant } from '../../src/telemetry/start-notices.js';
import { configProblems } from '../support/config.js';

const reference = renderConfigurationReference(providers);
/** The variables the reference documents: the first column of its tables, when it is an upper-case name. */
const documented = [...reference.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm), ...reference.matchAll(/^\| `[a-zA-Z]+` \| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]);

describe('the configuration reference', () => {
  it('is docs/configuration.md as generated (npm run docs:config)', () => {
    expect(readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')).toBe(reference);
  });

  it('has each variable owned by one room', () => {
    const owned = SETTINGS_ROOMS.flatMap((room) => Object.keys(room.env));
    expect(owned).toHaveLength(new Set(owned).size);
    expect(new Set(owned)).toEqual(new Set(GATEWAY_VARIABLES));
  });

  it('documents every variable the gateway reads, each known to the misspelling check', () => {
    const known = knownVariables(providers);
    expect(new Set(documented)).toEqual(new Set(known));
    for (const name of known) expect(likelyMeant(name, known)).toBeUndefined();
    // A misspelling of a variable of any room, provider or command is told.
    expect(likelyMeant('GATEWAY_SHUTDOWN_DRAIN', known)).toBe('GATEWAY_SHUTDOWN_DRAIN_MS');
    expect(likelyMeant('XERO_REDIRECT_URL', known)).toBe('XERO_REDIRECT_URI');
    expect(likelyMeant('KORINT_TOKENFILE', known)).toBe('KORINT_TOKEN_FILE');
  });

  it('refuses a non-integer in every integer variable of every room, naming the variable', () => {
    const integers = SETTINGS_ROOMS.flatMap((room) => Object.entries(room.env).filter(([, schema]) => accepts(schema).startsWith('integer')).map(([name]) => name));
    expect(integers.length).toBeGreaterThan(40);
    const env = Object.fromEntries(integers.map((name) => [name, 'twelve']));
    expect(configProblems(env)).toEqual(integers.map((name) => `${name}: expected an integer, got "twelve"`));
  });
});
