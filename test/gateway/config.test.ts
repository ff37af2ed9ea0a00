import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { loadConfig } from '../../src/config.js';
import { configError } from '../support/config.js';

describe('configuration', () => {
  it('serves the sandboxes when no provider is configured', () => {
    const config = loadConfig({}, providers);
    expect(config).toMatchObject({ sandbox: true, port: 4000, host: '127.0.0.1', sources: [] });
  });

  it('serves only the configured provider when one is set, and refuses sandboxes when told to', () => {
    const config = loadConfig(
      { FRAGMENT_BASE_URL: 'https://api.example.test', FRAGMENT_CLIENT_ID: 'id', FRAGMENT_CLIENT_SECRET: 'secret', GATEWAY_SANDBOX: '0', GATEWAY_AUTH: 'none' },
      providers,
    );
    expect(config.sandbox).toBe(false);
    expect(config.sources.map((s) => [s.provider.kind, s.settings.name])).toEqual([['fragment', 'fragment']]);
    expect(configError({ GATEWAY_SANDBOX: '0' }).message).toMatch(/no provider is configured/);
  });

  it('lists every problem in one message and never echoes a secret', () => {
    const error = configError({
      PORT: 'eighty',
      FRAGMENT_BASE_URL: 'not a url',
      FRAGMENT_CLIENT_SECRET: 'hunter2-secret',
      KORINT_BASE_URL: 'https://korint.example.test',
    });
    expect(error.problems.length).toBeGreaterThanOrEqual(3);
    expect(error.message).toMatch(/PORT/);
    expect(error.message).toMatch(/FRAGMENT/);
    expect(error.message).toMatch(/KORINT/);
    expect(error.message).not.toContain('hunter2-secret');
  });

  it('names each problem by the variable the user sets, quoting the bad value, every problem at once', () => {
    const error = configError({ PORT: 'abc', GATEWAY_MAX_ENTITIES: '0', XERO_BASE_URL: 'https://xero.example.test/api.xro/2.0', XERO_CONNECTION: 'Main Books' });
    expect(error.problems).toEqual([
      'PORT: expected an integer, got "abc"',
      'GATEWAY_MAX_ENTITIES: expected an integer from 1 to 100000, got 0',
      'XERO_CONNECTION: must be lower-case letters, digits, "-" or "_" (at most 63)',
      // Reported with the connection's problem, not after it is fixed.
      'XERO_ACCESS_TOKEN: Xero needs XERO_ACCESS_TOKEN, or XERO_CLIENT_ID and XERO_CLIENT_SECRET (with XERO_REFRESH_TOKEN or XERO_CONNECTION for a standard app)',
    ]);
    expect(error.message).not.toMatch(/NaN|env XERO_\*|tenantId/);
  });

  it('reads GATEWAY_MAX_ENTITIES apart from GATEWAY_MAX_IDS', () => {
    expect(loadConfig({}, providers)).toMatchObject({ maxIds: 1000, maxEntities: 10_000 });
    expect(loadConfig({ GATEWAY_MAX_ENTITIES: '25000' }, providers)).toMatchObject({ maxIds: 1000, maxEntities: 25_000 });
  });

  it('reads several sources from a sources file and refuses duplicate names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    const file = join(dir, 'sources.json');
    const xero = (name: string, tenantId: string) => ({ kind: 'xero', name, baseUrl: 'https://xero.example.test/api.xro/2.0', tenantId, accessToken: 't' });
    writeFileSync(file, JSON.stringify({ sources: [xero('xero-nz', 'tenant-nz'), xero('xero-au', 'tenant-au')] }));
    const config = loadConfig({ GATEWAY_SOURCES_FILE: file, GATEWAY_AUTH: 'none' }, providers);
    expect(config.sources.map((s) => s.settings.name)).toEqual(['xero-nz', 'xero-au']);

    writeFileSync(file, JSON.stringify({ sources: [xero('xero-nz', 'a'), xero('xero-nz', 'b'), { kind: 'stripe' }] }));
    const error = configError({ GATEWAY_SOURCES_FILE: file });
    expect(error.message).toMatch(/two sources are named "xero-nz"/);
    expect(error.message).toMatch(/unknown provider "stripe"/);
  });

  it('refuses a sources file that is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gateway-config-'));
    const file = join(dir, 'sources.json');
    writeFileSync(file, '{ nope');
    expect(configError({ GATEWAY_SOURCES_FILE: file }).message).toMatch(/cannot read .* as JSON/);
  });
});
