// A per-key client-side rate limiter: at most N requests in flight and M started per rolling window, granted in turn
// by party (round robin between the callers the gateway names, first come first served within one: fair-queue.ts).
// Providers publish such limits per tenant or per app (Xero: 5 concurrent, 60 a minute); staying under them locally
// costs less than being answered 429 and retrying. A start is stamped when it is granted and stamped again when its
// call ends: the provider counted the call somewhere in between, so it keeps counting here until a full window after
// the provider's own stamp, however long the call took (as the shared store's script does).
import { AdapterError, callAbortedError, parseRetryAfter } from './errors.js';
import { createFairQueue, type FairQueue } from './fair-queue.js';
import type { HttpMiddleware, HttpRequest, HttpResponse } from './http.js';

export interface RateLimiterOptions {
  /** At most this many grants held at once per key. */
  maxInFlight: number;
  /** At most this many grants per rolling window per key. */
  perWindow: number;
  /** The rolling window; one minute unless told. */
  windowMs?: number;
  now?: () => number;
}

export interface AcquireOptions {
  signal?: AbortSignal;
  /**
   * Refuse at once (RateLimitWaitError) rather than wait longer than this for the window or a deferral to open.
   * Waiting for an in-flight slot is not bounded by it: those free up as soon as answers arrive.
   */
  maxWaitMs?: number;
  /** Who the call is for (the gateway's client): waiting is shared in turn between parties. One party when absent. */
  party?: string;
}

/** Why a grant was refused: the wait would be too long, the caller aborted, or the limiter was closed. */
export class RateLimitWaitError extends Error {
  override name = 'RateLimitWaitError';
  /** How long until the key may start again, when known. */
  readonly retryAfterMs: number | undefined;
  readonly reason: 'too-long' | 'aborted' | 'closed';

  constructor(reason: 'too-long' | 'aborted' | 'closed', retryAfterMs: number | undefined) {
    super(`rate limit wait ${reason}`);
    this.reason = reason;
    this.retryAfterMs = retryAfterMs;
  }
}

/** What the limiter knows of one key right now. */
export interface RateLimiterKeyState {
  inFlight: number;
  queued: number;
  /** Starts counted in the current window, including those implied by the provider's remaining-count hints. */
  startedInWindow: number;
  /** Epoch ms before which nothing starts (a provider's Retry-After), or 0. */
  blockedUntil: number;
}

export interface RateLimiter {
  /** Waits for a grant for `key` (in turn by party); resolves with the function that releases it. */
  acquire(key: string, options?: AcquireOptions): Promise<() => void>;
  /** Pushes the next allowed start for `key` to `untilMs` at the earliest (after a 429 with Retry-After). */
  deferUntil(key: string, untilMs: number): void;
  /** Reads a provider's remaining-count hint for the current window and counts the starts it implies we did not see. */
  observeRemaining(key: string, remaining: number): void;
  /** The current counters of `key`. */
  state(key: string): RateLimiterKeyState;
  /** Rejects every waiter and stops every timer. */
  close(): void;
}

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: Error) => void;
  maxWaitMs: number | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

interface KeyState {
  inFlight: number;
  /** Epoch ms of the starts in the window, ascending. */
  starts: number[];
  blockedUntil: number;
  queue: FairQueue<Waiter>;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Creates a limiter; keys (tenants, hosts) are independent of each other. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  if (!Number.isInteger(options.maxInFlight) || options.maxInFlight < 1) throw new RangeError('maxInFlight must be a positive integer');
  if (!Number.isInteger(options.perWindow) || options.perWindow < 1) throw new RangeError('perWindow must be a positive integer');
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const keys = new Map<string, KeyState>();
  let closed = false;

  const stateOf = (key: string): KeyState => {
    let state = keys.get(key);
    if (!state) {
      state = { inFlight: 0, starts: [], blockedUntil: 0, queue: createFairQueue<Waiter>(), timer: undefined };
      keys.set(key, state);
    }
    return state;
  };

  const prune = (state: KeyState, at: number): void => {
    while (state.starts.length > 0 && state.starts[0] <= at - windowMs) state.starts.shift();
  };

  /** Epoch ms at which the next start is allowed by time (window and deferral), ignoring in-flight slots. */
  const openAt = (state: KeyState, at: number): number => {
    prune(state, at);
    let open = Math.max(at, state.blockedUntil);
    if (state.starts.length >= options.perWindow) {
      open = Math.max(open, state.starts[state.starts.length - options.perWindow] + windowMs);
    }
    return open;
  };

  /** Moves the start stamped `grantedAt` to `endedAt`, unless it has left the window already. */
  const restamp = (state: KeyState, grantedAt: number, endedAt: number): void => {
    const index = state.starts.lastIndexOf(grantedAt);
    if (index < 0) return;
    state.starts.splice(index, 1);
    let at = state.starts.length;
    while (at > 0 && state.starts[at - 1] > endedAt) at -= 1;
    state.starts.splice(at, 0, endedAt);
  };

  const detach = (waiter: Waiter): void => {
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
  };

  const pump = (key: string, state: KeyState): void => {
    if (state.timer) {
      clearTimeout(state.timer);
      state.timer = undefined;
    }
    while (state.queue.size > 0) {
      const at = now();
      const open = openAt(state, at);
      const head = state.queue.peek()!;
      if (open > at) {
        if (head.maxWaitMs !== undefined && open - at > head.maxWaitMs) {
          state.queue.shift();
          detach(head);
          head.reject(new RateLimitWaitError('too-long', open - at));
          continue;
        }
        state.timer = setTimeout(() => pump(key, state), open - at);
        return;
      }
      if (state.inFlight >= options.maxInFlight) return;
      state.queue.shift();
      detach(head);
      state.inFlight += 1;
      state.starts.push(at);
      let released = false;
      head.resolve(() => {
        if (released) return;
        released = true;
        restamp(state, at, now());
        state.inFlight -= 1;
        pump(key, state);
      });
    }
  };

