// The Korint adapter against the Korint simulator over loopback: paging, both envelopes, every status, the
// simulation context, faults, and the number of upstream calls.
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/kit/adapter.js';
import { AdapterError } from '../../../adapters/kit/errors.js';
import type { Invoice } from '../../../adapters/kit/model.js';
import { formatAmount, toMinorUnits } from '../../../adapters/kit/money.js';
import { createKorintAdapter } from '../../../adapters/korint/korint-adapter.js';
import { KORINT_STATUS_MAP } from '../../../adapters/korint/korint-to-model.js';
import { korintProvider } from '../../../adapters/korint/provider.js';
import { startKorintSandbox, type KorintSandboxHandle } from '../../../adapters/korint/sandbox/korint-sandbox.js';
import { KORINT_DOCUMENTED_STATUSES, centsToNumber } from '../../../adapters/korint/sandbox/seed-data.js';
import { korintSettingsSchema } from '../../../adapters/korint/settings.js';

let sandbox: KorintSandboxHandle;
let dispatcher: Agent;

const adapterWith = (overrides: Record<string, unknown> = {}): Adapter =>
  createKorintAdapter(korintSettingsSchema.parse({ baseUrl: sandbox.url, token: sandbox.token, ...overrides }), { dispatcher });

const idOf = (answer: Invoice | Error | null) => (answer instanceof Error || answer === null ? answer : answer.remoteId);
const pages = () => sandbox.calls.list().map((call) => new URLSearchParams(call.query).get('page'));

beforeAll(async () => {
  sandbox = await startKorintSandbox({ invoiceCount: 200, seed: 3 });
  dispatcher = new Agent();
});

afterAll(async () => {
  await dispatcher.close();
  await sandbox.close();
});

beforeEach(() => {
  sandbox.calls.reset();
  sandbox.faults.clear();
  sandbox.useOffsetEnvelope(false);
});

// 118 known ids (in a shuffled order) and 2 unknown ones at the end: 120 ids.
const known = Array.from({ length: 118 }, (_, i) => `kor_inv_${String(((i * 37) % 200) + 1).padStart(4, '0')}`);
const requested = [...known, 'kor_inv_9998', 'kor_inv_9999'];

describe.each([
  ['documented page envelope', false],
  ['offset envelope', true],
])('korint batches over the %s', (_name, offsetEnvelope) => {
  it('loads 120 ids with pageSize 50 in exactly 3 page requests, in requested order, unknown ids null', async () => {
    sandbox.useOffsetEnvelope(offsetEnvelope);
    const adapter = adapterWith({ pageSize: 50 });
    const answers = await adapter.loadInvoices(requested, {});

    expect(new Set(known).size).toBe(118);
    expect(answers.map(idOf)).toEqual([...known, null, null]);
    expect(sandbox.calls.count('invoices')).toBe(3);
    expect(pages().sort()).toEqual(['1', '1', '2']);
    const idCounts = sandbox.calls.list().map((call) => new URLSearchParams(call.query).get('ids')!.split(',').length);
    expect(idCounts.sort((a, b) => a - b)).toEqual([20, 100, 100]);
    for (const call of sandbox.calls.list()) {
      const query = new URLSearchParams(call.query);
      expect(query.get('pageSize')).toBe('50');
      expect(call.headers.authorization).toBe(`Bearer ${sandbox.token}`);
    }
    expect(sandbox.calls.list().every((call) => call.status === 200)).toBe(true);
  });
});

