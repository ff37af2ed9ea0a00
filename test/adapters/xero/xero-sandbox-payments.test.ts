// The Xero sandbox's payment writes, spoken to over HTTP as Xero is: PUT /Payments, PUT /BatchPayments and
// POST /Payments/{id} { Status: "DELETED" }; validation answered as Xero's 400 ValidationException; the
// Idempotency-Key replayed for six minutes (errors too), refused with another request, never consulted before the rate
// limits; amounts applied to the invoice and taken back by a deletion; an answer lost after the write was applied.
import { request } from 'undici';
import { beforeEach, describe, expect, it } from 'vitest';
import type { XeroSandboxInvoice } from '../../../adapters/xero/sandbox/xero-sandbox-data.js';
import { useXeroSandbox } from '../../support/xero-sandbox-suite.js';

const TENANT = '1c9e8a7b-6d5c-4b3a-9f8e-7d6c5b4a3f21';
let clock = Date.UTC(2026, 0, 10, 12);
const xero = useXeroSandbox({ tenants: [TENANT], seed: 21, invoiceCount: 1500, now: () => clock });

beforeEach(() => {
  xero.sandbox.paymentWrites.setLockDate(TENANT, null);
  clock += 3_600_000;
});

interface Answer {
  status: number;
  body: any;
}

