// A nested value the gateway cannot read fails that field alone, at its path, with UPSTREAM_BAD_RESPONSE: the rest of
// the invoice and the other invoices are served, from the one batch-get. (Invoices are built when read: see
// adapters/fragment/fragment-to-model.ts.)
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
  fragment().unknownLineItemCurrency([]);
});

const IDS = ['fragment:Invoice:inv_0003', 'fragment:Invoice:inv_0004', 'fragment:Invoice:inv_0005'];

describe('a line item amount the gateway cannot read', () => {
  it('fails lineItems[0].amount alone; id, status and balances of that invoice and the other invoices are served', async () => {
    const expected = await gw.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id status balances { currency net { remaining { amount } } } } }`, { ids: IDS });
    expect(expected.errors).toBeUndefined();

    fragment().unknownLineItemCurrency(['inv_0004']);
    fragment().calls.reset();
    const answer = await gw.query(
      `query($ids: [ID!]!) { invoices(ids: $ids) { id status balances { currency net { remaining { amount } } } lineItems { id amount { amount currency } } } }`,
      { ids: IDS },
    );
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0].path).toEqual(['invoices', 1, 'lineItems', 0, 'amount']);
    expect(answer.errors![0].extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'fragment' });
    expect(answer.errors![0].message).not.toContain('XQQ');

    const invoices = answer.data!.invoices;
    invoices.forEach((invoice: any, i: number) => {
      expect(invoice.id).toBe(IDS[i]);
      expect(invoice.status).toBe(expected.data.invoices[i].status);
      expect(invoice.balances).toEqual(expected.data.invoices[i].balances);
    });
    expect(invoices[1].lineItems[0].amount).toBeNull();
    expect(invoices[1].lineItems[0].id).toEqual(expect.any(String));
    // The invoice's other line items, and the other invoices' line items, are read as usual.
    expect(invoices[1].lineItems.slice(1).every((line: any) => line.amount !== null)).toBe(true);
    expect(invoices[0].lineItems.every((line: any) => line.amount !== null)).toBe(true);
    expect(fragment().calls.count('batch-get')).toBe(1);
  });

  it('costs nothing when the query does not select the unreadable amount', async () => {
    fragment().unknownLineItemCurrency(['inv_0004']);
    const answer = await gw.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id total { amount } lineItems { id productId } } }`, { ids: IDS });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.invoices.map((i: any) => i.id)).toEqual(IDS);
  });

  it('still fails the whole item when it is malformed (an amount that is not integer text), and only that item', async () => {
    fragment().faults.inject({ routes: ['batch-get'], badItem: true, times: 1 });
    const answer = await gw.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id lineItems { amount { amount } } } }`, { ids: IDS });
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors![0]).toMatchObject({ path: ['invoices', 0], extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'fragment' } });
    expect(answer.data!.invoices[0]).toBeNull();
    expect(answer.data!.invoices.slice(1).map((i: any) => i.id)).toEqual(IDS.slice(1));
  });
});
