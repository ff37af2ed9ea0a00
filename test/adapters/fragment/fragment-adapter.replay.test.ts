// The adapter against recorded Fragment answers (undici MockAgent, no network): the requests it sends, the token
// dance, and the model it answers.
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { recordRequest, type RecordedRequest } from '../../support/recorded-request.js';
import { createFragmentAdapter } from '../../../adapters/fragment/fragment-adapter.js';
import { fragmentSettingsSchema } from '../../../adapters/fragment/settings.js';
import type { UpstreamCall } from '../../../adapters/kit/http.js';
import type { Invoice, Payment } from '../../../adapters/kit/model.js';
import { AdapterError } from '../../../adapters/kit/errors.js';
import { formatAmount, toMinorUnits, type Money } from '../../../adapters/kit/money.js';
import { loadBatchGet, loadCreateAnswer, loadRetrieveCreated, loadRetrieveSeed } from './fixtures.js';

const API = 'https://api.fragment.test';
const AUTH = 'https://auth.fragment.test';
const CLIENT_ID = 'client-abc';
const CLIENT_SECRET = 's3cr3t-xyz';
const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };
const text = (money: Money | null | undefined) => (money ? `${formatAmount(money)} ${money.currency}` : null);




let agents: MockAgent[] = [];
afterEach(async () => {
  for (const agent of agents) await agent.close();
  agents = [];
});

function setup(options: { expiresIn?: number; now?: () => number } = {}) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const tokenRequests: RecordedRequest[] = [];
  const apiRequests: RecordedRequest[] = [];
  agent
    .get(AUTH)
    .intercept({ path: '/oauth2/token', method: 'POST' })
    .reply((opts) => {
      tokenRequests.push(recordRequest(opts));
      return {
        statusCode: 200,
        data: { access_token: `tok-${tokenRequests.length}`, token_type: 'Bearer', expires_in: options.expiresIn ?? 3600 },
        responseOptions: JSON_HEADERS,
      };
    })
    .persist();
  const api = agent.get(API);
  /** Answers the next matching API request with `status` and `body`, recording the request. */
  const answer = (method: string, path: string, status: number, body: unknown, contentType = 'application/json') =>
    api.intercept({ path, method }).reply((opts) => {
      apiRequests.push(recordRequest(opts));
      return { statusCode: status, data: body as object, responseOptions: { headers: { 'content-type': contentType } } };
    });
  const settings = fragmentSettingsSchema.parse({
    baseUrl: API,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    tokenUrl: `${AUTH}/oauth2/token`,
  });
  const adapter = createFragmentAdapter(settings, { dispatcher: agent, now: options.now });
  return { agent, adapter, tokenRequests, apiRequests, answer };
}

const expectedBasic = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;

describe('loadInvoices (batch-get replay)', () => {
  it('sends one batch-get with the unique ids and a bearer token, and answers in order with null for not found', async () => {
    const { agent, adapter, tokenRequests, apiRequests, answer } = setup();
    const fixture = loadBatchGet();
    answer('POST', '/invoices/batch-get', 200, fixture.response);
    const calls: UpstreamCall[] = [];
    const ids = ['inv_2024_002', 'inv_missing', 'inv_2024_001', 'inv_2024_002'];
    const result = await adapter.loadInvoices(ids, { onCall: (call) => calls.push(call) });

    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0]).toMatchObject({ method: 'POST', path: '/oauth2/token', body: 'grant_type=client_credentials' });
    expect(tokenRequests[0].headers.authorization).toBe(expectedBasic);
    expect(tokenRequests[0].headers['content-type']).toBe('application/x-www-form-urlencoded');

    expect(apiRequests).toHaveLength(1);
    expect(apiRequests[0]).toMatchObject({ method: 'POST', path: '/invoices/batch-get' });
    expect(JSON.parse(apiRequests[0].body)).toEqual({ ids: ['inv_2024_002', 'inv_missing', 'inv_2024_001'] });
    expect(apiRequests[0].headers.authorization).toBe('Bearer tok-1');
    expect(apiRequests[0].headers['content-type']).toBe('application/json');
    // The token fetch the first call needed is reported too, to the call that needed it.
    expect(calls).toEqual([
      expect.objectContaining({ source: 'fragment', method: 'POST', path: '/oauth2/token', status: 200 }),
      expect.objectContaining({ source: 'fragment', method: 'POST', path: '/invoices/batch-get', status: 200 }),
    ]);

    expect(result).toHaveLength(4);
    const [second, missing, first, secondAgain] = result as [Invoice, null, Invoice, Invoice];
    expect(missing).toBeNull();
    expect(first.remoteId).toBe('inv_2024_001');
    expect(second.remoteId).toBe('inv_2024_002');
    expect(secondAgain).toBe(second);
    expect(first.status).toBe('PARTIALLY_PAID');
    expect(text(first.total)).toBe('125.50 USD');
    expect(toMinorUnits(first.amountDue!)).toBe('7550');
    expect(first.payments[0].remoteId).toBe('inv_2024_001/txn_8f2a');
    expect(second.balances.map((b) => text(b.net.remaining))).toEqual(['0 JPY', '0.00250000 BTC']);
    agent.assertNoPendingInterceptors();
  });

  it('answers no request for no ids', async () => {
    const { adapter, tokenRequests, apiRequests } = setup();
    expect(await adapter.loadInvoices([], {})).toEqual([]);
    expect(tokenRequests).toHaveLength(0);
    expect(apiRequests).toHaveLength(0);
  });

  it('answers camelCase envelopes (notFound) the same', async () => {
    const { adapter, answer } = setup();
    const { invoices, not_found } = loadBatchGet().response.data;
    answer('POST', '/invoices/batch-get', 200, { data: { invoices: [invoices[0]], notFound: not_found } });
    const [found, missing] = await adapter.loadInvoices(['inv_2024_001', 'inv_missing'], {});
    expect((found as Invoice).remoteId).toBe('inv_2024_001');
    expect(missing).toBeNull();
  });

  it('fails only the item that is malformed, and an id answered in neither list', async () => {
    const { adapter, answer } = setup();
    const { invoices } = loadBatchGet().response.data;
    const broken = structuredClone(invoices[1]);
    broken.line_items[0].amount = '12.5x';
    answer('POST', '/invoices/batch-get', 200, { data: { invoices: [invoices[0], broken], not_found: [] } });
    const [good, bad, unanswered] = await adapter.loadInvoices(['inv_2024_001', 'inv_2024_002', 'inv_ghost'], {});
    expect((good as Invoice).remoteId).toBe('inv_2024_001');
    expect(bad).toBeInstanceOf(AdapterError);
    expect(bad).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'fragment' });
    expect(unanswered).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'fragment' });
  });

  it('rejects the whole call when the envelope is malformed', async () => {
    const { adapter, answer } = setup();
    answer('POST', '/invoices/batch-get', 200, { invoices: [] });
    await expect(adapter.loadInvoices(['inv_1'], {})).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'fragment' });
  });

  it('maps a 500 to UPSTREAM_UNAVAILABLE without the upstream body or the token in the message', async () => {
    const { adapter, answer } = setup();
    answer('POST', '/invoices/batch-get', 500, 'db password hunter2 exploded', 'text/plain');
    const error = await adapter.loadInvoices(['inv_1'], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'fragment', status: 500 });
    expect((error as Error).message).not.toMatch(/hunter2|tok-1|s3cr3t/);
  });
});

