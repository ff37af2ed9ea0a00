// The event log in Redis Streams, shared by every replica. Events: one stream (`events`), appended with XADD bounded by
// age (MINID: the retention) and length (MAXLEN ~), each guarded by its change key (SET NX with the retention as
// expiry, in the same script), so a change is published once however many replicas saw it. Every replica reads the
// stream with blocking XREAD on a connection of its own and delivers to its own subscribers. Webhook deliveries: a
// second stream (`intake`), recorded with their change keys in one script before the webhook is answered, and worked
// through by a consumer group: a delivery a replica took and never acknowledged (it stopped) is claimed by another.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { eventIdMs, type LoggedEvent, type StoredChangeEvent } from './change-event.js';
import type { EventLog, RecordedDelivery } from './event-log.js';

const APPEND = `
if not redis.call('SET', KEYS[1], '1', 'NX', 'PX', ARGV[1]) then return false end
local id = redis.call('XADD', KEYS[2], 'MINID', '~', ARGV[2], '*', 'e', ARGV[4])
redis.call('XTRIM', KEYS[2], 'MAXLEN', '~', ARGV[3])
return id`;

const RECORD = `
local deliveries = cjson.decode(ARGV[4])
local count = 0
for _, d in ipairs(deliveries) do
  local fresh = {}
  for _, c in ipairs(d.changes) do
    if redis.call('SET', ARGV[3] .. c.key, '1', 'NX', 'PX', ARGV[1]) then table.insert(fresh, c) end
  end
  if #fresh > 0 then
    redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[2], '*', 'd', cjson.encode({ source = d.source, changes = fresh }))
    count = count + #fresh
  end
end
return count`;

const GROUP = 'resolvers';
/** A delivery taken by a replica and not acknowledged for this long is taken over by another. */
const CLAIM_IDLE_MS = 15_000;
const BLOCK_MS = 2_000;

export interface RedisEventLogOptions {
  client: Redis;
  keyPrefix: string;
  retentionMs: number;
  maxEvents: number;
  logger?: Logger;
  /** How often stalled deliveries are looked for (ms). */
  claimEveryMs?: number;
}

type StreamEntries = Array<[id: string, fields: string[]]>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** A connection for blocking reads: commands wait for Redis rather than fail at once, and none is cut short. */
function blockingConnection(client: Redis): Redis {
  const connection = client.duplicate({ enableOfflineQueue: true, commandTimeout: undefined, maxRetriesPerRequest: 1 });
  connection.on('error', () => undefined);
  return connection;
}

