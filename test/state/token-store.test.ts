// The token store: AES-256-GCM under GATEWAY_TOKEN_KEY (a random nonce per write, bound to its connection, a wrong key
// an error and never "no tokens"), the file written atomically with mode 0600 and shared safely by several writers,
// the Redis keys without expiry and the refresh lock, and the configuration that requires the key.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { TokenStoreKeyError, TokenStoreUnavailableError } from '../../adapters/kit/token-store.js';
import { loadConfig } from '../../src/config.js';
import { configProblems } from '../support/config.js';
import { openTokens, parseTokenKey, sealTokens } from '../../src/state/token-crypto.js';
import { createTokenStore } from '../../src/state/token-store.js';
import { redisServerAvailable, reportRedisSkipped } from '../support/redis-server.js';
import { useRedisSuite } from '../support/redis-suite.js';

reportRedisSkipped('test/state/token-store.test.ts');

const KEY = Buffer.alloc(32, 1);
const OTHER = Buffer.alloc(32, 2);
const tokens = (n: number) => ({ refreshToken: `refresh-secret-${n}`, accessToken: `access-secret-${n}`, accessTokenExpiresAt: 1000 + n, accessTokenLifetimeMs: 1800_000, updatedAt: n });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'invoice-gateway-token-store-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sealing', () => {
  it('reads GATEWAY_TOKEN_KEY as 64 hex digits or base64 of 32 bytes, and says what is wrong otherwise', () => {
    expect(parseTokenKey('0f'.repeat(32))).toEqual(Buffer.alloc(32, 15));
    expect(parseTokenKey(Buffer.alloc(32, 250).toString('base64'))).toEqual(Buffer.alloc(32, 250));
    expect(parseTokenKey(Buffer.alloc(32, 250).toString('base64url'))).toEqual(Buffer.alloc(32, 250));
    for (const bad of ['0f'.repeat(31), Buffer.alloc(16).toString('base64'), 'correct horse battery staple', '']) {
      expect(parseTokenKey(bad)).toMatch(/must be 32 bytes/);
    }
  });

  it('uses a fresh nonce per write, binds the value to its connection, and refuses a wrong key or a changed byte', () => {
    const plain = JSON.stringify(tokens(1));
    const a = sealTokens(KEY, 'xero', plain);
    const b = sealTokens(KEY, 'xero', plain);
    expect(a).not.toBe(b);
    expect(a.split('.')[1]).not.toBe(b.split('.')[1]);
    expect(openTokens(KEY, 'xero', a)).toBe(plain);
    expect(a).not.toContain('secret');
    expect(() => openTokens(OTHER, 'xero', a)).toThrow(TokenStoreKeyError);
    expect(() => openTokens(KEY, 'xero-au', a)).toThrow(TokenStoreKeyError);
    const parts = a.split('.');
    parts[2] = `${parts[2].slice(0, -2)}${parts[2].endsWith('AA') ? 'AB' : 'AA'}`;
    expect(() => openTokens(KEY, 'xero', parts.join('.'))).toThrow(TokenStoreKeyError);
    expect(() => openTokens(KEY, 'xero', 'plain text')).toThrow(TokenStoreKeyError);
  });
});

describe('the file store', () => {
  it('writes atomically with mode 0600 in a 0700 folder, no token in plain text, nothing left behind', async () => {
    const folder = join(dir, 'fresh', 'nested');
    const file = join(folder, 'tokens.json');
    const store = createTokenStore({ file, keyPrefix: 'x:', key: KEY });
    expect(await store.read('xero')).toBeUndefined();
    await store.write('xero', tokens(1));
    await store.write('books', tokens(2));
    await store.write('xero', tokens(3));
    expect(await store.read('xero')).toEqual(tokens(3));
    expect(await store.read('books')).toEqual(tokens(2));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8')).not.toMatch(/secret/);
    expect(readdirSync(folder)).toEqual(['tokens.json']);
  });

  it('keeps every connection when several writers (the gateway, npm run connect) write at once', async () => {
    const file = join(dir, 'shared', 'tokens.json');
    const writers = [createTokenStore({ file, keyPrefix: 'x:', key: KEY }), createTokenStore({ file, keyPrefix: 'x:', key: KEY })];
    await Promise.all(Array.from({ length: 16 }, (_, i) => writers[i % 2].write(`c${i}`, tokens(i))));
    for (let i = 0; i < 16; i += 1) expect(await writers[0].read(`c${i}`)).toEqual(tokens(i));
  });

  it('reads with a wrong key as an error, never as no tokens', async () => {
    const file = join(dir, 'keys', 'tokens.json');
    await createTokenStore({ file, keyPrefix: 'x:', key: KEY }).write('xero', tokens(1));
    await expect(createTokenStore({ file, keyPrefix: 'x:', key: OTHER }).read('xero')).rejects.toThrow(TokenStoreKeyError);
    writeFileSync(join(dir, 'keys', 'foreign.json'), '{"something":"else"}');
    await expect(createTokenStore({ file: join(dir, 'keys', 'foreign.json'), keyPrefix: 'x:', key: KEY }).read('xero')).rejects.toThrow(/not a token store file/);
  });

  it('holds one refresh lock per connection, freed by its holder or by its lease', async () => {
    const file = join(dir, 'locks', 'tokens.json');
    const a = createTokenStore({ file, keyPrefix: 'x:', key: KEY });
    const b = createTokenStore({ file, keyPrefix: 'x:', key: KEY });
    const held = await a.tryLock('xero', 60_000);
    expect(held).toBeDefined();
    expect(await b.tryLock('xero', 60_000)).toBeUndefined();
    expect(await b.tryLock('books', 60_000)).toBeDefined();
    await held!.release();
    const short = await b.tryLock('xero', 1);
    expect(short).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Its holder died (never released): the lease has passed, another takes it.
    expect(await a.tryLock('xero', 60_000)).toBeDefined();
  });
});

