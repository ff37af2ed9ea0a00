// Provider answers the gateway cannot take as they are: one far larger than GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES is cut
// while it streams in (memory stays bounded, the provider stops sending), and a JSON number with more digits than a
// double carries fails its item with UPSTREAM_BAD_RESPONSE instead of being rounded. Other providers, and the other
// items of the same answer, are served.
import { MockAgent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { createHttpClient } from '../../adapters/kit/http.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { loadConfig } from '../../src/config.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

const MiB = 1024 * 1024;

describe('an answer past GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(['fragment', 'korint'], { maxUpstreamResponseBytes: MiB });
  });
  afterAll(() => t.close());
  afterEach(() => t.sandbox('fragment').faults.clear());

  it('is cut while it streams: UPSTREAM_BAD_RESPONSE for that source, memory bounded, the other source served', async () => {
    const huge = 150 * MiB;
    t.sandbox('fragment').faults.inject({ routes: ['batch-get'], hugeBodyBytes: huge, times: 1 });
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 2);
    const answer = await t.query('{ a: invoice(id: "fragment:Invoice:inv_0001") { id } b: invoice(id: "korint:Invoice:kor_inv_0002") { id } }');
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(answer.data).toEqual({ a: null, b: { id: 'korint:Invoice:kor_inv_0002' } });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]).toMatchObject({ path: ['a'], extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'fragment' } });
    expect(answer.errors![0].message).toContain(`more than ${MiB} bytes`);
    // The provider was stopped well before the end of its 150 MiB, and the gateway never held it.
    const call = t.sandbox('fragment').calls.list().find((c) => c.name === 'batch-get')!;
    expect(call.bytesSent).toBeLessThan(32 * MiB);
    expect(peak - before).toBeLessThan(64 * MiB);
    // Cut, not retried: the same answer would come again.
    expect(t.sandbox('fragment').calls.count('batch-get')).toBe(1);
  });

  it('a Content-Length past the bound is refused before the body is read', async () => {
    const agent = new MockAgent();
    agent.disableNetConnect();
    agent
      .get('https://provider.test')
      .intercept({ path: '/big', method: 'GET' })
      .reply(200, '{"data":[]}', { headers: { 'content-type': 'application/json', 'content-length': String(64 * MiB) } });
    const http = createHttpClient({ source: 'p', baseUrl: 'https://provider.test', dispatcher: agent, maxResponseBytes: MiB });
    await expect(http.send({ method: 'GET', path: '/big' })).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'p' });
    await agent.close();
  });

  it('GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES defaults to 32 MiB; a value that is not a size stops the start', () => {
    expect(loadConfig({}, providers).maxUpstreamResponseBytes).toBe(33_554_432);
    expect(loadConfig({ GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: '1048576' }, providers).maxUpstreamResponseBytes).toBe(MiB);
    expect(() => loadConfig({ GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: 'lots' }, providers)).toThrow(/GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES/);
    expect(() => loadConfig({ GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES: '10' }, providers)).toThrow(/GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES/);
  });
});

describe('a number a double cannot carry', () => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(['korint', 'xero']);
  });
  afterAll(() => t.close());
  afterEach(() => {
    t.sandbox('xero').faults.clear();
    t.sandbox('korint').faults.clear();
  });

  it('Xero: the invoice holding it answers UPSTREAM_BAD_RESPONSE; the other invoice of the same answer is served exactly', async () => {
    const [first, second] = t.sandbox<XeroSandboxHandle>('xero').dataset().invoices;
    t.sandbox('xero').faults.inject({ routes: ['invoices'], inexactNumberField: 'Total', times: 1 });
    const answer = await t.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id total { amount } } }`, {
      ids: [`xero:Invoice:${first.id}`, `xero:Invoice:${second.id}`],
    });
    // The sandbox answers in its own order; the first invoice of its answer carries the long number.
    const failed = answer.data.invoices.findIndex((invoice: unknown) => invoice === null);
    expect(failed).toBeGreaterThanOrEqual(0);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]).toMatchObject({ path: ['invoices', failed], extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'xero' } });
    // The field is named; its digits are not (no upstream data reaches a client).
    expect(answer.errors![0].message).toBe('xero sent a malformed invoice at Total');
    const served = answer.data.invoices[1 - failed];
    const seeded = [first, second].find((invoice) => `xero:Invoice:${invoice.id}` === served.id)!;
    expect(served.total.amount).toBe((seeded.total / 10 ** seeded.scale).toFixed(seeded.scale));
  });

  it('Korint: the same, never rounded to the amount JSON.parse would give', async () => {
    t.sandbox('korint').faults.inject({ routes: ['invoices'], inexactNumberField: 'amountWithFeesAndTaxes', times: 1 });
    const answer = await t.query('{ invoices(ids: ["korint:Invoice:kor_inv_0002"]) { id total { amount } } }');
    expect(answer.data.invoices).toEqual([null]);
    expect(answer.errors![0]).toMatchObject({ path: ['invoices', 0], extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'korint' } });
    expect(answer.errors![0].message).toBe('korint sent a malformed invoice at components.0.premium.amountWithFeesAndTaxes');
    // Without the fault the same invoice reads as before.
    const again = await t.query('{ invoices(ids: ["korint:Invoice:kor_inv_0002"]) { id } }');
    expect(again.data.invoices).toEqual([{ id: 'korint:Invoice:kor_inv_0002' }]);
  });
});
