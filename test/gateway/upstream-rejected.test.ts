// A provider's 4xx is charged to whoever composed the request. A read, a listing or a token call is the gateway's own
// request: its 400 is UPSTREAM_REJECTED (never BAD_USER_INPUT, which blames the caller), not retried and not counted by
// the circuit breaker. A write carries the caller's input: Fragment's 400 to a create is BAD_USER_INPUT, with Fragment's
// own words in `extensions.providerMessages`.
import { afterEach, describe, expect, it } from 'vitest';
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const TWO_SOURCES = `{ invoices(ids: ["fragment:Invoice:inv_0001", "korint:Invoice:kor_inv_0001"]) { id } }`;

describe('a provider refusing a request the gateway composed', () => {
  it('answers UPSTREAM_REJECTED for a read, once (no retry), and serves the other sources', async () => {
    gw = await startTestGateway(['fragment', 'korint']);
    const fragment = gw.sandbox<FragmentSandboxHandle>('fragment');
    fragment.faults.inject({ routes: ['batch-get'], status: 400 });
    const answer = await gw.query(TWO_SOURCES);
    expect(answer.data?.invoices).toEqual([null, { id: 'korint:Invoice:kor_inv_0001' }]);
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]).toMatchObject({ path: ['invoices', 0], extensions: { code: 'UPSTREAM_REJECTED', source: 'fragment' } });
    expect(answer.errors?.[0].message).toBe("fragment refused the gateway's request (HTTP 400)");
    expect(answer.extensions?.upstream.fragment.errors).toEqual([{ code: 'UPSTREAM_REJECTED', count: 1 }]);
    // Another attempt would be refused the same way: one call, and the circuit stays closed.
    expect(fragment.calls.count('batch-get')).toBe(1);
    const health = await gw.query(`{ sources { name health { circuit consecutiveFailures } } }`);
    expect(health.data.sources.find((s: { name: string }) => s.name === 'fragment').health).toEqual({ circuit: 'CLOSED', consecutiveFailures: 0 });
  });

  it('answers UPSTREAM_REJECTED when the token endpoint refuses the token request with a 400', async () => {
    gw = await startTestGateway(['fragment', 'korint']);
    const fragment = gw.sandbox<FragmentSandboxHandle>('fragment');
    fragment.faults.inject({ routes: ['token'], status: 400 });
    const answer = await gw.query(TWO_SOURCES);
    expect(answer.errors?.map((e) => e.extensions)).toEqual([{ code: 'UPSTREAM_REJECTED', source: 'fragment' }]);
    expect(fragment.calls.count('batch-get')).toBe(0);
  });

  it('answers UPSTREAM_REJECTED for a listing page, recorded with that code in extensions.upstream', async () => {
    gw = await startTestGateway(['fragment', 'korint']);
    gw.sandbox('korint').faults.inject({ routes: ['invoices'], status: 400 });
    const answer = await gw.query(`{ listInvoices(first: 3) { incompleteSources nodes { id } } }`);
    expect(answer.data.listInvoices.incompleteSources).toEqual(['korint']);
    expect(answer.data.listInvoices.nodes).toHaveLength(3);
    expect(answer.errors?.map((e) => e.extensions)).toEqual([{ code: 'UPSTREAM_REJECTED', source: 'korint' }]);
    expect(answer.extensions?.upstream.korint.errors).toEqual([{ code: 'UPSTREAM_REJECTED', count: 1 }]);
  });
});

describe("a provider refusing the caller's own input in a write", () => {
  it("answers BAD_USER_INPUT with the provider's messages, and creates nothing", async () => {
    gw = await startTestGateway(['fragment']);
    const fragment = gw.sandbox<FragmentSandboxHandle>('fragment');
    const before = fragment.store.invoiceCount();
    // A blank userId passes the gateway's own checks; Fragment refuses it.
    const answer = await gw.query(
      `mutation { createInvoice(input: { invoiceId: "inv-blank-user", lineItems: [
        { amount: "10.00", currency: "USD", description: "d", productId: "p", type: PAYIN, userId: " " }] }) { id } }`,
    );
    expect(answer.data).toBeNull();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]).toMatchObject({
      message: 'fragment rejected the input (HTTP 400)',
      extensions: { code: 'BAD_USER_INPUT', source: 'fragment', providerMessages: ['line_items[0].user_id is required'] },
    });
    expect(fragment.store.invoiceCount()).toBe(before);
  });
});
