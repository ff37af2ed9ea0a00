// Payments written back (issue 22), through the gateway over the sandboxes: recordPayment, createBatchPayment and
// deletePayment at Xero. Asserts what a user cares about: the payment on the invoice, one payment however often and
// however concurrently the same input is sent, the lost answer and its safe retry, exact amounts refused rather than
// rounded, Xero's refusals with its words, grants and unsupported sources refused with no call, and the upstream calls
// the sandboxes saw.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import type { XeroSandboxInvoice } from '../../adapters/xero/sandbox/xero-sandbox-data.js';
import type { InvoicesWritten } from '../../src/payments/write-services.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { apiKeyClients, post } from '../support/security.js';

const KEYS = { payer: 'key-payer', other: 'key-other-payer', reader: 'key-reader', creator: 'key-creator' };
const SECRET = 'payment-writes-test-hs256-secret-of-32-chars';

let gw: TestGateway;
const written: InvoicesWritten[] = [];
const xero = () => gw.sandbox<XeroSandboxHandle>('xero');
const callsTo = (kind: string, route?: string) => gw.sandbox(kind).calls.count(route);
const as = (key: string) => ({ authorization: `Bearer ${key}` });

beforeAll(async () => {
  gw = await startTestGateway(undefined, {
    // More seeded invoices, so every test pays invoices of its own; limits out of the way of the assertions.
    invoiceCounts: { xero: 1200 },
    settings: { xero: { perMinuteLimit: 100_000 } },
    cache: { ttlMs: 60_000, staleIfErrorMs: 0 },
    onInvoicesWritten: (w) => void written.push(w),
    auth: {
      mode: 'api-key,jwt',
      clients: apiKeyClients(
        [
          { name: 'payer', key: KEYS.payer, sources: '*', operations: ['read', 'pay'] },
          { name: 'other-payer', key: KEYS.other, sources: '*', operations: ['read', 'pay'] },
          { name: 'reader', key: KEYS.reader, sources: '*', operations: ['read'] },
          { name: 'creator', key: KEYS.creator, sources: '*', operations: ['read', 'create'] },
        ],
        ['fragment', 'korint', 'xero'],
      ),
      jwt: { secret: SECRET, issuer: 'https://issuer.test/', audience: 'invoice-gateway' },
    },
  });
  xero().limits.perMinute = 100_000;
});
afterAll(() => gw?.close());
beforeEach(() => {
  for (const kind of ['fragment', 'korint', 'xero']) gw.sandbox(kind).calls.reset();
  xero().faults.clear();
  written.length = 0;
});

const ask = (key: string, query: string, variables?: Record<string, unknown>) => post(gw.gateway, query, { headers: as(key), variables });

const used = new Set<string>();
/** A receivable in `currency` with nothing paid yet (and no deleted payments), not used by another test. */
function openInvoice(currency = 'USD', minDue = 1000): XeroSandboxInvoice {
  const found = xero()
    .dataset()
    .invoices.find(
      (i) => !used.has(i.id) && i.type === 'ACCREC' && i.status === 'AUTHORISED' && i.currency === currency && i.paymentIds.length === 0 && i.amountCredited === 0 && i.amountDue >= minDue,
    );
  if (!found) throw new Error(`no open ${currency} receivable left`);
  used.add(found.id);
  return found;
}
const gid = (invoice: XeroSandboxInvoice) => `xero:Invoice:${invoice.id}`;
const decimal = (units: number, scale = 2) => {
  const digits = String(units).padStart(scale + 1, '0');
  return scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
};

const RECORD = `mutation Record($input: RecordPaymentInput!) {
  recordPayment(input: $input) {
    id remoteId status reference postedAt amount { amount currency minorUnits }
    invoice { id status amountDue { amount } payments { id } }
  }
}`;
const recordInput = (invoice: XeroSandboxInvoice, overrides: Record<string, unknown> = {}) => ({
  invoiceId: gid(invoice),
  amount: '10.50',
  date: '2026-01-05',
  accountId: '091',
  reference: 'Order 42',
  idempotencyKey: `key-${invoice.id}`,
  ...overrides,
});