  return {
    acquire(key, acquireOptions = {}) {
      const { signal, maxWaitMs, party = '' } = acquireOptions;
      if (closed) return Promise.reject(new RateLimitWaitError('closed', undefined));
      const state = stateOf(key);
      if (signal?.aborted) {
        return Promise.reject(new RateLimitWaitError('aborted', Math.max(0, openAt(state, now()) - now()) || undefined));
      }
      return new Promise((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, maxWaitMs, signal, onAbort: undefined };
        if (signal) {
          waiter.onAbort = () => {
            if (!state.queue.remove(waiter)) return;
            const at = now();
            reject(new RateLimitWaitError('aborted', Math.max(0, openAt(state, at) - at) || undefined));
            pump(key, state);
          };
          signal.addEventListener('abort', waiter.onAbort, { once: true });
        }
        state.queue.push(party, waiter);
        pump(key, state);
      });
    },
    deferUntil(key, untilMs) {
      const state = stateOf(key);
      if (untilMs <= state.blockedUntil) return;
      state.blockedUntil = untilMs;
      pump(key, state);
    },
    observeRemaining(key, remaining) {
      if (!Number.isFinite(remaining) || remaining < 0) return;
      const state = stateOf(key);
      const at = now();
      prune(state, at);
      // The provider counted more starts than we made (another client of the same tenant): count them as of now.
      const impliedStarts = options.perWindow - Math.floor(remaining);
      while (state.starts.length < impliedStarts) state.starts.push(at);
      pump(key, state);
    },
    state(key) {
      const state = stateOf(key);
      prune(state, now());
      return {
        inFlight: state.inFlight,
        queued: state.queue.size,
        startedInWindow: state.starts.length,
        blockedUntil: state.blockedUntil,
      };
    },
    close() {
      closed = true;
      for (const state of keys.values()) {
        if (state.timer) clearTimeout(state.timer);
        state.timer = undefined;
        for (const waiter of state.queue.drain()) {
          detach(waiter);
          waiter.reject(new RateLimitWaitError('closed', undefined));
        }
      }
    },
  };
}

export interface RateLimitMiddlewareOptions {
  /** The source named in the errors this middleware raises. */
  source: string;
  /** The limiter key of a request (a tenant id, say); one key for every request when omitted. */
  key?: (req: HttpRequest) => string;
  /** Refuse with UPSTREAM_RATE_LIMITED rather than wait longer than this for the window to open. */
  maxWaitMs?: number;
  /** A response header carrying the provider's remaining count for the window (`x-minlimit-remaining`). */
  remainingHeader?: string;
  now?: () => number;
}

function retryAfterMsOf(response: HttpResponse | undefined, error: unknown, now: number): number | undefined {
  if (response && (response.status === 429 || response.status === 503)) {
    const seconds = parseRetryAfter(response.headers['retry-after'], now);
    return seconds === undefined ? undefined : seconds * 1000;
  }
  if (error instanceof AdapterError && error.code === 'UPSTREAM_RATE_LIMITED' && error.retryAfter !== undefined) {
    return error.retryAfter * 1000;
  }
  return undefined;
}

/** Middleware that holds each request until `limiter` grants it, and feeds back Retry-After and remaining-count hints. */
export function rateLimitMiddleware(limiter: RateLimiter, options: RateLimitMiddlewareOptions): HttpMiddleware {
  const now = options.now ?? Date.now;
  const keyOf = options.key ?? (() => 'default');
  return async (req, next) => {
    const key = keyOf(req);
    let release: () => void;
    try {
      // Never wait for the window past the caller's deadline.
      const untilDeadline = req.deadline === undefined ? undefined : Math.max(0, req.deadline - now());
      const maxWaitMs =
        untilDeadline === undefined ? options.maxWaitMs : Math.min(options.maxWaitMs ?? untilDeadline, untilDeadline);
      release = await limiter.acquire(key, { signal: req.signal, maxWaitMs, party: req.party });
    } catch (error) {
      if (!(error instanceof RateLimitWaitError)) throw error;
      // The caller stopped waiting (client gone, deadline, answer sent): not the provider's doing.
      if (error.reason === 'aborted') throw callAbortedError(options.source, req.signal);
      if (error.reason === 'too-long' || error.retryAfterMs !== undefined) {
        throw new AdapterError('UPSTREAM_RATE_LIMITED', `${options.source} request budget is spent for now`, {
          source: options.source,
          retryAfter: Math.max(1, Math.ceil((error.retryAfterMs ?? 1000) / 1000)),
          cause: error,
        });
      }
      throw new AdapterError('UPSTREAM_TIMEOUT', `${options.source} request waited for a free slot past its deadline`, {
        source: options.source,
        cause: error,
      });
    }
    let response: HttpResponse | undefined;
    let failure: unknown;
    try {
      response = await next(req);
      return response;
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      const at = now();
      const waitMs = retryAfterMsOf(response, failure, at);
      if (waitMs !== undefined) limiter.deferUntil(key, at + waitMs);
      const hint = options.remainingHeader ? response?.headers[options.remainingHeader.toLowerCase()] : undefined;
      if (hint !== undefined && /^\d+$/.test(hint.trim())) limiter.observeRemaining(key, Number(hint));
      release();
    }
  };
}