async function send(method: 'PUT' | 'POST' | 'GET', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await request(`${xero.sandbox.apiUrl}${path}`, {
    dispatcher: xero.dispatcher,
    method,
    headers: {
      authorization: `Bearer ${xero.sandbox.accessToken}`,
      'xero-tenant-id': TENANT,
      accept: 'application/json',
      'content-type': 'application/json',
      ...headers,
    },
    body: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: text && /json/.test(String(response.headers['content-type'])) ? JSON.parse(text) : text };
}

const data = () => xero.sandbox.dataset(TENANT);
const used = new Set<string>();
/** An authorised invoice with nothing paid yet, not used by another test. */
function openInvoice(currency: string, type: 'ACCREC' | 'ACCPAY' = 'ACCREC'): XeroSandboxInvoice {
  const found = data().invoices.find(
    (i) => !used.has(i.id) && i.status === 'AUTHORISED' && i.amountPaid === 0 && i.amountCredited === 0 && i.paymentIds.length === 0 && i.currency === currency && i.type === type && i.total > 300,
  );
  if (!found) throw new Error(`no open ${type} invoice in ${currency}`);
  used.add(found.id);
  return found;
}
const invoiceAnswer = async (id: string) => (await send('GET', `/Invoices/${id}`)).body.Invoices[0];
const messagesOf = (answer: Answer): string[] =>
  answer.body.Elements.flatMap((e: any) => [
    ...(e.ValidationErrors ?? []).map((v: any) => v.Message),
    ...(e.Payments ?? []).flatMap((p: any) => (p.ValidationErrors ?? []).map((v: any) => v.Message)),
  ]);
const payment = (invoiceId: string, amount: number, extra: Record<string, unknown> = {}) => ({
  Invoice: { InvoiceID: invoiceId },
  Account: { Code: '091' },
  Date: '2026-01-05',
  Amount: amount,
  Reference: 'test',
  ...extra,
});

describe('PUT /Payments', () => {
  it('records a payment, applies it to the invoice and answers it in Xero envelope', async () => {
    const invoice = openInvoice('USD');
    const before = await invoiceAnswer(invoice.id);
    const answer = await send('PUT', '/Payments', { Payments: [payment(invoice.id, 10.5)] });
    expect(answer.status).toBe(200);
    const [written] = answer.body.Payments;
    expect(written).toMatchObject({
      Amount: 10.5,
      BankAmount: 10.5,
      Status: 'AUTHORISED',
      PaymentType: 'ACCRECPAYMENT',
      Reference: 'test',
      Account: { AccountID: '6f7594f2-f059-4d56-9e67-47ac9733bfe9', Code: '091' },
      Invoice: { InvoiceID: invoice.id, CurrencyCode: 'USD', Status: 'AUTHORISED' },
    });
    expect(written.Date).toBe(`/Date(${Date.UTC(2026, 0, 5)}+0000)/`);
    const after = await invoiceAnswer(invoice.id);
    expect(Math.round((before.AmountDue - after.AmountDue) * 100)).toBe(1050);
    expect(after.AmountPaid).toBe(10.5);
    expect(after.Payments.map((p: any) => p.PaymentID)).toContain(written.PaymentID);
    expect(after.UpdatedDateUTC).toBe(`/Date(${clock}+0000)/`);
    // GET /Payments/{id} answers it with its account, as the read paths do.
    const read = await send('GET', `/Payments/${written.PaymentID}`);
    expect(read.body.Payments[0]).toMatchObject({ PaymentID: written.PaymentID, Amount: 10.5, Account: { Code: '091' } });
  });

  it('marks the invoice PAID with FullyPaidOnDate when nothing is due, and takes an account by AccountID', async () => {
    const invoice = openInvoice('NZD');
    const due = invoice.amountDue / 100;
    const answer = await send('PUT', '/Payments', {
      Payments: [payment(invoice.id, due, { Account: { AccountID: '5690F1E8-1D02-4893-90C2-EE1A69EFF942' }, Date: '2026-01-07' })],
    });
    expect(answer.status).toBe(200);
    const after = await invoiceAnswer(invoice.id);
    expect(after).toMatchObject({ Status: 'PAID', AmountDue: 0, AmountPaid: due, FullyPaidOnDate: `/Date(${Date.UTC(2026, 0, 7)}+0000)/` });
  });

  it('converts a foreign-currency invoice paid from the base-currency account at its rate', async () => {
    const invoice = openInvoice('USD');
    const answer = await send('PUT', '/Payments', { Payments: [payment(invoice.id, 60, { Account: { Code: '090' } })] });
    expect(answer.status).toBe(200);
    expect(answer.body.Payments[0]).toMatchObject({ Amount: 60, BankAmount: 100, CurrencyRate: 0.6 });
  });

  it.each([
    ['an amount over the amount due', (inv: XeroSandboxInvoice) => payment(inv.id, (inv.amountDue + 1) / 100), 'Payment amount exceeds the amount outstanding on this document'],
    ['an unknown account', (inv: XeroSandboxInvoice) => payment(inv.id, 1, { Account: { Code: 'NOPE' } }), 'Account could not be found'],
    ['an account that takes no payments', (inv: XeroSandboxInvoice) => payment(inv.id, 1, { Account: { Code: '200' } }), 'Payments cannot be made to or from account 200 (Sales): it is not a bank account and payments to it are not enabled'],
    ['an archived bank account', (inv: XeroSandboxInvoice) => payment(inv.id, 1, { Account: { Code: '094' } }), 'Old Savings Account bank account is archived and cannot be used'],
    ['a bank account in another currency', (inv: XeroSandboxInvoice) => payment(inv.id, 1, { Account: { Code: '092' } }), 'The currency of the bank account (AUD) must match the currency of the invoice (USD)'],
    ['more decimal places than the currency has', (inv: XeroSandboxInvoice) => payment(inv.id, 10.505), 'The payment amount can have at most 2 decimal places in USD'],
    ['no date', (inv: XeroSandboxInvoice) => payment(inv.id, 1, { Date: undefined }), 'A valid payment date must be supplied (YYYY-MM-DD)'],
  ])('refuses %s with a ValidationException and saves nothing', async (_what, build, message) => {
    const invoice = openInvoice('USD');
    const answer = await send('PUT', '/Payments', { Payments: [build(invoice)] });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred' });
    expect(messagesOf(answer)).toEqual([message]);
    expect(invoice.amountPaid).toBe(0);
    expect(invoice.paymentIds).toEqual([]);
  });

  it('refuses payments against draft and voided invoices', async () => {
    for (const status of ['DRAFT', 'VOIDED', 'SUBMITTED'] as const) {
      const invoice = data().invoices.find((i) => i.status === status)!;
      const answer = await send('PUT', '/Payments', { Payments: [payment(invoice.id, 1, { Account: { Code: '090' } })] });
      expect(answer.status).toBe(400);
      expect(messagesOf(answer)).toContain('Payments can only be made against Authorised documents');
    }
  });

  it('refuses a date on or before the end-of-year lock date', async () => {
    const invoice = openInvoice('USD');
    xero.sandbox.paymentWrites.setLockDate(TENANT, '2025-12-31');
    const locked = await send('PUT', '/Payments', { Payments: [payment(invoice.id, 1, { Date: '2025-12-31' })] });
    expect(messagesOf(locked)).toEqual(['The document date cannot be before the end of year lock date, currently set at 31 Dec 2025']);
    expect((await send('PUT', '/Payments', { Payments: [payment(invoice.id, 1, { Date: '2026-01-01' })] })).status).toBe(200);
  });

  it('saves nothing when one of several payments fails, and counts two payments of one invoice together', async () => {
    const invoice = openInvoice('USD');
    const half = Math.floor(invoice.amountDue / 2) / 100;
    const answer = await send('PUT', '/Payments', { Payments: [payment(invoice.id, half), payment(invoice.id, half), payment(invoice.id, half)] });
    expect(answer.status).toBe(400);
    expect(messagesOf(answer)).toEqual(['Payment amount exceeds the amount outstanding on this document']);
    expect(invoice.paymentIds).toEqual([]);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first answer to the same request and creates nothing more', async () => {
    const invoice = openInvoice('USD');
    const body = { Payments: [payment(invoice.id, 5)] };
    const key = 'key-replay-1';
    const first = await send('PUT', '/Payments', body, { 'idempotency-key': key });
    const second = await send('PUT', '/Payments', body, { 'idempotency-key': key });
    expect(second.status).toBe(200);
    expect(second.body.Payments[0].PaymentID).toBe(first.body.Payments[0].PaymentID);
    expect(invoice.paymentIds).toHaveLength(1);
    expect(invoice.amountPaid).toBe(500);
  });

  it('answers 400 to the same key with another request, and saves nothing', async () => {
    const invoice = openInvoice('USD');
    const key = 'key-reuse-1';
    await send('PUT', '/Payments', { Payments: [payment(invoice.id, 5)] }, { 'idempotency-key': key });
    const other = await send('PUT', '/Payments', { Payments: [payment(invoice.id, 6)] }, { 'idempotency-key': key });
    expect(other.status).toBe(400);
    expect(messagesOf(other)).toEqual(['The Idempotency-Key was already used for a different request; use a new key for a new request']);
    expect(invoice.paymentIds).toHaveLength(1);
  });

  it('replays an error too, and forgets the key six minutes after the first call', async () => {
    const invoice = openInvoice('USD');
    const key = 'key-window-1';
    const body = { Payments: [payment(invoice.id, 1, { Account: { Code: '200' } })] };
    expect((await send('PUT', '/Payments', body, { 'idempotency-key': key })).status).toBe(400);
    const ok = { Payments: [payment(invoice.id, 1)] };
    // Within six minutes the key belongs to the failed request.
    clock += 5 * 60_000;
    expect((await send('PUT', '/Payments', body, { 'idempotency-key': key })).status).toBe(400);
    expect((await send('PUT', '/Payments', ok, { 'idempotency-key': key })).status).toBe(400);
    clock += 60_000;
    const later = await send('PUT', '/Payments', ok, { 'idempotency-key': key });
    expect(later.status).toBe(200);
    expect(invoice.paymentIds).toHaveLength(1);
  });

  it('refuses a key longer than 128 characters', async () => {
    const invoice = openInvoice('USD');
    const answer = await send('PUT', '/Payments', { Payments: [payment(invoice.id, 1)] }, { 'idempotency-key': 'k'.repeat(129) });
    expect(answer.status).toBe(400);
    expect(invoice.paymentIds).toEqual([]);
  });

  it('is checked after the rate limits: a 429 is not replayed', async () => {
    const invoice = openInvoice('USD');
    const body = { Payments: [payment(invoice.id, 2)] };
    xero.sandbox.limits.perMinute = 0;
    try {
      expect((await send('PUT', '/Payments', body, { 'idempotency-key': 'key-429' })).status).toBe(429);
    } finally {
      xero.sandbox.limits.perMinute = 60;
    }
    expect((await send('PUT', '/Payments', body, { 'idempotency-key': 'key-429' })).status).toBe(200);
    expect(invoice.paymentIds).toHaveLength(1);
  });

  it('applies a write whose answer is then lost (dropAnswer), and replays it to the retry', async () => {
    const invoice = openInvoice('USD');
    const body = { Payments: [payment(invoice.id, 3)] };
    xero.sandbox.faults.inject({ routes: ['create-payments'], dropAnswer: true, times: 1 });
    await expect(send('PUT', '/Payments', body, { 'idempotency-key': 'key-lost' })).rejects.toThrow();
    expect(invoice.paymentIds).toHaveLength(1);
    const retry = await send('PUT', '/Payments', body, { 'idempotency-key': 'key-lost' });
    expect(retry.status).toBe(200);
    expect(retry.body.Payments[0].PaymentID).toBe(invoice.paymentIds[0]);
    expect(invoice.paymentIds).toHaveLength(1);
  });
});

describe('PUT /BatchPayments', () => {
  it('creates the batch and its payments with BatchPaymentID, an exact total, and applies them', async () => {
    const invoices = [openInvoice('USD'), openInvoice('USD'), openInvoice('USD')];
    const amounts = [0.1, 0.2, 0.3];
    const answer = await send('PUT', '/BatchPayments', {
      BatchPayments: [
        {
          Account: { Code: '091' },
          Date: '2026-01-08',
          Reference: 'Batch test',
          Payments: invoices.map((inv, i) => ({ Invoice: { InvoiceID: inv.id }, Amount: amounts[i] })),
        },
      ],
    });
    expect(answer.status).toBe(200);
    const [batch] = answer.body.BatchPayments;
    expect(batch).toMatchObject({ Type: 'RECBATCH', Status: 'AUTHORISED', TotalAmount: 0.6, Reference: 'Batch test', Account: { CurrencyCode: 'USD' } });
    expect(batch.Payments.map((p: any) => p.Amount)).toEqual(amounts);
    for (const p of batch.Payments) {
      const read = await send('GET', `/Payments/${p.PaymentID}`);
      expect(read.body.Payments[0].BatchPaymentID).toBe(batch.BatchPaymentID);
    }
    expect(invoices.map((i) => i.amountPaid)).toEqual([10, 20, 30]);
    expect((await send('GET', `/BatchPayments/${batch.BatchPaymentID}`)).body.BatchPayments[0].TotalAmount).toBe(0.6);
  });

  it('refuses sales invoices mixed with bills, and a batch from a non-bank account', async () => {
    const mixed = await send('PUT', '/BatchPayments', {
      BatchPayments: [
        { Account: { Code: '091' }, Date: '2026-01-08', Payments: [openInvoice('USD'), openInvoice('USD', 'ACCPAY')].map((inv) => ({ Invoice: { InvoiceID: inv.id }, Amount: 1 })) },
      ],
    });
    expect(mixed.status).toBe(400);
    expect(messagesOf(mixed)).toEqual(['All invoices of a batch payment must be of one type (sales invoices or bills)']);
    const equity = await send('PUT', '/BatchPayments', {
      BatchPayments: [{ Account: { Code: '880' }, Date: '2026-01-08', Payments: [{ Invoice: { InvoiceID: openInvoice('NZD').id }, Amount: 1 }] }],
    });
    expect(messagesOf(equity)).toEqual(['Batch payments can only be made from a bank account']);
  });
});

describe('POST /Payments/{id} (deletion)', () => {
  it('deletes a payment and takes its amount back from the invoice, PAID back to AUTHORISED', async () => {
    const invoice = openInvoice('NZD');
    const due = invoice.amountDue;
    const made = await send('PUT', '/Payments', { Payments: [payment(invoice.id, due / 100, { Account: { Code: '090' } })] });
    expect(invoice.status).toBe('PAID');
    const id = made.body.Payments[0].PaymentID;
    const deleted = await send('POST', `/Payments/${id}`, { Status: 'DELETED' });
    expect(deleted.status).toBe(200);
    expect(deleted.body.Payments[0]).toMatchObject({ PaymentID: id, Status: 'DELETED' });
    const after = await invoiceAnswer(invoice.id);
    expect(after).toMatchObject({ Status: 'AUTHORISED', AmountPaid: 0, AmountDue: due / 100 });
    expect(after.FullyPaidOnDate).toBeUndefined();
    expect(after.Payments).toEqual([]);
    const again = await send('POST', `/Payments/${id}`, { Payments: [{ Status: 'DELETED' }] });
    expect(again.status).toBe(400);
    expect(messagesOf(again)).toEqual(['This payment has already been deleted']);
  });

  it('refuses to delete a payment of a batch, answers 404 for an unknown one', async () => {
    const batched = data().payments.find((p) => p.batchId && p.status === 'AUTHORISED' && !p.reconciled)!;
    const answer = await send('POST', `/Payments/${batched.id}`, { Status: 'DELETED' });
    expect(messagesOf(answer)).toEqual(['This payment is part of a batch payment and cannot be deleted on its own']);
    expect(batched.status).toBe('AUTHORISED');
    expect((await send('POST', '/Payments/00000000-0000-0000-0000-000000000000', { Status: 'DELETED' })).status).toBe(404);
  });
});
