// Per-response accounting of upstream calls, per source: how many, how long, which errors.
import type { UpstreamCall } from '../adapters/kit/http.js';

export interface SourceCallSummary {
  calls: number;
  timeMs: number;
  errors: string[];
}

export interface UpstreamSummary {
  record(call: UpstreamCall): void;
  /** Errors that reached the response without an upstream call of their own (an open circuit, say). */
  recordError(source: string, code: string): void;
  toJSON(): Record<string, SourceCallSummary>;
}

/** Creates an empty summary for one GraphQL request. */
export function createUpstreamSummary(): UpstreamSummary {
  const bySource = new Map<string, SourceCallSummary>();
  const entry = (source: string): SourceCallSummary => {
    let found = bySource.get(source);
    if (!found) {
      found = { calls: 0, timeMs: 0, errors: [] };
      bySource.set(source, found);
    }
    return found;
  };
  return {
    record(call) {
      const summary = entry(call.source);
      summary.calls += 1;
      summary.timeMs += call.durationMs;
      if (call.errorCode) summary.errors.push(call.errorCode);
    },
    recordError(source, code) {
      entry(source).errors.push(code);
    },
    toJSON() {
      return Object.fromEntries(
        [...bySource].map(([source, s]) => [source, { ...s, timeMs: Math.round(s.timeMs) }]),
      );
    },
  };
}
