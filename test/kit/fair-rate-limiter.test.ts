// The kit's rate limiter shares a provider's quota fairly: waiters are served in turn by party (the gateway's client),
// and a start is counted until a full window after its call ends, so a provider that stamps a call anywhere between
// our grant and the call's end never sees more than the limit in a rolling window. Fake timers: no real waiting.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFairQueue } from '../../adapters/kit/fair-queue.js';
import { createRateLimiter } from '../../adapters/kit/rate-limiter.js';

beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2024, 0, 1) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the fair queue', () => {
  it('serves parties in turn, each in its own order', () => {
    const queue = createFairQueue<string>();
    for (const item of ['a1', 'a2', 'a3', 'a4']) queue.push('a', item);
    queue.push('b', 'b1');
    queue.push('b', 'b2');
    queue.push('c', 'c1');
    expect(queue.peek()).toBe('a1');
    expect(queue.drain()).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
    expect(queue.size).toBe(0);
  });

  it('takes out a waiter that gives up, wherever it waits', () => {
    const queue = createFairQueue<string>();
    queue.push('a', 'a1');
    queue.push('a', 'a2');
    queue.push('b', 'b1');
    expect(queue.remove('a1')).toBe(true);
    expect(queue.remove('a1')).toBe(false);
    expect(queue.drain()).toEqual(['a2', 'b1']);
  });

  it('holds every item exactly once, whatever the order of pushes and takes (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.boolean()), { maxLength: 60 }), (steps) => {
        const queue = createFairQueue<number>();
        const taken: number[] = [];
        steps.forEach(([party, take], i) => {
          queue.push(party, i);
          if (take) taken.push(queue.shift()!);
        });
        taken.push(...queue.drain());
        expect([...taken].sort((x, y) => x - y)).toEqual(steps.map((_, i) => i));
        // Within one party, first come first served.
        for (const party of ['a', 'b', 'c']) {
          const mine = taken.filter((i) => steps[i][0] === party);
          expect(mine).toEqual([...mine].sort((x, y) => x - y));
        }
      }),
    );
  });
});

describe('the rate limiter', () => {
  it("serves a newcomer's call after one of the busy client's, not after all of them", async () => {
    const limiter = createRateLimiter({ maxInFlight: 1, perWindow: 1000 });
    const order: string[] = [];
    const grant = (party: string, name: string) => limiter.acquire('tenant', { party }).then((release) => (order.push(name), release));
    const busy = Array.from({ length: 25 }, (_, i) => grant('client:a', `a${i}`));
    const newcomer = grant('client:b', 'b0');
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(0);
      const last = order.at(-1)!;
      (await (last === 'b0' ? newcomer : busy[Number(last.slice(1))]))();
    }
    await vi.advanceTimersByTimeAsync(0);
    expect(order.slice(0, 3)).toEqual(['a0', 'a1', 'b0']);
    for (const waiting of busy) waiting.catch(() => undefined);
    limiter.close();
  });

  it('counts a start until a full window after its call ends', async () => {
    const limiter = createRateLimiter({ maxInFlight: 5, perWindow: 1, windowMs: 60_000 });
    const release = await limiter.acquire('tenant');
    // The call takes 30 s: the provider may have counted it at its very end.
    await vi.advanceTimersByTimeAsync(30_000);
    release();
    let next = false;
    void limiter.acquire('tenant').then(() => (next = true));
    await vi.advanceTimersByTimeAsync(59_999);
    expect(next).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(next).toBe(true);
    limiter.close();
  });

  it('never lets more than the limit into a rolling window, wherever the provider stamps each call (property)', async () => {
    const WINDOW = 60_000;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        // Calls: when each asks (ms after the previous) and how long it runs, up to half a window (the request deadline).
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: WINDOW / 2 })), { minLength: 1, maxLength: 30 }),
        async (perWindow, calls) => {
          const limiter = createRateLimiter({ maxInFlight: 3, perWindow, windowMs: WINDOW });
          const spans: Array<[number, number]> = [];
          const done: Array<Promise<void>> = [];
          for (const [gap, duration] of calls) {
            await vi.advanceTimersByTimeAsync(gap);
            done.push(
              limiter.acquire('tenant').then(async (release) => {
                const granted = Date.now();
                await new Promise((resolve) => setTimeout(resolve, duration));
                spans.push([granted, Date.now()]);
                release();
              }),
            );
          }
          await vi.runAllTimersAsync();
          await Promise.all(done);
          limiter.close();
          expect(spans).toHaveLength(calls.length);
          // A provider may count a call at any instant of its span: no window of WINDOW ms may meet more than perWindow spans.
          for (const [start] of [...spans, ...spans.map(([, end]) => [end, end] as [number, number])]) {
            const meeting = spans.filter(([from, to]) => to >= start && from < start + WINDOW).length;
            expect(meeting).toBeLessThanOrEqual(perWindow);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
