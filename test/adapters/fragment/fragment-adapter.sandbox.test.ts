// The adapter against the Fragment simulator over loopback: batching, call counts, idempotent creates, faults.
import { FRAGMENT_BURST_SIZE } from '../../../adapters/fragment/sandbox/fragment-seed-bursts.js';
import { Agent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createFragmentAdapter, type FragmentAdapter } from '../../../adapters/fragment/fragment-adapter.js';
import { fragmentProvider } from '../../../adapters/fragment/provider.js';
import type { FragmentSandboxHandle } from '../../../adapters/fragment/sandbox/fragment-sandbox.js';
import { fragmentSettingsSchema } from '../../../adapters/fragment/settings.js';
import { AdapterError } from '../../../adapters/kit/errors.js';
import type { Invoice } from '../../../adapters/kit/model.js';
import { formatAmount, toMinorUnits } from '../../../adapters/kit/money.js';

let handle: FragmentSandboxHandle;
let dispatcher: Agent;
let adapter: FragmentAdapter;

beforeAll(async () => {
  const started = await fragmentProvider.startSandbox();
  handle = started.handle as FragmentSandboxHandle;
  dispatcher = new Agent();
  const settings = fragmentSettingsSchema.parse({ ...started.settings, concurrency: 2 });
  adapter = createFragmentAdapter(settings, { dispatcher });
});

afterAll(async () => {
  await adapter?.close();
  await dispatcher?.close();
  await handle?.close();
});

beforeEach(() => {
  handle.faults.clear();
  handle.calls.reset();
});

const padded = (n: number) => `inv_${String(n).padStart(4, '0')}`;
const apiCalls = () => handle.calls.list().filter((c) => c.name !== 'token');

describe('loadInvoices against the sandbox', () => {
  it('loads 450 ids (duplicates, 3 unknown) in ceil(unique / 200) batch-gets, in order, null for unknown', async () => {
    const known = Array.from({ length: 400 }, (_, i) => padded(i + 1));
    const unknown = ['inv_9991', 'inv_9992', 'nope'];
    const duplicates = known.filter((_, i) => i % 8 === 0).slice(0, 47);
    const ids = [...known.slice(0, 200), ...unknown.slice(0, 1), ...duplicates, ...known.slice(200), ...unknown.slice(1)];
    expect(ids).toHaveLength(450);
    const unique = new Set(ids).size;
    expect(unique).toBe(403);

    // Slow answers make the chunks overlap, so the concurrency limit (2) is what bounds them.
    handle.faults.inject({ routes: ['batch-get'], latencyMs: 25 });
    const result = await adapter.loadInvoices(ids, {});

    expect(handle.calls.count('batch-get')).toBe(Math.ceil(unique / 200));
    expect(handle.calls.count('get')).toBe(0);
    expect(handle.calls.maxInFlight).toBe(2);
    expect(result).toHaveLength(450);
    result.forEach((answer, i) => {
      if (unknown.includes(ids[i])) expect(answer).toBeNull();
      else expect((answer as Invoice).remoteId).toBe(ids[i]);
    });
  });

  it('serves all 600 seeded invoices, the 6 shapes and the 120 of a same-second burst without an item error, covering every paid state and currency', async () => {
    const ids = handle.store.ids();
    expect(handle.store.invoiceCount()).toBe(600 + 6 + FRAGMENT_BURST_SIZE);
    const result = await adapter.loadInvoices(ids, {});
    expect(handle.calls.count('batch-get')).toBe(Math.ceil(ids.length / 200));
    const invoices = result as Invoice[];
    expect(invoices.every((invoice) => invoice !== null && !(invoice instanceof Error))).toBe(true);
    expect(new Set(invoices.map((i) => i.status))).toEqual(new Set(['OPEN', 'PARTIALLY_PAID', 'PAID']));
    expect(new Set(invoices.map((i) => i.currency))).toEqual(new Set(['USD', 'EUR', 'JPY', 'KWD', 'BTC', null]));
    expect(invoices.some((i) => i.lineItems.some((l) => l.direction === 'PAYOUT'))).toBe(true);
    expect(invoices.some((i) => i.metadata.length > 0)).toBe(true);
    const paid = invoices.find((i) => i.status === 'PAID')!;
    expect(paid.payments.length).toBeGreaterThan(0);
    expect(paid.payments[0].remoteId).toMatch(new RegExp(`^${paid.remoteId}/txn_`));
    expect(toMinorUnits(paid.amountDue!)).toBe('0');
  });

  it('refreshes its token once after the sandbox revokes it', async () => {
    const issued = handle.tokensIssued();
    handle.revokeTokens();
    const [invoice] = await adapter.loadInvoices(['inv_0001'], {});
    expect((invoice as Invoice).remoteId).toBe('inv_0001');
    expect(handle.tokensIssued()).toBe(issued + 1);
    expect(apiCalls().map((c) => c.status)).toEqual([401, 200]);
  });

  it('rejects with UPSTREAM_UNAVAILABLE on a 500, with neither the token nor the body in the message', async () => {
    handle.faults.inject({ routes: ['batch-get'], status: 500, times: 1 });
    const error = await adapter.loadInvoices(['inv_0001'], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'fragment' });
    const token = handle.calls.list().find((c) => c.name === 'batch-get')!.headers.authorization.replace('Bearer ', '');
    expect(token.length).toBeGreaterThan(5);
    expect((error as Error).message).not.toContain(token);
    expect((error as Error).message).not.toContain('injected fault');
    expect((error as Error).message).not.toContain(handle.clientSecret);
  });

  it('answers an Error for the one corrupted item only (badItem)', async () => {
    handle.faults.inject({ routes: ['batch-get'], badItem: true, times: 1 });
    const ids = ['inv_0003', 'inv_0004', 'inv_0005'];
    const [bad, ...good] = await adapter.loadInvoices(ids, {});
    expect(bad).toBeInstanceOf(AdapterError);
    expect(bad).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'fragment' });
    expect(good.map((g) => (g as Invoice).remoteId)).toEqual(['inv_0004', 'inv_0005']);
  });
});

