import { describe, expect, it } from 'vitest';
import { AdapterError, CallAbortedError, createCircuitBreaker, type HttpRequest, type HttpResponse } from '../../adapters/kit/index.js';

const req: HttpRequest = { method: 'GET', path: '/x' };
const ok = async (): Promise<HttpResponse> => ({ status: 200, headers: {}, body: null });
const down = async (): Promise<HttpResponse> => {
  throw new AdapterError('UPSTREAM_UNAVAILABLE', 'down', { source: 's', status: 500 });
};

describe('circuit breaker', () => {
  it('opens after the configured consecutive failures, refuses at once, probes after the cool-down', async () => {
    let now = 0;
    const breaker = createCircuitBreaker({ source: 's', failureThreshold: 3, coolDownMs: 1000, now: () => now });
    let calls = 0;
    const counted = async () => {
      calls += 1;
      return down();
    };
    for (let i = 0; i < 3; i++) await expect(breaker.middleware(req, counted)).rejects.toThrow('down');
    expect(breaker.snapshot().state).toBe('OPEN');
    await expect(breaker.middleware(req, counted)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', message: 's is unavailable (circuit open)' });
    expect(calls).toBe(3);
    now = 1000;
    await expect(breaker.middleware(req, ok)).resolves.toMatchObject({ status: 200 });
    expect(breaker.snapshot()).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0 });
  });

  it('reopens when the probe fails, and lets only one probe through at a time', async () => {
    let now = 0;
    const breaker = createCircuitBreaker({ source: 's', failureThreshold: 1, coolDownMs: 100, now: () => now });
    await expect(breaker.middleware(req, down)).rejects.toThrow();
    now = 100;
    let release!: () => void;
    const slow = () => new Promise<HttpResponse>((resolve) => (release = () => resolve({ status: 200, headers: {}, body: null })));
    const probe = breaker.middleware(req, slow);
    await expect(breaker.middleware(req, ok)).rejects.toMatchObject({ message: 's is unavailable (circuit open)' });
    release();
    await probe;
    expect(breaker.snapshot().state).toBe('CLOSED');
    await expect(breaker.middleware(req, down)).rejects.toThrow();
    expect(breaker.snapshot().state).toBe('OPEN');
  });

  it('does not count rate limits or 4xx answers as outages', async () => {
    const breaker = createCircuitBreaker({ source: 's', failureThreshold: 1, coolDownMs: 100 });
    const limited = async (): Promise<HttpResponse> => {
      throw new AdapterError('UPSTREAM_RATE_LIMITED', 'slow down', { source: 's', status: 429 });
    };
    await expect(breaker.middleware(req, limited)).rejects.toThrow('slow down');
    expect(breaker.snapshot().state).toBe('CLOSED');
  });
});

describe('circuit breaker: faults charged to their cause', () => {
  const aborted = (by: 'client' | 'deadline' | 'limit') => async (): Promise<HttpResponse> => {
    throw new CallAbortedError('s', by);
  };

  it('does not count calls the caller stopped, however many', async () => {
    const breaker = createCircuitBreaker({ source: 's', failureThreshold: 2, coolDownMs: 1000 });
    for (const by of ['client', 'deadline', 'limit', 'client', 'client'] as const) {
      await expect(breaker.middleware(req, aborted(by))).rejects.toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    }
    expect(breaker.snapshot()).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0, lastErrorCode: null });
  });

  it('keeps the circuit open when the probe is stopped by its caller, and lets the next call probe at once', async () => {
    let now = 0;
    const breaker = createCircuitBreaker({ source: 's', failureThreshold: 1, coolDownMs: 100, now: () => now });
    await expect(breaker.middleware(req, down)).rejects.toThrow();
    now = 100;
    await expect(breaker.middleware(req, aborted('client'))).rejects.toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    expect(breaker.snapshot().state).toBe('OPEN');
    expect(breaker.probeDueInMs()).toBe(0);
    await expect(breaker.middleware(req, ok)).resolves.toMatchObject({ status: 200 });
    expect(breaker.snapshot().state).toBe('CLOSED');
  });

  it('is not closed early by a call that started before it opened and succeeds afterwards', async () => {
    let now = 0;
    const breaker = createCircuitBreaker({ source: 's', failureThreshold: 1, coolDownMs: 1000, now: () => now });
    let release!: () => void;
    const slow = () => new Promise<HttpResponse>((resolve) => (release = () => resolve({ status: 200, headers: {}, body: null })));
    const early = breaker.middleware(req, slow);
    await expect(breaker.middleware(req, down)).rejects.toThrow();
    expect(breaker.snapshot().state).toBe('OPEN');
    release();
    await expect(early).resolves.toMatchObject({ status: 200 });
    expect(breaker.snapshot().state).toBe('OPEN');
    expect(breaker.probeDueInMs()).toBe(1000);
  });

  it('tells when a probe is due and reports every change of state', async () => {
    let now = 0;
    const breaker = createCircuitBreaker({ source: 's', failureThreshold: 1, coolDownMs: 500, now: () => now });
    const seen: string[] = [];
    breaker.onChange((state) => seen.push(state));
    expect(breaker.probeDueInMs()).toBeUndefined();
    await expect(breaker.middleware(req, down)).rejects.toThrow();
    now = 200;
    expect(breaker.probeDueInMs()).toBe(300);
    now = 500;
    await breaker.middleware(req, ok);
    expect(seen).toEqual(['OPEN', 'HALF_OPEN', 'CLOSED']);
  });
});
