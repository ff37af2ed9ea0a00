// An invoice change as it travels between replicas (StoredChangeEvent, JSON in the event log) and as the schema shows
// it (InvoiceChangeEventRef). The invoice travels as the entity cache stores it (its wire item where the adapter can
// rebuild it), so a replica shows it without asking the provider again.
import type { GraphQLError } from 'graphql';
import type { ChangeKind } from '../../adapters/kit/changes.js';
import type { InvoiceRef } from '../model-refs.js';

/** What the log holds for one event. */
export interface StoredChangeEvent {
  /** `change`: an invoice changed; `error`: a polled source failed (its subscribers are told once). */
  type: 'change' | 'error';
  /** The change key: one event per key within the retention, however many replicas saw the change. */
  key: string;
  source: string;
  remoteId?: string;
  kind?: ChangeKind;
  /** ISO instant of the change (or of the failure). */
  occurredAt: string;
  /** The invoice as stored by the entity codec; null when it no longer exists; absent when it could not be fetched. */
  invoice?: unknown;
  /** Why the invoice could not be fetched (the event stands), or, for `error`, why the source failed. */
  error?: { code: string; message: string };
  /** When the invoice is a cached copy served because its provider failed: how old it is. */
  staleMs?: number;
}

/** An event with its id in the log. */
export interface LoggedEvent {
  /** `<ms>-<seq>`, increasing in log order (a Redis Stream id). */
  id: string;
  event: StoredChangeEvent;
}

/** What the InvoiceChangeEvent resolvers read. */
export interface InvoiceChangeEventRef {
  id: string;
  invoiceId: string;
  source: string;
  kind: ChangeKind;
  occurredAt: string;
  invoice: InvoiceRef | null;
  /** The error `invoice` answers when the invoice could not be fetched. */
  invoiceError?: GraphQLError;
}

const EVENT_ID = /^(\d{1,16})-(\d{1,16})$/;

/** True for a well-formed event id. */
export function isEventId(text: string): boolean {
  return EVENT_ID.test(text);
}

/** Orders two event ids (negative: `a` first). */
export function compareEventIds(a: string, b: string): number {
  const [, am, as] = EVENT_ID.exec(a) ?? [, '0', '0'];
  const [, bm, bs] = EVENT_ID.exec(b) ?? [, '0', '0'];
  return Number(am) - Number(bm) || Number(as) - Number(bs);
}

/** The epoch ms an event id was given at. */
export function eventIdMs(id: string): number {
  return Number(EVENT_ID.exec(id)?.[1] ?? 0);
}