describe('loadPayments (batch-get replay)', () => {
  it('loads each invoice once and picks the payment; null for unknown invoices, transactions and malformed ids', async () => {
    const { adapter, apiRequests, answer } = setup();
    answer('POST', '/invoices/batch-get', 200, loadBatchGet().response);
    const ids = ['inv_2024_001/txn_8f2a', 'inv_2024_002/txn_nope', 'garbage', 'inv_missing/txn_1', 'inv_2024_002/txn_77c1'];
    const result = await adapter.loadPayments(ids, {});
    expect(apiRequests).toHaveLength(1);
    expect(JSON.parse(apiRequests[0].body)).toEqual({ ids: ['inv_2024_001', 'inv_2024_002', 'inv_missing'] });
    const [card, unknownTx, malformed, unknownInvoice, yen] = result as [Payment, null, null, null, Payment];
    expect(unknownTx).toBeNull();
    expect(malformed).toBeNull();
    expect(unknownInvoice).toBeNull();
    expect(card).toMatchObject({ remoteId: 'inv_2024_001/txn_8f2a', invoiceRemoteId: 'inv_2024_001', status: 'POSTED', direction: 'PAYIN' });
    expect(text(card.amount)).toBe('50.00 USD');
    expect(text(yen.amount)).toBe('15000 JPY');
    expect(adapter.loadPayments.maxBatchSize).toBe(200);
    expect(adapter.loadInvoices.maxBatchSize).toBe(200);
  });

  it('sends nothing when every id is malformed', async () => {
    const { adapter, apiRequests } = setup();
    expect(await adapter.loadPayments(['nope', 'inv_1/'], {})).toEqual([null, null]);
    expect(apiRequests).toHaveLength(0);
  });
});