describe('recordPayment', () => {
  it('records one payment, visible on the invoice, with its amount exact and the amount due reduced', async () => {
    const invoice = openInvoice('USD');
    const due = invoice.amountDue;
    const answer = await ask(KEYS.payer, RECORD, { input: recordInput(invoice) });
    expect(answer.body.errors).toBeUndefined();
    const payment = answer.body.data.recordPayment;
    expect(payment).toMatchObject({
      status: 'POSTED',
      reference: 'Order 42',
      postedAt: '2026-01-05T00:00:00.000Z',
      amount: { amount: '10.50', currency: 'USD', minorUnits: '1050' },
      invoice: { id: gid(invoice), status: 'PARTIALLY_PAID', amountDue: { amount: decimal(due - 1050) } },
    });
    expect(payment.id).toBe(`xero:Payment:${payment.remoteId}`);
    expect(payment.invoice.payments.map((p: { id: string }) => p.id)).toContain(payment.id);
    expect(xero().paymentWrites.created().payments).toBeGreaterThan(0);
    expect(invoice.paymentIds).toEqual([payment.remoteId]);

    // Xero saw one PUT /Payments, with the amount written from its exact text and a key that is not the client's.
    const [put] = xero().calls.list().filter((c) => c.name === 'create-payments');
    expect(put.body).toEqual({
      Payments: [{ Invoice: { InvoiceID: invoice.id }, Account: { Code: '091' }, Date: '2026-01-05', Amount: 10.5, Reference: 'Order 42' }],
    });
    const key = put.headers['idempotency-key'];
    expect(key).toMatch(/^igw-[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain(invoice.id);

    // Read afterwards (through the entity cache, which the write refreshed): the new amount due, no stale copy.
    const read = await ask(KEYS.payer, `query { invoice(id: "${gid(invoice)}") { amountDue { amount } } }`);
    expect(read.body.data.invoice.amountDue.amount).toBe(decimal(due - 1050));
    // The write reported the invoice it touched through the write hook.
    expect(written).toMatchObject([{ source: 'xero', invoiceRemoteIds: [invoice.id], kind: 'UPDATED', operation: 'recordPayment', client: 'payer' }]);
  });

  it('creates one payment when the same idempotencyKey and input come twice; the second costs no write', async () => {
    const invoice = openInvoice('USD');
    const input = recordInput(invoice, { amount: '5' });
    const first = await ask(KEYS.payer, RECORD, { input });
    const second = await ask(KEYS.payer, RECORD, { input });
    expect(first.body.errors).toBeUndefined();
    expect(second.body.errors).toBeUndefined();
    expect(second.body.data.recordPayment.id).toBe(first.body.data.recordPayment.id);
    expect(second.body.data.recordPayment.amount.amount).toBe('5.00');
    expect(invoice.paymentIds).toHaveLength(1);
    expect(callsTo('xero', 'create-payments')).toBe(1);
  });

  it('creates one payment from 10 concurrent identical requests', async () => {
    const invoice = openInvoice('USD');
    const input = recordInput(invoice, { amount: '7.25' });
    const replaysBefore = xero().paymentWrites.replays();
    const answers = await Promise.all(Array.from({ length: 10 }, () => ask(KEYS.payer, RECORD, { input })));
    for (const answer of answers) expect(answer.body.errors).toBeUndefined();
    expect(new Set(answers.map((a) => a.body.data.recordPayment.id)).size).toBe(1);
    expect(invoice.paymentIds).toHaveLength(1);
    expect(invoice.amountPaid).toBe(725);
    // Requests that found the first one in flight sent the same key, and Xero replayed; later ones were answered from
    // the gateway's record of the key, with a lookup.
    const puts = xero().calls.list().filter((c) => c.name === 'create-payments');
    expect(new Set(puts.map((c) => c.headers['idempotency-key'])).size).toBe(1);
    expect(xero().paymentWrites.replays() - replaysBefore).toBe(puts.length - 1);
  });

  it('answers a lost answer UPSTREAM_OUTCOME_UNKNOWN with retrySafe, and the retry answers the payment made, creating nothing', async () => {
    const invoice = openInvoice('USD');
    const input = recordInput(invoice, { amount: '3.00' });
    // Every attempt (the gateway retries, with the same key) is applied, then its connection dropped.
    xero().faults.inject({ routes: ['create-payments'], dropAnswer: true });
    const lost = await ask(KEYS.payer, RECORD, { input });
    expect(lost.body.data).toBeNull();
    expect(lost.body.errors).toHaveLength(1);
    expect(lost.body.errors![0].extensions).toMatchObject({ code: 'UPSTREAM_OUTCOME_UNKNOWN', source: 'xero', retrySafe: true });
    expect(invoice.paymentIds).toHaveLength(1);
    expect(callsTo('xero', 'create-payments')).toBeGreaterThanOrEqual(1);

    xero().faults.clear();
    const retry = await ask(KEYS.payer, RECORD, { input });
    expect(retry.body.errors).toBeUndefined();
    expect(retry.body.data.recordPayment.remoteId).toBe(invoice.paymentIds[0]);
    expect(invoice.paymentIds).toHaveLength(1);
    expect(invoice.amountPaid).toBe(300);
  });

  it('refuses 10.505 USD as BAD_USER_INPUT without writing (the invoice lookup is the one call)', async () => {
    const invoice = openInvoice('USD');
    const answer = await ask(KEYS.payer, RECORD, { input: recordInput(invoice, { amount: '10.505' }) });
    expect(answer.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'xero' });
    expect(answer.body.errors![0].message).toMatch(/10\.505 has more decimal places than USD has \(2\)/);
    expect(callsTo('xero', 'create-payments')).toBe(0);
    expect(callsTo('xero')).toBe(1);
    // Trailing zeros are not extra places: 10.500 is 10.50.
    const exact = await ask(KEYS.payer, RECORD, { input: recordInput(invoice, { amount: '10.500' }) });
    expect(exact.body.data.recordPayment.amount.amount).toBe('10.50');
  });

  it('refuses JPY with decimals and accepts whole yen', async () => {
    const invoice = openInvoice('JPY', 100);
    const refused = await ask(KEYS.payer, RECORD, { input: recordInput(invoice, { amount: '1.5', accountId: '093' }) });
    expect(refused.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const paid = await ask(KEYS.payer, RECORD, { input: recordInput(invoice, { amount: '15', accountId: '093', idempotencyKey: 'jpy-2' }) });
    expect(paid.body.errors).toBeUndefined();
    expect(paid.body.data.recordPayment.amount).toEqual({ amount: '15', currency: 'JPY', minorUnits: '15' });
    expect(xero().calls.list().find((c) => c.name === 'create-payments')!.body).toMatchObject({ Payments: [{ Amount: 15 }] });
  });

  it("refuses an over-payment with Xero's message in providerMessages, and creates nothing", async () => {
    const invoice = openInvoice('USD');
    const answer = await ask(KEYS.payer, RECORD, { input: recordInput(invoice, { amount: decimal(invoice.amountDue + 1) }) });
    expect(answer.body.errors).toHaveLength(1);
    const [error] = answer.body.errors!;
    expect(error.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      source: 'xero',
      providerMessages: ['Payment amount exceeds the amount outstanding on this document'],
    });
    expect(error.message).toBe('xero refused the payment (ValidationException)');
    expect(invoice.paymentIds).toEqual([]);
  });

  it.each([
    ['a closed period', { date: '2025-06-30' }, 'The document date cannot be before the end of year lock date, currently set at 30 Jun 2025'],
    ['an account that takes no payments', { accountId: '200' }, 'Payments cannot be made to or from account 200 (Sales): it is not a bank account and payments to it are not enabled'],
    ['a currency mismatch', { accountId: '092' }, 'The currency of the bank account (AUD) must match the currency of the invoice (USD)'],
  ])("refuses %s with Xero's message", async (_what, overrides, message) => {
    xero().paymentWrites.setLockDate(xero().tenants[0], '2025-06-30');
    try {
      const invoice = openInvoice('USD');
      const answer = await ask(KEYS.payer, RECORD, { input: recordInput(invoice, overrides) });
      expect(answer.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'xero', providerMessages: [message] });
      expect(invoice.paymentIds).toEqual([]);
    } finally {
      xero().paymentWrites.setLockDate(xero().tenants[0], null);
    }
  });

  it('refuses the same idempotencyKey with a different input, before any write, and never answers the old payment', async () => {
    const invoice = openInvoice('USD');
    const first = await ask(KEYS.payer, RECORD, { input: recordInput(invoice, { amount: '1.00', idempotencyKey: 'reused-key' }) });
    expect(first.body.errors).toBeUndefined();
    xero().calls.reset();
    const second = await ask(KEYS.payer, RECORD, { input: recordInput(invoice, { amount: '2.00', idempotencyKey: 'reused-key' }) });
    expect(second.body.data).toBeNull();
    expect(second.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', source: 'xero' });
    expect(second.body.errors![0].message).toMatch(/already used for a different write/);
    expect(callsTo('xero', 'create-payments')).toBe(0);
    expect(invoice.paymentIds).toHaveLength(1);
  });

  it('keeps two clients with the same idempotencyKey apart: two payments', async () => {
    const invoice = openInvoice('USD');
    const input = recordInput(invoice, { amount: '1.00', idempotencyKey: 'shared-key' });
    const mine = await ask(KEYS.payer, RECORD, { input });
    const theirs = await ask(KEYS.other, RECORD, { input });
    expect(mine.body.errors).toBeUndefined();
    expect(theirs.body.errors).toBeUndefined();
    expect(theirs.body.data.recordPayment.id).not.toBe(mine.body.data.recordPayment.id);
    expect(invoice.paymentIds).toHaveLength(2);
    const keys = xero().calls.list().filter((c) => c.name === 'create-payments').map((c) => c.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(2);
  });

  it('refuses a read-only client with FORBIDDEN and no call at all', async () => {
    const invoice = openInvoice('USD');
    const answer = await ask(KEYS.reader, RECORD, { input: recordInput(invoice) });
    expect(answer.body.errors![0].extensions).toEqual({ code: 'FORBIDDEN', source: 'xero' });
    expect(answer.body.errors![0].message).toBe('client "reader" may not record payments at source "xero"');
    expect(callsTo('xero')).toBe(0);
  });

  it('grants pay through the JWT scope invoices:pay, and not through invoices:create', async () => {
    const sign = (scope: string) =>
      new SignJWT({ scope, invoice_sources: '*' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('https://issuer.test/')
        .setAudience('invoice-gateway')
        .setSubject('jwt-app')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(SECRET));
    const invoice = openInvoice('USD');
    const refused = await ask(await sign('invoices:read invoices:create'), RECORD, { input: recordInput(invoice) });
    expect(refused.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(callsTo('xero')).toBe(0);
    const paid = await ask(await sign('invoices:read invoices:pay'), RECORD, { input: recordInput(invoice) });
    expect(paid.body.errors).toBeUndefined();
  });

  it('answers UNSUPPORTED for Fragment and Korint invoices without any call', async () => {
    for (const id of ['fragment:Invoice:inv_0001', 'korint:Invoice:kor_inv_0001']) {
      const answer = await ask(KEYS.payer, RECORD, { input: { ...recordInput(openInvoice('USD')), invoiceId: id } });
      expect(answer.body.errors![0].extensions).toEqual({ code: 'UNSUPPORTED', source: id.split(':')[0] });
    }
    expect(callsTo('fragment') + callsTo('korint') + callsTo('xero')).toBe(0);
  });

  it('answers NOT_FOUND for an invoice Xero does not have, after one lookup and no write', async () => {
    const answer = await ask(KEYS.payer, RECORD, {
      input: { ...recordInput(openInvoice('USD')), invoiceId: 'xero:Invoice:00000000-0000-4000-8000-000000000000' },
    });
    expect(answer.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', source: 'xero' });
    expect(callsTo('xero', 'create-payments')).toBe(0);
  });

  it('refuses bad input before any call: a malformed key, an empty account, a non-invoice id', async () => {
    const invoice = openInvoice('USD');
    for (const overrides of [{ idempotencyKey: '' }, { idempotencyKey: 'k'.repeat(129) }, { accountId: '  ' }, { invoiceId: `xero:Payment:${invoice.id}` }, { amount: '0.00' }]) {
      const answer = await ask(KEYS.payer, RECORD, { input: recordInput(invoice, overrides) });
      expect(answer.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    }
    expect(callsTo('xero', 'create-payments')).toBe(0);
  });
});

const BATCH = `mutation Batch($input: CreateBatchPaymentInput!) {
  createBatchPayment(input: $input) {
    id type status reference date total { amount currency }
    payments { id amount { amount } batch { id } invoice { id amountDue { amount } } }
  }
}`;

describe('createBatchPayment', () => {
  it('pays 3 invoices in one batch whose total is exact, each payment carrying the batch', async () => {
    const invoices = [openInvoice('USD'), openInvoice('USD'), openInvoice('USD')];
    const dues = invoices.map((i) => i.amountDue);
    const amounts = ['0.10', '0.20', '0.30'];
    const answer = await ask(KEYS.payer, BATCH, {
      input: {
        source: 'xero',
        accountId: '6f7594f2-f059-4d56-9e67-47ac9733bfe9',
        date: '2026-01-06',
        reference: 'Batch 2026-01',
        payments: invoices.map((invoice, i) => ({ invoiceId: gid(invoice), amount: amounts[i] })),
        idempotencyKey: 'batch-1',
      },
    });
    expect(answer.body.errors).toBeUndefined();
    const batch = answer.body.data.createBatchPayment;
    expect(batch).toMatchObject({ type: 'RECEIVABLE', status: 'AUTHORISED', reference: 'Batch 2026-01', date: '2026-01-06', total: { amount: '0.60', currency: 'USD' } });
    expect(batch.payments.map((p: { amount: { amount: string } }) => p.amount.amount)).toEqual(amounts);
    batch.payments.forEach((p: { batch: { id: string }; invoice: { id: string; amountDue: { amount: string } } }, i: number) => {
      expect(p.batch.id).toBe(batch.id);
      expect(p.invoice).toEqual({ id: gid(invoices[i]), amountDue: { amount: decimal(dues[i] - (i + 1) * 10) } });
    });
    const [put] = xero().calls.list().filter((c) => c.name === 'create-batch-payments');
    expect(put.body).toEqual({
      BatchPayments: [
        {
          Account: { AccountID: '6f7594f2-f059-4d56-9e67-47ac9733bfe9' },
          Date: '2026-01-06',
          Reference: 'Batch 2026-01',
          Payments: invoices.map((invoice, i) => ({ Invoice: { InvoiceID: invoice.id }, Amount: Number(amounts[i]) })),
        },
      ],
    });
    // The three invoices were read in one call, before the write.
    expect(callsTo('xero', 'invoices')).toBeGreaterThanOrEqual(1);
    expect(written).toMatchObject([{ operation: 'createBatchPayment', invoiceRemoteIds: invoices.map((i) => i.id) }]);
  });

  it('refuses a batch whose invoices span sources, before any call', async () => {
    const answer = await ask(KEYS.payer, BATCH, {
      input: {
        source: 'xero',
        accountId: '091',
        date: '2026-01-06',
        payments: [
          { invoiceId: gid(openInvoice('USD')), amount: '1.00' },
          { invoiceId: 'fragment:Invoice:inv_0001', amount: '1.00' },
        ],
        idempotencyKey: 'batch-span',
      },
    });
    expect(answer.body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(answer.body.errors![0].message).toMatch(/payments\[1\]\.invoiceId is an invoice of "fragment", not of "xero"/);
    expect(callsTo('fragment') + callsTo('korint') + callsTo('xero')).toBe(0);
  });
});

const DELETE = `mutation Delete($id: ID!) { deletePayment(id: $id) { id status invoice { status amountDue { amount } } } }`;

describe('deletePayment', () => {
  it('deletes a payment and restores the amount due; deleting again answers it with no write', async () => {
    const invoice = openInvoice('NZD');
    const due = invoice.amountDue;
    const paid = await ask(KEYS.payer, RECORD, { input: recordInput(invoice, { amount: decimal(due), accountId: '090' }) });
    expect(paid.body.data.recordPayment.invoice).toMatchObject({ status: 'PAID', amountDue: { amount: '0.00' } });
    const id = paid.body.data.recordPayment.id;
    written.length = 0;
    const deleted = await ask(KEYS.payer, DELETE, { id });
    expect(deleted.body.errors).toBeUndefined();
    expect(deleted.body.data.deletePayment).toEqual({ id, status: 'DELETED', invoice: { status: 'OPEN', amountDue: { amount: decimal(due) } } });
    expect(invoice).toMatchObject({ status: 'AUTHORISED', amountDue: due, amountPaid: 0 });
    expect(written).toMatchObject([{ operation: 'deletePayment', invoiceRemoteIds: [invoice.id] }]);
    // The cached invoice was refreshed: a read answers the restored amount due.
    const read = await ask(KEYS.payer, `query { invoice(id: "${gid(invoice)}") { amountDue { amount } } }`);
    expect(read.body.data.invoice.amountDue.amount).toBe(decimal(due));

    xero().calls.reset();
    const again = await ask(KEYS.payer, DELETE, { id });
    expect(again.body.data.deletePayment.status).toBe('DELETED');
    expect(callsTo('xero', 'update-payment')).toBe(0);
  });

  it("refuses a payment made in a batch with Xero's message, and a reader with no call", async () => {
    const batched = xero().dataset().payments.find((p) => p.batchId && p.status === 'AUTHORISED' && !p.reconciled)!;
    const reader = await ask(KEYS.reader, DELETE, { id: `xero:Payment:${batched.id}` });
    expect(reader.body.errors![0].extensions!.code).toBe('FORBIDDEN');
    expect(callsTo('xero')).toBe(0);
    const refused = await ask(KEYS.payer, DELETE, { id: `xero:Payment:${batched.id}` });
    expect(refused.body.errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      providerMessages: ['This payment is part of a batch payment and cannot be deleted on its own'],
    });
    expect(batched.status).toBe('AUTHORISED');
  });
});

describe('sources', () => {
  it('says which sources take payments', async () => {
    const answer = await ask(KEYS.reader, `{ sources { name capabilities } }`);
    const byName = Object.fromEntries(answer.body.data.sources.map((s: { name: string; capabilities: string[] }) => [s.name, s.capabilities]));
    expect(byName.xero).toContain('RECORD_PAYMENTS');
    expect(byName.fragment).not.toContain('RECORD_PAYMENTS');
    expect(byName.korint).not.toContain('RECORD_PAYMENTS');
  });
});

describe("past Xero's idempotency window", () => {
  let own: TestGateway;
  let clock = Date.UTC(2026, 0, 10);
  beforeAll(async () => {
    own = await startTestGateway(['xero'], { payments: { now: () => clock } });
  });
  afterAll(() => own?.close());
  const sandbox = () => own.sandbox<XeroSandboxHandle>('xero');
  const invoiceOf = (n: number) => sandbox().dataset().invoices.filter((i) => i.type === 'ACCREC' && i.status === 'AUTHORISED' && i.currency === 'USD' && i.paymentIds.length === 0)[n];

  it('answers a known payment from its record, with no write', async () => {
    const invoice = invoiceOf(0);
    const input = { invoiceId: gid(invoice), amount: '1.00', date: '2026-01-05', accountId: '091', idempotencyKey: 'late-known' };
    const first = await own.query(RECORD, { input });
    clock += 7 * 60_000;
    sandbox().calls.reset();
    const late = await own.query(RECORD, { input });
    expect(late.data.recordPayment.id).toBe(first.data.recordPayment.id);
    expect(sandbox().calls.count('create-payments')).toBe(0);
    expect(invoice.paymentIds).toHaveLength(1);
  });

  it('refuses to send again a write whose outcome stayed unknown: retrySafe is then false', async () => {
    const invoice = invoiceOf(1);
    const input = { invoiceId: gid(invoice), amount: '1.00', date: '2026-01-05', accountId: '091', idempotencyKey: 'late-unknown' };
    sandbox().faults.inject({ routes: ['create-payments'], dropAnswer: true });
    const lost = await own.query(RECORD, { input });
    expect(lost.errors![0].extensions).toMatchObject({ code: 'UPSTREAM_OUTCOME_UNKNOWN', retrySafe: true });
    sandbox().faults.clear();
    clock += 6 * 60_000;
    sandbox().calls.reset();
    const late = await own.query(RECORD, { input });
    expect(late.errors![0].extensions).toEqual({ code: 'UPSTREAM_OUTCOME_UNKNOWN', source: 'xero', retrySafe: false });
    expect(late.errors![0].message).toMatch(/check the invoice's payments/);
    expect(sandbox().calls.count('create-payments')).toBe(0);
    expect(invoice.paymentIds).toHaveLength(1);
  });

  it('forgets a key whose write was refused, so the same key can carry the corrected input', async () => {
    const invoice = invoiceOf(2);
    const base = { invoiceId: gid(invoice), date: '2026-01-05', accountId: '091', idempotencyKey: 'corrected' };
    const refused = await own.query(RECORD, { input: { ...base, amount: decimal(invoice.amountDue + 1) } });
    expect(refused.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    // Past Xero's window too (Xero keeps the refused request's key six minutes, and would refuse another body under it).
    clock += 6 * 60_000;
    sandbox().paymentWrites.idempotencyWindowMs = 0;
    try {
      const corrected = await own.query(RECORD, { input: { ...base, amount: '1.00' } });
      expect(corrected.errors).toBeUndefined();
      expect(invoice.paymentIds).toHaveLength(1);
    } finally {
      sandbox().paymentWrites.idempotencyWindowMs = 360_000;
    }
  });
});
