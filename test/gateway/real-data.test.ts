// Correct on real data, over the sandboxes' shapes (xero-seed-shapes.ts, fragment-seed-shapes.ts,
// korint-seed-shapes.ts): the numbers a user checks. One invoice under two spellings is one invoice; every provider's
// total and amount due are positive with a direction; a pass-through or overpaid invoice has the right status; a
// provider's numbers that do not add up are named with both amounts; Korint payments resolve by id; balanceSummary
// neither fails whole on unreadable amounts nor counts drafts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import { FRAGMENT_SHAPE_IDS } from '../../adapters/fragment/sandbox/fragment-seed-shapes.js';
import { KORINT_SHAPE_IDS } from '../../adapters/korint/sandbox/korint-seed-shapes.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { XERO_SHAPE_BATCH_REFERENCE, XERO_SHAPE_NUMBERS } from '../../adapters/xero/sandbox/xero-seed-shapes.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;

beforeAll(async () => {
  t = await startTestGateway(undefined, { settings: { xero: { perMinuteLimit: 100_000 } } });
  t.sandbox<XeroSandboxHandle>('xero').limits.perMinute = 100_000;
  t.sandbox<XeroSandboxHandle>('xero').limits.perDay = 1_000_000;
});
afterAll(() => t.close());
beforeEach(() => {
  for (const kind of ['fragment', 'korint', 'xero']) t.sandbox(kind).calls.reset();
});

const xeroData = () => t.sandbox<XeroSandboxHandle>('xero').dataset();
/** A Xero shape invoice's id as the sandbox sends it (upper case). */
const xeroShapeId = (number: string) => xeroData().invoices.find((invoice) => invoice.number === number)!.id;
const fragment = (id: string) => `fragment:Invoice:${id}`;
const korint = (id: string) => `korint:Invoice:${id}`;
const xero = (remoteId: string) => `xero:Invoice:${remoteId}`;

function expectNoErrors(answer: { errors?: unknown[] }) {
  expect(answer.errors ?? []).toEqual([]);
}