describe.skipIf(!redisServerAvailable)('the Redis store', () => {
  const redisSuite = useRedisSuite();

  it('keeps a sealed key per connection without expiry, one lock holder at a time, and fails fast while Redis is away', async () => {
    const store = createTokenStore({ redisUrl: redisSuite.server.url, keyPrefix: 'ts:', file: '/unused', key: KEY });
    const other = createTokenStore({ redisUrl: redisSuite.server.url, keyPrefix: 'ts:', file: '/unused', key: KEY });
    try {
      expect(await store.ready(5_000)).toBe(true);
      expect(await other.ready(5_000)).toBe(true);
      await store.write('xero', tokens(1));
      expect(await other.read('xero')).toEqual(tokens(1));
      expect(await redisSuite.inspect.pttl('ts:tokens:xero')).toBe(-1);
      expect(await redisSuite.inspect.get('ts:tokens:xero')).not.toMatch(/secret/);
      const lock = await store.tryLock('xero', 10_000);
      expect(lock).toBeDefined();
      expect(await other.tryLock('xero', 10_000)).toBeUndefined();
      expect(await redisSuite.inspect.pttl('ts:tokens:xero:lock')).toBeGreaterThan(0);
      await lock!.release();
      expect(await other.tryLock('xero', 10_000)).toBeDefined();

      await redisSuite.server.stop();
      await expect(store.read('xero')).rejects.toThrow(TokenStoreUnavailableError);
      await expect(store.tryLock('xero', 1000)).rejects.toThrow(TokenStoreUnavailableError);
      await redisSuite.server.start();
    } finally {
      await store.close();
      await other.close();
    }
  });
});

describe('configuration', () => {
  const xero = { XERO_BASE_URL: 'https://api.xero.com/api.xro/2.0', XERO_CLIENT_ID: 'id', XERO_CLIENT_SECRET: 'secret', GATEWAY_AUTH: 'none' };
  const problemsOf = configProblems;

  it('requires GATEWAY_TOKEN_KEY when a refresh token is to be stored, and checks its form', () => {
    expect(problemsOf({ ...xero, XERO_REFRESH_TOKEN: 'seed-secret' })).toEqual([
      'GATEWAY_TOKEN_KEY: is not set, and the connection "xero" store rotating refresh tokens: set 32 random bytes as hex (openssl rand -hex 32)',
    ]);
    expect(problemsOf({ ...xero, XERO_CONNECTION: 'books', GATEWAY_TOKEN_KEY: 'short' })).toEqual([
      'GATEWAY_TOKEN_KEY: must be 32 bytes, written as 64 hex digits or in base64 (for example: openssl rand -hex 32)',
    ]);
    // A custom connection (client credentials) stores nothing.
    expect(problemsOf(xero)).toEqual([]);
    const config = loadConfig({ ...xero, XERO_CONNECTION: 'books', GATEWAY_TOKEN_KEY: 'cd'.repeat(32), GATEWAY_TOKEN_STORE_FILE: '/var/lib/gw/tokens.json' }, providers);
    expect(config.tokens).toMatchObject({ connections: ['books'], file: '/var/lib/gw/tokens.json', key: Buffer.alloc(32, 0xcd) });
    expect(JSON.stringify(problemsOf({ ...xero, XERO_REFRESH_TOKEN: 'seed-secret' }))).not.toContain('seed-secret');
  });

  it('refuses one connection named by sources of two apps', () => {
    const file = join(dir, 'sources.json');
    writeFileSync(
      file,
      JSON.stringify({
        sources: [
          { kind: 'xero', name: 'xero-nz', tenantId: 'a', clientId: 'app-1', clientSecret: 's', connection: 'books' },
          { kind: 'xero', name: 'xero-au', tenantId: 'b', clientId: 'app-2', clientSecret: 's', connection: 'books' },
        ],
      }),
    );
    expect(problemsOf({ GATEWAY_SOURCES_FILE: file, GATEWAY_AUTH: 'none', GATEWAY_TOKEN_KEY: 'cd'.repeat(32) })).toEqual([
      'connection "books" is named by sources of different apps (xero-nz, xero-au): a connection is one consent of one app',
    ]);
  });
});
