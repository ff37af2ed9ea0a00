// Xero's rate limits, per tenant: requests in flight, per rolling minute and per rolling day, plus the app-wide minute
// limit. Over a limit the answer is 429 with Retry-After and X-Rate-Limit-Problem; every answer tells what remains.

/** The limits the sandbox enforces; change them on the handle (tests lower `perMinute` to reach it quickly). */
export interface XeroSandboxLimits {
  concurrent: number;
  perMinute: number;
  perDay: number;
  appPerMinute: number;
  /** The length of the "minute" (tests shorten it, with the adapter's `rateWindowMs`, to reach it quickly). */
  minuteMs: number;
}

export const XERO_LIMITS: Readonly<XeroSandboxLimits> = { concurrent: 5, perMinute: 60, perDay: 5000, appPerMinute: 10_000, minuteMs: 60_000 };

const DAY_MS = 86_400_000;

/** What the sandbox saw of one tenant's demand, refused requests included (since the last reset). */
export interface XeroTenantObservation {
  /** The most API requests ever in flight at once, counting a refused request's arrival as one more. */
  peakInFlight: number;
  /** The most API requests that arrived (admitted or not) within one rolling "minute". */
  peakPerMinute: number;
  /** Requests answered 429, by problem. */
  refused: Record<string, number>;
}

interface TenantCounters {
  inFlight: number;
  maxInFlight: number;
  minute: number[];
  day: number[];
  /** Arrivals within the current rolling minute, refused ones included. */
  arrivals: number[];
  observed: XeroTenantObservation;
}

export type Admission =
  | { admitted: true; release: () => void; headers: Record<string, string> }
  | { admitted: false; problem: 'concurrent' | 'minute' | 'daily' | 'appminute'; retryAfter: number; headers: Record<string, string> };

export interface XeroSandboxRateLimits {
  readonly limits: XeroSandboxLimits;
  admit(tenant: string): Admission;
  maxInFlight(tenant: string): number;
  observed(tenant: string): XeroTenantObservation;
  reset(): void;
}

function prune(times: number[], before: number): void {
  while (times.length > 0 && times[0] <= before) times.shift();
}

/** Creates the per-tenant counters. */
export function createXeroSandboxRateLimits(limits: XeroSandboxLimits, now: () => number = Date.now): XeroSandboxRateLimits {
  const tenants = new Map<string, TenantCounters>();
  let app: number[] = [];
  const countersOf = (tenant: string): TenantCounters => {
    let counters = tenants.get(tenant);
    if (!counters) {
      counters = { inFlight: 0, maxInFlight: 0, minute: [], day: [], arrivals: [], observed: { peakInFlight: 0, peakPerMinute: 0, refused: {} } };
      tenants.set(tenant, counters);
    }
    return counters;
  };
  const headersOf = (c: TenantCounters): Record<string, string> => ({
    'x-minlimit-remaining': String(Math.max(0, limits.perMinute - c.minute.length)),
    'x-daylimit-remaining': String(Math.max(0, limits.perDay - c.day.length)),
    'x-appminlimit-remaining': String(Math.max(0, limits.appPerMinute - app.length)),
  });
  const secondsUntil = (ms: number, at: number) => Math.max(1, Math.ceil((ms - at) / 1000));

  return {
    limits,
    admit(tenant) {
      const at = now();
      const c = countersOf(tenant);
      const minuteMs = limits.minuteMs;
      prune(c.minute, at - minuteMs);
      prune(c.day, at - DAY_MS);
      prune(app, at - minuteMs);
      prune(c.arrivals, at - minuteMs);
      c.arrivals.push(at);
      c.observed.peakPerMinute = Math.max(c.observed.peakPerMinute, c.arrivals.length);
      c.observed.peakInFlight = Math.max(c.observed.peakInFlight, c.inFlight + 1);
      const refuse = (problem: 'concurrent' | 'minute' | 'daily' | 'appminute', retryAfter: number): Admission => {
        c.observed.refused[problem] = (c.observed.refused[problem] ?? 0) + 1;
        return { admitted: false, problem, retryAfter, headers: headersOf(c) };
      };
      if (c.day.length >= limits.perDay) return refuse('daily', secondsUntil(c.day[c.day.length - limits.perDay] + DAY_MS, at));
      if (app.length >= limits.appPerMinute) return refuse('appminute', secondsUntil(app[app.length - limits.appPerMinute] + minuteMs, at));
      if (c.minute.length >= limits.perMinute) return refuse('minute', secondsUntil(c.minute[c.minute.length - limits.perMinute] + minuteMs, at));
      if (c.inFlight >= limits.concurrent) return refuse('concurrent', 1);
      c.minute.push(at);
      c.day.push(at);
      app.push(at);
      c.inFlight += 1;
      c.maxInFlight = Math.max(c.maxInFlight, c.inFlight);
      let released = false;
      return {
        admitted: true,
        headers: headersOf(c),
        release: () => {
          if (released) return;
          released = true;
          c.inFlight -= 1;
        },
      };
    },
    maxInFlight: (tenant) => tenants.get(tenant)?.maxInFlight ?? 0,
    observed: (tenant) => {
      const o = countersOf(tenant).observed;
      return { peakInFlight: o.peakInFlight, peakPerMinute: o.peakPerMinute, refused: { ...o.refused } };
    },
    reset() {
      // In place: requests still in flight release the counters they were admitted by.
      for (const c of tenants.values()) {
        c.minute = [];
        c.day = [];
        c.arrivals = [];
        c.maxInFlight = c.inFlight;
        c.observed = { peakInFlight: c.inFlight, peakPerMinute: 0, refused: {} };
      }
      app = [];
    },
  };
}