describe('one id, one spelling (Xero GUIDs in lower case)', () => {
  it('balanceSummary of one Xero invoice asked in lower and upper case counts it once, in one call', async () => {
    const upper = xeroShapeId(XERO_SHAPE_NUMBERS.billPartlyPaidAndCredited);
    expect(upper).toBe(upper.toUpperCase());
    const answer = await t.query(`query($ids: [ID!]!) {
      balanceSummary(invoiceIds: $ids) {
        invoiceCount complete missingInvoiceIds
        totals { currency payouts { expected { amount } actual { amount } remaining { amount } } net { remaining { amount } } }
      } }`, { ids: [xero(upper.toLowerCase()), xero(upper)] });
    expectNoErrors(answer);
    // A bill of 1,150.00 NZD: 400.00 paid and 150.00 credited, 600.00 due. Once, not twice.
    expect(answer.data.balanceSummary).toEqual({
      invoiceCount: 1,
      complete: true,
      missingInvoiceIds: [],
      totals: [
        {
          currency: 'NZD',
          payouts: { expected: { amount: '1150.00' }, actual: { amount: '550.00' }, remaining: { amount: '600.00' } },
          net: { remaining: { amount: '-600.00' } },
        },
      ],
    });
    expect(t.sandbox('xero').calls.count('invoices')).toBe(1);
  });

  it('node, nodes, invoices and _entities answer the same invoice under either spelling, keeping order and length', async () => {
    const seeded = xeroData().invoices[0].id;
    const shape = xeroShapeId(XERO_SHAPE_NUMBERS.linesDoNotAddUp);
    const asked = [xero(seeded.toUpperCase()), xero(shape), xero(seeded), xero(shape.toLowerCase()), xero(shape)];
    const answer = await t.query(`query($ids: [ID!]!, $one: ID!, $reps: [_Any!]!) {
      node(id: $one) { id }
      nodes(ids: $ids) { id }
      invoices(ids: $ids) { id remoteId number }
      _entities(representations: $reps) { ... on Invoice { id } }
    }`, { ids: asked, one: xero(shape), reps: asked.map((id) => ({ __typename: 'Invoice', id })) });
    expectNoErrors(answer);
    const handedOut = [seeded, shape.toLowerCase(), seeded, shape.toLowerCase(), shape.toLowerCase()].map(xero);
    expect(answer.data.node.id).toBe(xero(shape.toLowerCase()));
    expect(answer.data.nodes.map((n: { id: string }) => n.id)).toEqual(handedOut);
    expect(answer.data.invoices.map((n: { id: string }) => n.id)).toEqual(handedOut);
    expect(answer.data._entities.map((n: { id: string }) => n.id)).toEqual(handedOut);
    expect(answer.data.invoices[1].number).toBe(XERO_SHAPE_NUMBERS.linesDoNotAddUp);
    // Two invoices, asked 16 times under two spellings: one call for both.
    expect(t.sandbox('xero').calls.count('invoices')).toBe(1);
    const ids = new URLSearchParams(t.sandbox('xero').calls.list()[0].query).get('IDs')!.split(',');
    expect(ids.sort()).toEqual([seeded, shape.toLowerCase()].sort());
  });

  it('payments and batch payments sent in upper case are handed out in lower case, their links too', async () => {
    const data = xeroData();
    const batch = data.batches.find((b) => b.reference === XERO_SHAPE_BATCH_REFERENCE)!;
    const answer = await t.query(`query($p: [ID!]!, $b: [ID!]!) {
      payments(ids: $p) { id invoice { id number } batch { id } }
      batchPaymentsByIds(ids: $b) { id payments { id } }
    }`, { p: [`xero:Payment:${batch.paymentIds[0]}`], b: [`xero:BatchPayment:${batch.id}`] });
    expectNoErrors(answer);
    const [payment] = answer.data.payments;
    expect(payment.id).toBe(`xero:Payment:${batch.paymentIds[0].toLowerCase()}`);
    expect(payment.invoice).toEqual({ id: xero(xeroShapeId(XERO_SHAPE_NUMBERS.billPartlyPaidAndCredited).toLowerCase()), number: 'BILL-S01' });
    expect(payment.batch.id).toBe(`xero:BatchPayment:${batch.id.toLowerCase()}`);
    expect(answer.data.batchPaymentsByIds[0].payments.map((p: { id: string }) => p.id)).toEqual(batch.paymentIds.map((id) => `xero:Payment:${id.toLowerCase()}`));
  });
});

const MONEY_FIELDS = `id direction status total { amount currency } amountDue { amount }
  balances { payins { expected { amount } actual { amount } remaining { amount } } payouts { expected { amount } actual { amount } remaining { amount } } }`;

