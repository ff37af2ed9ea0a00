// The adapter against the Xero sandbox over loopback: chunking (and the sandbox's 404 beyond 50 ids), the tenant's
// limits (5 in flight, 60 a minute) never tripped by one adapter, 429 handling, two tenants, payments and batch
// payments by where filters, listing with filters and If-Modified-Since, tokens. Asserts upstream call counts.
import { request } from 'undici';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/kit/errors.js';
import type { BatchPayment, Invoice, Payment } from '../../../adapters/kit/model.js';
import { formatAmount, moneyFromMinorUnits, toMinorUnits } from '../../../adapters/kit/money.js';
import { startXeroSandbox, type XeroSandboxHandle } from '../../../adapters/xero/sandbox/xero-sandbox.js';
import { xeroProvider } from '../../../adapters/xero/provider.js';
import { xeroSettingsSchema } from '../../../adapters/xero/settings.js';
import { createXeroAdapter } from '../../../adapters/xero/xero-adapter.js';
import { useXeroSandbox } from '../../support/xero-sandbox-suite.js';

const TENANT_NZ = '1c9e8a7b-6d5c-4b3a-9f8e-7d6c5b4a3f21';
const TENANT_AU = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6e';

const xero = useXeroSandbox({ tenants: [TENANT_NZ, TENANT_AU], seed: 11 });
const adapters: Array<{ close(): Promise<void> }> = [];

afterAll(async () => {
  for (const adapter of adapters) await adapter.close();
});
beforeEach(() => {
  xero.sandbox.limits.perMinute = 60;
  xero.sandbox.latencyMs = 0;
});

function adapterFor(tenantId: string, extra: Record<string, unknown> = {}) {
  const settings = xeroSettingsSchema.parse({ baseUrl: xero.sandbox.apiUrl, tenantId, accessToken: xero.sandbox.accessToken, ...extra });
  const adapter = createXeroAdapter(settings, { dispatcher: xero.dispatcher });
  adapters.push(adapter);
  return adapter;
}

async function raw(path: string, headers: Record<string, string> = {}) {
  const response = await request(`${xero.sandbox.apiUrl}${path}`, {
    dispatcher: xero.dispatcher,
    headers: { authorization: `Bearer ${xero.sandbox.accessToken}`, 'xero-tenant-id': TENANT_NZ, accept: 'application/json', ...headers },
  });
  return { status: response.statusCode, headers: response.headers as Record<string, string>, text: await response.body.text() };
}

const callsOf = (tenant: string, route?: string) =>
  xero.sandbox.calls.list().filter((c) => c.headers['xero-tenant-id'] === tenant && (!route || c.name === route));

describe('Xero sandbox data', () => {
  it('covers both types, four currencies, every status and partial payments, deterministically', async () => {
    const data = xero.sandbox.dataset(TENANT_NZ);
    expect(new Set(data.invoices.map((i) => i.currency))).toEqual(new Set(['NZD', 'AUD', 'USD', 'JPY']));
    expect(new Set(data.invoices.map((i) => i.type))).toEqual(new Set(['ACCREC', 'ACCPAY']));
    expect(new Set(data.invoices.map((i) => i.status))).toEqual(new Set(['DRAFT', 'SUBMITTED', 'AUTHORISED', 'PAID', 'VOIDED', 'DELETED']));
    expect(data.invoices.some((i) => i.status === 'AUTHORISED' && i.amountPaid > 0 && i.amountDue > 0)).toBe(true);
    expect(data.invoices.some((i) => i.lines.some((l) => l.unit4 % 100 !== 0))).toBe(true);
    // 25 seeded and the shapes' one (xero-seed-shapes.ts).
    expect(data.batches).toHaveLength(26);
    for (const batch of data.batches.slice(0, 25)) expect(batch.paymentIds.length).toBeGreaterThanOrEqual(4);
    const again = await startXeroSandbox({ tenants: [TENANT_NZ, TENANT_AU], seed: 11, invoiceCount: 300 });
    expect(again.dataset(TENANT_NZ).invoices.map((i) => i.id)).toEqual(data.invoices.map((i) => i.id));
    await again.close();
    // Tenants hold different books.
    expect(xero.sandbox.dataset(TENANT_AU).invoices[0].id).not.toBe(data.invoices[0].id);
  });
});