describe('korint adapter against the sandbox', () => {
  it('answers duplicates once per position and asks for each id once', async () => {
    const answers = await adapterWith().loadInvoices(['kor_inv_0002', 'kor_inv_0001', 'kor_inv_0002'], {});
    expect(answers.map(idOf)).toEqual(['kor_inv_0002', 'kor_inv_0001', 'kor_inv_0002']);
    expect(sandbox.calls.count()).toBe(1);
    expect(new URLSearchParams(sandbox.calls.list()[0].query).get('ids')).toBe('kor_inv_0002,kor_inv_0001');
  });

  it('maps every seeded status to the documented InvoiceStatus, CREDITED included, without errors', async () => {
    const ids = sandbox.invoices.map((invoice) => invoice.id);
    const answers = await adapterWith().loadInvoices(ids, {});
    // The seeded invoices, the shapes and the billing run, 100 ids a request.
    expect(sandbox.calls.count()).toBe(Math.ceil(ids.length / 100));
    const seen = new Map<string, string>();
    for (const answer of answers) {
      expect(answer).not.toBeInstanceOf(Error);
      const invoice = answer as Invoice;
      seen.set(invoice.providerStatus, invoice.status);
    }
    for (const status of [...KORINT_DOCUMENTED_STATUSES, 'CREDITED']) {
      expect([status, seen.get(status)]).toEqual([status, KORINT_STATUS_MAP[status]]);
    }
    expect(seen.get('CREDITED')).toBe('VOID');
  });

  it('reads the seeded amounts exactly, with fees, taxes, lines and links', async () => {
    const seeded = sandbox.invoices[0];
    const [answer] = await adapterWith().loadInvoices([seeded.id], {});
    const invoice = answer as Invoice;
    const total = (seeded.total as { amountWithFeesAndTaxes: number }).amountWithFeesAndTaxes;
    expect(formatAmount(invoice.total!)).toBe(String(total.toFixed(2)));
    expect(invoice.totalBreakdown!.fees.length).toBeGreaterThan(0);
    expect(invoice.totalBreakdown!.taxes.length).toBeGreaterThan(0);
    expect(invoice.lineItems.length).toBeGreaterThan(0);
    const linked = await adapterWith().loadInvoices(
      sandbox.invoices.filter((i) => i.creditedInvoiceId || i.replacedInvoiceId).map((i) => i.id),
      {},
    );
    const relations = new Set(linked.flatMap((i) => (i as Invoice).related.map((r) => r.relation)));
    expect(relations).toEqual(new Set(['CREDITS', 'REPLACES']));
  });

  it('shows a paid invoice as ISSUED/OPEN when simulated before its payment', async () => {
    const { id, paidAt } = sandbox.paidInvoice();
    const before = new Date(Date.parse(paidAt) - 60_000).toISOString();
    const adapter = adapterWith();

    const [now] = await adapter.loadInvoices([id], {});
    const [then] = await adapter.loadInvoices([id], { simulation: { simulatedAt: before } });
    const [whenBefore] = await adapter.loadInvoices([id], { simulation: { whenAt: before } });
    const [after] = await adapter.loadInvoices([id], { simulation: { simulatedAt: paidAt } });

    expect([(now as Invoice).status, (now as Invoice).providerStatus]).toEqual(['PAID', 'PAID']);
    expect((now as Invoice).payments).toHaveLength(1);
    expect(formatAmount((now as Invoice).amountDue!)).toBe('0.00');
    expect([(then as Invoice).status, (then as Invoice).providerStatus]).toEqual(['OPEN', 'ISSUED']);
    expect((then as Invoice).payments).toEqual([]);
    expect(formatAmount((then as Invoice).amountDue!)).toBe(formatAmount((then as Invoice).total!));
    expect((whenBefore as Invoice).providerStatus).toBe('ISSUED');
    expect((after as Invoice).providerStatus).toBe('PAID');

    const queries = sandbox.calls.list().map((call) => new URLSearchParams(call.query));
    expect(queries.map((q) => [q.get('simulatedAt'), q.get('whenAt')])).toEqual([
      [null, null],
      [before, null],
      [null, before],
      [paidAt, null],
    ]);
  });

  it('fails only the corrupted item on a badItem fault', async () => {
    sandbox.faults.inject({ badItem: true, times: 1 });
    const ids = ['kor_inv_0003', 'kor_inv_0004', 'kor_inv_0005'];
    const answers = await adapterWith().loadInvoices(ids, {});
    const victim = sandbox.lastBadItemId;
    expect(ids).toContain(victim);
    answers.forEach((answer, index) => {
      if (ids[index] === victim) {
        expect(answer).toBeInstanceOf(AdapterError);
        expect(answer).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'korint' });
      } else {
        expect(idOf(answer)).toBe(ids[index]);
      }
    });
  });

  it('rejects with UPSTREAM_UNAVAILABLE from source korint on a 500', async () => {
    sandbox.faults.inject({ status: 500, times: 1 });
    const error = await adapterWith().loadInvoices(['kor_inv_0001'], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'korint', status: 500 });
    expect(sandbox.calls.count()).toBe(1);
  });

  it('runs chunks concurrently within the concurrency limit', async () => {
    sandbox.faults.inject({ latencyMs: 30 });
    const ids = sandbox.invoices.slice(0, 200).map((i) => i.id);
    const answers = await adapterWith({ pageSize: 20, maxIdsPerRequest: 20, concurrency: 3 }).loadInvoices(ids, {});
    expect(answers.every((a) => a !== null && !(a instanceof Error))).toBe(true);
    expect(sandbox.calls.count()).toBe(10);
    expect(sandbox.calls.maxInFlight).toBe(3);
  });
});