describe('one sign convention and Fragment status from both sides', () => {
  it('answers the direction, positive totals and the right status for money both ways, overpayment and payouts', async () => {
    const ids = [
      fragment(FRAGMENT_SHAPE_IDS.passThroughSettled),
      fragment(FRAGMENT_SHAPE_IDS.passThroughPending),
      fragment(FRAGMENT_SHAPE_IDS.overpaid),
      fragment(FRAGMENT_SHAPE_IDS.payoutOpen),
      fragment(FRAGMENT_SHAPE_IDS.payoutPaid),
      xero(xeroShapeId(XERO_SHAPE_NUMBERS.billPartlyPaidAndCredited)),
      xero(xeroShapeId(XERO_SHAPE_NUMBERS.invoiceSettledByCreditNote)),
    ];
    const answer = await t.query(`query($ids: [ID!]!) { invoices(ids: $ids) { ${MONEY_FIELDS} } }`, { ids });
    expectNoErrors(answer);
    const seen = answer.data.invoices.map((i: any) => ({
      direction: i.direction,
      status: i.status,
      total: i.total.amount,
      amountDue: i.amountDue.amount,
      payins: [i.balances[0].payins.expected.amount, i.balances[0].payins.actual.amount, i.balances[0].payins.remaining.amount],
      payouts: [i.balances[0].payouts.expected.amount, i.balances[0].payouts.actual.amount, i.balances[0].payouts.remaining.amount],
    }));
    expect(seen).toEqual([
      // Payin 100 received, payout 100 paid: settled on both sides, a net of zero (receivable).
      { direction: 'RECEIVABLE', status: 'PAID', total: '0.00', amountDue: '0.00', payins: ['100.00', '100.00', '0.00'], payouts: ['100.00', '100.00', '0.00'] },
      // The payout is still to be made: not settled, though nothing is owed to the business.
      { direction: 'RECEIVABLE', status: 'PARTIALLY_PAID', total: '0.00', amountDue: '0.00', payins: ['100.00', '100.00', '0.00'], payouts: ['100.00', '0.00', '100.00'] },
      // 100 expected, 120 received: PAID, nothing due, the 20.00 excess a negative remaining.
      { direction: 'RECEIVABLE', status: 'PAID', total: '100.00', amountDue: '0.00', payins: ['100.00', '120.00', '-20.00'], payouts: ['0.00', '0.00', '0.00'] },
      // Payouts only: payable, positive.
      { direction: 'PAYABLE', status: 'OPEN', total: '250.00', amountDue: '250.00', payins: ['0.00', '0.00', '0.00'], payouts: ['250.00', '0.00', '250.00'] },
      { direction: 'PAYABLE', status: 'PAID', total: '75.00', amountDue: '0.00', payins: ['0.00', '0.00', '0.00'], payouts: ['75.00', '75.00', '0.00'] },
      // A Xero bill: payable, positive, paid + credited in `actual`.
      { direction: 'PAYABLE', status: 'PARTIALLY_PAID', total: '1150.00', amountDue: '600.00', payins: ['0.00', '0.00', '0.00'], payouts: ['1150.00', '550.00', '600.00'] },
      // Settled by a credit note alone.
      { direction: 'RECEIVABLE', status: 'PAID', total: '230.00', amountDue: '0.00', payins: ['230.00', '230.00', '0.00'], payouts: ['0.00', '0.00', '0.00'] },
    ]);
  });

  it('property over every seeded invoice of every provider: total and amountDue are never negative', async () => {
    const fragmentIds = t.sandbox<FragmentSandboxHandle>('fragment').store.ids().map(fragment);
    const korintIds = t.sandbox('korint') as unknown as { invoices: Array<{ id: string }> };
    const ids = [...fragmentIds, ...korintIds.invoices.map((i) => korint(i.id)), ...xeroData().invoices.map((i) => xero(i.id))];
    const directions = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const answer = await t.query(`query($ids: [ID!]!) { invoices(ids: $ids) { direction total { amount } amountDue { amount } } }`, { ids: ids.slice(i, i + 1000) });
      expectNoErrors(answer);
      for (const invoice of answer.data.invoices) {
        directions.add(invoice.direction);
        for (const money of [invoice.total, invoice.amountDue]) if (money) expect(money.amount.startsWith('-')).toBe(false);
      }
    }
    expect([...directions].sort()).toEqual(['PAYABLE', 'RECEIVABLE']);
  });

  it('filter.direction narrows the listing across sources; Xero is asked for Type=="ACCPAY"', async () => {
    const listed: Array<{ id: string; direction: string }> = [];
    let after: string | null = null;
    do {
      const answer: any = await t.query(`query($after: String) {
        listInvoices(first: 100, after: $after, filter: { direction: PAYABLE }) { nodes { id direction } pageInfo { hasNextPage endCursor } } }`, { after });
      expectNoErrors(answer);
      listed.push(...answer.data.listInvoices.nodes);
      after = answer.data.listInvoices.pageInfo.hasNextPage ? answer.data.listInvoices.pageInfo.endCursor : null;
    } while (after);
    expect(listed.every((invoice) => invoice.direction === 'PAYABLE')).toBe(true);
    const ids = new Set(listed.map((invoice) => invoice.id));
    expect(ids.size).toBe(listed.length);
    // Every bill, and every Fragment invoice whose payouts exceed its payins (the seed's commissions never do).
    const bills = xeroData().invoices.filter((invoice) => invoice.type === 'ACCPAY').map((invoice) => xero(invoice.id.toLowerCase()));
    expect([...ids].filter((id) => id.startsWith('xero:')).sort()).toEqual(bills.sort());
    expect([...ids].filter((id) => id.startsWith('fragment:')).sort()).toEqual([fragment(FRAGMENT_SHAPE_IDS.payoutOpen), fragment(FRAGMENT_SHAPE_IDS.payoutPaid)].sort());
    expect([...ids].some((id) => id.startsWith('korint:'))).toBe(false);
    for (const call of t.sandbox('xero').calls.list().filter((c) => c.name === 'invoices')) {
      // Beside the listing's keyset bound on Date.
      expect(new URLSearchParams(call.query).get('where')).toMatch(/(^| AND )Type=="ACCPAY"( AND |$)/);
    }
  });

  it('outstanding: true keeps what is unsettled on either side, payables included, and leaves drafts and the settled out', async () => {
    const listed: string[] = [];
    let after: string | null = null;
    do {
      const answer: any = await t.query(`query($after: String) {
        listInvoices(first: 100, after: $after, filter: { outstanding: true, sources: ["fragment"] }) { nodes { id } pageInfo { hasNextPage endCursor } } }`, { after });
      expectNoErrors(answer);
      listed.push(...answer.data.listInvoices.nodes.map((n: { id: string }) => n.id));
      after = answer.data.listInvoices.pageInfo.hasNextPage ? answer.data.listInvoices.pageInfo.endCursor : null;
    } while (after);
    expect(listed).toContain(fragment(FRAGMENT_SHAPE_IDS.payoutOpen));
    expect(listed).toContain(fragment(FRAGMENT_SHAPE_IDS.passThroughPending));
    for (const settled of [FRAGMENT_SHAPE_IDS.passThroughSettled, FRAGMENT_SHAPE_IDS.overpaid, FRAGMENT_SHAPE_IDS.payoutPaid]) {
      expect(listed).not.toContain(fragment(settled));
    }
  });
});

