// Idempotent payment writes. A client's `idempotencyKey` never leaves the gateway: the provider gets a digest of the
// client and the key (so two clients cannot collide, and it fits Xero's 128 characters), and the gateway remembers, for
// each such digest, a digest of the input it came with and what the write created.
//
// - Same key, same input, write known: the created object is answered by a lookup; nothing is sent again.
// - Same key, same input, outcome not known yet (a request in flight, or an answer lost): the write is sent again with
//   the same provider key, and the provider answers what it made the first time, within its window (Xero: six
//   minutes). Past that window the provider would write again, so the gateway answers UPSTREAM_OUTCOME_UNKNOWN with
//   `retrySafe: false` instead of risking a second payment.
// - Same key, another input: BAD_USER_INPUT, before any call, for as long as the record is kept (a day by default,
//   longer than the provider's window, so a late retry is answered rather than written twice).
// - A write that definitely did not happen (refused, never sent) forgets its record, so the same key can be corrected.
import { createHash } from 'node:crypto';
import { AdapterError } from '../../adapters/kit/errors.js';
import type { ClientIdentity } from '../access/client.js';
import { userError } from '../errors.js';
import type { NodeType } from '../ids.js';
import type { IdempotencyRecord } from '../state/idempotency-store.js';
import type { WriteServices } from './write-services.js';

/** The longest `idempotencyKey` a client may send. */
export const MAX_CLIENT_KEY_LENGTH = 128;

const digestOf = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('base64url');

/** Checks a client's `idempotencyKey` (1 to 128 characters, no control characters); answers it unchanged. */
export function checkClientKey(key: string): string {
  if (key.length === 0 || key.length > MAX_CLIENT_KEY_LENGTH || /[\u0000-\u001f\u007f]/.test(key) || key.trim() === '') {
    throw userError('BAD_USER_INPUT', `idempotencyKey must be 1 to ${MAX_CLIENT_KEY_LENGTH} printable characters`);
  }
  return key;
}

/**
 * The key the provider sees for `client`'s `key`: a digest (43 characters), so the raw key never leaves and two clients
 * with the same key cannot collide. `scope` separates keys the gateway derives itself (a deletion's) from clients' keys.
 */
export function providerKeyOf(client: ClientIdentity, key: string, scope = 'client-key'): string {
  return `igw-${digestOf([scope, client.via, client.name, key])}`;
}

/** A digest of a write's normalised input: equal for the same write, different for any other. */
export function inputDigest(input: unknown): string {
  return digestOf(input);
}

export interface IdempotentWrite<T> {
  source: string;
  /** The provider key (providerKeyOf), also the record's key. */
  key: string;
  digest: string;
  /** How long the provider honours its key (Adapter.idempotencyWindowMs). */
  windowMs: number;
  /** What the write created, to answer a repeat with. */
  outcomeOf(value: T): { type: NodeType; remoteId: string };
  /** Looks the created object up (a repeat after the write answered). */
  lookup(remoteId: string): Promise<T | null>;
  write(): Promise<T>;
}

/** True when a failed write may nonetheless have happened at the provider. */
function mayHaveHappened(error: unknown): boolean {
  return error instanceof AdapterError && (error.code === 'UPSTREAM_OUTCOME_UNKNOWN' || error.answerLost);
}

/** Runs `spec.write` at most once per key and input, as described above; `written` is false for an answer from the record. */
export async function idempotentWrite<T>(writes: WriteServices, spec: IdempotentWrite<T>): Promise<{ value: T; written: boolean }> {
  const now = writes.now();
  const mine: IdempotencyRecord = { digest: spec.digest, firstAt: now };
  const existing = await writes.idempotency.claim(spec.key, mine, writes.keyRetentionMs);
  if (existing) {
    if (existing.digest !== spec.digest) {
      throw userError(
        'BAD_USER_INPUT',
        'this idempotencyKey was already used for a different write; send that write again unchanged, or use a new key for a new one',
        { source: spec.source },
      );
    }
    if (existing.outcome) {
      const found = await spec.lookup(existing.outcome.remoteId);
      if (found) return { value: found, written: false };
    } else if (now - existing.firstAt >= spec.windowMs) {
      throw new AdapterError(
        'UPSTREAM_OUTCOME_UNKNOWN',
        `an earlier request with this idempotencyKey may have been written at ${spec.source}, and ${spec.source} no longer ` +
          `deduplicates it (its keys last ${Math.round(spec.windowMs / 60_000)} minutes): check the invoice's payments before ` +
          'writing it again with a new key',
        { source: spec.source, retryable: false, retrySafe: false },
      );
    }
  }
  try {
    const value = await spec.write();
    const record: IdempotencyRecord = { digest: spec.digest, firstAt: existing?.firstAt ?? now, outcome: spec.outcomeOf(value) };
    await writes.idempotency.settle(spec.key, record, writes.keyRetentionMs);
    return { value, written: true };
  } catch (error) {
    if (!existing && !mayHaveHappened(error)) await writes.idempotency.release(spec.key, mine);
    throw error;
  }
}