describe('loadPayments against the sandbox', () => {
  it('answers payments through one batch-get', async () => {
    const paid = handle.store.getInvoice('inv_0002')!;
    expect(paid.payments.length).toBeGreaterThan(0);
    const tx = paid.payments[0].transaction.id;
    const result = await adapter.loadPayments([`inv_0002/${tx}`, 'inv_0002/txn_none', 'inv_9999/txn_1'], {});
    expect(handle.calls.count('batch-get')).toBe(1);
    expect(result[0]).toMatchObject({ remoteId: `inv_0002/${tx}`, invoiceRemoteId: 'inv_0002', status: 'POSTED' });
    expect(result.slice(1)).toEqual([null, null]);
  });
});

describe('createInvoice against the sandbox', () => {
  const request = {
    invoiceId: 'inv_created_1',
    lineItems: [
      { amount: '42.50', currency: 'USD', description: 'Setup fee', productId: 'prod_setup', direction: 'PAYIN' as const, userId: 'user_a' },
      { amount: '0.00125', currency: 'BTC', description: 'Crypto part', productId: 'prod_btc', direction: 'PAYIN' as const, userId: 'user_b' },
    ],
  };

  it('creates once when sent twice, and both calls answer the invoice', async () => {
    const before = handle.store.invoiceCount();
    const first = await adapter.createInvoice(request, {});
    const second = await adapter.createInvoice(request, {});
    expect(handle.store.invoiceCount()).toBe(before + 1);
    expect(handle.calls.count('create')).toBe(2);
    expect(handle.calls.list().filter((c) => c.name === 'create').map((c) => c.status)).toEqual([201, 409]);
    expect(handle.store.getInvoice('inv_created_1')!.line_items.map((l) => l.amount)).toEqual(['4250', '125000']);
    for (const invoice of [first, second]) {
      expect(invoice.remoteId).toBe('inv_created_1');
      expect(invoice.status).toBe('OPEN');
      expect(invoice.currency).toBeNull();
      expect(invoice.balances.map((b) => `${formatAmount(b.net.remaining)} ${b.currency}`)).toEqual(['42.50 USD', '0.00125000 BTC']);
      expect(invoice.parties.map((p) => p.id)).toEqual(['user_a', 'user_b']);
    }
    expect(second).toEqual(first);
  });

  it('refuses a re-create with other line items as BAD_USER_INPUT and changes nothing', async () => {
    await adapter.createInvoice({ ...request, invoiceId: 'inv_created_2' }, {});
    const conflicting = { ...request, invoiceId: 'inv_created_2', lineItems: [{ ...request.lineItems[0], userId: 'user_z' }] };
    await expect(adapter.createInvoice(conflicting, {})).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      source: 'fragment',
      message: 'invoice id already used with different line items',
    });
    expect(handle.store.getInvoice('inv_created_2')!.line_items.map((l) => l.user_id)).toEqual(['user_a', 'user_b']);
  });

  it('surfaces the sandbox 400 on an invalid create as BAD_USER_INPUT', async () => {
    const invalid = { invoiceId: 'inv_created_3', lineItems: [{ ...request.lineItems[0], productId: '' }] };
    await expect(adapter.createInvoice(invalid, {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT', status: 400 });
    expect(handle.store.getInvoice('inv_created_3')).toBeUndefined();
  });
});