describe('korint sandbox as a faithful simulator', () => {
  const get = (query: string, token: string | null = sandbox.token) =>
    fetch(`${sandbox.url}/invoices?${query}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('refuses a missing or wrong bearer token with a JSON 401', async () => {
    for (const token of [null, 'wrong']) {
      const response = await get('ids=kor_inv_0001', token);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ statusCode: 401 });
    }
  });

  it('validates ids, page, pageSize, sort and the simulation dates with 400 error bodies', async () => {
    for (const query of ['page=1&sort=amount', 'ids=kor_inv_0001&page=0', 'ids=kor_inv_0001&pageSize=101', 'ids=kor_inv_0001&pageSize=x', 'ids=kor_inv_0001&simulatedAt=soon']) {
      const response = await get(query);
      expect([query, response.status]).toEqual([query, 400]);
      expect(await response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    }
  });

  it('pages the documented envelope', async () => {
    const response = await get('ids=kor_inv_0001,kor_inv_0002,kor_inv_0003,nope&page=2&pageSize=2');
    expect(await response.json()).toMatchObject({
      pageInfo: { first: false, last: true },
      totalCount: 3,
      currentPage: 2,
      totalPages: 2,
      data: [{ id: 'kor_inv_0001' }],
    });
  });

  // The page size is the gateway's setting, not the caller's input: Korint's 400 is UPSTREAM_REJECTED, never BAD_USER_INPUT.
  it('makes an adapter report a pageSize over the sandbox limit as UPSTREAM_REJECTED', async () => {
    const small = await startKorintSandbox({ invoiceCount: 10, pageSizeLimit: 20 });
    try {
      const adapter = createKorintAdapter(korintSettingsSchema.parse({ baseUrl: small.url, token: small.token, pageSize: 50 }), { dispatcher });
      await expect(adapter.loadInvoices(['kor_inv_0001'], {})).rejects.toMatchObject({ code: 'UPSTREAM_REJECTED', source: 'korint', status: 400 });
    } finally {
      await small.close();
    }
  });

  it('sends amounts with cents as exact JSON numbers', () => {
    expect(centsToNumber(123456)).toBe(1234.56);
    expect(centsToNumber(-5)).toBe(-0.05);
    const cents = sandbox.invoices.filter((i) => !Number.isInteger((i.total as { amountWithFeesAndTaxes: number }).amountWithFeesAndTaxes));
    expect(cents.length).toBeGreaterThan(100);
  });

  it('is started by the provider with settings an adapter accepts', async () => {
    const started = await korintProvider.startSandbox();
    try {
      const settings = korintProvider.settingsSchema.parse(started.settings);
      expect(settings).toMatchObject({ name: 'korint', baseUrl: started.handle.url });
      const adapter = korintProvider.createAdapter(settings, { dispatcher });
      const [invoice] = await adapter.loadInvoices(['kor_inv_0001'], {});
      expect(idOf(invoice)).toBe('kor_inv_0001');
      expect(toMinorUnits((invoice as Invoice).total!)).toMatch(/^\d+$/);
    } finally {
      await started.handle.close();
    }
  });
});
