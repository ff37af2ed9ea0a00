// Real Xero accounts stay connected (issue 18), over the Xero sandbox whose access tokens expire and whose refresh
// tokens rotate, on a token clock the test moves (no test waits for a lifetime to pass): a stream of queries across
// many lifetimes; a restart after rotation; a refresh whose answer was lost; a revoked consent (reconnect: true for
// Xero items while Fragment's are served, /ready, the gauge, one warning, no token-endpoint loop) and its reconnect by
// `npm run connect` without a restart; tenants discovered from /connections; two sources of one consent.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { runConnect } from '../../src/cli/connect-command.js';
import { GatewayStartError } from '../../src/source-connections.js';
import { createMemoryTokenStore, createTokenStore } from '../../src/state/token-store.js';
import {
  createCapturedLogger,
  refreshTokensSent,
  startConnectionGateway,
  startXeroConnectionSandbox,
  xeroSpec,
  type ConnectionGateway,
  type XeroConnectionSandbox,
} from '../support/xero-connection.js';
import { freePort } from '../support/free-port.js';

const INVOICES = `query Invoices($ids: [ID!]!) { invoices(ids: $ids) { id number } }`;
const KEY = Buffer.alloc(32, 7);
const idsOf = (x: XeroConnectionSandbox, count: number, offset = 0, tenant?: string, source = 'xero') =>
  x.sandbox
    .dataset(tenant)
    .invoices.slice(offset, offset + count)
    .map((i) => `${source}:Invoice:${i.id}`);

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});
const track = <T extends { close(): Promise<void> }>(thing: T): T => {
  open.push(thing);
  return thing;
};

