// Korint through the gateway: mixed-provider batches, simulation context, insurance totals.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KorintSandboxHandle } from '../../adapters/korint/sandbox/korint-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let gw: TestGateway;
const korint = () => gw.sandbox<KorintSandboxHandle>('korint');
const fragment = () => gw.sandbox('fragment');

beforeAll(async () => {
  gw = await startTestGateway(['fragment', 'korint']);
});
afterAll(() => gw.close());
beforeEach(() => {
  korint().calls.reset();
  fragment().calls.reset();
});

describe('Korint through the gateway', () => {
  it('answers a mix of Fragment and Korint ids in order, with one batch per provider', async () => {
    const ids: string[] = [];
    for (let i = 1; i <= 60; i++) {
      ids.push(`fragment:Invoice:inv_${String(i).padStart(4, '0')}`);
      ids.push(`korint:Invoice:kor_inv_${String(i).padStart(4, '0')}`);
    }
    ids.splice(7, 0, 'korint:Invoice:kor_inv_unknown');
    const answer = await gw.query(`query($ids: [ID!]!) { invoices(ids: $ids) { id source { name kind } } }`, { ids });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.invoices.map((i: { id: string } | null) => i?.id ?? null)).toEqual(
      ids.map((id) => (id.endsWith('unknown') ? null : id)),
    );
    expect(answer.data.invoices[1].source).toEqual({ name: 'korint', kind: 'KORINT' });
    expect(fragment().calls.count('batch-get')).toBe(1);
    expect(korint().calls.count('invoices')).toBe(1);
  });

  it('shows the two states the sandbox holds for an invoice paid at T, with and without simulatedAt', async () => {
    const { id, paidAt } = korint().paidInvoice();
    const before = new Date(Date.parse(paidAt) - 60_000).toISOString();
    const query = `query($id: ID!, $at: DateTime) {
      now: invoice(id: $id) { status providerStatus amountDue { amount } payments { id postedAt } }
      then: invoice(id: $id, simulatedAt: $at) { status providerStatus amountDue { amount } payments { id } }
    }`;
    const answer = await gw.query(query, { id: `korint:Invoice:${id}`, at: before });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.now.status).toBe('PAID');
    expect(answer.data.now.payments).toHaveLength(1);
    expect(answer.data.then).toMatchObject({ status: 'OPEN', providerStatus: 'ISSUED', payments: [] });
    expect(answer.data.then.amountDue.amount).not.toMatch(/^0\.00$/);
    // Two contexts, two separate batches: never one shared cache entry.
    expect(korint().calls.count('invoices')).toBe(2);
    const queries = korint().calls.list().map((c) => new URLSearchParams(c.query));
    expect(queries.filter((q) => q.get('simulatedAt') === before)).toHaveLength(1);
    expect(queries.filter((q) => !q.has('simulatedAt'))).toHaveLength(1);
  });

  it('keeps insurance totals exact and their parts apart', async () => {
    const answer = await gw.query(`{
      invoice(id: "korint:Invoice:kor_inv_0001") {
        currency
        total { amount currency minorUnits scale }
        totalBreakdown { preFeesAndTaxes { amount } totalFees { amount } totalTaxes { amount } total { amount } fees { amount { amount } } taxes { amount { amount } } }
        components { type }
        balances { currency payins { expected { amount } } }
      }
    }`);
    expect(answer.errors).toBeUndefined();
    const invoice = answer.data.invoice;
    expect(invoice.currency).toBe('EUR');
    expect(invoice.total.scale).toBe(2);
    expect(invoice.total.minorUnits).toBe(invoice.total.amount.replace('.', '').replace(/^0+(?=\d)/, ''));
    const cents = (a: string) => BigInt(a.replace('.', ''));
    const b = invoice.totalBreakdown;
    expect(cents(b.preFeesAndTaxes.amount) + cents(b.totalFees.amount) + cents(b.totalTaxes.amount)).toBe(cents(b.total.amount));
    expect(b.total.amount).toBe(invoice.total.amount);
    expect(invoice.balances[0].payins.expected.amount).toBe(invoice.total.amount);
  });
});
