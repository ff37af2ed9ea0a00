// A real redis-server for one suite: started before its tests and stopped after them, with a client to look at keys
// and clients for the tests that are disconnected after each one.
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startRedisServer, type RedisServer } from './redis-server.js';

export interface RedisSuite {
  readonly server: RedisServer;
  /** A client on the server, for the tests to look at keys; `reconnectInspect` after the server restarted. */
  readonly inspect: Redis;
  reconnectInspect(): void;
  /** A client that queues nothing while disconnected (as the gateway's), disconnected after the test. */
  client(url?: string): Redis;
}

/** A client whose connection errors are left to the test (ioredis would report each one as unhandled). */
export function quietRedis(url: string, options: RedisOptions = {}): Redis {
  const client = new Redis(url, options);
  client.on('error', () => undefined);
  return client;
}

/** Starts redis-server for the suite this is called in; read the fields inside hooks and tests. */
export function useRedisSuite(): RedisSuite {
  const clients: Redis[] = [];
  let server: RedisServer | undefined;
  let inspect: Redis | undefined;
  const suite: RedisSuite = {
    get server() {
      return server!;
    },
    get inspect() {
      return inspect!;
    },
    reconnectInspect() {
      inspect?.disconnect();
      inspect = quietRedis(server!.url, { maxRetriesPerRequest: 1 });
    },
    client(url = server!.url) {
      const client = quietRedis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      clients.push(client);
      return client;
    },
  };
  beforeAll(async () => {
    server = await startRedisServer();
    inspect = quietRedis(server.url, { maxRetriesPerRequest: 1 });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.disconnect();
  });
  afterAll(async () => {
    inspect?.disconnect();
    await server?.close();
  });
  return suite;
}
