// Per-response accounting of upstream calls, per source: how many (token calls included), how long, which errors (each
// code once, with how many times this source put it in the response).
import type { UpstreamCall } from '../adapters/kit/http.js';

export interface SourceCallSummary {
  /** HTTP calls made, retries and token fetches included. */
  calls: number;
  /** Of those, the ones that failed (a 5xx, a timeout, a reset, ...). */
  failedCalls: number;
  /** Time spent in those calls. */
  timeMs: number;
  /** The errors this source put in the response: each code once, with its count (failed batches and items). */
  errors: Array<{ code: string; count: number }>;
}

export interface UpstreamSummary {
  record(call: UpstreamCall): void;
  /** An error of this source that reached the response: a failed batch, a bad item, an open circuit. */
  recordError(source: string, code: string): void;
  toJSON(): Record<string, SourceCallSummary>;
}

/** Creates an empty summary for one GraphQL request. */
export function createUpstreamSummary(): UpstreamSummary {
  const bySource = new Map<string, SourceCallSummary>();
  const entry = (source: string): SourceCallSummary => {
    let found = bySource.get(source);
    if (!found) {
      found = { calls: 0, failedCalls: 0, timeMs: 0, errors: [] };
      bySource.set(source, found);
    }
    return found;
  };
  return {
    record(call) {
      const summary = entry(call.source);
      summary.calls += 1;
      summary.timeMs += call.durationMs;
      // A call nobody waited for any more (the client went away) did not fail: it was stopped.
      if (call.errorCode && !call.abandoned) summary.failedCalls += 1;
    },
    recordError(source, code) {
      const errors = entry(source).errors;
      const known = errors.find((e) => e.code === code);
      if (known) known.count += 1;
      else errors.push({ code, count: 1 });
    },
    toJSON() {
      return Object.fromEntries(
        [...bySource].map(([source, s]) => [source, { ...s, timeMs: Math.round(s.timeMs), errors: s.errors.map((e) => ({ ...e })) }]),
      );
    },
  };
}