describe('createInvoice (create and retrieve replay)', () => {
  const request = {
    invoiceId: 'invoice_2024_001',
    lineItems: [
      {
        amount: '10.00',
        currency: 'USD',
        description: 'Professional services for January 2026',
        productId: 'prod_1234567890',
        direction: 'PAYOUT' as const,
        userId: 'user_ext_456',
      },
    ],
  };

  it('posts the seed 002 body and reads the invoice back when the create answer has no balances', async () => {
    const { agent, adapter, apiRequests, answer } = setup();
    answer('POST', '/invoices', 201, loadCreateAnswer());
    answer('GET', '/invoices/invoice_2024_001', 200, loadRetrieveCreated());
    const invoice = await adapter.createInvoice(request, {});
    expect(apiRequests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /invoices', 'GET /invoices/invoice_2024_001']);
    expect(JSON.parse(apiRequests[0].body)).toEqual({
      invoice_id: 'invoice_2024_001',
      line_items: [
        {
          amount: '1000',
          currency_code: 'USD',
          description: 'Professional services for January 2026',
          product_id: 'prod_1234567890',
          type: 'payout',
          user_id: 'user_ext_456',
        },
      ],
    });
    expect(apiRequests.every((r) => r.headers.authorization === 'Bearer tok-1')).toBe(true);
    expect(invoice.remoteId).toBe('invoice_2024_001');
    // A payout invoice: payable, its total never negative.
    expect(invoice.direction).toBe('PAYABLE');
    expect(text(invoice.total)).toBe('10.00 USD');
    expect(invoice.status).toBe('OPEN');
    expect(invoice.parties.map((p) => p.id)).toEqual(['user_ext_456']);
    agent.assertNoPendingInterceptors();
  });

  it('answers the existing invoice (seed 001 retrieve) when the id exists with the same line items', async () => {
    const { agent, adapter, apiRequests, answer } = setup();
    answer('POST', '/invoices', 409, { error: { code: 'conflict', message: 'exists' } });
    answer('GET', '/invoices/inv_1234567890', 200, loadRetrieveSeed());
    const invoice = await adapter.createInvoice({ ...request, invoiceId: 'inv_1234567890' }, {});
    expect(apiRequests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /invoices', 'GET /invoices/inv_1234567890']);
    expect(apiRequests[1].headers.authorization).toBe('Bearer tok-1');
    expect(invoice.remoteId).toBe('inv_1234567890');
    expect(invoice.status).toBe('PARTIALLY_PAID');
    expect(text(invoice.amountDue)).toBe('50.00 USD');
    expect(toMinorUnits(invoice.amountDue!)).toBe('5000');
    agent.assertNoPendingInterceptors();
  });

  it('refuses with BAD_USER_INPUT when the existing invoice has other line items', async () => {
    const { adapter, answer } = setup();
    answer('POST', '/invoices', 409, { error: { code: 'conflict', message: 'exists' } });
    answer('GET', '/invoices/inv_1234567890', 200, loadRetrieveSeed());
    const other = { ...request, invoiceId: 'inv_1234567890', lineItems: [{ ...request.lineItems[0], amount: '10.01' }] };
    await expect(adapter.createInvoice(other, {})).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      source: 'fragment',
      message: 'invoice id already used with different line items',
    });
  });

  it('refuses an amount with more decimals than the currency before calling Fragment', async () => {
    const { adapter, tokenRequests, apiRequests } = setup();
    const bad = { ...request, lineItems: [{ ...request.lineItems[0], amount: '10.005' }] };
    await expect(adapter.createInvoice(bad, {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(tokenRequests).toHaveLength(0);
    expect(apiRequests).toHaveLength(0);
  });
});

describe('OAuth2 client-credentials token', () => {
  const batch = { data: { invoices: [], not_found: ['inv_1'] } };

  it('is fetched once and reused across calls', async () => {
    const { adapter, tokenRequests, apiRequests, answer } = setup();
    answer('POST', '/invoices/batch-get', 200, batch);
    answer('POST', '/invoices/batch-get', 200, batch);
    await adapter.loadInvoices(['inv_1'], {});
    await adapter.loadInvoices(['inv_1'], {});
    expect(tokenRequests).toHaveLength(1);
    expect(apiRequests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);
  });

  it('is renewed shortly before it expires', async () => {
    let clock = 1_000_000;
    const { adapter, tokenRequests, apiRequests, answer } = setup({ expiresIn: 3600, now: () => clock });
    for (let i = 0; i < 3; i += 1) answer('POST', '/invoices/batch-get', 200, batch);
    await adapter.loadInvoices(['inv_1'], {});
    clock += 3000 * 1000;
    await adapter.loadInvoices(['inv_1'], {});
    clock += 570 * 1000; // 30 s before expiry: inside the renewal margin
    await adapter.loadInvoices(['inv_1'], {});
    expect(tokenRequests).toHaveLength(2);
    expect(apiRequests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1', 'Bearer tok-2']);
  });

  it('is renewed once when Fragment answers 401, and the call retried with the new token', async () => {
    const { agent, adapter, tokenRequests, apiRequests, answer } = setup();
    answer('POST', '/invoices/batch-get', 401, { error: { code: 'unauthorized', message: 'expired' } });
    answer('POST', '/invoices/batch-get', 200, batch);
    expect(await adapter.loadInvoices(['inv_1'], {})).toEqual([null]);
    expect(tokenRequests).toHaveLength(2);
    expect(apiRequests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    agent.assertNoPendingInterceptors();
  });

  it('gives up with UPSTREAM_UNAUTHORIZED after one renewal, naming no credential', async () => {
    const { adapter, tokenRequests, apiRequests, answer } = setup();
    answer('POST', '/invoices/batch-get', 401, { error: { code: 'unauthorized', message: 'no' } });
    answer('POST', '/invoices/batch-get', 401, { error: { code: 'unauthorized', message: 'no' } });
    const error = await adapter.loadInvoices(['inv_1'], {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', source: 'fragment' });
    expect((error as Error).message).not.toMatch(/tok-|s3cr3t|client-abc/);
    expect(tokenRequests).toHaveLength(2);
    expect(apiRequests).toHaveLength(2);
  });
});