const DISCREPANCIES = 'discrepancies { kind expected { amount currency } actual { amount currency } message }';

describe('numbers that do not add up', () => {
  it('names each kind with both exact amounts, and nothing where the provider rule explains the numbers', async () => {
    const ids = [
      xero(xeroShapeId(XERO_SHAPE_NUMBERS.linesDoNotAddUp)),
      xero(xeroShapeId(XERO_SHAPE_NUMBERS.settlementDoesNotAddUp)),
      xero(xeroShapeId(XERO_SHAPE_NUMBERS.taxInclusive)),
      xero(xeroShapeId(XERO_SHAPE_NUMBERS.noTax)),
      xero(xeroShapeId(XERO_SHAPE_NUMBERS.billPartlyPaidAndCredited)),
      fragment(FRAGMENT_SHAPE_IDS.linesDoNotAddUp),
      korint(KORINT_SHAPE_IDS.linesDoNotAddUp),
      korint(KORINT_SHAPE_IDS.componentsDoNotAddUp),
      korint(KORINT_SHAPE_IDS.totalPartsDoNotAddUp),
    ];
    const answer = await t.query(`query($ids: [ID!]!) { invoices(ids: $ids) { status total { amount } ${DISCREPANCIES} } }`, { ids });
    expectNoErrors(answer);
    const found = answer.data.invoices.map((invoice: any) =>
      invoice.discrepancies.map((d: any) => [d.kind, d.expected.amount, d.actual.amount, d.expected.currency]),
    );
    expect(found).toEqual([
      [['LINES_VS_TOTAL', '115.00', '115.01', 'NZD']],
      [['SETTLEMENT_VS_TOTAL', '110.00', '115.00', 'NZD']],
      [],
      [],
      [],
      [['LINES_VS_TOTAL', '90.00', '100.00', 'USD']],
      [['LINES_VS_TOTAL', '1096.50', '1096.51', 'EUR']],
      [['LINES_VS_TOTAL', '1020.05', '1030.05', 'EUR']],
      [['LINES_VS_TOTAL', '566.80', '566.90', 'EUR']],
    ]);
    // The invoice is served as the provider sent it.
    expect(answer.data.invoices[0].total.amount).toBe('115.01');
    expect(answer.data.invoices[0].discrepancies[0].message).toBe(
      'the line items with their tax (tax exclusive) add up to 115.00 NZD, but Total is 115.01 NZD',
    );
  });

  it("a batch whose payments do not make its total: PAYMENTS_VS_TOTAL, 650.00 against 650.01", async () => {
    const batch = xeroData().batches.find((b) => b.reference === XERO_SHAPE_BATCH_REFERENCE)!;
    const answer = await t.query(`query($ids: [ID!]!) { batchPaymentsByIds(ids: $ids) { total { amount } ${DISCREPANCIES} } }`, {
      ids: [`xero:BatchPayment:${batch.id}`],
    });
    expectNoErrors(answer);
    expect(answer.data.batchPaymentsByIds[0].discrepancies).toEqual([
      {
        kind: 'PAYMENTS_VS_TOTAL',
        expected: { amount: '650.00', currency: 'NZD' },
        actual: { amount: '650.01', currency: 'NZD' },
        message: 'the payments add up to 650.00 NZD, but TotalAmount is 650.01 NZD',
      },
    ]);
  });

  it('hasDiscrepancies: true lists exactly the invoices that do not add up, among every seeded invoice of every source', async () => {
    const listed: string[] = [];
    let after: string | null = null;
    do {
      const answer: any = await t.query(`query($after: String) {
        listInvoices(first: 100, after: $after, filter: { hasDiscrepancies: true }) { nodes { id } pageInfo { hasNextPage endCursor } } }`, { after });
      expectNoErrors(answer);
      listed.push(...answer.data.listInvoices.nodes.map((n: { id: string }) => n.id));
      after = answer.data.listInvoices.pageInfo.hasNextPage ? answer.data.listInvoices.pageInfo.endCursor : null;
    } while (after);
    expect(listed.sort()).toEqual(
      [
        xero(xeroShapeId(XERO_SHAPE_NUMBERS.linesDoNotAddUp).toLowerCase()),
        xero(xeroShapeId(XERO_SHAPE_NUMBERS.settlementDoesNotAddUp).toLowerCase()),
        fragment(FRAGMENT_SHAPE_IDS.linesDoNotAddUp),
        korint(KORINT_SHAPE_IDS.linesDoNotAddUp),
        korint(KORINT_SHAPE_IDS.componentsDoNotAddUp),
        korint(KORINT_SHAPE_IDS.totalPartsDoNotAddUp),
      ].sort(),
    );
  });
});

