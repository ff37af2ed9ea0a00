// Starts a real redis-server for a test on a free loopback port (no persistence, a temp dir), waits for it, stops it.
// Without redis-server installed the Redis suites skip themselves and say how to run them; with CI set they never skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';

const installed = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

if (!installed && process.env.CI) {
  throw new Error('redis-server is not installed, and CI must run the Redis tests: apt-get install redis-server');
}

/** True when the Redis suites can run; when false they are skipped (never with CI set). */
export const redisServerAvailable = installed;

/** Prints why the Redis suites of `file` are skipped. */
export function reportRedisSkipped(file: string): void {
  if (!installed) console.warn(`${file}: skipped, redis-server is not installed (apt-get install redis-server to run them)`);
}

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Stops the server (SIGKILL: as if it crashed); `start` brings it back, empty, on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open and nothing is answered, as a Redis that hangs. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT): it then runs every command that waited. */
  resume(): void;
  close(): Promise<void>;
}


async function waitUntilReady(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
}

/** Starts redis-server on a free loopback port (another, when something took the port first). */
export async function startRedisServer(): Promise<RedisServer> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOnPort(await freePort());
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

async function startOnPort(port: number): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'invoice-gateway-redis-'));
  let child: ChildProcess | undefined;

  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
      stdio: 'ignore',
    });
    await waitUntilReady(port, child);
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  try {
    await start();
  } catch (error) {
    await stop();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop,
    start,
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