describe('a standard app over rotating refresh tokens', () => {
  it('serves a stream of queries across 6 access-token lifetimes with no failed answer and at most one refresh per lifetime (+1)', async () => {
    // A strictly single-use refresh token (no grace period): any refresh sent twice would be refused.
    const x = track(await startXeroConnectionSandbox({ lifetimeSeconds: 60, graceSeconds: 0 }));
    const gw = track(await startConnectionGateway([xeroSpec(x.settings())], { tokenClock: x.clock.now }));
    const lifetimes = 6;
    const steps = lifetimes * 5;
    let failed = 0;
    for (let step = 0; step < steps; step += 1) {
      const answer = await gw.query(INVOICES, { ids: idsOf(x, 3, step % 20) });
      if (answer.errors || answer.data?.invoices.some((i: unknown) => i === null)) failed += 1;
      x.clock.advance(12_000);
    }
    expect(failed).toBe(0);
    const { refreshes, invalidGrants, refreshReuses } = x.sandbox.identity.stats();
    expect(invalidGrants).toBe(0);
    expect(refreshReuses).toBe(0);
    expect(refreshes).toBeGreaterThanOrEqual(lifetimes);
    expect(refreshes).toBeLessThanOrEqual(lifetimes + 1);
    // The seed was sent once, every later refresh with the token the previous one returned.
    const sent = refreshTokensSent(x.sandbox);
    expect(sent[0]).toBe(x.seed);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('renews once after a 401 and answers the query', async () => {
    const x = track(await startXeroConnectionSandbox());
    const gw = track(await startConnectionGateway([xeroSpec(x.settings())], { tokenClock: x.clock.now }));
    expect((await gw.query(INVOICES, { ids: idsOf(x, 2) })).errors).toBeUndefined();
    x.clock.advance(60_000);
    x.sandbox.revokeTokens();
    const before = x.sandbox.identity.stats().refreshes;
    const answer = await gw.query(INVOICES, { ids: idsOf(x, 2, 2) });
    expect(answer.errors).toBeUndefined();
    expect(x.sandbox.identity.stats().refreshes).toBe(before + 1);
  });

  it('keeps the old refresh token when a refresh answer is lost, backs off, then renews with it (grace period)', async () => {
    const x = track(await startXeroConnectionSandbox({ lifetimeSeconds: 600 }));
    const gw = track(await startConnectionGateway([xeroSpec(x.settings())], { tokenClock: x.clock.now, retry: { retries: 0 } }));
    expect((await gw.query(INVOICES, { ids: idsOf(x, 1) })).errors).toBeUndefined();
    x.clock.advance(600_000);
    // Xero spends the refresh token, then the answer never arrives.
    x.sandbox.faults.inject({ routes: ['token'], dropAnswer: true, times: 1 });
    const lost = await gw.query(INVOICES, { ids: idsOf(x, 1) });
    expect(lost.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'xero' });
    const tokenCalls = x.sandbox.calls.count('token');
    // Within the back-off no refresh is tried.
    expect((await gw.query(INVOICES, { ids: idsOf(x, 1) })).errors?.[0].extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(x.sandbox.calls.count('token')).toBe(tokenCalls);
    x.clock.advance(1_000);
    expect((await gw.query(INVOICES, { ids: idsOf(x, 1) })).errors).toBeUndefined();
    const sent = refreshTokensSent(x.sandbox);
    expect(sent.slice(-2)[0]).toBe(sent.slice(-2)[1]);
    expect(x.sandbox.identity.stats()).toMatchObject({ refreshReuses: 1, invalidGrants: 0 });
  });
});

describe('the token store across a restart', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'invoice-gateway-tokens-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reuses the stored access token, then renews with the stored refresh token: the spent seed is never sent again', async () => {
    const x = track(await startXeroConnectionSandbox({ lifetimeSeconds: 300, graceSeconds: 0 }));
    const file = join(dir, 'restart', 'tokens.json');
    const store = () => createTokenStore({ file, keyPrefix: 'x:', key: KEY });
    const first = await startConnectionGateway([xeroSpec(x.settings())], { tokenClock: x.clock.now, tokenStore: store(), connections: ['xero'] });
    await first.gateway.start();
    expect((await first.query(INVOICES, { ids: idsOf(x, 2) })).errors).toBeUndefined();
    await first.close();
    expect(refreshTokensSent(x.sandbox)).toEqual([x.seed]);

    // A restart (same settings, same seed) within the access token's lifetime spends no refresh.
    const second = track(await startConnectionGateway([xeroSpec(x.settings())], { tokenClock: x.clock.now, tokenStore: store(), connections: ['xero'] }));
    await second.gateway.start();
    expect((await second.query(INVOICES, { ids: idsOf(x, 2, 2) })).errors).toBeUndefined();
    expect(x.sandbox.calls.count('token')).toBe(1);
    x.clock.advance(300_000);
    expect((await second.query(INVOICES, { ids: idsOf(x, 2, 4) })).errors).toBeUndefined();
    const sent = refreshTokensSent(x.sandbox);
    expect(sent).toHaveLength(2);
    expect(sent[1]).not.toBe(x.seed);
    expect(x.sandbox.identity.stats().invalidGrants).toBe(0);

    // The file: mode 0600, and no token in it in plain text.
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    const issued = x.sandbox.calls.list().filter((c) => c.name === 'token');
    expect(issued.length).toBe(2);
    for (const token of [x.seed, ...sent]) expect(text).not.toContain(token);
    expect(text).not.toMatch(/xero-sandbox-at-/);
    expect(JSON.parse(text)).toEqual({ version: 1, connections: { xero: expect.stringMatching(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/) } });
  });

  it('refuses to start when GATEWAY_TOKEN_KEY does not open the stored tokens (never a silent reset)', async () => {
    const x = track(await startXeroConnectionSandbox());
    const file = join(dir, 'wrong-key', 'tokens.json');
    await createTokenStore({ file, keyPrefix: 'x:', key: KEY }).write('xero', { refreshToken: 'r', updatedAt: 1 });
    const gw = track(
      await startConnectionGateway([xeroSpec(x.settings())], {
        tokenClock: x.clock.now,
        tokenStore: createTokenStore({ file, keyPrefix: 'x:', key: Buffer.alloc(32, 8) }),
        connections: ['xero'],
      }),
    );
    const error = await gw.gateway.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayStartError);
    expect((error as Error).message).toContain('GATEWAY_TOKEN_KEY does not open the stored tokens of "xero"');
    expect(x.sandbox.calls.count('token')).toBe(0);
  });
});

