// What the gateway learns about one HTTP request while serving it, for its log line, its metrics and its span. Kept
// per Request object, so every hook (and the context factory) reaches the same record without threading it through.
import type { Span } from '@opentelemetry/api';
import { randomUUID } from 'node:crypto';
import type { SourceCallSummary } from '../upstream-summary.js';

export type RequestOutcome = 'success' | 'partial' | 'error' | 'rejected';

export interface RequestRecord {
  readonly requestId: string;
  /** performance.now() when the request arrived. */
  readonly startedAt: number;
  operationName?: string;
  operationType?: string;
  client?: string;
  outcome?: RequestOutcome;
  errorCodes: string[];
  upstream?: Record<string, SourceCallSummary>;
  /** The operation's span, while tracing is on. */
  span?: Span;
}

const records = new WeakMap<Request, RequestRecord>();

// A caller's id is kept when it is short, printable and free of separators; anything else gets a fresh UUID, so a
// client cannot put arbitrary text into our headers or logs.
const CALLER_ID = /^[A-Za-z0-9._:@/+=-]{1,100}$/;

/** The record of `request`, created (and its clock started) on first use. */
export function requestRecordOf(request: Request): RequestRecord {
  let record = records.get(request);
  if (!record) {
    const given = request.headers.get('x-request-id');
    record = { requestId: given && CALLER_ID.test(given) ? given : randomUUID(), startedAt: performance.now(), errorCodes: [] };
    records.set(request, record);
  }
  return record;
}

/** The request id of `request`: the caller's `x-request-id` when it is a sane one, else a fresh UUID. */
export function requestIdOf(request: Request): string {
  return requestRecordOf(request).requestId;
}
