// Xero's rate limits, per tenant: requests in flight, per rolling minute and per rolling day, plus the app-wide minute
// limit. Over a limit the answer is 429 with Retry-After and X-Rate-Limit-Problem; every answer tells what remains.

/** The limits the sandbox enforces; change them on the handle (tests lower `perMinute` to reach it quickly). */
export interface XeroSandboxLimits {
  concurrent: number;
  perMinute: number;
  perDay: number;
  appPerMinute: number;
}

export const XERO_LIMITS: Readonly<XeroSandboxLimits> = { concurrent: 5, perMinute: 60, perDay: 5000, appPerMinute: 10_000 };

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

interface TenantCounters {
  inFlight: number;
  maxInFlight: number;
  minute: number[];
  day: number[];
}

export type Admission =
  | { admitted: true; release: () => void; headers: Record<string, string> }
  | { admitted: false; problem: 'concurrent' | 'minute' | 'daily' | 'appminute'; retryAfter: number; headers: Record<string, string> };

export interface XeroSandboxRateLimits {
  readonly limits: XeroSandboxLimits;
  admit(tenant: string): Admission;
  maxInFlight(tenant: string): number;
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
      counters = { inFlight: 0, maxInFlight: 0, minute: [], day: [] };
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
      prune(c.minute, at - MINUTE_MS);
      prune(c.day, at - DAY_MS);
      prune(app, at - MINUTE_MS);
      const refuse = (problem: 'concurrent' | 'minute' | 'daily' | 'appminute', retryAfter: number): Admission => ({
        admitted: false,
        problem,
        retryAfter,
        headers: headersOf(c),
      });
      if (c.day.length >= limits.perDay) return refuse('daily', secondsUntil(c.day[c.day.length - limits.perDay] + DAY_MS, at));
      if (app.length >= limits.appPerMinute) return refuse('appminute', secondsUntil(app[app.length - limits.appPerMinute] + MINUTE_MS, at));
      if (c.minute.length >= limits.perMinute) return refuse('minute', secondsUntil(c.minute[c.minute.length - limits.perMinute] + MINUTE_MS, at));
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
    reset() {
      // In place: requests still in flight release the counters they were admitted by.
      for (const c of tenants.values()) {
        c.minute = [];
        c.day = [];
        c.maxInFlight = c.inFlight;
      }
      app = [];
    },
  };
}