describe('a revoked consent', () => {
  it('answers reconnect: true for Xero items while Fragment items are served, says so once, and recovers after npm run connect', async () => {
    const x = track(await startXeroConnectionSandbox({ lifetimeSeconds: 1800 }));
    const captured = createCapturedLogger();
    const tokenStore = createMemoryTokenStore();
    const gw: ConnectionGateway = track(
      await startConnectionGateway([xeroSpec(x.settings())], { tokenClock: x.clock.now, tokenStore, logger: captured.logger, fragment: true }),
    );
    const ids = ['fragment:Invoice:inv_0001', ...idsOf(x, 1), 'fragment:Invoice:inv_0002'];
    expect((await gw.query(INVOICES, { ids })).errors).toBeUndefined();

    x.sandbox.identity.revoke();
    const tokenCallsBefore = x.sandbox.calls.count('token');
    for (let i = 0; i < 5; i += 1) {
      const answer = await gw.query(INVOICES, { ids });
      expect(answer.data.invoices[0].id).toBe('fragment:Invoice:inv_0001');
      expect(answer.data.invoices[2].id).toBe('fragment:Invoice:inv_0002');
      expect(answer.data.invoices[1]).toBeNull();
      expect(answer.errors).toHaveLength(1);
      expect(answer.errors![0]).toMatchObject({ path: ['invoices', 1], extensions: { code: 'UPSTREAM_UNAUTHORIZED', source: 'xero', reconnect: true } });
      x.clock.advance(10 * 60_000);
    }
    // The access token expired meanwhile: one refresh, refused; no loop after it.
    expect(x.sandbox.calls.count('token') - tokenCallsBefore).toBe(1);
    expect(x.sandbox.identity.stats().invalidGrants).toBe(1);

    const ready = JSON.parse(await gw.get('/ready'));
    expect(ready).toMatchObject({ ready: true, degraded: true, reconnectRequired: ['xero'] });
    expect(ready.sources.find((s: any) => s.source === 'xero').connection).toMatchObject({ name: 'xero', status: 'reconnect-required' });
    expect(await gw.get('/metrics')).toMatch(/gateway_source_connection_up\{source="xero"\} 0/);
    expect(await gw.get('/metrics')).toMatch(/gateway_source_connection_up\{source="fragment"\} 1/);
    const warnings = captured.lines().filter((l) => l.msg?.startsWith('source needs reconnecting'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, source: 'xero', connection: 'xero' });

    // An operator reconnects: the running gateway picks the new tokens up from the store.
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/xero/callback`;
    x.sandbox.identity.registerRedirectUri(redirectUri);
    await runConnect({
      kind: 'xero',
      providers,
      tokenStore,
      env: {
        XERO_CLIENT_ID: x.sandbox.clientId,
        XERO_CLIENT_SECRET: x.sandbox.clientSecret,
        XERO_REDIRECT_URI: redirectUri,
        XERO_AUTHORIZE_URL: x.sandbox.identity.authorizeUrl,
        XERO_TOKEN_URL: x.sandbox.tokenUrl,
        XERO_CONNECTIONS_URL: x.sandbox.identity.connectionsUrl,
      },
      out: () => undefined,
      onAuthorizeUrl: async (url) => {
        const consent = await fetch(url, { redirect: 'manual' });
        await fetch(consent.headers.get('location')!);
      },
    });
    x.clock.advance(30_000);
    const back = await gw.query(INVOICES, { ids });
    expect(back.errors).toBeUndefined();
    expect(back.data.invoices.map((i: any) => i.id)).toEqual(ids);
    expect(JSON.parse(await gw.get('/ready')).reconnectRequired).toBeUndefined();
    expect(await gw.get('/metrics')).toMatch(/gateway_source_connection_up\{source="xero"\} 1/);
    // No token ever reached a log line, /ready, /metrics or an error.
    const tokens = x.sandbox.calls.list().flatMap((c) => [
      ...Object.values((c.body as Record<string, string> | undefined) ?? {}).filter((v) => v.length >= 32),
      ...(c.headers.authorization?.startsWith('Bearer ') ? [c.headers.authorization.slice(7)] : []),
    ]);
    expect(tokens.length).toBeGreaterThan(5);
    const seen = [captured.text(), await gw.get('/ready'), await gw.get('/metrics'), JSON.stringify(await gw.query(INVOICES, { ids }))].join('\n');
    for (const token of new Set([x.seed, ...tokens])) expect(seen).not.toContain(token);
  });
});

describe('tenants from /connections', () => {
  const NZ = '1c9e8a7b-6d5c-4b3a-9f8e-7d6c5b4a3f21';
  const AU = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e';
  const PRACTICE = '5b5b5b5b-1111-4222-8333-444444444444';
  const sandboxOptions = { tenants: [NZ, AU], sandbox: { identity: { practices: [{ tenantId: PRACTICE, tenantName: 'The Practice' }], tenantNames: { [NZ]: 'Kiwi Ltd', [AU]: 'Roo Pty' } } } };

  it('without XERO_TENANT_ID reads the connection\'s only organisation (a practice aside)', async () => {
    const x = track(await startXeroConnectionSandbox({ ...sandboxOptions, consentTenants: [AU, PRACTICE] }));
    const gw = track(await startConnectionGateway([xeroSpec(x.settings({ tenantId: undefined }))], { tokenClock: x.clock.now }));
    await gw.gateway.start();
    const answer = await gw.query(INVOICES, { ids: idsOf(x, 2, 0, AU) });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.invoices.map((i: any) => i?.id)).toEqual(idsOf(x, 2, 0, AU));
    expect(x.sandbox.calls.list().filter((c) => c.name === 'invoices').map((c) => c.headers['xero-tenant-id'])).toEqual([AU]);
  });

  it('stops the start on a definite mismatch, listing what the connection grants', async () => {
    const x = track(await startXeroConnectionSandbox(sandboxOptions));
    const several = track(await startConnectionGateway([xeroSpec(x.settings({ tenantId: undefined }))], { tokenClock: x.clock.now }));
    const error = (await several.gateway.start().catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(GatewayStartError);
    expect(error.message).toContain('grants 2 organisations');
    expect(error.message).toContain(`"Kiwi Ltd" (${NZ}, ORGANISATION)`);
    expect(error.message).toContain(`"Roo Pty" (${AU}, ORGANISATION)`);

    const stranger = '00000000-0000-4000-8000-00000000beef';
    const notGranted = track(await startConnectionGateway([xeroSpec(x.settings({ tenantId: stranger }))], { tokenClock: x.clock.now }));
    const refused = (await notGranted.gateway.start().catch((e: unknown) => e)) as Error;
    expect(refused).toBeInstanceOf(GatewayStartError);
    expect(refused.message).toContain(`XERO_TENANT_ID ${stranger} is not granted`);
    expect(refused.message).toContain(`"The Practice" (${PRACTICE}, PRACTICE)`);
  });

  it('starts when Xero cannot be reached, serves the other sources, and serves Xero once it answers', async () => {
    const x = track(await startXeroConnectionSandbox({ ...sandboxOptions, consentTenants: [NZ] }));
    x.sandbox.faults.inject({ routes: ['token', 'connections'], status: 503 });
    const captured = createCapturedLogger();
    const gw = track(
      await startConnectionGateway([xeroSpec(x.settings({ tenantId: undefined }))], { tokenClock: x.clock.now, fragment: true, logger: captured.logger, retry: { retries: 0 } }),
    );
    await gw.gateway.start();
    expect(captured.lines().some((l) => l.msg?.startsWith('source could not be checked at start') && l.source === 'xero')).toBe(true);
    const ids = ['fragment:Invoice:inv_0001', ...idsOf(x, 1, 0, NZ)];
    const down = await gw.query(INVOICES, { ids });
    expect(down.data.invoices[0].id).toBe('fragment:Invoice:inv_0001');
    expect(down.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'xero' });
    x.sandbox.faults.clear();
    x.clock.advance(60_000);
    const up = await gw.query(INVOICES, { ids });
    expect(up.errors).toBeUndefined();
    expect(up.data.invoices[1].id).toBe(ids[1]);
  });

  it('a consent revoked before the start does not stop it: Xero answers reconnect: true', async () => {
    const x = track(await startXeroConnectionSandbox());
    x.sandbox.identity.revoke();
    const gw = track(await startConnectionGateway([xeroSpec(x.settings())], { tokenClock: x.clock.now, fragment: true }));
    await gw.gateway.start();
    const answer = await gw.query(INVOICES, { ids: ['fragment:Invoice:inv_0001', ...idsOf(x, 1)] });
    expect(answer.data.invoices[0].id).toBe('fragment:Invoice:inv_0001');
    expect(answer.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', source: 'xero', reconnect: true });
  });
});

describe('two sources of one consent', () => {
  it('share the connection\'s refresh-token chain: one refresh per lifetime for both tenants', async () => {
    const NZ = '1c9e8a7b-6d5c-4b3a-9f8e-7d6c5b4a3f21';
    const AU = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e';
    const x = track(await startXeroConnectionSandbox({ tenants: [NZ, AU], lifetimeSeconds: 60, graceSeconds: 0 }));
    const nz = xeroSpec(x.settings({ name: 'xero-nz', tenantId: NZ, connection: 'books' }));
    const au = xeroSpec(x.settings({ name: 'xero-au', tenantId: AU, connection: 'books' }));
    const gw = track(await startConnectionGateway([nz, au], { tokenClock: x.clock.now }));
    for (let step = 0; step < 15; step += 1) {
      const ids = [...idsOf(x, 2, step, NZ, 'xero-nz'), ...idsOf(x, 2, step, AU, 'xero-au')];
      const answer = await gw.query(INVOICES, { ids });
      expect(answer.errors).toBeUndefined();
      expect(answer.data.invoices.map((i: any) => i?.id)).toEqual(ids);
      x.clock.advance(12_000);
    }
    // 15 steps of 12 s: 3 lifetimes. Two chains would have rotated each other out (invalid_grant) or doubled the refreshes.
    expect(x.sandbox.identity.stats()).toMatchObject({ invalidGrants: 0, refreshReuses: 0 });
    expect(x.sandbox.identity.stats().refreshes).toBeLessThanOrEqual(4);
  });
});