describe('Korint payments by id', () => {
  it('resolve through node, nodes, payments and _entities, and name their invoice', async () => {
    const paid = await t.query('{ invoice(id: "korint:Invoice:kor_inv_0003") { payments { id reference amount { amount } } } }');
    expectNoErrors(paid);
    const [payment] = paid.data.invoice.payments;
    expect(payment.id).toMatch(/^korint:Payment:kor_inv_0003\/pi_/);
    expect(payment.reference).toBe(payment.id.slice('korint:Payment:kor_inv_0003/'.length));
    t.sandbox('korint').calls.reset();
    const answer = await t.query(`query($id: ID!, $reps: [_Any!]!) {
      node(id: $id) { ... on Payment { id amount { amount } invoice { id } } }
      nodes(ids: [$id, $id]) { id }
      payments(ids: [$id]) { amount { amount } direction status }
      _entities(representations: $reps) { ... on Payment { id } }
    }`, { id: payment.id, reps: [{ __typename: 'Payment', id: payment.id }] });
    expectNoErrors(answer);
    expect(answer.data.node).toEqual({ id: payment.id, amount: payment.amount, invoice: { id: 'korint:Invoice:kor_inv_0003' } });
    expect(answer.data.nodes).toEqual([{ id: payment.id }, { id: payment.id }]);
    expect(answer.data.payments).toEqual([{ amount: payment.amount, direction: 'PAYIN', status: 'POSTED' }]);
    expect(answer.data._entities).toEqual([{ id: payment.id }]);
    // Every lookup of the payment shares one call; its invoice field is the invoice loader's one call (as for Fragment).
    expect(t.sandbox('korint').calls.count()).toBe(2);
  });

  it('answers null for a payment id that names no payment of an existing invoice, or a malformed one', async () => {
    const answer = await t.query('{ payments(ids: ["korint:Payment:kor_inv_0003/pi_nope", "korint:Payment:nope"]) { id } }');
    expectNoErrors(answer);
    expect(answer.data.payments).toEqual([null, null]);
  });
});

