// The adapter against recorded Xero answers (undici MockAgent, no network): the requests it sends (path, query, tenant,
// auth and accept headers, where filters, If-Modified-Since), the model it answers, and its handling of bad items,
// bad envelopes, client-credentials tokens and rate-limit answers.
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { recordRequest, type RecordedRequest } from '../../support/recorded-request.js';
import { AdapterError } from '../../../adapters/kit/errors.js';
import type { UpstreamCall } from '../../../adapters/kit/http.js';
import type { BatchPayment, Invoice, Payment } from '../../../adapters/kit/model.js';
import { formatAmount, toMinorUnits, type Money } from '../../../adapters/kit/money.js';
import { settingsFromEnv, xeroSettingsSchema } from '../../../adapters/xero/settings.js';
import { createXeroAdapter } from '../../../adapters/xero/xero-adapter.js';
import { mixedInvoices, seedBatchPayments, specExamples } from './fixtures.js';

const ORIGIN = 'https://api.xero.test';
const IDENTITY = 'https://identity.xero.test';
const TENANT = '2f7e1d3c-5b4a-4c9d-8e7f-6a5b4c3d2e1f';
const TOKEN = 'static-token-abc';
const JSON_HEADERS = { headers: { 'content-type': 'application/json; charset=utf-8' } };
const text = (money: Money | null | undefined) => (money ? `${formatAmount(money)} ${money.currency}` : null);



let agents: MockAgent[] = [];
afterEach(async () => {
  for (const agent of agents) await agent.close();
  agents = [];
});

function setup(raw: Record<string, unknown> = {}, customSleep?: (ms: number, signal?: AbortSignal) => Promise<void>) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const requests: RecordedRequest[] = [];
  const sleeps: number[] = [];
  // A fake clock that sleeping advances, so Retry-After waits (ours and the rate limiter's) take no real time.
  let clock = Date.UTC(2024, 5, 1);
  const settings = xeroSettingsSchema.parse({ baseUrl: `${ORIGIN}/api.xro/2.0`, tenantId: TENANT, accessToken: TOKEN, ...raw });
  const adapter = createXeroAdapter(settings, {
    dispatcher: agent,
    sleep: async (ms, signal) => {
      sleeps.push(ms);
      if (customSleep) return customSleep(ms, signal);
      clock += ms;
    },
    now: () => clock,
  });
  const api = agent.get(ORIGIN);
  const reply =
    (status: number, body: unknown, headers: Record<string, string> = {}) =>
    (opts: { path: string; headers?: unknown; body?: unknown }) => {
      requests.push(recordRequest(opts));
      return { statusCode: status, data: typeof body === 'string' ? body : JSON.stringify(body), responseOptions: { headers: { 'content-type': 'application/json; charset=utf-8', ...headers } } };
    };
  return { agent, api, adapter, requests, sleeps, reply };
}

const queryOf = (path: string) => new URL(path, ORIGIN).searchParams;
const ids = mixedInvoices().Invoices.map((i) => String(i.InvoiceID));

