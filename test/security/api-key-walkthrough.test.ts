// docs/security.md's API-key walkthrough, as a newcomer follows it over the sandboxes: its commands make key.txt and
// clients.json in a fresh folder, the gateway starts with the variables its `npm start` line sets (on a free port
// instead of 4000), and its curl answers what the page shows; without the key, or with another, it is refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMain, type MainProcess } from '../support/main-process.js';

const page = readFileSync(new URL('../../docs/security.md', import.meta.url), 'utf8');
const section = page.slice(page.indexOf('## API keys'), page.indexOf('## JWT'));
const blocks = [...section.matchAll(/^```(\w+)\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], body: m[2] }));
const setup = blocks.find((b) => b.lang === 'sh' && b.body.includes('node -e'))!.body;
const curl = blocks.find((b) => b.lang === 'sh' && b.body.startsWith('curl'))!.body;
const [withKey, withoutKey] = blocks.filter((b) => b.lang === 'json').map((b) => JSON.parse(b.body));

describe('the API-key walkthrough of docs/security.md', () => {
  const dir = mkdtempSync(join(tmpdir(), 'api-key-walkthrough-'));
  let gateway: MainProcess;
  let url: string;

  beforeAll(async () => {
    const lines = setup.trimEnd().split('\n');
    const start = lines.pop()!;
    // The commands before `npm start`, run as written in the reader's folder.
    execFileSync('bash', ['-c', lines.join('\n')], { cwd: dir });
    const assignments = start.match(/^((?:[A-Z_]+=\S+ )+)npm start$/);
    expect(assignments, 'the last line starts the gateway').not.toBeNull();
    const env = Object.fromEntries(assignments![1].trim().split(' ').map((a) => a.split('=') as [string, string]));
    env.GATEWAY_CLIENTS_FILE = join(dir, env.GATEWAY_CLIENTS_FILE);
    gateway = await startMain({ ...env, GATEWAY_SHUTDOWN_DRAIN_MS: '0' });
    url = gateway.summary.graphql;
  }, 60_000);
  afterAll(async () => {
    await gateway?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = async (authorization?: string) => {
    const body = curl.match(/-d '([^']+)'/)![1];
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body,
    });
    return { status: response.status, json: await response.json() };
  };

  it('keeps only the hash in clients.json, and answers the key as documented', async () => {
    const key = readFileSync(join(dir, 'key.txt'), 'utf8');
    expect(readFileSync(join(dir, 'clients.json'), 'utf8')).not.toContain(key);
    expect(curl).toContain('Authorization: Bearer $(cat key.txt)');
    expect(await send(`Bearer ${key}`)).toEqual({ status: 200, json: withKey });
  });

  it('refuses a request without the key, or with another, before anything runs', async () => {
    expect(await send()).toEqual({ status: 401, json: withoutKey });
    const other = await send('Bearer igw_not-the-key');
    expect(other.status).toBe(401);
    expect(other.json.errors[0]).toMatchObject({ message: 'the API key is not accepted', extensions: { code: 'UNAUTHENTICATED' } });
  });
});
