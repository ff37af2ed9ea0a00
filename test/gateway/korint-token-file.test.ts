// Korint's bearer token from KORINT_TOKEN_FILE (issue 18): a token rotated at Korint and in the file (as a Kubernetes
// secret mount does, by renaming a new file into place) is used without a restart: read again when the file changes,
// and after a 401, whose call is then sent once more with the new token. A 401 the file cannot cure is answered, not
// re-sent with the same token.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { korintProvider } from '../../adapters/korint/provider.js';
import { startKorintSandbox, type KorintSandboxHandle } from '../../adapters/korint/sandbox/korint-sandbox.js';
import { createFileTokenSource } from '../../adapters/kit/token-file.js';
import { loadConfig } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { GatewayStartError } from '../../src/source-connections.js';
import { queryGateway } from '../support/gateway.js';
import { waitFor } from '../support/replicas.js';

const INVOICES = `query Invoices($ids: [ID!]!) { invoices(ids: $ids) { id number } }`;

let dir: string;
let sandbox: KorintSandboxHandle;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'invoice-gateway-korint-'));
  sandbox = await startKorintSandbox({ invoiceCount: 20 });
});
afterAll(async () => {
  await sandbox.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Puts `token` in the file the way a secret mount does: a new file renamed over the old one. */
function writeToken(file: string, token: string) {
  const next = `${file}.next`;
  writeFileSync(next, `${token}\n`);
  renameSync(next, file);
}

function gatewayOver(file: string): Gateway {
  const config = loadConfig({ KORINT_BASE_URL: sandbox.url, KORINT_TOKEN_FILE: file, GATEWAY_AUTH: 'none' }, [korintProvider]);
  return createGateway({ sources: config.sources, retry: { retries: 0 } });
}

describe('KORINT_TOKEN_FILE', () => {
  it('picks up a rotated token without a restart; a 401 the file cannot cure is answered once', async () => {
    const file = join(dir, 'token');
    writeToken(file, sandbox.token);
    const gateway = gatewayOver(file);
    try {
      await gateway.start();
      const ids = [`korint:Invoice:${sandbox.invoices[0].id}`];
      expect((await queryGateway(gateway, INVOICES, { ids })).errors).toBeUndefined();

      // Korint rotates; the file still holds the old token: one call, refused, answered (not re-sent as is).
      sandbox.rotateToken();
      sandbox.calls.reset();
      const refused = await queryGateway(gateway, INVOICES, { ids });
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', source: 'korint' });
      expect(sandbox.calls.list().map((c) => c.status)).toEqual([401]);

      // The new token reaches the file: the next query is answered, at most after one 401 and its retry.
      writeToken(file, sandbox.token);
      sandbox.calls.reset();
      const answer = await queryGateway(gateway, INVOICES, { ids });
      expect(answer.errors).toBeUndefined();
      expect(answer.data.invoices[0].id).toBe(ids[0]);
      expect(sandbox.calls.list().filter((c) => c.status === 401).length).toBeLessThanOrEqual(1);

      // Rotated again: every answer served, whichever of the watch or the 401 notices first.
      for (let round = 0; round < 3; round += 1) {
        writeToken(file, sandbox.rotateToken());
        const again = await queryGateway(gateway, INVOICES, { ids });
        expect(again.errors).toBeUndefined();
      }
    } finally {
      await gateway.close();
    }
  });

  it('reads the file again when it changes, before any 401', async () => {
    const file = join(dir, 'watched');
    writeToken(file, 'first-token');
    const tokens = createFileTokenSource({ source: 'korint', path: file, variable: 'KORINT_TOKEN_FILE' });
    try {
      expect(await tokens.token()).toBe('first-token');
      writeToken(file, 'second-token');
      await waitFor(async () => (await tokens.token()) === 'second-token', 'the watch to notice the new token');
      // After a 401 the file is read again even without a change event.
      writeFileSync(file, 'third-token');
      tokens.invalidate('second-token');
      expect(await tokens.token()).toBe('third-token');
    } finally {
      tokens.close();
    }
  });

  it('stops the start when the file cannot be read, naming the variable and never a token', async () => {
    const gateway = gatewayOver(join(dir, 'missing'));
    try {
      const error = (await gateway.start().catch((e: unknown) => e)) as Error;
      expect(error).toBeInstanceOf(GatewayStartError);
      expect(error.message).toContain('KORINT_TOKEN_FILE cannot be read or is empty');
    } finally {
      await gateway.close();
    }
  });

  it('is one of KORINT_TOKEN or KORINT_TOKEN_FILE', () => {
    expect(() => loadConfig({ KORINT_BASE_URL: sandbox.url, GATEWAY_AUTH: 'none' }, [korintProvider])).toThrow(/KORINT_TOKEN: Korint needs KORINT_TOKEN or KORINT_TOKEN_FILE \(one of them\)/);
    expect(() => loadConfig({ KORINT_BASE_URL: sandbox.url, KORINT_TOKEN: 't', KORINT_TOKEN_FILE: '/x', GATEWAY_AUTH: 'none' }, [korintProvider])).toThrow(
      /one of them/,
    );
  });
});
