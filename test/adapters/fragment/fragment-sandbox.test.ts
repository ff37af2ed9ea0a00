// The Fragment simulator itself, over raw HTTP: auth, limits, envelopes, casing, error bodies, search paging, seeding.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSandboxInvoices } from '../../../adapters/fragment/sandbox/fragment-seed-data.js';
import { startFragmentSandbox, type FragmentSandboxHandle } from '../../../adapters/fragment/sandbox/fragment-sandbox.js';

let handle: FragmentSandboxHandle;
let token: string;

async function call(method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await request(`${handle.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.statusCode, body: (await response.body.json()) as any };
}

async function fetchToken(basic = `${handle.clientId}:${handle.clientSecret}`, form = 'grant_type=client_credentials') {
  return call('POST', '/oauth2/token', form, {
    authorization: `Basic ${Buffer.from(basic).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
  });
}

beforeAll(async () => {
  handle = await startFragmentSandbox({ invoiceCount: 60, seed: 7 });
  token = (await fetchToken()).body.access_token;
});
afterAll(async () => {
  await handle?.close();
});

describe('Fragment sandbox auth', () => {
  it('issues bearer tokens for the client credentials only', async () => {
    const good = await fetchToken();
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, access_token: expect.any(String) });
    expect((await fetchToken('sandbox-client:wrong')).status).toBe(401);
    expect((await fetchToken(undefined, 'grant_type=password')).status).toBe(400);
  });

  it('answers 401 with an error body without a token it issued, and after revokeTokens', async () => {
    const anonymous = await call('POST', '/invoices/batch-get', { ids: ['inv_0001'] }, { authorization: '' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
    const fresh = (await fetchToken()).body.access_token as string;
    handle.revokeTokens();
    const revoked = await call('GET', '/invoices/inv_0001', undefined, { authorization: `Bearer ${fresh}` });
    expect(revoked.status).toBe(401);
    token = (await fetchToken()).body.access_token;
  });
});

describe('Fragment sandbox invoices', () => {
  it('batch-get answers snake_case, found in request order, and not_found', async () => {
    const answer = await call('POST', '/invoices/batch-get', { ids: ['inv_0003', 'inv_0999', 'inv_0001', 'inv_0003'] });
    expect(answer.status).toBe(200);
    expect(answer.body.data.invoices.map((i: any) => i.id)).toEqual(['inv_0003', 'inv_0001']);
    expect(answer.body.data.not_found).toEqual(['inv_0999']);
    expect(answer.body.data.invoices[0]).toHaveProperty('line_items');
    expect(answer.body.data.invoices[0]).toHaveProperty('workspace_id');
  });

  it('batch-get refuses more than 200 ids and a missing ids array', async () => {
    const tooMany = await call('POST', '/invoices/batch-get', { ids: Array.from({ length: 201 }, (_, i) => `inv_${i}`) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('bad_request');
    expect((await call('POST', '/invoices/batch-get', { id: 'inv_0001' })).status).toBe(400);
  });

  it('retrieve answers the camelCase flavour of seed 001, or 404', async () => {
    const answer = await call('GET', '/invoices/inv_0002');
    expect(answer.status).toBe(200);
    expect(answer.body.data).toHaveProperty('lineItems');
    expect(answer.body.data).toHaveProperty('workspaceId');
    expect(answer.body.data.lineItems[0]).toHaveProperty('currencyCode');
    expect(answer.body.data.lineItems[0]).toHaveProperty('product_id');
    const missing = await call('GET', '/invoices/inv_0999');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('create computes balances and users, and answers 409 on a used invoice_id', async () => {
    const body = {
      invoice_id: 'inv_sbx_new',
      line_items: [
        { amount: '10000', currency_code: 'EUR', description: 'a', product_id: 'p1', type: 'payin', user_id: 'u1' },
        { amount: '2500', currency_code: 'EUR', description: 'b', product_id: 'p2', type: 'payout', user_id: 'u2' },
      ],
    };
    const created = await call('POST', '/invoices', body);
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ id: 'inv_sbx_new', status: 'active', version: 1 });
    expect(created.body.data.balances).toEqual([
      {
        currency: 'EUR',
        net: { actual: '0', expected: '7500', remaining: '7500' },
        payins: { actual: '0', expected: '10000', remaining: '10000' },
        payouts: { actual: '0', expected: '2500', remaining: '2500' },
      },
    ]);
    expect(created.body.data.users.map((u: any) => u.id)).toEqual(['u1', 'u2']);
    const again = await call('POST', '/invoices', body);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('conflict');
    const invalid = await call('POST', '/invoices', { ...body, invoice_id: 'inv_sbx_bad', line_items: [{ ...body.line_items[0], amount: '12.50' }] });
    expect(invalid.status).toBe(400);
  });

  it('search filters by status and pages with next_cursor (20 by default), newest first', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const answer = await call('POST', '/invoices/search', { filter: { status: 'active' }, ...(after ? { page_info: { after } } : {}) });
      expect(answer.status).toBe(200);
      expect(answer.body.data.invoices.length).toBeLessThanOrEqual(20);
      seen.push(...answer.body.data.invoices.map((i: any) => i.id));
      after = answer.body.data.page_info.next_cursor ?? undefined;
      pages += 1;
    } while (after);
    const newestFirst = handle.store
      .ids()
      .map((id) => handle.store.getInvoice(id)!)
      .sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || (a.id < b.id ? -1 : 1))
      .map((invoice) => invoice.id);
    expect(seen).toEqual(newestFirst);
    expect(pages).toBe(Math.ceil(handle.store.invoiceCount() / 20));
    const none = await call('POST', '/invoices/search', { filter: { status: 'void' } });
    expect(none.body.data).toEqual({ invoices: [], page_info: { next_cursor: null } });
  });
});

describe('Fragment sandbox seed data', () => {
  it('is deterministic, zero-padded and consistent with its own balances', () => {
    const a = generateSandboxInvoices(40, 3);
    expect(generateSandboxInvoices(40, 3)).toEqual(a);
    expect(generateSandboxInvoices(40, 4)).not.toEqual(a);
    expect(a[0].id).toBe('inv_0001');
    expect(a[39].id).toBe('inv_0040');
    for (const invoice of a) {
      for (const balance of invoice.balances) {
        for (const part of [balance.net, balance.payins, balance.payouts]) {
          expect(BigInt(part.expected) - BigInt(part.actual)).toBe(BigInt(part.remaining));
        }
      }
    }
    expect(a.filter((i) => i.balances.length === 2).map((i) => i.id)).toEqual(['inv_0020', 'inv_0040']);
  });
});