describe('loadInvoices against the sandbox', () => {
  it('loads 120 ids in 3 calls, in order, with exact amounts', async () => {
    const adapter = adapterFor(TENANT_NZ);
    const data = xero.sandbox.dataset(TENANT_NZ);
    const wanted = data.invoices.slice(0, 120);
    const answer = (await adapter.loadInvoices(wanted.map((i) => i.id), {})) as Invoice[];
    expect(xero.sandbox.calls.count('invoices')).toBe(3);
    expect(answer.map((i) => i.remoteId)).toEqual(wanted.map((i) => i.id));
    for (const [index, invoice] of answer.entries()) {
      const seeded = wanted[index];
      expect(toMinorUnits(invoice.total!)).toBe(String(seeded.total));
      expect(toMinorUnits(invoice.amountDue!)).toBe(String(seeded.amountDue));
      expect(invoice.lineItems).toHaveLength(seeded.lines.length);
      // unitdp=4 brings unit prices with all four decimals.
      invoice.lineItems.forEach((line, i) => {
        const unit = line.unitAmount!;
        expect(unit.coefficient * 10n ** BigInt(4 - unit.decimals)).toBe(BigInt(seeded.lines[i].unit4));
      });
    }
    const jpy = answer.find((i) => i.currency === 'JPY')!;
    expect(jpy.total!.currencyScale).toBe(0);
    const partial = answer.find((i) => i.providerStatus === 'AUTHORISED' && i.status === 'PARTIALLY_PAID');
    expect(partial).toBeDefined();
    expect(answer.filter((i) => i.providerStatus === 'VOIDED').every((i) => i.status === 'VOID')).toBe(true);
  });

  it('is answered 404 by the sandbox for more than 50 IDs, as Xero does', async () => {
    const data = xero.sandbox.dataset(TENANT_NZ);
    const fifty = data.invoices.slice(0, 50).map((i) => i.id);
    expect((await raw(`/Invoices?IDs=${fifty.join(',')}&page=1`)).status).toBe(200);
    const fiftyOne = data.invoices.slice(0, 51).map((i) => i.id);
    expect((await raw(`/Invoices?IDs=${fiftyOne.join(',')}&page=1`)).status).toBe(404);
  });

  it('answers null for ids of another tenant and an error for a corrupted item alone', async () => {
    const adapter = adapterFor(TENANT_NZ);
    const own = xero.sandbox.dataset(TENANT_NZ).invoices.slice(0, 3).map((i) => i.id);
    const foreign = xero.sandbox.dataset(TENANT_AU).invoices[0].id;
    xero.sandbox.faults.inject({ routes: ['invoices'], badItem: true, times: 1 });
    const answer = await adapter.loadInvoices([...own, foreign], {});
    expect(answer[0]).toBeInstanceOf(AdapterError);
    expect((answer[0] as AdapterError).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect((answer[1] as Invoice).remoteId).toBe(own[1]);
    expect((answer[2] as Invoice).remoteId).toBe(own[2]);
    expect(answer[3]).toBeNull();
    expect(xero.sandbox.calls.count('invoices')).toBe(1);
  });
});

describe('the tenant rate limits', () => {
  it('30 concurrent loadInvoices calls through one adapter never draw a 429 and keep at most 5 in flight', async () => {
    xero.sandbox.latencyMs = 15;
    const adapter = adapterFor(TENANT_NZ);
    const data = xero.sandbox.dataset(TENANT_NZ);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => adapter.loadInvoices([data.invoices[i].id, data.invoices[i + 100].id], {})),
    );
    expect(answers.every((a) => a.every((x) => x !== null && !(x instanceof Error)))).toBe(true);
    const calls = callsOf(TENANT_NZ, 'invoices');
    expect(calls).toHaveLength(30);
    expect(calls.filter((c) => c.status === 429)).toHaveLength(0);
    expect(xero.sandbox.maxInFlightFor(TENANT_NZ)).toBeLessThanOrEqual(5);
    expect(xero.sandbox.maxInFlightFor(TENANT_NZ)).toBeGreaterThan(1);
  });

  it('(the sandbox does answer 429 concurrent to a client that sends more than 5 at once)', async () => {
    xero.sandbox.latencyMs = 30;
    const answers = await Promise.all(Array.from({ length: 8 }, () => raw('/BatchPayments?where=Type%3D%3D%22PAYBATCH%22')));
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0].headers['x-rate-limit-problem']).toBe('concurrent');
    expect(refused[0].headers['retry-after']).toBe('1');
  });

  it('answers 429 minute with Retry-After and the remaining-count headers past the per-minute limit', async () => {
    xero.sandbox.limits.perMinute = 2;
    const first = await raw('/BatchPayments');
    expect(first.headers['x-minlimit-remaining']).toBe('1');
    expect(Number(first.headers['x-daylimit-remaining'])).toBeLessThan(5000);
    expect(first.headers['x-appminlimit-remaining']).toBeDefined();
    await raw('/BatchPayments');
    const third = await raw('/BatchPayments');
    expect(third.status).toBe(429);
    expect(third.headers['x-rate-limit-problem']).toBe('minute');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(50);
    expect(third.headers['x-minlimit-remaining']).toBe('0');
  });

  it('waits out an injected 429 with Retry-After 1 and succeeds on the retry', async () => {
    const adapter = adapterFor(TENANT_NZ);
    const id = xero.sandbox.dataset(TENANT_NZ).invoices[5].id;
    xero.sandbox.faults.inject({ routes: ['invoices'], status: 429, retryAfter: 1, times: 1 });
    const [invoice] = (await adapter.loadInvoices([id], {})) as Invoice[];
    expect(invoice.remoteId).toBe(id);
    expect(xero.sandbox.calls.list().map((c) => c.status)).toEqual([429, 200]);
  });

  it('answers UPSTREAM_RATE_LIMITED with retryAfter when Retry-After exceeds maxRetryAfterWaitSeconds', async () => {
    const adapter = adapterFor(TENANT_NZ, { maxRetryAfterWaitSeconds: 5 });
    xero.sandbox.faults.inject({ routes: ['invoices'], status: 429, retryAfter: 30, times: 1 });
    const error = await adapter.loadInvoices([xero.sandbox.dataset(TENANT_NZ).invoices[0].id], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 30, source: 'xero' });
    expect(xero.sandbox.calls.count('invoices')).toBe(1);
  });

  it('reads X-MinLimit-Remaining and stops calling when the tenant minute budget is spent by someone else', async () => {
    xero.sandbox.limits.perMinute = 3;
    await raw('/BatchPayments');
    await raw('/BatchPayments');
    const adapter = adapterFor(TENANT_NZ);
    const ids = xero.sandbox.dataset(TENANT_NZ).invoices.map((i) => i.id);
    expect((await adapter.loadInvoices([ids[0]], {}))[0]).not.toBeNull();
    const error = await adapter.loadInvoices([ids[1]], {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
    expect((error as AdapterError).retryAfter).toBeGreaterThan(50);
    // The adapter refused locally: the sandbox saw 3 calls and never had to answer 429.
    expect(xero.sandbox.calls.count()).toBe(3);
    expect(xero.sandbox.calls.list().filter((c) => c.status === 429)).toHaveLength(0);
  });

  it('two tenants are two adapters with their own limits; both answer', async () => {
    xero.sandbox.latencyMs = 10;
    xero.sandbox.limits.perMinute = 12;
    const nz = adapterFor(TENANT_NZ, { perMinuteLimit: 12 });
    const au = adapterFor(TENANT_AU, { perMinuteLimit: 12, name: 'xero-au' });
    const nzIds = xero.sandbox.dataset(TENANT_NZ).invoices.map((i) => i.id);
    const auIds = xero.sandbox.dataset(TENANT_AU).invoices.map((i) => i.id);
    const [nzAnswers, auAnswers] = await Promise.all([
      Promise.all(Array.from({ length: 12 }, (_, i) => nz.loadInvoices([nzIds[i]], {}))),
      Promise.all(Array.from({ length: 12 }, (_, i) => au.loadInvoices([auIds[i]], {}))),
    ]);
    expect(nzAnswers.map((a) => (a[0] as Invoice).remoteId)).toEqual(nzIds.slice(0, 12));
    expect(auAnswers.map((a) => (a[0] as Invoice).remoteId)).toEqual(auIds.slice(0, 12));
    expect(xero.sandbox.maxInFlightFor(TENANT_NZ)).toBeLessThanOrEqual(5);
    expect(xero.sandbox.maxInFlightFor(TENANT_AU)).toBeLessThanOrEqual(5);
    expect(xero.sandbox.calls.list().filter((c) => c.status === 429)).toHaveLength(0);
    // NZ's minute budget is spent; AU's is not touched by it.
    await expect(nz.loadInvoices([nzIds[20]], {})).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', source: 'xero' });
    xero.sandbox.limits.perMinute = 13;
    const au2 = adapterFor(TENANT_AU, { perMinuteLimit: 13, name: 'xero-au' });
    expect(((await au2.loadInvoices([auIds[20]], {}))[0] as Invoice).remoteId).toBe(auIds[20]);
    expect(callsOf(TENANT_NZ)).toHaveLength(12);
  });
});

