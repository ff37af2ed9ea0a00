// The HTTP helper charges a stopped call to whoever stopped it: the provider's silence past the call timeout is
// UPSTREAM_TIMEOUT; the caller's abort (client gone, deadline, answer sent, limit) is a CallAbortedError, whatever its timing.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CallAbortedError, CallerAbort, createHttpClient, type UpstreamCall } from '../../adapters/kit/index.js';

let server: Server;
let url: string;
let dispatcher: Agent;
const hanging = new Set<ServerResponse>();
let arrived: () => void = () => {};

beforeAll(async () => {
  // Never answers: every call is stopped by someone, and the test says by whom.
  server = createServer((_req, res) => {
    hanging.add(res);
    arrived();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dispatcher = new Agent();
});
afterAll(async () => {
  for (const res of hanging) res.destroy();
  await dispatcher.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const nextArrival = () => new Promise<void>((resolve) => (arrived = resolve));

function client(timeoutMs: number) {
  const calls: UpstreamCall[] = [];
  const http = createHttpClient({ source: 'p', baseUrl: url, dispatcher, timeouts: { headersMs: timeoutMs, bodyMs: timeoutMs } });
  return { http, calls, onCall: (call: UpstreamCall) => calls.push(call) };
}

describe('who stopped the call', () => {
  it.each([
    ['client', new CallerAbort('client')],
    ['deadline', new CallerAbort('deadline')],
    ['response-sent', new CallerAbort('response-sent')],
    ['limit', new CallerAbort('limit', 'the operation used its upstream budget')],
    ['client', new Error('some other reason')],
  ] as const)('a caller abort (%s) is the caller\'s, not an UPSTREAM_TIMEOUT', async (by, reason) => {
    const { http, calls, onCall } = client(60_000);
    const controller = new AbortController();
    const arrival = nextArrival();
    const sent = http.send({ method: 'GET', path: '/x', signal: controller.signal, onCall });
    await arrival;
    controller.abort(reason);
    const error = await sent.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallAbortedError);
    expect(error).toMatchObject({ code: 'QUERY_TOO_COMPLEX', by, source: 'p', retryable: false, answerLost: true });
    expect(calls.map((c) => c.errorCode)).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('a provider silent past the call timeout is UPSTREAM_TIMEOUT', async () => {
    const { http, onCall } = client(50);
    await expect(http.send({ method: 'GET', path: '/x', deadline: Date.now() + 60_000, onCall })).rejects.toMatchObject({
      code: 'UPSTREAM_TIMEOUT',
      answerLost: true,
    });
  });

  it('a call timer cut short by the request deadline is the deadline\'s doing', async () => {
    const { http } = client(60_000);
    const error = await http.send({ method: 'GET', path: '/x', deadline: Date.now() + 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallAbortedError);
    expect(error).toMatchObject({ code: 'QUERY_TOO_COMPLEX', by: 'deadline' });
  });

  it('a call whose signal is already aborted is not sent', async () => {
    const { http, calls, onCall } = client(60_000);
    const before = hanging.size;
    await expect(http.send({ method: 'GET', path: '/x', signal: AbortSignal.abort(new CallerAbort('client')), onCall })).rejects.toMatchObject({
      by: 'client',
      answerLost: false,
    });
    expect(calls).toEqual([]);
    expect(hanging.size).toBe(before);
  });

  it('a refused connection is UPSTREAM_UNAVAILABLE, and the request never left', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const http = createHttpClient({ source: 'p', baseUrl: `http://127.0.0.1:${port}`, dispatcher });
    await expect(http.send({ method: 'POST', path: '/x', json: {} })).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', answerLost: false });
  });
});

describe('our own stalls', () => {
  it('are not charged to a provider whose answer arrived in time while this process was busy', async () => {
    // The call timer runs on fake time, so "this process was busy past the timeout" is exact: the answer is written,
    // then the timer fires before the loop could read it, as after a long synchronous job.
    let respond!: (res: ServerResponse) => void;
    const answering = createServer((_req, res) => respond(res));
    await new Promise<void>((resolve) => answering.listen(0, '127.0.0.1', resolve));
    const http = createHttpClient({
      source: 'p',
      baseUrl: `http://127.0.0.1:${(answering.address() as AddressInfo).port}`,
      dispatcher,
      timeouts: { headersMs: 50, bodyMs: 50 },
    });
    try {
      for (let i = 0; i < 3; i++) {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
        try {
          const arrival = new Promise<ServerResponse>((resolve) => (respond = resolve));
          const sent = http.send({ method: 'GET', path: '/x' }).then((r) => r.status, (e: { code: string }) => e.code);
          const res = await arrival;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{}');
          vi.advanceTimersByTime(51);
          expect(await sent).toBe(200);
        } finally {
          vi.useRealTimers();
        }
      }
    } finally {
      answering.closeAllConnections();
      await new Promise((resolve) => answering.close(resolve));
    }
  });
});