describe('createXeroAdapter against recorded answers', () => {
  it('loads invoices with GET /Invoices?IDs=...&page=1 and the tenant, bearer and accept headers', async () => {
    const { api, adapter, requests, reply } = setup();
    api.intercept({ path: (p) => p.startsWith('/api.xro/2.0/Invoices?'), method: 'GET' }).reply(reply(200, mixedInvoices()));
    const calls: UpstreamCall[] = [];
    const missing = '00000000-0000-4000-8000-000000000000';
    const answer = await adapter.loadInvoices([ids[1], missing, ids[0], ids[1], 'not-a-guid', ids[2]], { onCall: (c) => calls.push(c) });

    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(new URL(request.path, ORIGIN).pathname).toBe('/api.xro/2.0/Invoices');
    const query = queryOf(request.path);
    expect(query.get('IDs')).toBe([ids[1], missing, ids[0], ids[2]].join(','));
    expect(query.get('page')).toBe('1');
    expect(query.get('unitdp')).toBe('4');
    expect(request.headers['xero-tenant-id']).toBe(TENANT);
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers.accept).toBe('application/json');
    expect(calls).toEqual([expect.objectContaining({ source: 'xero', method: 'GET', path: '/Invoices', status: 200 })]);

    expect(answer).toHaveLength(6);
    const [bill, notFound, big, billAgain, notGuid, odd] = answer as Array<Invoice | null>;
    expect(notFound).toBeNull();
    expect(notGuid).toBeNull();
    expect(billAgain).toBe(bill);
    expect(text(big!.total)).toBe('1234567.89 NZD');
    expect(toMinorUnits(big!.total!)).toBe('123456789');
    expect(big!.status).toBe('PARTIALLY_PAID');
    expect(text(big!.lineItems[0].unitAmount)).toBe('357845.7633 NZD');
    expect(bill!.total!.currencyScale).toBe(0);
    expect(text(bill!.amountDue)).toBe('0 JPY');
    expect(bill!.status).toBe('PAID');
    expect(odd!.providerStatus).toBe('SCHEDULED');
  });

  it('splits more than 50 ids into calls of at most 50', async () => {
    const { api, adapter, requests, reply } = setup();
    api.intercept({ path: (p) => p.startsWith('/api.xro/2.0/Invoices?'), method: 'GET' }).reply(reply(200, { Invoices: [] })).times(3);
    const many = Array.from({ length: 120 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const answer = await adapter.loadInvoices(many, {});
    expect(answer).toEqual(many.map(() => null));
    expect(requests.map((r) => queryOf(r.path).get('IDs')!.split(',').length).sort()).toEqual([20, 50, 50]);
  });

  it('answers an error for the malformed invoice alone, and rejects a malformed envelope', async () => {
    const { api, adapter, reply } = setup();
    const page = mixedInvoices();
    page.Invoices[0] = { ...page.Invoices[0], Total: '1234567.89' };
    api.intercept({ path: (p) => p.startsWith('/api.xro/2.0/Invoices?'), method: 'GET' }).reply(reply(200, page));
    const answer = await adapter.loadInvoices(ids, {});
    expect(answer[0]).toBeInstanceOf(AdapterError);
    expect((answer[0] as AdapterError).code).toBe('UPSTREAM_BAD_RESPONSE');
    expect((answer[1] as Invoice).remoteId).toBe(ids[1]);
    expect((answer[2] as Invoice).remoteId).toBe(ids[2]);

    api.intercept({ path: (p) => p.startsWith('/api.xro/2.0/Invoices?'), method: 'GET' }).reply(reply(200, { Invoice: [] }));
    await expect(adapter.loadInvoices(ids, {})).rejects.toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'xero' });
  });

  it('loads payments with a where filter on PaymentID', async () => {
    const { api, adapter, requests, reply } = setup();
    const example = specExamples().find((e) => e.path === '/Payments' && e.method === 'get')!.example;
    api.intercept({ path: (p) => p.startsWith('/api.xro/2.0/Payments?'), method: 'GET' }).reply(reply(200, example));
    const wanted = ['99ea7f6b-c513-4066-bc27-b7c65dcd76c2', '6B037C9B-2E5D-4905-84D3-EABFB3438242', '11111111-1111-4111-8111-111111111111'];
    const answer = (await adapter.loadPayments(wanted, {})) as Array<Payment | null>;
    const query = queryOf(requests[0].path);
    expect(query.get('where')).toBe(
      'PaymentID==Guid("99ea7f6b-c513-4066-bc27-b7c65dcd76c2") OR PaymentID==Guid("6b037c9b-2e5d-4905-84d3-eabfb3438242") OR PaymentID==Guid("11111111-1111-4111-8111-111111111111")',
    );
    expect(query.get('page')).toBe('1');
    expect(answer[0]).toMatchObject({ direction: 'PAYIN', batchPaymentRemoteId: 'b54aa50c-794c-461b-89d1-846e1b84d9c0', invoiceRemoteId: '046d8a6d-1ae1-4b4d-9340-5601bdf41b87' });
    expect(text(answer[0]!.amount)).toBe('46.00 NZD');
    expect(answer[1]).toMatchObject({ remoteId: '6b037c9b-2e5d-4905-84d3-eabfb3438242', direction: 'PAYOUT', reference: 'Too much' });
    expect(answer[2]).toBeNull();
  });

  it('loads batch payments with a where filter on BatchPaymentID', async () => {
    const { api, adapter, requests, reply } = setup();
    api.intercept({ path: (p) => p.startsWith('/api.xro/2.0/BatchPayments?'), method: 'GET' }).reply(reply(200, seedBatchPayments()));
    const [batch] = (await adapter.loadBatchPayments(['d0e9bbbf-5b8a-48b6-906a-035591fcb061'], {})) as BatchPayment[];
    expect(queryOf(requests[0].path).get('where')).toBe('BatchPaymentID==Guid("d0e9bbbf-5b8a-48b6-906a-035591fcb061")');
    expect(text(batch.total)).toBe('1000.00 NZD');
    expect(batch.payments.map((p) => p.batchPaymentRemoteId)).toEqual(Array(5).fill('d0e9bbbf-5b8a-48b6-906a-035591fcb061'));
  });

  it('lists batch payments with a where built from the filter and If-Modified-Since, newest first', async () => {
    const { api, adapter, requests, reply } = setup();
    const older = (seedBatchPayments().BatchPayments as Array<Record<string, unknown>>)[0];
    const newer = { ...older, BatchPaymentID: 'e1e9bbbf-5b8a-48b6-906a-035591fcb062', Date: '/Date(1538524800000+0000)/', DateString: '2018-10-03T00:00:00' };
    api.intercept({ path: (p) => p.startsWith('/api.xro/2.0/BatchPayments'), method: 'GET' }).reply(reply(200, { BatchPayments: [older, newer] }));
    const list = await adapter.listBatchPayments!(
      { dateFrom: '2017-01-01', dateTo: '2018-12-31', status: 'AUTHORISED', type: 'RECEIVABLE', modifiedSince: '2017-06-01T10:20:30.456+02:00' },
      {},
    );
    expect(queryOf(requests[0].path).get('where')).toBe(
      'Date >= DateTime(2017, 01, 01) AND Date <= DateTime(2018, 12, 31) AND Status=="AUTHORISED" AND Type=="RECBATCH"',
    );
    // The spec's date-time form (RFC 3339, with its zone), the same instant as asked for.
    expect(requests[0].headers['if-modified-since']).toBe('2017-06-01T08:20:30.456Z');
    expect(requests[0].headers['xero-tenant-id']).toBe(TENANT);
    expect(list.map((b) => b.date)).toEqual(['2018-10-03', '2017-11-28']);
  });

  it('refuses filter values it cannot put in a where safely, without calling Xero', async () => {
    const { adapter, requests } = setup();
    await expect(adapter.listBatchPayments!({ dateFrom: '2024-02-30' }, {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(adapter.listBatchPayments!({ status: 'AUTHORISED" OR Type!="x' }, {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(adapter.listBatchPayments!({ modifiedSince: 'yesterday' }, {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(requests).toHaveLength(0);
  });

  it('waits out a short Retry-After and retries; a long one answers UPSTREAM_RATE_LIMITED at once', async () => {
    const { api, adapter, requests, sleeps, reply } = setup();
    const path = (p: string) => p.startsWith('/api.xro/2.0/Invoices?');
    api.intercept({ path, method: 'GET' }).reply(reply(429, '', { 'retry-after': '2', 'x-rate-limit-problem': 'concurrent' }));
    api.intercept({ path, method: 'GET' }).reply(reply(503, 'over', { 'x-rate-limit-problem': 'minute', 'retry-after': '1', 'content-type': 'text/plain' }));
    api.intercept({ path, method: 'GET' }).reply(reply(200, mixedInvoices()));
    const answer = await adapter.loadInvoices([ids[0]], {});
    expect((answer[0] as Invoice).remoteId).toBe(ids[0]);
    expect(requests).toHaveLength(3);
    expect(sleeps).toEqual([2000, 1000]);

    api.intercept({ path, method: 'GET' }).reply(reply(429, '', { 'retry-after': '45', 'x-rate-limit-problem': 'minute' }));
    const error = await adapter.loadInvoices([ids[0]], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 45, source: 'xero' });
    expect(requests).toHaveLength(4);
    expect(sleeps).toEqual([2000, 1000]);
  });

  it('gives up with UPSTREAM_RATE_LIMITED when the request is aborted while it waits out Retry-After', async () => {
    const controller = new AbortController();
    const { api, adapter, requests, reply } = setup({}, async (_ms, signal) => {
      controller.abort();
      throw signal?.reason;
    });
    api.intercept({ path: (p) => p.startsWith('/api.xro/2.0/Invoices?'), method: 'GET' }).reply(reply(429, '', { 'retry-after': '3' }));
    await expect(adapter.loadInvoices([ids[0]], { signal: controller.signal })).rejects.toMatchObject({
      code: 'UPSTREAM_RATE_LIMITED',
      retryAfter: 3,
    });
    expect(requests).toHaveLength(1);
  });

  it('gives up after rateLimitRetries', async () => {
    const { api, adapter, requests, sleeps, reply } = setup({ rateLimitRetries: 1 });
    api
      .intercept({ path: (p) => p.startsWith('/api.xro/2.0/Invoices?'), method: 'GET' })
      .reply(reply(429, '', { 'retry-after': '1' }))
      .times(2);
    await expect(adapter.loadInvoices([ids[0]], {})).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 1 });
    expect(requests).toHaveLength(2);
    expect(sleeps).toEqual([1000]);
  });

  it('treats a 503 without rate-limit headers as unavailable', async () => {
    const { api, adapter, reply } = setup();
    api.intercept({ path: (p) => p.startsWith('/api.xro/2.0/Invoices?'), method: 'GET' }).reply(reply(503, 'down', { 'content-type': 'text/plain' }));
    await expect(adapter.loadInvoices([ids[0]], {})).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', status: 503 });
  });

  it('fetches a client-credentials token once, from the token URL, and renews it after a 401', async () => {
    const { agent, api, adapter, requests, reply } = setup({
      accessToken: undefined,
      clientId: 'CLIENT-1',
      clientSecret: 'secret-1',
      tokenUrl: `${IDENTITY}/connect/token`,
    });
    const tokenRequests: RecordedRequest[] = [];
    let issued = 0;
    agent
      .get(IDENTITY)
      .intercept({ path: '/connect/token', method: 'POST' })
      .reply((opts) => {
        tokenRequests.push(recordRequest(opts));
        issued += 1;
        return { statusCode: 200, data: JSON.stringify({ access_token: `tok-${issued}`, expires_in: 1800, token_type: 'Bearer' }), responseOptions: JSON_HEADERS };
      })
      .times(2);
    const path = (p: string) => p.startsWith('/api.xro/2.0/Invoices?');
    api.intercept({ path, method: 'GET' }).reply(reply(200, mixedInvoices())).times(2);
    api.intercept({ path, method: 'GET' }).reply(reply(401, { Title: 'Unauthorized', Status: 401, Detail: 'TokenExpired' }));
    api.intercept({ path, method: 'GET' }).reply(reply(200, mixedInvoices()));

    await adapter.loadInvoices([ids[0]], {});
    await adapter.loadInvoices([ids[1]], {});
    expect(tokenRequests).toHaveLength(1);
    expect(tokenRequests[0].headers.authorization).toBe(`Basic ${Buffer.from('CLIENT-1:secret-1').toString('base64')}`);
    expect(tokenRequests[0].body).toBe('grant_type=client_credentials');
    expect(tokenRequests[0].headers['xero-tenant-id']).toBeUndefined();
    expect(requests.map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-1']);

    const answer = await adapter.loadInvoices([ids[2]], {});
    expect((answer[0] as Invoice).remoteId).toBe(ids[2]);
    expect(tokenRequests).toHaveLength(2);
    expect(requests.slice(2).map((r) => r.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });

  it('answers UPSTREAM_UNAUTHORIZED when the identity server refuses the client, without leaking the secret', async () => {
    const { agent, adapter } = setup({ accessToken: undefined, clientId: 'CLIENT-1', clientSecret: 'secret-1', tokenUrl: `${IDENTITY}/connect/token` });
    agent
      .get(IDENTITY)
      .intercept({ path: '/connect/token', method: 'POST' })
      .reply(400, JSON.stringify({ error: 'invalid_client' }), JSON_HEADERS);
    const error = (await adapter.loadInvoices([ids[0]], {}).catch((e: unknown) => e)) as AdapterError;
    expect(error.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('secret-1');
  });

  it("answers UPSTREAM_REJECTED when the identity server refuses the request itself, not the client's credentials", async () => {
    const { agent, adapter } = setup({ accessToken: undefined, clientId: 'CLIENT-1', clientSecret: 'secret-1', tokenUrl: `${IDENTITY}/connect/token` });
    agent
      .get(IDENTITY)
      .intercept({ path: '/connect/token', method: 'POST' })
      .reply(400, JSON.stringify({ error: 'unsupported_grant_type' }), JSON_HEADERS);
    const error = (await adapter.loadInvoices([ids[0]], {}).catch((e: unknown) => e)) as AdapterError;
    expect(error.code).toBe('UPSTREAM_REJECTED');
    expect(error.message).toContain('unsupported_grant_type');
  });
});

describe('xero settings', () => {
  it('fills defaults and requires a token or client credentials', () => {
    const settings = xeroSettingsSchema.parse({ tenantId: TENANT, accessToken: 't' });
    expect(settings).toMatchObject({
      name: 'xero',
      baseUrl: 'https://api.xero.com/api.xro/2.0',
      tokenUrl: 'https://identity.xero.com/connect/token',
      maxIdsPerCall: 50,
      pageSize: 100,
      concurrentLimit: 5,
      perMinuteLimit: 60,
      rateLimitRetries: 2,
      maxRetryAfterWaitSeconds: 10,
      currencyScales: {},
    });
    expect(xeroSettingsSchema.safeParse({ tenantId: TENANT }).success).toBe(false);
    expect(xeroSettingsSchema.safeParse({ tenantId: TENANT, clientId: 'a' }).success).toBe(false);
    expect(xeroSettingsSchema.safeParse({ tenantId: TENANT, clientId: 'a', clientSecret: 'b' }).success).toBe(true);
    expect(xeroSettingsSchema.safeParse({ tenantId: TENANT, accessToken: 't', maxIdsPerCall: 51 }).success).toBe(false);
    // Without a tenant, the connection's only organisation is asked of /connections at start.
    expect(xeroSettingsSchema.safeParse({ accessToken: 't' }).success).toBe(true);
    expect(xeroSettingsSchema.safeParse({ clientId: 'a', clientSecret: 'b', connection: 'Main' }).success).toBe(false);
  });

  it('reads the environment, and is absent without XERO_BASE_URL', () => {
    expect(settingsFromEnv({ XERO_TENANT_ID: TENANT })).toBeUndefined();
    const raw = settingsFromEnv({
      XERO_BASE_URL: 'https://api.xero.com/api.xro/2.0',
      XERO_TENANT_ID: TENANT,
      XERO_CLIENT_ID: 'id',
      XERO_CLIENT_SECRET: 'secret',
      XERO_TOKEN_URL: 'https://identity.xero.com/connect/token',
      XERO_ACCESS_TOKEN: '',
    });
    expect(raw).toEqual({
      baseUrl: 'https://api.xero.com/api.xro/2.0',
      tenantId: TENANT,
      clientId: 'id',
      clientSecret: 'secret',
      tokenUrl: 'https://identity.xero.com/connect/token',
    });
    expect(xeroSettingsSchema.parse(raw).clientId).toBe('id');
  });
});