describe('payments and batch payments against the sandbox', () => {
  it('loads 60 payments with where filters in 3 calls', async () => {
    const adapter = adapterFor(TENANT_NZ);
    const data = xero.sandbox.dataset(TENANT_NZ);
    const wanted = data.payments.slice(0, 60);
    const answer = (await adapter.loadPayments([...wanted.map((p) => p.id), '22222222-2222-4222-8222-222222222222'], {})) as Array<Payment | null>;
    expect(xero.sandbox.calls.count('payments')).toBe(3);
    expect(answer[60]).toBeNull();
    for (const [index, payment] of answer.slice(0, 60).entries()) {
      const seeded = wanted[index];
      const invoice = data.invoiceById.get(seeded.invoiceId)!;
      expect(payment!.remoteId).toBe(seeded.id);
      expect(formatAmount(payment!.amount)).toBe(formatAmount(moneyFromMinorUnits(String(seeded.amount), invoice.currency)));
      expect(payment!.direction).toBe(invoice.type === 'ACCREC' ? 'PAYIN' : 'PAYOUT');
      expect(payment!.invoiceRemoteId).toBe(invoice.id);
      expect(payment!.batchPaymentRemoteId).toBe(seeded.batchId);
      expect(payment!.status).toBe(seeded.status === 'DELETED' ? 'DELETED' : 'POSTED');
    }
  });

  it('loads every batch payment in one call, with linked payments and exact totals', async () => {
    const adapter = adapterFor(TENANT_NZ);
    const data = xero.sandbox.dataset(TENANT_NZ);
    // The main seed's 25 (as many as one `where` carries); the shapes' batch is read in xero-shapes.test.ts.
    const batches = data.batches.slice(0, 25);
    const answer = (await adapter.loadBatchPayments(batches.map((b) => b.id), {})) as BatchPayment[];
    expect(xero.sandbox.calls.count('batch-payments')).toBe(1);
    for (const [index, batch] of answer.entries()) {
      const seeded = batches[index];
      expect(batch.remoteId).toBe(seeded.id);
      expect(toMinorUnits(batch.total)).toBe(String(seeded.total));
      expect(batch.total.currency).toBe(seeded.currency);
      expect(batch.type).toBe(seeded.type === 'RECBATCH' ? 'RECEIVABLE' : 'PAYABLE');
      expect(batch.payments.map((p) => p.remoteId)).toEqual(seeded.paymentIds);
      expect(batch.payments.every((p) => p.batchPaymentRemoteId === seeded.id)).toBe(true);
      expect(batch.date).toBe(new Date(seeded.dateMs).toISOString().slice(0, 10));
    }
  });

  it('lists batch payments by filter and If-Modified-Since, newest first', async () => {
    const adapter = adapterFor(TENANT_NZ);
    const data = xero.sandbox.dataset(TENANT_NZ);
    const sinceMs = [...data.batches].map((b) => b.updatedMs).sort((a, b) => a - b)[5];
    const filter = {
      dateFrom: '2024-03-01',
      dateTo: '2025-12-31',
      status: 'AUTHORISED',
      type: 'RECEIVABLE' as const,
      modifiedSince: new Date(Math.floor(sinceMs / 1000) * 1000).toISOString(),
    };
    const list = await adapter.listBatchPayments!(filter, {});
    const from = Date.UTC(2024, 2, 1);
    const to = Date.UTC(2025, 11, 31);
    const expected = data.batches
      .filter((b) => b.type === 'RECBATCH' && b.status === 'AUTHORISED' && b.dateMs >= from && b.dateMs <= to)
      .filter((b) => b.updatedMs >= Math.floor(sinceMs / 1000) * 1000)
      .sort((a, b) => b.dateMs - a.dateMs || b.updatedMs - a.updatedMs);
    expect(expected.length).toBeGreaterThan(1);
    expect(list.map((b) => b.remoteId)).toEqual(expected.map((b) => b.id));
    const [call] = xero.sandbox.calls.list();
    expect(call.name).toBe('batch-payments');
    expect(new URLSearchParams(call.query).get('where')).toBe(
      'Date >= DateTime(2024, 03, 01) AND Date <= DateTime(2025, 12, 31) AND Status=="AUTHORISED" AND Type=="RECBATCH"',
    );
    expect(call.headers['if-modified-since']).toBe(filter.modifiedSince);
    // Without If-Modified-Since the older ones come back too.
    const all = await adapter.listBatchPayments!({ type: 'RECEIVABLE', status: 'AUTHORISED' }, {});
    expect(all.length).toBe(data.batches.filter((b) => b.type === 'RECBATCH' && b.status === 'AUTHORISED').length);
  });
});

