// listInvoices when things go wrong: a source failing mid-pagination (the others served, the source named with a coded
// error, and the documented recovery), bad arguments and cursors (BAD_USER_INPUT), and a client granted some sources.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import type { GraphQLResolveInfo } from 'graphql';
import { createLoaders } from '../../src/loaders.js';
import { createUpstreamSummary } from '../../src/upstream-summary.js';
import type { GatewayContext } from '../../src/context.js';
import type { ClientIdentity } from '../../src/access/client.js';
import { createCursorCodec, queryDigest } from '../../src/listing/cursor.js';
import { listInvoices } from '../../src/listing/list-invoices.js';
import { listingErrorsOf } from '../../src/listing/listing-errors.js';
import type { TestGateway } from '../support/gateway.js';
import { expectedOrder, listPage, readSeeded, startListingGateway, type Seeded } from './listing-support.js';

let t: TestGateway;
let seeded: Seeded[];

beforeAll(async () => {
  t = await startListingGateway({ retry: { retries: 0 }, circuit: { failureThreshold: 1_000, coolDownMs: 1_000 } });
  seeded = await readSeeded(t);
});
afterAll(() => t.close());

describe('a source failing mid-pagination', () => {
  it('serves the others, names it with a coded error, and resumes it where it stopped once it recovers', async () => {
    const expected = expectedOrder(seeded, 'ISSUED_AT_DESC');
    const before: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 2; i += 1) {
      const page = await listPage(t, { first: 20, after });
      before.push(...page.ids);
      after = page.endCursor;
    }
    expect(before.filter((id) => id.startsWith('korint:')).length).toBeGreaterThan(0);

    t.sandbox('korint').faults.inject({ routes: ['invoices'], status: 503, times: 1 });
    const failed = await listPage(t, { first: 20, after });
    expect(failed.incompleteSources).toEqual(['korint']);
    expect(failed.ids).toHaveLength(20);
    expect(failed.ids.some((id) => id.startsWith('korint:'))).toBe(false);
    expect(failed.hasNextPage).toBe(true);
    expect(failed.answer.errors).toEqual([
      expect.objectContaining({ path: ['listInvoices'], extensions: expect.objectContaining({ code: 'UPSTREAM_UNAVAILABLE', source: 'korint' }) }),
    ]);

    // Recovered: the next page asks Korint again from its position, so its next invoice is the one after the last given.
    const following = await listPage(t, { first: 20, after: failed.endCursor });
    expect(following.answer.errors).toBeUndefined();
    expect(following.incompleteSources).toEqual([]);
    const korintOrder = expected.filter((id) => id.startsWith('korint:'));
    const lastKorint = before.filter((id) => id.startsWith('korint:')).at(-1)!;
    const firstKorintAfter = following.ids.find((id) => id.startsWith('korint:'));
    expect(firstKorintAfter).toBe(korintOrder[korintOrder.indexOf(lastKorint) + 1]);

    // Reading on to the end: every invoice exactly once, none lost, none repeated.
    const all = [...before, ...failed.ids, ...following.ids];
    let next: string | null = following.hasNextPage ? following.endCursor : null;
    while (next) {
      const page = await listPage(t, { first: 100, after: next });
      all.push(...page.ids);
      next = page.hasNextPage ? page.endCursor : null;
    }
    expect(all.length).toBe(expected.length);
    expect(new Set(all)).toEqual(new Set(expected));
  }, 120_000);
});

