// The event log: where changes are published once and read by every replica, and where webhook deliveries are recorded
// before they are answered. In this process (one replica, memory-event-log.ts) or in Redis Streams
// (redis-event-log.ts), with the same retention and the same de-duplication by change key.
import type { ChangeKind } from '../../adapters/kit/changes.js';
import type { LoggedEvent, StoredChangeEvent } from './change-event.js';

/** The changes of one webhook delivery that concern one source, recorded before the delivery is answered. */
export interface RecordedDelivery {
  source: string;
  changes: Array<{ remoteId: string; kind: ChangeKind; occurredAt: string; key: string }>;
}

export interface EventLog {
  /** Publishes `event` unless one with the same key was published within the retention; answers its id, or undefined. */
  append(event: StoredChangeEvent): Promise<string | undefined>;
  /** Up to `limit` events after `afterId` (exclusive) still within the retention, in log order. */
  readAfter(afterId: string, limit: number): Promise<LoggedEvent[]>;
  /** Calls `listener` with every event published from now on, once each, in log order; answers the unsubscribe. */
  onEvent(listener: (event: LoggedEvent) => void): () => void;
  /**
   * Records deliveries (changes already recorded within the retention are dropped: a re-delivery records nothing);
   * answers how many changes were new. Rejects when they could not be recorded (the webhook must not answer 200).
   */
  recordDeliveries(deliveries: RecordedDelivery[]): Promise<number>;
  /**
   * Hands each recorded delivery to `handler` at least once, on some replica, even if the replica that recorded it
   * stops; a delivery is done when the handler resolves.
   */
  processDeliveries(handler: (delivery: RecordedDelivery) => Promise<void>): void;
  /** `memory` or `redis`, for /ready. */
  readonly backend: 'memory' | 'redis';
  close(): Promise<void>;
}
