// Keeps about a fifth of upstream data calls faulted: every provider carries one fault at `rate` on its data routes, and
// every few seconds each moves on to the next kind, offset so the three providers rarely fail the same way at once.
import type { FaultPlan } from '../../adapters/kit/sandbox-server.js';
import type { BenchStack } from '../support/bench-stack.js';
import { DATA_ROUTES, PROVIDER_KINDS } from '../support/seeded-ids.js';

export interface FaultKind {
  name: string;
  /** The fault to inject, or undefined for a phase where the provider is healthy. */
  plan(upstreamTimeoutMs: number): FaultPlan | undefined;
}

/** The phase with no provider fault: only clients giving up touch the provider, so its circuit must stay closed. */
export const NO_FAULT = 'none (client aborts only)';

/** The faults of issue 5, as the sandboxes inject them, and a healthy phase (issue 10: client aborts alone). */
export const FAULT_KINDS: readonly FaultKind[] = [
  { name: NO_FAULT, plan: () => undefined },
  { name: 'latency beyond the timeout', plan: (timeoutMs) => ({ latencyMs: timeoutMs * 2 }) },
  { name: '5xx', plan: () => ({ status: 503 }) },
  { name: '429 Retry-After 1', plan: () => ({ status: 429, retryAfter: 1 }) },
  { name: 'connection reset', plan: () => ({ reset: true }) },
  { name: 'malformed JSON', plan: () => ({ malformedJson: true }) },
  { name: 'truncated body', plan: () => ({ truncatedBody: true }) },
  { name: 'bad item', plan: () => ({ badItem: true }) },
];

export interface FaultPhase {
  /** Seconds since the schedule started. */
  at: number;
  /** Epoch ms when the phase began. */
  startedAt: number;
  faults: Record<string, string>;
}

export interface FaultSchedule {
  /** The phases applied so far. */
  readonly phases: readonly FaultPhase[];
  /** Clears every fault and stops rotating. */
  stop(): void;
}

/**
 * Starts with a calm phase of `calmMs` (no provider fault at all: only clients giving up and healthy traffic), then
 * rotates faults; `rate` is the share of matching calls each fault hits (0..1).
 */
export function startFaultSchedule(
  stack: BenchStack,
  options: { rate: number; phaseMs: number; upstreamTimeoutMs: number; calmMs: number },
): FaultSchedule {
  const phases: FaultPhase[] = [];
  const started = Date.now();
  let index = 0;
  const apply = () => {
    const faults: Record<string, string> = {};
    PROVIDER_KINDS.forEach((kind, providerIndex) => {
      // Offsets 0, 2, 4 over eight kinds: at any time the three providers carry three different faults.
      const fault = FAULT_KINDS[(index + providerIndex * 2) % FAULT_KINDS.length];
      const handle = stack.sandbox(kind);
      handle.faults.clear();
      const plan = fault.plan(options.upstreamTimeoutMs);
      if (plan) handle.faults.inject({ ...plan, routes: DATA_ROUTES[kind], rate: options.rate });
      faults[kind] = fault.name;
    });
    phases.push({ at: Math.round((Date.now() - started) / 100) / 10, startedAt: Date.now(), faults });
    index += 1;
  };
  for (const kind of PROVIDER_KINDS) stack.sandbox(kind).faults.clear();
  phases.push({ at: 0, startedAt: started, faults: Object.fromEntries(PROVIDER_KINDS.map((kind) => [kind, NO_FAULT])) });
  let timer: NodeJS.Timeout | undefined;
  const calm = setTimeout(() => {
    apply();
    timer = setInterval(apply, options.phaseMs);
  }, options.calmMs);
  return {
    phases,
    stop() {
      clearTimeout(calm);
      clearInterval(timer);
      for (const kind of PROVIDER_KINDS) stack.sandbox(kind).faults.clear();
    },
  };
}