describe('balanceSummary on real data', () => {
  it('two invoices in a currency nobody knows: listed as unreadable, the rest summed, complete false, no error', async () => {
    const sandbox = t.sandbox<FragmentSandboxHandle>('fragment');
    sandbox.unknownCurrency(['inv_0001', 'inv_0006']);
    try {
      const answer = await t.query(`{ balanceSummary(invoiceIds: ["fragment:Invoice:inv_0001", "fragment:Invoice:inv_0006", "fragment:Invoice:inv_0002"]) {
        invoiceCount complete unreadableInvoiceIds totals { currency net { expected { amount } } } } }`);
      expectNoErrors(answer);
      const alone = await t.query('{ invoice(id: "fragment:Invoice:inv_0002") { balances { currency net { expected { amount } } } } }');
      expect(answer.data.balanceSummary).toEqual({
        invoiceCount: 1,
        complete: false,
        unreadableInvoiceIds: ['fragment:Invoice:inv_0001', 'fragment:Invoice:inv_0006'],
        totals: alone.data.invoice.balances,
      });
    } finally {
      sandbox.unknownCurrency([]);
    }
  });

  it('drafts (Xero DRAFT and SUBMITTED, Korint DRAFTED) are named, not summed, as outstanding leaves them out', async () => {
    const drafts = xeroData().invoices.filter((invoice) => invoice.status === 'DRAFT' || invoice.status === 'SUBMITTED').slice(0, 2);
    expect(new Set(drafts.map((d) => d.status))).toEqual(new Set(['DRAFT', 'SUBMITTED']));
    const issued = xeroData().invoices.find((invoice) => invoice.status === 'AUTHORISED' && invoice.currency === drafts[0].currency)!;
    const ids = [...drafts.map((d) => xero(d.id)), korint('kor_inv_0001'), xero(issued.id)];
    const answer = await t.query(`query($ids: [ID!]!) {
      balanceSummary(invoiceIds: $ids) { invoiceCount complete draftInvoiceIds totals { currency net { expected { amount } } } }
      invoices(ids: $ids) { status providerStatus }
    }`, { ids });
    expectNoErrors(answer);
    expect(answer.data.invoices.map((i: any) => i.providerStatus)).toEqual([...drafts.map((d) => d.status), 'DRAFTED', 'AUTHORISED']);
    expect(answer.data.balanceSummary.draftInvoiceIds).toEqual(ids.slice(0, 3));
    expect(answer.data.balanceSummary.invoiceCount).toBe(1);
    expect(answer.data.balanceSummary.complete).toBe(true);
    // Only the issued invoice's money.
    const sign = issued.type === 'ACCPAY' ? '-' : '';
    const digits = String(issued.total).padStart(issued.scale + 1, '0');
    const amount = issued.scale ? `${digits.slice(0, -issued.scale)}.${digits.slice(-issued.scale)}` : digits;
    expect(answer.data.balanceSummary.totals).toEqual([{ currency: issued.currency, net: { expected: { amount: `${sign}${amount}` } } }]);
  });
});
