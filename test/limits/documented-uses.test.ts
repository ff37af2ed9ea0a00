// The documented uses pass the default limits with the same upstream calls as without limits: 1000 ids in one list,
// 120 aliased lookups, and a page of 100 batch payments with their payments and invoices.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { aliasedLookupsQuery } from '../support/hostile-queries.js';
import { postToGateway } from '../support/http-status.js';
import { sandboxInvoiceIds } from '../support/sandbox-ids.js';

const KINDS = ['fragment', 'korint', 'xero'];
let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(() => gw.close());
beforeEach(() => {
  for (const kind of KINDS) gw.sandbox(kind).calls.reset();
});

describe('documented uses under the default limits', () => {
  it('1000 ids in one list: every invoice answered, ceil(1000 / 200) Fragment batch-gets', async () => {
    // The sandbox holds 600 invoices: 400 more ids that do not exist still cost their lookups.
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 600), ...Array.from({ length: 400 }, (_, i) => `fragment:Invoice:inv_none_${i}`)];
    const result = await postToGateway(
      gw.gateway,
      `query($ids: [ID!]!) { invoices(ids: $ids) { id status total { amount currency } amountDue { amount } balances { currency net { remaining { amount } } } } }`,
      { ids },
    );
    expect(result.status).toBe(200);
    expect(result.answer.errors).toBeUndefined();
    const invoices = result.answer.data.invoices as Array<{ id: string } | null>;
    expect(invoices.slice(0, 600).map((invoice) => invoice?.id)).toEqual(ids.slice(0, 600));
    expect(invoices.slice(600).every((invoice) => invoice === null)).toBe(true);
    expect(gw.sandbox('fragment').calls.count('batch-get')).toBe(5);
    // The summary counts every call the sandbox served (the first request of the file also fetches a token).
    expect(result.answer.extensions?.upstream?.fragment?.calls).toBe(gw.sandbox('fragment').calls.count());
  });

  it('120 aliased invoice(id:) lookups over three providers: one batch per provider', async () => {
    const ids = [...sandboxInvoiceIds(gw, 'fragment', 40), ...sandboxInvoiceIds(gw, 'korint', 40), ...sandboxInvoiceIds(gw, 'xero', 40)];
    const result = await postToGateway(gw.gateway, aliasedLookupsQuery(ids, 120));
    expect(result.status).toBe(200);
    expect(result.answer.errors).toBeUndefined();
    ids.forEach((id, i) => expect(result.answer.data[`a${i}`]).toEqual({ id }));
    expect(gw.sandbox('fragment').calls.count('batch-get')).toBe(1);
    expect(gw.sandbox('korint').calls.count('invoices')).toBe(1);
    expect(gw.sandbox('xero').calls.count('invoices')).toBe(1);
  });

  it('batchPayments(first: 100) with every payment and its invoice: one list call and ceil(invoices / 50) invoice calls', async () => {
    const xero = gw.sandbox<XeroSandboxHandle>('xero');
    const result = await postToGateway(
      gw.gateway,
      `{ batchPayments(first: 100) { totalCount edges { node { id total { amount currency }
           payments { id amount { amount } invoice { id number status amountDue { amount currency } } } } } } }`,
    );
    expect(result.status).toBe(200);
    expect(result.answer.errors).toBeUndefined();
    const edges = result.answer.data.batchPayments.edges as Array<{ node: { payments: Array<{ invoice: { id: string } | null }> } }>;
    const data = xero.dataset();
    expect(edges).toHaveLength(Math.min(100, data.batches.length));
    const invoiceIds = new Set<string>();
    for (const { node } of edges) {
      for (const payment of node.payments) {
        expect(payment.invoice).not.toBeNull();
        invoiceIds.add(payment.invoice!.id);
      }
    }
    expect(invoiceIds.size).toBeGreaterThan(50);
    expect(xero.calls.count('batch-payments')).toBe(1);
    expect(xero.calls.count('invoices')).toBe(Math.ceil(invoiceIds.size / 50));
    expect(xero.calls.count()).toBe(1 + Math.ceil(invoiceIds.size / 50));
  });
});
