// `npm run connect -- xero` end to end against the Xero sandbox, a script playing the browser (it follows the authorize
// redirect with fetch): PKCE S256 checked by the sandbox, `state` checked by the command, the tokens stored sealed where
// the gateway reads them, the tenants listed; then a gateway configured with XERO_CONNECTION serves Xero from them
// without spending a refresh. The redirect listens on a free loopback port, registered in the sandbox's app.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { XERO_DEFAULT_SCOPES } from '../../adapters/xero/settings.js';
import { s256 } from '../../adapters/xero/sandbox/xero-sandbox-identity.js';
import { startXeroSandbox, type XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { runConnect } from '../../src/cli/connect-command.js';
import { loadConfig } from '../../src/config.js';
import { createGateway } from '../../src/gateway.js';
import { createTokenStore } from '../../src/state/token-store.js';
import { queryGateway } from '../support/gateway.js';
import { freePort } from '../support/free-port.js';

const KEY_HEX = 'ab'.repeat(32);
const NZ = '1c9e8a7b-6d5c-4b3a-9f8e-7d6c5b4a3f21';

let sandbox: XeroSandboxHandle;
let dir: string;
beforeAll(async () => {
  sandbox = await startXeroSandbox({ tenants: [NZ], invoiceCount: 10, identity: { tenantNames: { [NZ]: 'Kiwi Ltd' } } });
  dir = mkdtempSync(join(tmpdir(), 'invoice-gateway-connect-'));
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  sandbox.identity.consentAnswer = 'allow';
  sandbox.calls.reset();
  sandbox.identity.resetStats();
});

async function connectEnv(name: string) {
  const redirectUri = `http://127.0.0.1:${await freePort()}/xero/callback`;
  sandbox.identity.registerRedirectUri(redirectUri);
  return {
    XERO_CLIENT_ID: sandbox.clientId,
    XERO_CLIENT_SECRET: sandbox.clientSecret,
    XERO_REDIRECT_URI: redirectUri,
    XERO_AUTHORIZE_URL: sandbox.identity.authorizeUrl,
    XERO_TOKEN_URL: sandbox.tokenUrl,
    XERO_CONNECTIONS_URL: sandbox.identity.connectionsUrl,
    GATEWAY_TOKEN_KEY: KEY_HEX,
    GATEWAY_TOKEN_STORE_FILE: join(dir, name, 'tokens.json'),
  };
}

/** The browser of a person already signed in at Xero: opens the URL, is redirected back to the command. */
async function browse(url: string): Promise<{ status: number; page: string }> {
  const consent = await fetch(url, { redirect: 'manual' });
  expect(consent.status).toBe(302);
  const back = await fetch(consent.headers.get('location')!);
  return { status: back.status, page: await back.text() };
}

describe('npm run connect -- xero', () => {
  it('connects with PKCE, stores the tokens sealed, lists the tenants; a gateway then serves Xero from the store', async () => {
    const env = await connectEnv('e2e');
    const lines: string[] = [];
    let authorizeUrl = '';
    let browser: Promise<{ status: number; page: string }> | undefined;
    const result = await runConnect({
      kind: 'xero',
      env,
      providers,
      out: (line) => lines.push(line),
      onAuthorizeUrl: (url) => {
        authorizeUrl = url;
        browser = browse(url);
      },
    });
    expect(result).toEqual({ connection: 'xero', granted: [{ id: NZ, name: 'Kiwi Ltd', type: 'ORGANISATION' }] });
    expect(await browser).toMatchObject({ status: 200, page: expect.stringContaining('Connected') });

    // What went over the wire: the authorize URL with the default scopes and an S256 challenge, and the exchange
    // with the verifier that matches it (the sandbox refuses any other).
    const authorize = new URL(authorizeUrl);
    expect(authorize.searchParams.get('scope')).toBe(XERO_DEFAULT_SCOPES);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    const exchange = sandbox.calls.list().find((c) => c.name === 'token')!;
    const form = exchange.body as Record<string, string>;
    expect(form).toMatchObject({ grant_type: 'authorization_code', redirect_uri: env.XERO_REDIRECT_URI });
    expect(s256(form.code_verifier)).toBe(authorize.searchParams.get('code_challenge'));
    expect(sandbox.identity.stats().codeExchanges).toBe(1);

    // The person sees the URL and the tenants; never a token.
    const printed = lines.join('\n');
    expect(printed).toContain(authorizeUrl);
    expect(printed).toContain(`Kiwi Ltd  ${NZ}  ORGANISATION`);
    expect(printed).toContain('XERO_CONNECTION=xero');
    const store = createTokenStore({ file: env.GATEWAY_TOKEN_STORE_FILE, keyPrefix: 'x:', key: Buffer.from(KEY_HEX, 'hex') });
    const stored = (await store.read('xero'))!;
    expect(stored).toMatchObject({ writtenBy: 'connect', refreshToken: expect.any(String), accessToken: expect.any(String) });
    expect(printed).not.toContain(stored.refreshToken!);
    expect(printed).not.toContain(stored.accessToken!);
    expect(readFileSync(env.GATEWAY_TOKEN_STORE_FILE, 'utf8')).not.toContain(stored.refreshToken!);

    // A gateway configured by the environment, without a tenant or a refresh token: the store has it all.
    const config = loadConfig(
      { ...env, XERO_BASE_URL: sandbox.apiUrl, XERO_CONNECTION: 'xero', GATEWAY_AUTH: 'none' },
      providers,
    );
    const tokenStore = createTokenStore({ ...config.tokens, key: config.tokens.key! });
    const gateway = createGateway({ sources: config.sources, tokenStore, connections: config.tokens.connections });
    try {
      await gateway.start();
      const ids = sandbox.dataset().invoices.slice(0, 2).map((i) => `xero:Invoice:${i.id}`);
      const answer = await queryGateway(gateway, `query ($ids: [ID!]!) { invoices(ids: $ids) { id } }`, { ids });
      expect(answer.errors).toBeUndefined();
      expect(answer.data.invoices.map((i: { id: string }) => i.id)).toEqual(ids);
      expect(sandbox.identity.stats().refreshes).toBe(0);
    } finally {
      await gateway.close();
    }
  });

  it('refuses a redirect whose state is not its own and keeps waiting for the right one', async () => {
    const env = await connectEnv('state');
    const result = await runConnect({
      kind: 'xero',
      env,
      providers,
      out: () => undefined,
      onAuthorizeUrl: async (url) => {
        const forged = await fetch(`${env.XERO_REDIRECT_URI}?code=stolen&state=someone-elses`);
        expect(forged.status).toBe(400);
        await browse(url);
      },
    });
    expect(result.connection).toBe('xero');
    expect(sandbox.calls.list().filter((c) => c.name === 'token')).toHaveLength(1);
  });

  it('fails clearly, storing nothing, when the person cancels at Xero', async () => {
    const env = await connectEnv('denied');
    sandbox.identity.consentAnswer = 'deny';
    const failure = await runConnect({ kind: 'xero', env, providers, out: () => undefined, onAuthorizeUrl: (url) => void browse(url) }).catch((e: unknown) => e);
    expect((failure as Error).message).toMatch(/not connected: the authorization was refused \(access_denied\)/);
    const store = createTokenStore({ file: env.GATEWAY_TOKEN_STORE_FILE, keyPrefix: 'x:', key: Buffer.from(KEY_HEX, 'hex') });
    expect(await store.read('xero')).toBeUndefined();
  });

  it('lists every settings problem by its variable before opening anything', async () => {
    const failure = (await runConnect({
      kind: 'xero',
      env: { XERO_SCOPES: 'accounting.invoices', XERO_REDIRECT_URI: 'https://gateway.example.com/callback', GATEWAY_TOKEN_KEY: KEY_HEX },
      providers,
      out: () => undefined,
    }).catch((e: unknown) => e)) as Error;
    expect(failure.message).toContain('XERO_CLIENT_ID: is not set');
    expect(failure.message).toContain('XERO_SCOPES: must include offline_access');
    expect(failure.message).toContain('XERO_REDIRECT_URI: must be a http://localhost');
    const noKey = (await runConnect({ kind: 'xero', env: {}, providers, out: () => undefined }).catch((e: unknown) => e)) as Error;
    expect(noKey.message).toContain('GATEWAY_TOKEN_KEY: is not set');
  });

  it('the command names the providers it can connect when none is given (exit code 1)', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/connect.ts'], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('usage: npm run connect -- <provider>, where <provider> is one of: xero');
  });
});