/** Creates the log over `client` (the replica's shared-state connection for short commands). */
export function createRedisEventLog(options: RedisEventLogOptions): EventLog {
  const { client, keyPrefix, retentionMs } = options;
  const streamKey = `${keyPrefix}events:stream`;
  const intakeKey = `${keyPrefix}events:intake`;
  const consumer = `replica-${randomUUID()}`;
  const listeners = new Set<(event: LoggedEvent) => void>();
  const connections: Redis[] = [];
  let closed = false;
  let reading = false;
  let timer: NodeJS.Timeout | undefined;
  const minId = () => `${Math.max(0, Date.now() - retentionMs)}-0`;

  const parse = (entries: StreamEntries): LoggedEvent[] =>
    entries.flatMap(([id, fields]) => {
      const at = fields.indexOf('e');
      try {
        return at >= 0 ? [{ id, event: JSON.parse(fields[at + 1]) as StoredChangeEvent }] : [];
      } catch {
        return [];
      }
    });

  const readLoop = async () => {
    const connection = blockingConnection(client);
    connections.push(connection);
    let last: string | undefined;
    while (!closed) {
      try {
        if (last === undefined) {
          // Start after the newest event now: older ones are for `after` to replay.
          const newest = (await connection.xrevrange(streamKey, '+', '-', 'COUNT', 1)) as StreamEntries;
          last = newest[0]?.[0] ?? '0-0';
        }
        const reply = (await connection.xread('COUNT', 500, 'BLOCK', BLOCK_MS, 'STREAMS', streamKey, last)) as Array<[string, StreamEntries]> | null;
        for (const [, entries] of reply ?? []) {
          for (const logged of parse(entries)) {
            last = logged.id;
            for (const listener of listeners) listener(logged);
          }
          if (entries.length > 0) last = entries[entries.length - 1][0];
        }
      } catch (error) {
        if (closed) break;
        options.logger?.warn({ err: error }, 'events: reading the stream failed, retrying');
        await sleep(500);
      }
    }
  };

  const readDelivery = (fields: string[]): RecordedDelivery | undefined => {
    const at = fields.indexOf('d');
    try {
      return at >= 0 ? (JSON.parse(fields[at + 1]) as RecordedDelivery) : undefined;
    } catch {
      return undefined;
    }
  };

  const work = async (connection: Redis, entries: StreamEntries, handler: (delivery: RecordedDelivery) => Promise<void>) => {
    for (const [id, fields] of entries) {
      if (closed) return;
      const delivery = fields ? readDelivery(fields) : undefined;
      try {
        if (delivery) await handler(delivery);
        // Acknowledged once handled: a replica that stops before this leaves it to be claimed by another.
        await connection.xack(intakeKey, GROUP, id);
      } catch (error) {
        options.logger?.warn({ err: error }, 'events: a webhook delivery could not be handled; another attempt will claim it');
      }
    }
  };

  return {
    backend: 'redis',
    async append(event) {
      const id = (await client.eval(
        APPEND,
        2,
        `${keyPrefix}events:key:${event.key}`,
        streamKey,
        String(retentionMs),
        minId(),
        String(options.maxEvents),
        JSON.stringify(event),
      )) as string | null;
      return id ?? undefined;
    },
    async readAfter(afterId, limit) {
      const entries = (await client.xrange(streamKey, `(${afterId}`, '+', 'COUNT', limit)) as StreamEntries;
      const oldest = Date.now() - retentionMs;
      return parse(entries).filter((logged) => eventIdMs(logged.id) >= oldest);
    },
    onEvent(listener) {
      listeners.add(listener);
      if (!reading) {
        reading = true;
        void readLoop();
      }
      return () => listeners.delete(listener);
    },
    async recordDeliveries(deliveries) {
      if (deliveries.length === 0) return 0;
      return (await client.eval(RECORD, 1, intakeKey, String(retentionMs), minId(), `${keyPrefix}events:intake-key:`, JSON.stringify(deliveries))) as number;
    },
    processDeliveries(handler) {
      const connection = blockingConnection(client);
      connections.push(connection);
      const loop = async () => {
        let grouped = false;
        while (!closed) {
          try {
            if (!grouped) {
              await connection.xgroup('CREATE', intakeKey, GROUP, '0', 'MKSTREAM').catch((error: Error) => {
                if (!/BUSYGROUP/.test(error.message)) throw error;
              });
              grouped = true;
            }
            const reply = (await connection.xreadgroup('GROUP', GROUP, consumer, 'COUNT', 20, 'BLOCK', BLOCK_MS, 'STREAMS', intakeKey, '>')) as Array<
              [string, StreamEntries]
            > | null;
            for (const [, entries] of reply ?? []) await work(connection, entries, handler);
          } catch (error) {
            if (closed) break;
            options.logger?.warn({ err: error }, 'events: reading webhook deliveries failed, retrying');
            await sleep(500);
          }
        }
      };
      void loop();
      // Deliveries another replica took and never finished (it stopped): claimed once idle long enough.
      timer = setInterval(() => {
        void (async () => {
          try {
            const [, entries] = (await client.xautoclaim(intakeKey, GROUP, consumer, CLAIM_IDLE_MS, '0-0', 'COUNT', 20)) as [string, StreamEntries];
            await work(client, entries.filter(([, fields]) => fields !== null), handler);
          } catch {
            // Redis away, or the group not yet made: the next round tries again.
          }
        })();
      }, options.claimEveryMs ?? 5_000);
      timer.unref();
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      listeners.clear();
      for (const connection of connections) connection.disconnect();
    },
  };
}
