// The identity provider's keys cannot be fetched (its JWKS is down, answers 500, or answers something that is no key set):
// the token was never judged, so the caller gets 503 with Retry-After and UPSTREAM_UNAVAILABLE, never 401 "not accepted"
// (which makes clients drop their sessions), and the log says why. Once the JWKS answers again, tokens are served. Clocks
// may differ by GATEWAY_JWT_CLOCK_TOLERANCE_S (30 s by default).
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/logger.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { post, startIdentityProvider, type TestIdentityProvider } from '../support/security.js';

const QUERY = '{ invoice(id: "fragment:Invoice:inv_0001") { number } }';
let gw: TestGateway | undefined;
let idp: TestIdentityProvider | undefined;
afterEach(async () => {
  await gw?.close();
  await idp?.close().catch(() => undefined);
  gw = idp = undefined;
});

async function start(options: { clockToleranceS?: number } = {}) {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  idp = await startIdentityProvider();
  gw = await startTestGateway(['fragment'], {
    logger: createLogger({ level: 'info', destination: sink }),
    auth: { mode: 'jwt', jwt: { jwksUrl: idp.jwksUrl, issuer: idp.issuer, audience: idp.audience, ...options } },
  });
  return { lines, idp, gw };
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

function expectUnavailable(answer: Awaited<ReturnType<typeof post>>) {
  expect(answer.status).toBe(503);
  expect(answer.headers.get('retry-after')).toBe('5');
  expect(answer.body.data).toBeUndefined();
  expect(answer.body.errors).toEqual([
    { message: expect.stringMatching(/keys that verify tokens cannot be fetched/), extensions: { code: 'UPSTREAM_UNAVAILABLE', retryAfter: 5 } },
  ]);
}

describe('a JWKS that cannot be fetched', () => {
  it('answers 503 with Retry-After while it answers 500 or no key set, logs the cause once, and serves once it recovers', async () => {
    const { lines, idp, gw } = await start();
    const token = await idp.sign();
    idp.failJwks(500);
    expectUnavailable(await post(gw.gateway, QUERY, bearer(token)));
    expectUnavailable(await post(gw.gateway, QUERY, bearer(token)));
    idp.failJwks('garbage');
    expectUnavailable(await post(gw.gateway, QUERY, bearer(token)));
    expect(gw.sandbox('fragment').calls.count()).toBe(0);

    // One warn line with the cause, not one per request; the repeats are counted.
    const logged = lines.filter((l) => l.source === 'jwks' && l.level === 40);
    expect(logged).toEqual([expect.objectContaining({ code: 'JWKS_UNAVAILABLE', message: expect.stringMatching(/Expected 200 OK from the JSON Web Key Set/) })]);

    idp.failJwks(undefined);
    const served = await post(gw.gateway, QUERY, bearer(token));
    expect(served.status).toBe(200);
    expect(served.body.data).toEqual({ invoice: { number: 'inv_0001' } });
    await gw.close();
    expect(lines.filter((l) => l.msg === 'upstream failure, repeated')).toEqual([expect.objectContaining({ source: 'jwks', count: 3 })]);
  });

  it('answers 503 when the identity provider is not reachable at all, and still 401 to a token it refuses', async () => {
    const { lines, idp, gw } = await start();
    const token = await idp.sign();
    await idp.close();
    expectUnavailable(await post(gw.gateway, QUERY, bearer(token)));
    const line = lines.find((l) => l.source === 'jwks');
    expect(line).toMatchObject({ level: 40, message: expect.stringMatching(/fetch failed/), cause: expect.stringMatching(/ECONNREFUSED/) });
    // A token that is not even well formed is refused without asking for keys.
    const garbage = await post(gw.gateway, QUERY, bearer('not.a.token'));
    expect(garbage.status).toBe(401);
  });

  it('refuses an expired token with 401 once the keys are known', async () => {
    const { idp, gw } = await start();
    const expired = await idp.sign({}, { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    const answer = await post(gw.gateway, QUERY, bearer(expired));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('GATEWAY_JWT_CLOCK_TOLERANCE_S', () => {
  const tenSecondsAgo = () => Math.floor(Date.now() / 1000) - 10;

  it('accepts a token that expired 10 s ago, or is valid from 10 s from now, with the default 30 s', async () => {
    const { idp, gw } = await start();
    expect((await post(gw.gateway, QUERY, bearer(await idp.sign({}, { expiresIn: tenSecondsAgo() })))).status).toBe(200);
    const notYet = await idp.sign({ nbf: Math.floor(Date.now() / 1000) + 10 });
    expect((await post(gw.gateway, QUERY, bearer(notYet))).status).toBe(200);
  });

  it('refuses the same token with a tolerance of 0', async () => {
    const { idp, gw } = await start({ clockToleranceS: 0 });
    const answer = await post(gw.gateway, QUERY, bearer(await idp.sign({}, { expiresIn: tenSecondsAgo() })));
    expect(answer.status).toBe(401);
    expect(answer.body.errors?.[0].message).toMatch(/expired/);
  });
});
