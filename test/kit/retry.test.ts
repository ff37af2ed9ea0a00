import { describe, expect, it } from 'vitest';
import { AdapterError, CallAbortedError, CircuitOpenError, retryMiddleware, type HttpRequest, type HttpResponse } from '../../adapters/kit/index.js';

const ok: HttpResponse = { status: 200, headers: {}, body: null };
const unavailable = () => new AdapterError('UPSTREAM_UNAVAILABLE', 'down', { source: 's', status: 503 });

/** A send that fails with the given errors, then answers 200; it counts its calls. */
function flaky(...errors: Error[]) {
  let calls = 0;
  const send = async () => {
    calls += 1;
    const error = errors.shift();
    if (error) throw error;
    return ok;
  };
  return { send, calls: () => calls };
}

function setup(overrides: Partial<Parameters<typeof retryMiddleware>[0]> = {}) {
  const waits: number[] = [];
  let clock = 0;
  const retry = retryMiddleware({
    retries: 2,
    baseDelayMs: 100,
    maxDelayMs: 5_000,
    random: () => 1,
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock += ms;
    },
    ...overrides,
  });
  return { retry, waits };
}

describe('retries', () => {
  it('retries a read with exponential backoff and answers once it succeeds', async () => {
    const { retry, waits } = setup();
    const upstream = flaky(unavailable(), unavailable());
    await expect(retry({ method: 'GET', path: '/x' }, upstream.send)).resolves.toBe(ok);
    expect(upstream.calls()).toBe(3);
    expect(waits).toEqual([100, 200]);
  });

  it('gives up after the configured retries with the last error', async () => {
    const { retry } = setup();
    const upstream = flaky(unavailable(), unavailable(), unavailable());
    await expect(retry({ method: 'GET', path: '/x' }, upstream.send)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(upstream.calls()).toBe(3);
  });

  it('never retries a write without an idempotency key, and retries one with it', async () => {
    const { retry } = setup();
    const plain = flaky(unavailable());
    await expect(retry({ method: 'POST', path: '/invoices' }, plain.send)).rejects.toThrow('down');
    expect(plain.calls()).toBe(1);
    const keyed = flaky(unavailable());
    await expect(retry({ method: 'POST', path: '/invoices', idempotent: true }, keyed.send)).resolves.toBe(ok);
    expect(keyed.calls()).toBe(2);
  });

  it('honours Retry-After, and answers the rate limit when the wait would pass the deadline', async () => {
    const limited = (seconds: number) =>
      new AdapterError('UPSTREAM_RATE_LIMITED', 'slow down', { source: 's', status: 429, retryAfter: seconds });
    const { retry, waits } = setup();
    await expect(retry({ method: 'GET', path: '/x' }, flaky(limited(2)).send)).resolves.toBe(ok);
    expect(waits).toEqual([2_000]);

    const short = setup();
    const req: HttpRequest = { method: 'GET', path: '/x', deadline: 1_500 };
    await expect(short.retry(req, flaky(limited(2)).send)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 2 });
    expect(short.waits).toEqual([]);
  });

  it('does not retry errors that are answers, an open circuit, or what an inner layer already retried', async () => {
    const { retry } = setup();
    const cases: Error[] = [
      new AdapterError('BAD_USER_INPUT', 'no', { source: 's', status: 400 }),
      new AdapterError('UPSTREAM_BAD_RESPONSE', 'garbled', { source: 's' }),
      new CircuitOpenError('UPSTREAM_UNAVAILABLE', 'open', { source: 's' }),
      new AdapterError('UPSTREAM_RATE_LIMITED', 'done', { source: 's', status: 429, retryAfter: 1, retryable: false }),
    ];
    for (const error of cases) {
      const upstream = flaky(error);
      await expect(retry({ method: 'GET', path: '/x' }, upstream.send)).rejects.toBe(error);
      expect(upstream.calls()).toBe(1);
    }
  });
});

describe('retries and timeouts', () => {
  const silence = () => new AdapterError('UPSTREAM_TIMEOUT', 'silent', { source: 's', answerLost: true });
  const gatewayTimeout = () => new AdapterError('UPSTREAM_TIMEOUT', '504', { source: 's', status: 504, answerLost: true });
  const read = (deadline?: number): HttpRequest => ({ method: 'GET', path: '/x', deadline });

  it('never asks again a provider that stayed silent for a whole call timeout', async () => {
    const { retry, waits } = setup({ attemptMs: 10_000 });
    const upstream = flaky(silence());
    await expect(retry(read(1_000_000), upstream.send)).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(upstream.calls()).toBe(1);
    expect(waits).toEqual([]);
  });

  it('retries an answered timeout (504) only while the deadline leaves room for a whole attempt', async () => {
    const roomy = setup({ attemptMs: 1_000 });
    const first = flaky(gatewayTimeout());
    await expect(roomy.retry(read(10_000), first.send)).resolves.toBe(ok);
    expect(first.calls()).toBe(2);

    const tight = setup({ attemptMs: 1_000 });
    const second = flaky(gatewayTimeout());
    // 100 ms of backoff + a 1000 ms attempt do not fit in 1000 ms.
    await expect(tight.retry(read(1_000), second.send)).rejects.toMatchObject({ code: 'UPSTREAM_TIMEOUT', status: 504 });
    expect(second.calls()).toBe(1);
  });

  it('never repeats a call the caller stopped', async () => {
    const { retry } = setup();
    const upstream = flaky(new CallAbortedError('s', 'client'), new CallAbortedError('s', 'deadline'));
    await expect(retry(read(), upstream.send)).rejects.toMatchObject({ code: 'QUERY_TOO_COMPLEX', by: 'client' });
    expect(upstream.calls()).toBe(1);
  });
});
