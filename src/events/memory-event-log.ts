// The event log in this process: one replica, nothing to install. Events are kept for the retention (and at most
// `maxEvents`), change keys as long, and webhook deliveries are handed to the handler as soon as they are recorded.
import type { LoggedEvent, StoredChangeEvent } from './change-event.js';
import { eventIdMs, compareEventIds } from './change-event.js';
import type { EventLog, RecordedDelivery } from './event-log.js';

export interface MemoryEventLogOptions {
  retentionMs: number;
  maxEvents: number;
  now?: () => number;
}

/** Creates the in-process log. */
export function createMemoryEventLog(options: MemoryEventLogOptions): EventLog {
  const now = options.now ?? Date.now;
  const events: LoggedEvent[] = [];
  const keys = new Map<string, number>();
  const listeners = new Set<(event: LoggedEvent) => void>();
  let handler: ((delivery: RecordedDelivery) => Promise<void>) | undefined;
  const backlog: RecordedDelivery[] = [];
  let lastMs = 0;
  let seq = 0;

  const prune = (at: number) => {
    const oldest = at - options.retentionMs;
    let drop = 0;
    while (drop < events.length && (eventIdMs(events[drop].id) < oldest || events.length - drop > options.maxEvents)) drop += 1;
    if (drop > 0) events.splice(0, drop);
    // Keys expire with the retention; pruned whenever the map has grown well past what one retention holds.
    if (keys.size > options.maxEvents * 2) for (const [key, until] of keys) if (until <= at) keys.delete(key);
  };
  const claim = (key: string, at: number): boolean => {
    const until = keys.get(key);
    if (until !== undefined && until > at) return false;
    keys.set(key, at + options.retentionMs);
    return true;
  };
  const nextId = (at: number): string => {
    if (at > lastMs) {
      lastMs = at;
      seq = 0;
    } else seq += 1;
    return `${lastMs}-${seq}`;
  };
  const hand = (delivery: RecordedDelivery) => {
    if (!handler) return void backlog.push(delivery);
    const run = handler;
    // After the answer: the webhook's 200 never waits for the lookup.
    setImmediate(() => void run(delivery).catch(() => undefined));
  };

  return {
    backend: 'memory',
    async append(event: StoredChangeEvent) {
      const at = now();
      if (!claim(`event|${event.key}`, at)) return undefined;
      const logged: LoggedEvent = { id: nextId(at), event };
      events.push(logged);
      prune(at);
      for (const listener of listeners) listener(logged);
      return logged.id;
    },
    async readAfter(afterId, limit) {
      const oldest = now() - options.retentionMs;
      const out: LoggedEvent[] = [];
      for (const logged of events) {
        if (out.length >= limit) break;
        if (compareEventIds(logged.id, afterId) > 0 && eventIdMs(logged.id) >= oldest) out.push(logged);
      }
      return out;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async recordDeliveries(deliveries) {
      const at = now();
      let added = 0;
      for (const delivery of deliveries) {
        const changes = delivery.changes.filter((change) => claim(`intake|${change.key}`, at));
        if (changes.length === 0) continue;
        added += changes.length;
        hand({ source: delivery.source, changes });
      }
      return added;
    },
    processDeliveries(given) {
      handler = given;
      for (const delivery of backlog.splice(0)) hand(delivery);
    },
    async close() {
      listeners.clear();
      handler = undefined;
    },
  };
}
