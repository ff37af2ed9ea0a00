// The gateway end to end over the Fragment sandbox: batching, order, nulls, idempotent create, coded errors.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
const fragment = () => gw.sandbox<FragmentSandboxHandle>('fragment');

beforeAll(async () => {
  gw = await startTestGateway(['fragment']);
});
afterAll(() => gw.close());
beforeEach(() => {
  fragment().faults.clear();
  fragment().calls.reset();
});

const pad = (n: number) => String(n).padStart(4, '0');

/** 450 ids: 447 unique (inv_0001..inv_0444 and three unknown), with three repeats. */
function idsWithDuplicatesAndUnknowns(): string[] {
  const ids: string[] = [];
  for (let i = 1; i <= 444; i++) ids.push(`fragment:Invoice:inv_${pad(i)}`);
  ids.splice(10, 0, 'fragment:Invoice:inv_missing_1');
  ids.splice(200, 0, 'fragment:Invoice:inv_missing_2');
  ids.push('fragment:Invoice:inv_missing_3');
  ids.push('fragment:Invoice:inv_0005', 'fragment:Invoice:inv_0300', 'fragment:Invoice:inv_0001');
  return ids;
}

describe('invoices(ids:) over Fragment', () => {
  it('answers 450 ids in order with null for unknown ones, in ceil(unique / 200) batch-get calls', async () => {
    const ids = idsWithDuplicatesAndUnknowns();
    expect(ids).toHaveLength(450);
    const unique = new Set(ids).size;
    expect(unique).toBe(447);

    const answer = await gw.query<{ invoices: Array<{ id: string; remoteId: string } | null> }>(
      `query($ids: [ID!]!) { invoices(ids: $ids) { id remoteId status total { amount currency minorUnits scale } } }`,
      { ids },
    );
    expect(answer.errors).toBeUndefined();
    const invoices = answer.data!.invoices;
    expect(invoices).toHaveLength(450);
    invoices.forEach((invoice, index) => {
      if (ids[index].includes('missing')) expect(invoice).toBeNull();
      else expect(invoice?.id).toBe(ids[index]);
    });
    expect(fragment().calls.count('batch-get')).toBe(Math.ceil(unique / 200));
    expect(fragment().calls.count('get')).toBe(0);
    // Every call the sandbox saw for this request, the token fetch of the first one included.
    expect(answer.extensions?.upstream?.fragment?.calls).toBe(fragment().calls.count());
    expect(fragment().calls.count() - fragment().calls.count('token')).toBe(Math.ceil(unique / 200));
  });

  it('costs the same batch-get calls when the 450 lookups are aliased invoice(id:) fields', async () => {
    const ids = idsWithDuplicatesAndUnknowns();
    const fields = ids.map((id, i) => `i${i}: invoice(id: ${JSON.stringify(id)}) { id }`).join('\n');
    const answer = await gw.query(`{ ${fields} }`);
    const unique = new Set(ids).size;
    expect(fragment().calls.count('batch-get')).toBe(Math.ceil(unique / 200));
    expect(fragment().calls.count('get')).toBe(0);
    ids.forEach((id, i) => {
      if (id.includes('missing')) expect(answer.data![`i${i}`]).toBeNull();
      else expect(answer.data![`i${i}`]).toEqual({ id });
    });
    // A single lookup of an unknown invoice says NOT_FOUND; nothing else fails.
    expect(answer.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
  });

  it('answers exact money and balances, with the status derived from the amounts', async () => {
    const answer = await gw.query(`{
      invoices(ids: ["fragment:Invoice:inv_0001", "fragment:Invoice:inv_0002", "fragment:Invoice:inv_0003", "fragment:Invoice:inv_0004", "fragment:Invoice:inv_0005"]) {
        status providerStatus currency
        total { amount currency minorUnits scale }
        amountDue { amount minorUnits }
        balances { currency net { expected { amount } actual { amount } remaining { amount } } }
        payments { id amount { amount currency } direction invoice { id } }
        parties { id role }
      }
    }`);
    expect(answer.errors).toBeUndefined();
    const invoices = answer.data.invoices as any[];
    const scales: Record<string, number> = { USD: 2, EUR: 2, JPY: 0, KWD: 3, BTC: 8 };
    for (const invoice of invoices) {
      if (invoice.currency === null) continue; // several currencies: see balances
      expect(invoice.total.scale).toBe(scales[invoice.total.currency]);
      const decimals = invoice.total.amount.split('.')[1]?.length ?? 0;
      expect(decimals).toBe(scales[invoice.total.currency]);
      expect(BigInt(invoice.total.minorUnits).toString()).toBe(invoice.total.amount.replace('.', '').replace(/^(-?)0+(?=\d)/, '$1'));
      const balance = invoice.balances[0];
      const expectedStatus =
        balance.net.remaining.amount === balance.net.expected.amount ? 'OPEN' : /^0(\.0+)?$/.test(balance.net.remaining.amount) ? 'PAID' : 'PARTIALLY_PAID';
      expect(invoice.status).toBe(expectedStatus);
      expect(invoice.providerStatus).toBe('active');
      for (const payment of invoice.payments) expect(payment.invoice.id).toMatch(/^fragment:Invoice:inv_000[1-5]$/);
    }
    expect(new Set(invoices.map((i) => i.status)).size).toBeGreaterThan(1);
  });
});

describe('createInvoice', () => {
  it('creates once when the same invoiceId is sent twice, and answers both times', async () => {
    const mutation = `mutation($input: CreateInvoiceInput!) {
      createInvoice(input: $input) { id remoteId status total { amount currency minorUnits } lineItems { amount { amount } direction } }
    }`;
    const input = {
      invoiceId: 'gw-test-create-1',
      lineItems: [
        { amount: '42.50', currency: 'USD', description: 'Consulting', productId: 'prod_1', type: 'PAYIN', userId: 'user_1' },
        { amount: '7.25', currency: 'USD', description: 'Hosting', productId: 'prod_2', type: 'PAYIN', userId: 'user_1' },
      ],
    };
    const before = fragment().store.invoiceCount();
    const first = await gw.query(mutation, { input });
    const second = await gw.query(mutation, { input });
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(first.data.createInvoice).toEqual(second.data.createInvoice);
    expect(first.data.createInvoice).toMatchObject({
      id: 'fragment:Invoice:gw-test-create-1',
      status: 'OPEN',
      total: { amount: '49.75', currency: 'USD', minorUnits: '4975' },
    });
    expect(fragment().store.invoiceCount()).toBe(before + 1);
  });

  it('refuses an amount finer than the currency with BAD_USER_INPUT and creates nothing', async () => {
    const before = fragment().store.invoiceCount();
    const answer = await gw.query(`mutation {
      createInvoice(input: { invoiceId: "gw-bad-amount", lineItems: [{ amount: "1.005", currency: "USD", description: "x", productId: "p", type: PAYIN, userId: "u" }] }) { id }
    }`);
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(fragment().store.invoiceCount()).toBe(before);
  });
});

describe('errors', () => {
  it('answers BAD_USER_INPUT for a malformed id, next to the good answers', async () => {
    const answer = await gw.query(`{ invoices(ids: ["not-an-id", "fragment:Invoice:inv_0001", "nope:Invoice:x"]) { id } }`);
    expect(answer.data.invoices).toEqual([null, { id: 'fragment:Invoice:inv_0001' }, null]);
    expect(answer.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['invoices', 0], 'BAD_USER_INPUT'],
      [['invoices', 2], 'BAD_USER_INPUT'],
    ]);
  });

  it('answers UPSTREAM_UNAVAILABLE naming fragment when the sandbox fails with 500, leaking nothing, and keeps serving', async () => {
    fragment().faults.inject({ routes: ['batch-get'], status: 500 });
    const answer = await gw.query(`{ invoices(ids: ["fragment:Invoice:inv_0001", "fragment:Invoice:inv_0002"]) { id } }`);
    fragment().faults.clear();
    // A read is retried twice before the error is answered.
    expect(fragment().calls.count('batch-get')).toBe(3);
    expect(answer.data.invoices).toEqual([null, null]);
    expect(answer.errors).toHaveLength(2);
    for (const error of answer.errors!) {
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'fragment' });
    }
    const text = JSON.stringify(answer);
    expect(text).not.toMatch(/injected fault|Bearer|access_token|secret/i);
    const next = await gw.query(`{ invoice(id: "fragment:Invoice:inv_0001") { id } }`);
    expect(next).toMatchObject({ data: { invoice: { id: 'fragment:Invoice:inv_0001' } } });
    expect(next.errors).toBeUndefined();
  });

  it('refuses more ids than the documented maximum', async () => {
    const ids = Array.from({ length: 1001 }, (_, i) => `fragment:Invoice:inv_${i}`);
    const answer = await gw.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id } }`, { ids });
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(fragment().calls.count()).toBe(0);
  });
});
