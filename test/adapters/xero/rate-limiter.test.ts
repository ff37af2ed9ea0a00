// The kit's per-key rate limiter (written for Xero's tenant limits): in-flight cap, rolling window, FIFO order,
// deferral after Retry-After, remaining-count hints, abort and the middleware. Fake timers: no real waiting.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdapterError } from '../../../adapters/kit/errors.js';
import type { HttpRequest, HttpResponse } from '../../../adapters/kit/http.js';
import { createRateLimiter, rateLimitMiddleware, RateLimitWaitError } from '../../../adapters/kit/rate-limiter.js';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2024, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Tracks which acquisitions have been granted so far. */
function track(promise: Promise<() => void>) {
  const state: { release?: () => void; error?: unknown } = {};
  promise.then(
    (release) => (state.release = release),
    (error: unknown) => (state.error = error),
  );
  return state;
}

describe('createRateLimiter', () => {
  it('holds at most maxInFlight grants per key and hands slots out in FIFO order', async () => {
    const limiter = createRateLimiter({ maxInFlight: 2, perWindow: 100 });
    const order: number[] = [];
    const grants = [0, 1, 2, 3, 4].map((i) => limiter.acquire('t').then((release) => (order.push(i), release)));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1]);
    expect(limiter.state('t')).toMatchObject({ inFlight: 2, queued: 3 });
    (await grants[1])();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1, 2]);
    (await grants[0])();
    (await grants[2])();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1, 2, 3, 4]);
    // Another key has its own slots.
    const other = track(limiter.acquire('u'));
    await vi.advanceTimersByTimeAsync(0);
    expect(other.release).toBeDefined();
    limiter.close();
  });

  it('starts at most perWindow per rolling window', async () => {
    const limiter = createRateLimiter({ maxInFlight: 10, perWindow: 3, windowMs: 60_000 });
    for (let i = 0; i < 3; i += 1) (await limiter.acquire('t'))();
    const fourth = track(limiter.acquire('t'));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(fourth.release).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(fourth.release).toBeDefined();
    limiter.close();
  });

  it('refuses at once when the window would make a caller wait longer than maxWaitMs', async () => {
    const limiter = createRateLimiter({ maxInFlight: 10, perWindow: 1, windowMs: 60_000 });
    (await limiter.acquire('t'))();
    await vi.advanceTimersByTimeAsync(15_000);
    const error = await limiter.acquire('t', { maxWaitMs: 10_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitWaitError);
    expect(error).toMatchObject({ reason: 'too-long', retryAfterMs: 45_000 });
    limiter.close();
  });

  it('waits until a deferral passes', async () => {
    const limiter = createRateLimiter({ maxInFlight: 5, perWindow: 60 });
    limiter.deferUntil('t', Date.now() + 3_000);
    const waiting = track(limiter.acquire('t'));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(waiting.release).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting.release).toBeDefined();
    limiter.close();
  });

  it('counts the starts a remaining-count hint implies', async () => {
    const limiter = createRateLimiter({ maxInFlight: 5, perWindow: 60 });
    (await limiter.acquire('t'))();
    limiter.observeRemaining('t', 2);
    expect(limiter.state('t').startedInWindow).toBe(58);
    (await limiter.acquire('t'))();
    (await limiter.acquire('t'))();
    await expect(limiter.acquire('t', { maxWaitMs: 1_000 })).rejects.toMatchObject({ reason: 'too-long' });
    // A hint showing more room than we counted changes nothing.
    limiter.observeRemaining('t', 59);
    expect(limiter.state('t').startedInWindow).toBe(60);
    limiter.close();
  });

  it('lets a waiting caller abort without disturbing the queue, and rejects waiters on close', async () => {
    const limiter = createRateLimiter({ maxInFlight: 1, perWindow: 60 });
    const first = await limiter.acquire('t');
    const controller = new AbortController();
    const aborted = track(limiter.acquire('t', { signal: controller.signal }));
    const next = track(limiter.acquire('t'));
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(aborted.error).toMatchObject({ reason: 'aborted' });
    first();
    await vi.advanceTimersByTimeAsync(0);
    expect(next.release).toBeDefined();
    const last = track(limiter.acquire('t'));
    limiter.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(last.error).toMatchObject({ reason: 'closed' });
  });
});

describe('rateLimitMiddleware', () => {
  const request: HttpRequest = { method: 'GET', path: '/x' };
  const ok = (headers: Record<string, string> = {}): HttpResponse => ({ status: 200, headers, body: null });

  it('defers the key after a 429 with Retry-After and reads the remaining-count header', async () => {
    const limiter = createRateLimiter({ maxInFlight: 5, perWindow: 60 });
    const middleware = rateLimitMiddleware(limiter, { source: 'xero', key: () => 't', remainingHeader: 'X-MinLimit-Remaining' });
    await middleware(request, async () => ok({ 'x-minlimit-remaining': '10' }));
    expect(limiter.state('t').startedInWindow).toBe(50);

    const limited = new AdapterError('UPSTREAM_RATE_LIMITED', 'limited', { source: 'xero', status: 429, retryAfter: 4 });
    await expect(middleware(request, async () => Promise.reject(limited))).rejects.toBe(limited);
    expect(limiter.state('t').blockedUntil).toBe(Date.now() + 4_000);
    expect(limiter.state('t').inFlight).toBe(0);
    limiter.close();
  });

  it('answers UPSTREAM_RATE_LIMITED with retryAfter when the wait is too long', async () => {
    const limiter = createRateLimiter({ maxInFlight: 5, perWindow: 1 });
    const middleware = rateLimitMiddleware(limiter, { source: 'xero', maxWaitMs: 10_000 });
    await middleware(request, async () => ok());
    const next = vi.fn(async () => ok());
    const error = await middleware(request, next).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 60, source: 'xero' });
    expect(next).not.toHaveBeenCalled();
    limiter.close();
  });
});