describe('sandbox protocol', () => {
  it('refuses a bad token with 401 and a Xero-style body, and an unknown tenant with 403', async () => {
    const bad = await raw('/Invoices', { authorization: 'Bearer nope' });
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.text)).toMatchObject({ Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' });
    const tenant = await raw('/Invoices', { 'xero-tenant-id': '00000000-0000-4000-8000-000000000000' });
    expect(tenant.status).toBe(403);
    expect(JSON.parse(tenant.text)).toMatchObject({ Title: 'Forbidden', Status: 403 });

    const adapter = adapterFor(TENANT_NZ, { accessToken: 'wrong' });
    await expect(adapter.loadInvoices([xero.sandbox.dataset(TENANT_NZ).invoices[0].id], {})).rejects.toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED' });
    const stranger = adapterFor('00000000-0000-4000-8000-000000000000');
    await expect(stranger.loadInvoices([xero.sandbox.dataset(TENANT_NZ).invoices[0].id], {})).rejects.toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED' });
  });

  it('answers XML without Accept: application/json, pages by 100 and rejects an unparsable where', async () => {
    const xml = await raw('/BatchPayments', { accept: 'application/xml' });
    expect(xml.headers['content-type']).toMatch(/xml/);
    expect(xml.text.startsWith('<Response>')).toBe(true);
    const page = JSON.parse((await raw('/Payments?page=1')).text);
    expect(page.Payments).toHaveLength(100);
    expect(page.pagination).toEqual({ page: 1, pageSize: 100, pageCount: 2, itemCount: xero.sandbox.dataset(TENANT_NZ).payments.length });
    expect(page).toMatchObject({ Status: 'OK', ProviderName: expect.any(String), DateTimeUTC: expect.stringMatching(/^\/Date\(\d+\)\/$/) });
    const unpaged = JSON.parse((await raw('/Invoices')).text);
    expect(unpaged.pagination).toBeUndefined();
    expect(unpaged.Invoices[0].LineItems).toEqual([]);
    const badWhere = await raw(`/Payments?where=${encodeURIComponent('PaymentID.Contains("x")')}`);
    expect(badWhere.status).toBe(400);
    expect(JSON.parse(badWhere.text)).toMatchObject({ Type: 'QueryParseException' });
  });

  it('issues client-credentials tokens: one token for many calls', async () => {
    const adapter = adapterFor(TENANT_NZ, {
      accessToken: undefined,
      clientId: xero.sandbox.clientId,
      clientSecret: xero.sandbox.clientSecret,
      tokenUrl: xero.sandbox.tokenUrl,
    });
    const ids = xero.sandbox.dataset(TENANT_NZ).invoices.map((i) => i.id);
    await Promise.all([adapter.loadInvoices(ids.slice(0, 3), {}), adapter.loadPayments([xero.sandbox.dataset(TENANT_NZ).payments[0].id], {})]);
    await adapter.loadInvoices(ids.slice(3, 6), {});
    expect(xero.sandbox.calls.count('token')).toBe(1);
    expect(xero.sandbox.calls.count('invoices')).toBe(2);
    // A revoked token is renewed once after the 401.
    xero.sandbox.revokeTokens();
    const answer = await adapter.loadInvoices(ids.slice(6, 7), {});
    expect((answer[0] as Invoice).remoteId).toBe(ids[6]);
    expect(xero.sandbox.calls.count('token')).toBe(2);
  });

  it('provider.startSandbox gives settings an adapter can use as is', async () => {
    const started = await xeroProvider.startSandbox();
    try {
      const settings = xeroProvider.settingsSchema.parse(started.settings);
      expect(settings).toMatchObject({ name: 'xero', baseUrl: `${started.handle.url}/api.xro/2.0` });
      const adapter = xeroProvider.createAdapter(settings, { dispatcher: xero.dispatcher });
      const handle = started.handle as XeroSandboxHandle;
      const [invoice] = (await adapter.loadInvoices([handle.dataset().invoices[0].id], {})) as Invoice[];
      expect(invoice.remoteId).toBe(handle.dataset().invoices[0].id);
      await adapter.close();
    } finally {
      await started.handle.close();
    }
  });
});
