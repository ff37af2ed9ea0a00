// Samples the process's memory once a second, after a full collection when the process runs with --expose-gc (so a
// sample is what is still referenced, not what the collector has yet to reach).
export interface MemorySample {
  /** Seconds since sampling started. */
  t: number;
  rss: number;
  heapUsed: number;
  external: number;
}

export interface MemorySampler {
  readonly samples: readonly MemorySample[];
  /** True when samples follow a forced collection. */
  readonly afterGc: boolean;
  stop(): void;
}

type Gc = () => void;

/** A sample now, after a full collection when one can be forced. */
export function sampleMemory(t = 0): MemorySample {
  (globalThis as { gc?: Gc }).gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { t, rss, heapUsed, external };
}

/** Starts sampling every `everyMs`, the first sample at once. */
export function startMemorySampler(everyMs = 1_000): MemorySampler {
  const samples: MemorySample[] = [];
  const started = Date.now();
  const take = () => samples.push(sampleMemory(Math.round((Date.now() - started) / 100) / 10));
  take();
  const timer = setInterval(take, everyMs);
  return {
    samples,
    afterGc: typeof (globalThis as { gc?: Gc }).gc === 'function',
    stop: () => clearInterval(timer),
  };
}

/** Mean of a few samples around the start, the middle and the end of a series, so one sample's noise does not decide. */
export function memoryCheckpoints(samples: readonly MemorySample[], field: 'rss' | 'heapUsed', window = 3) {
  const mean = (from: number) => {
    const slice = samples.slice(Math.max(0, from), Math.max(0, from) + window);
    return slice.reduce((sum, s) => sum + s[field], 0) / Math.max(1, slice.length);
  };
  const n = samples.length;
  const start = mean(0);
  const middle = mean(Math.floor(n / 2) - Math.floor(window / 2));
  const end = mean(n - window);
  return { start, middle, end, endOverStart: start > 0 ? end / start : NaN };
}

/** Least-squares slope of `field` over time, in bytes per minute. */
export function memorySlopePerMinute(samples: readonly MemorySample[], field: 'rss' | 'heapUsed'): number {
  const n = samples.length;
  if (n < 2) return 0;
  const meanT = samples.reduce((s, x) => s + x.t, 0) / n;
  const meanY = samples.reduce((s, x) => s + x[field], 0) / n;
  let num = 0;
  let den = 0;
  for (const x of samples) {
    num += (x.t - meanT) * (x[field] - meanY);
    den += (x.t - meanT) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60;
}