describe('bad input', () => {
  const bad = async (variables: Record<string, unknown>) => {
    const page = await listPage(t, variables);
    expect(page.answer.data?.listInvoices ?? null).toBeNull();
    expect(page.answer.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    return page.answer.errors![0];
  };

  it('first: 0 and first: 101', async () => {
    await bad({ first: 0 });
    await bad({ first: 101 });
    await bad({ first: -5 });
  });

  it('malformed, truncated, tampered and foreign cursors', async () => {
    const page = await listPage(t, { first: 5 });
    const cursor = page.endCursor!;
    await bad({ first: 5, after: 'not-a-cursor' });
    await bad({ first: 5, after: cursor.slice(0, -4) });
    await bad({ first: 5, after: cursor.slice(0, 30) });
    const [body, tag] = cursor.split('.');
    const json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    json.s.xero = { k: 7, i: 'x' };
    await bad({ first: 5, after: `${Buffer.from(JSON.stringify(json)).toString('base64url')}.${tag}` });
    // Another order, another filter, another connection's cursor.
    await bad({ first: 5, after: cursor, orderBy: 'ISSUED_AT_ASC' });
    await bad({ first: 5, after: cursor, filter: { statuses: ['PAID'] } });
    const batches = await t.query('{ batchPayments(first: 1) { pageInfo { endCursor } } }');
    await bad({ first: 5, after: batches.data.batchPayments.pageInfo.endCursor });
  });

  it('issuedFrom after issuedTo, an unknown source, an unknown currency', async () => {
    await bad({ filter: { issuedFrom: '2024-05-02', issuedTo: '2024-05-01' } });
    await bad({ filter: { sources: ['nowhere'] } });
    await bad({ filter: { currency: 'XQQ' } });
  });

  it('a cursor signed with another GATEWAY_CURSOR_SECRET is refused', () => {
    const query = queryDigest({ any: 1 });
    const cursor = createCursorCodec('replica-secret').encode({ q: query, s: { xero: { k: 3, i: 'a' } } });
    expect(createCursorCodec('replica-secret').decode(cursor, query).s.xero).toEqual({ k: 3, i: 'a' });
    expect(() => createCursorCodec('another-secret').decode(cursor, query)).toThrow(/not a cursor/);
    expect(() => createCursorCodec().decode(cursor, query)).toThrow(/not a cursor/);
  });
});

describe('grants', () => {
  /** A request context over the test gateway's sources for `client`, as the gateway builds one. */
  function contextFor(client: ClientIdentity): GatewayContext {
    const upstream = createUpstreamSummary();
    const signal = new AbortController().signal;
    const deadline = Date.now() + 30_000;
    return {
      registry: t.gateway.registry,
      loaders: createLoaders({ registry: t.gateway.registry, signal, deadline, onCall: (call) => upstream.record(call), onError: () => {}, client }),
      signal,
      deadline,
      finish: () => {},
      requestId: 'test',
      upstream,
      onUpstreamError: () => {},
      logger: pino({ level: 'silent' }),
      limits: { maxIds: 1000, maxEntities: 1000 },
      client,
      telemetry: { cacheLookup: () => {} },
    };
  }
  const info = { path: { prev: undefined, key: 'listInvoices', typename: 'Query' } } as unknown as GraphQLResolveInfo;
  const client: ClientIdentity = { name: 'web', via: 'api-key', sources: ['fragment', 'xero'], operations: ['read'] };

  it('lists only the sources the client may read, and never asks the others', async () => {
    t.sandbox('korint').calls.reset();
    const ctx = contextFor(client);
    const page = await listInvoices(undefined, { first: 100, orderBy: 'ISSUED_AT_DESC' }, ctx, info);
    expect(page.edges.some((edge) => edge.node.sourceName === 'korint')).toBe(false);
    expect(page.incompleteSources).toEqual([]);
    expect(listingErrorsOf(ctx)).toEqual([]);
    expect(t.sandbox('korint').calls.count()).toBe(0);
    const expected = expectedOrder(seeded.filter((i) => i.source !== 'korint'), 'ISSUED_AT_DESC').slice(0, 100);
    expect(page.edges.map((edge) => `${edge.node.sourceName}:Invoice:${edge.node.remoteId}`)).toEqual(expected);
  });

  it('a filter naming a source outside the grants: FORBIDDEN for that source, the others served', async () => {
    t.sandbox('korint').calls.reset();
    const ctx = contextFor(client);
    const page = await listInvoices(undefined, { first: 10, orderBy: 'ISSUED_AT_DESC', filter: { sources: ['korint', 'xero'] } }, ctx, info);
    expect(page.incompleteSources).toEqual(['korint']);
    expect(page.edges.length).toBe(10);
    expect(page.edges.every((edge) => edge.node.sourceName === 'xero')).toBe(true);
    expect(listingErrorsOf(ctx).map((error) => error.extensions)).toEqual([expect.objectContaining({ code: 'FORBIDDEN', source: 'korint' })]);
    expect(t.sandbox('korint').calls.count()).toBe(0);
  });

  it('a client without read sees nothing and no source is asked', async () => {
    for (const kind of ['fragment', 'korint', 'xero']) t.sandbox(kind).calls.reset();
    const page = await listInvoices(undefined, { first: 10, orderBy: 'ISSUED_AT_DESC' }, contextFor({ ...client, sources: '*', operations: ['create'] }), info);
    expect(page.edges).toEqual([]);
    expect(page.pageInfo.hasNextPage).toBe(false);
    for (const kind of ['fragment', 'korint', 'xero']) expect(t.sandbox(kind).calls.count()).toBe(0);
  });
});
