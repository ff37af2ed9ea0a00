// Replays recorded Korint answers (seed 003) through undici's MockAgent: the request sent and the model produced.
import { MockAgent } from 'undici';
import { headersOf } from '../../support/recorded-request.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Adapter } from '../../../adapters/kit/adapter.js';
import { AdapterError } from '../../../adapters/kit/errors.js';
import type { Invoice } from '../../../adapters/kit/model.js';
import { formatAmount, toMinorUnits } from '../../../adapters/kit/money.js';
import { createKorintAdapter } from '../../../adapters/korint/korint-adapter.js';
import { korintSettingsSchema } from '../../../adapters/korint/settings.js';
import { loadSeed003Page } from './fixture.js';

const ORIGIN = 'https://api.korint.test';
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.test.signature';

interface Seen {
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
}


describe('korint adapter against recorded answers', () => {
  let agent: MockAgent;
  let seen: Seen[];
  let adapter: Adapter;

  const answer = (bodies: unknown[]) => {
    const pool = agent.get(ORIGIN);
    for (const body of bodies) {
      pool
        .intercept({ path: (path) => path.startsWith('/api/v1/invoices?'), method: 'GET' })
        .reply((opts) => {
          const url = new URL(opts.path, ORIGIN);
          seen.push({ path: url.pathname, query: url.searchParams, headers: headersOf(opts.headers) });
          return { statusCode: 200, data: JSON.stringify(body), responseOptions: { headers: { 'content-type': 'application/json' } } };
        });
    }
  };

  beforeEach(() => {
    agent = new MockAgent();
    agent.disableNetConnect();
    seen = [];
    adapter = createKorintAdapter(korintSettingsSchema.parse({ baseUrl: `${ORIGIN}/api/v1`, token: TOKEN }), { dispatcher: agent });
  });

  afterEach(async () => {
    agent.assertNoPendingInterceptors();
    await adapter.close();
    await agent.close();
  });

  it('sends one GET with ids, page, pageSize and the bearer token, and maps seed 003', async () => {
    answer([loadSeed003Page()]);
    const [invoice, missing] = await adapter.loadInvoices(['inv_01HQ3K9W5Z8X2M4N6P', 'inv_unknown'], {});

    expect(seen).toHaveLength(1);
    expect(seen[0].path).toBe('/api/v1/invoices');
    expect(seen[0].query.get('ids')).toBe('inv_01HQ3K9W5Z8X2M4N6P,inv_unknown');
    expect(seen[0].query.get('page')).toBe('1');
    expect(seen[0].query.get('pageSize')).toBe('100');
    expect(seen[0].query.has('simulatedAt')).toBe(false);
    expect(seen[0].query.has('whenAt')).toBe(false);
    expect(seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0].headers.accept).toBe('application/json');

    expect(missing).toBeNull();
    const model = invoice as Invoice;
    expect(model).toMatchObject({ remoteId: 'inv_01HQ3K9W5Z8X2M4N6P', number: '1042', status: 'PAID', providerStatus: 'PAID', currency: 'EUR' });
    expect(formatAmount(model.total!)).toBe('1234.56');
    expect(model.total!.currency).toBe('EUR');
    expect(toMinorUnits(model.total!)).toBe('123456');
    expect(formatAmount(model.amountDue!)).toBe('0.00');
    expect(model.payments.map((p) => [p.remoteId, formatAmount(p.amount), p.postedAt])).toEqual([
      ['inv_01HQ3K9W5Z8X2M4N6P/pi_3OkXyZ2eZvKYlo2C1a2b3c4d', '1234.56', '2025-03-05T10:30:00.000Z'],
    ]);
    expect(model.lineItems.map((l) => [l.description, formatAmount(l.amount!)])).toEqual([['Home insurance premium, March 2025', '1234.56']]);
    expect(model.totalBreakdown!.taxes.map((t) => formatAmount(t.amount))).toEqual(['114.56']);
  });

  it('forwards simulatedAt and whenAt only when given', async () => {
    answer([loadSeed003Page(), loadSeed003Page()]);
    const simulatedAt = '2025-03-04T00:00:00.000Z';
    const whenAt = '2025-03-10T12:00:00.000Z';
    await adapter.loadInvoices(['inv_01HQ3K9W5Z8X2M4N6P'], { simulation: { simulatedAt, whenAt } });
    await adapter.loadInvoices(['inv_01HQ3K9W5Z8X2M4N6P'], { simulation: { simulatedAt } });
    expect(seen.map((s) => [s.query.get('simulatedAt'), s.query.get('whenAt')])).toEqual([
      [simulatedAt, whenAt],
      [simulatedAt, null],
    ]);
  });

  it('follows pages until every id is answered, and stops as soon as they are', async () => {
    const base = loadSeed003Page().data[0];
    const item = (id: string) => ({ ...structuredClone(base), id });
    answer([
      { data: [item('a')], pageInfo: { first: true, last: false }, totalCount: 2, currentPage: 1, totalPages: 2 },
      { data: [item('b')], pageInfo: { first: false, last: true }, totalCount: 2, currentPage: 2, totalPages: 2 },
      // Every id answered on page 1 although Korint says more pages follow: no page 2 request.
      { data: [item('c'), item('d')], pageInfo: { first: true, last: false }, totalCount: 9, currentPage: 1, totalPages: 5 },
    ]);
    const first = await adapter.loadInvoices(['b', 'a', 'zz'], {});
    expect(first.map((x) => (x instanceof Error || x === null ? x : x.remoteId))).toEqual(['b', 'a', null]);
    expect(seen.map((s) => s.query.get('page'))).toEqual(['1', '2']);
    const second = await adapter.loadInvoices(['c', 'd', 'c'], {});
    expect(second.map((x) => (x as Invoice).remoteId)).toEqual(['c', 'd', 'c']);
    expect(seen.map((s) => s.query.get('page'))).toEqual(['1', '2', '1']);
    expect(seen[2].query.get('ids')).toBe('c,d');
  });

  it('ignores items it did not ask for and fails a malformed item alone', async () => {
    const base = loadSeed003Page().data[0];
    const bad: Record<string, any> = { ...structuredClone(base), id: 'bad' };
    bad.total.amountWithFeesAndTaxes = 'abc';
    answer([{ data: [{ ...structuredClone(base), id: 'stranger' }, bad, { ...structuredClone(base), id: 'good' }], total: 3, offset: 0, limit: 100 }]);
    const [good, broken] = await adapter.loadInvoices(['good', 'bad'], {});
    expect((good as Invoice).remoteId).toBe('good');
    expect(broken).toBeInstanceOf(AdapterError);
    expect(broken).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'korint' });
  });

  it('rejects the whole call on a malformed envelope, naming the source and no upstream text', async () => {
    answer([{ invoices: [] }]);
    const error = await adapter.loadInvoices(['a'], {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: 'korint' });
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('maps 401 to UPSTREAM_UNAUTHORIZED without leaking the token', async () => {
    agent
      .get(ORIGIN)
      .intercept({ path: (path) => path.startsWith('/api/v1/invoices?'), method: 'GET' })
      .reply(401, { statusCode: 401, message: `bad token ${TOKEN}` }, { headers: { 'content-type': 'application/json' } });
    const error = await adapter.loadInvoices(['a'], {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', source: 'korint' });
    expect((error as Error).message).not.toContain(TOKEN);
  });

  it('answers an empty batch without calling Korint', async () => {
    expect(await adapter.loadInvoices([], {})).toEqual([]);
    expect(seen).toHaveLength(0);
  });
});
