// Probes each source whose circuit is open, on a timer, once its cool-down has passed: with or without client traffic,
// an open circuit finds out by itself that its provider is back. The probe is the adapter's own cheap call, sent
// through the source's middleware like any call, so the breaker sees it as its half-open probe.
import type { CircuitBreaker } from '../adapters/kit/circuit-breaker.js';
import type { Adapter } from '../adapters/kit/adapter.js';
import type { Logger } from 'pino';

export interface CircuitProber {
  /** Stops every timer; probes in flight are aborted. */
  stop(): void;
}

export interface ProbedSource {
  name: string;
  adapter: Adapter;
  breaker: CircuitBreaker;
  /** The probe's own budget (the source's call timeout). */
  timeoutMs: number;
}

/** The least delay between two probe attempts of one source, so a refused probe does not spin. */
const MIN_RETRY_MS = 50;

/** Starts probing `sources` whenever their circuits open; sources without a `probe` wait for traffic as before. */
export function startCircuitProber(sources: ProbedSource[], logger: Logger): CircuitProber {
  const stoppers: Array<() => void> = [];
  const inFlight = new AbortController();
  for (const source of sources) {
    const probe = source.adapter.probe?.bind(source.adapter);
    if (!probe) continue;
    let timer: NodeJS.Timeout | undefined;
    let running = false;
    const schedule = () => {
      const due = source.breaker.probeDueInMs();
      if (due === undefined || running || inFlight.signal.aborted) return;
      clearTimeout(timer);
      timer = setTimeout(run, Math.max(due, MIN_RETRY_MS));
      timer.unref();
    };
    const run = async () => {
      timer = undefined;
      // Not open any more, or (by the breaker's own clock) not yet due: look again when it is.
      if (source.breaker.probeDueInMs() !== 0) return schedule();
      running = true;
      try {
        await probe({ signal: inFlight.signal, deadline: Date.now() + source.timeoutMs });
        logger.info({ source: source.name }, 'circuit probe answered');
      } catch (error) {
        logger.debug({ source: source.name, err: error }, 'circuit probe failed');
      } finally {
        running = false;
      }
      // Still open (the probe failed, or another call was probing): try again when the breaker allows.
      schedule();
    };
    const unsubscribe = source.breaker.onChange((state) => {
      if (state === 'OPEN') schedule();
    });
    stoppers.push(() => {
      unsubscribe();
      clearTimeout(timer);
    });
  }
  return {
    stop() {
      inFlight.abort();
      for (const stop of stoppers) stop();
    },
  };
}
