import { describe, expect, it } from 'vitest';
import { AdapterError, createCircuitBreaker, type HttpRequest, type HttpResponse } from '../../adapters/kit/index.js';

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
