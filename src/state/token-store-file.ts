// The token store of a gateway without Redis: one JSON file (GATEWAY_TOKEN_STORE_FILE) holding each connection's
// sealed tokens. Every write replaces the file atomically (a temporary file in the same folder, mode 0600, flushed,
// then renamed over it), so a crash leaves the old file or the new one, never half of either. A lock file per
// connection (created exclusively, with a lease) is the refresh lock, and another serialises the file's
// read-modify-write, so `npm run connect` and a running gateway never overwrite each other's connection.
import { randomUUID } from 'node:crypto';
import { chmod, mkdir, open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { TokenLock } from '../../adapters/kit/token-store.js';
import type { SealedTokenBackend } from './token-store.js';

interface StoreFile {
  version: 1;
  connections: Record<string, string>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates `lockPath` exclusively for `leaseMs`; answers its release, or undefined while someone else holds it. A lock
 * whose lease has passed (its holder died) is taken over.
 */
async function tryLockFile(lockPath: string, leaseMs: number): Promise<(() => Promise<void>) | undefined> {
  const owner = randomUUID();
  const content = () => JSON.stringify({ owner, until: Date.now() + leaseMs, pid: process.pid });
  const create = async () => {
    try {
      await writeFile(lockPath, content(), { flag: 'wx', mode: 0o600 });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  };
  if (!(await create())) {
    let until = Number.POSITIVE_INFINITY;
    try {
      until = Number((JSON.parse(await readFile(lockPath, 'utf8')) as { until?: unknown }).until);
    } catch {
      // Unreadable (being written, or gone): treat as held for now.
      return undefined;
    }
    if (!(until < Date.now())) return undefined;
    await unlink(lockPath).catch(() => undefined);
    if (!(await create())) return undefined;
  }
  return async () => {
    try {
      const held = JSON.parse(await readFile(lockPath, 'utf8')) as { owner?: string };
      if (held.owner === owner) await unlink(lockPath);
    } catch {
      // Already gone, or taken over after our lease: nothing of ours to remove.
    }
  };
}

/** A sealed-token backend over the file at `path`. */
export function createFileTokenBackend(path: string): SealedTokenBackend {
  const lockName = (connection: string) => `${path}.${connection}.lock`;

  const load = async (): Promise<StoreFile> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, connections: {} };
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<StoreFile>;
    if (parsed.version !== 1 || typeof parsed.connections !== 'object' || parsed.connections === null) {
      throw new Error(`${path} is not a token store file written by this gateway`);
    }
    return { version: 1, connections: parsed.connections };
  };

  const replace = async (file: StoreFile) => {
    const temporary = `${path}.${process.pid}.${randomUUID()}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, 'utf8');
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  };

  return {
    kind: 'file',
    async get(connection) {
      return (await load()).connections[connection];
    },
    async set(connection, sealed) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      // The read-modify-write of the whole file, serialised across processes (at most ~5 s of waiting).
      let release: (() => Promise<void>) | undefined;
      for (let attempt = 0; !(release = await tryLockFile(`${path}.write.lock`, 10_000)); attempt += 1) {
        if (attempt >= 250) throw new Error(`${path}.write.lock is held by another process`);
        await sleep(20);
      }
      try {
        const file = await load();
        file.connections[connection] = sealed;
        await replace(file);
        await chmod(path, 0o600);
      } finally {
        await release();
      }
    },
    async tryLock(connection, leaseMs): Promise<TokenLock | undefined> {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const release = await tryLockFile(lockName(connection), leaseMs);
      return release ? { release } : undefined;
    },
  };
}
