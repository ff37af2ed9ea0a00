// The token store of replicas that share Redis (REDIS_URL): one key per connection holding its sealed tokens, without
// expiry (an eviction policy must never take it: maxmemory-policy noeviction, or a volatile-* one, since every other key
// of the gateway has a TTL), and a lock key per connection (SET NX PX: one refresh at a time across replicas, freed
// by its holder or by its lease if the holder dies), released only by its owner (a compare-and-delete script).
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { TokenStoreUnavailableError, type TokenLock } from '../../adapters/kit/token-store.js';
import type { SealedTokenBackend } from './token-store.js';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** A sealed-token backend over `client`; every command failure is a TokenStoreUnavailableError. */
export function createRedisTokenBackend(client: Redis, keyPrefix: string): SealedTokenBackend {
  const key = (connection: string) => `${keyPrefix}tokens:${connection}`;
  const unavailable = (error: unknown) => new TokenStoreUnavailableError(`Redis is unreachable (${(error as { code?: string })?.code ?? 'error'})`, { cause: error });
  return {
    kind: 'redis',
    async get(connection) {
      try {
        return (await client.get(key(connection))) ?? undefined;
      } catch (error) {
        throw unavailable(error);
      }
    },
    async set(connection, sealed) {
      try {
        await client.set(key(connection), sealed);
      } catch (error) {
        throw unavailable(error);
      }
    },
    async tryLock(connection, leaseMs): Promise<TokenLock | undefined> {
      const owner = randomUUID();
      const lockKey = `${key(connection)}:lock`;
      let taken: string | null;
      try {
        taken = await client.set(lockKey, owner, 'PX', leaseMs, 'NX');
      } catch (error) {
        throw unavailable(error);
      }
      if (taken !== 'OK') return undefined;
      return {
        async release() {
          await client.eval(RELEASE, 1, lockKey, owner).catch(() => undefined);
        },
      };
    },
  };
}
