// A start that would surprise says so in the start summary (and at warn, one line each): provider credentials without
// their base URL (the provider is then not configured: the sandboxes serve), a misspelled variable, NODE_ENV (which the
// gateway does not read), and listInvoices cursors signed with the built-in key over real providers.
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { GATEWAY_VARIABLES, knownVariables } from '../../src/config.js';
import { likelyMeant, startNotices } from '../../src/telemetry/start-notices.js';
import { startMain } from '../support/main-process.js';

const situation = { sandbox: true, replicas: false, knownVariables: knownVariables(providers) };

describe('the start summary of a real process', () => {
  it('names credentials without their base URL, a misspelled variable and NODE_ENV', async () => {
    const gateway = await startMain({ XERO_CLIENTID: 'client-id', XERO_CLIENT_SECRET: 'client-secret', NODE_ENV: 'production' });
    try {
      expect(gateway.summary.mode).toBe('sandbox');
      expect(gateway.summary.notices).toEqual([
        'XERO_CLIENT_SECRET is set but XERO_BASE_URL is not: xero is not configured, and its sandbox serves sandbox data instead',
        'XERO_CLIENTID is not a variable invoice-gateway reads: did you mean XERO_CLIENT_ID? (it is ignored)',
        expect.stringMatching(/^NODE_ENV=production is set: invoice-gateway does not read NODE_ENV; its only effect is that graphql-js skips/),
      ]);
      const warned = gateway.lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'start notice');
      expect(warned.map((line) => [line.level, line.notice])).toEqual(gateway.summary.notices.map((notice: string) => [40, notice]));
      // No credential is repeated back.
      expect(gateway.lines.join('\n')).not.toContain('client-secret');
    } finally {
      await gateway.stop();
    }
  }, 60_000);

  it('warns that cursors can be forged when real providers are served without GATEWAY_CURSOR_SECRET', async () => {
    const gateway = await startMain({ KORINT_BASE_URL: 'http://127.0.0.1:9/api', KORINT_TOKEN: 'token', GATEWAY_AUTH: 'none', GATEWAY_SHUTDOWN_DRAIN_MS: '0' });
    try {
      expect(gateway.summary.mode).toBe('providers');
      expect(gateway.summary.notices).toEqual([expect.stringMatching(/^GATEWAY_CURSOR_SECRET is not set: listInvoices cursors are signed with the built-in key/)]);
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});

describe('startNotices', () => {
  it('says nothing about a start that holds no surprise', () => {
    expect(startNotices({ PORT: '4000', LOG_LEVEL: 'info' }, providers, situation)).toEqual([]);
    const real = { FRAGMENT_BASE_URL: 'https://api.fragment.dev', FRAGMENT_CLIENT_ID: 'id', FRAGMENT_CLIENT_SECRET: 's' };
    expect(startNotices(real, providers, { ...situation, sandbox: false, cursorSecret: 'a-cursor-secret-of-24-chars' })).toEqual([]);
  });

  it('names every credential set for a provider whose base URL is not, and what is served instead', () => {
    const env = { FRAGMENT_CLIENT_ID: 'id', FRAGMENT_CLIENT_SECRET: 's', KORINT_BASE_URL: 'https://korint.example', KORINT_TOKEN: 't' };
    expect(startNotices(env, providers, { ...situation, sandbox: false, cursorSecret: 'a-cursor-secret-of-24-chars' })).toEqual([
      'FRAGMENT_CLIENT_ID, FRAGMENT_CLIENT_SECRET are set but FRAGMENT_BASE_URL is not: fragment is not configured, and it is not served',
    ]);
  });

  it('tells a misspelling from a variable it does not know', () => {
    const known = [...GATEWAY_VARIABLES, 'XERO_CLIENT_ID', 'XERO_TENANT_ID', 'FRAGMENT_CLIENT_SECRET'];
    expect(likelyMeant('XERO_CLIENTID', known)).toBe('XERO_CLIENT_ID');
    expect(likelyMeant('XERO_TENANT', known)).toBe('XERO_TENANT_ID');
    expect(likelyMeant('FRAGMENT_CLIENT_SECRE', known)).toBe('FRAGMENT_CLIENT_SECRET');
    expect(likelyMeant('GATEWAY_CURSOR_SECRETS', known)).toBe('GATEWAY_CURSOR_SECRET');
    expect(likelyMeant('gateway_auth', known)).toBeUndefined();
    expect(likelyMeant('GATEWAY_AUHT', known)).toBe('GATEWAY_AUTH');
    // Another program's variable, or one the gateway reads: no notice.
    expect(likelyMeant('XERO_WEBHOOK_KEY', known)).toBeUndefined();
    expect(likelyMeant('XERO_CLIENT_ID', known)).toBeUndefined();
  });

  it('says what each NODE_ENV does and does not change', () => {
    const said = (value: string) => startNotices({ NODE_ENV: value }, providers, situation)[0];
    expect(said('development')).toMatch(/does not read NODE_ENV; errors stay masked as always/);
    expect(said('test')).toMatch(/pings Server-Sent Events connections every 300 ms/);
    expect(said('staging')).toMatch(/does not read NODE_ENV; no library the gateway uses reacts to this value/);
  });

  it('warns about the built-in cursor key over real providers, and with several replicas', () => {
    const env = { KORINT_BASE_URL: 'https://korint.example', KORINT_TOKEN: 't' };
    const [single] = startNotices(env, providers, { ...situation, sandbox: false });
    expect(single).toMatch(/can forge a cursor .* set 16 or more random characters$/);
    const [replicas] = startNotices(env, providers, { ...situation, sandbox: false, replicas: true });
    expect(replicas).toMatch(/random characters, the same on every replica$/);
    expect(startNotices({}, providers, { ...situation, replicas: true })).toEqual([expect.stringMatching(/^GATEWAY_CURSOR_SECRET is not set with several replicas/)]);
    expect(startNotices({}, providers, { ...situation, replicas: true, cursorSecret: 'a-cursor-secret-of-24-chars' })).toEqual([]);
  });
});
