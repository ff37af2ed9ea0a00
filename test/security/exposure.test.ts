// Browsers and exposure (issue 9, part 4): no mutation runs from a request another site's page can send without a
// preflight; CORS headers only for listed origins; introspection and field suggestions off on demand; trusted documents
// only; a body over the limit answers 413; the GraphiQL page is built once, compressed and revalidated by ETag; a
// document nested 2,000 levels deep answers 400 with a parse error. Each case counts what the sandboxes saw.
import { createHash } from 'node:crypto';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { post } from '../support/security.js';

// The real renderer, watched: how many times the 9 MB page is built.
const renders = vi.hoisted(() => ({ count: 0 }));
vi.mock('@graphql-yoga/render-graphiql', async (importOriginal) => {
  const real = await importOriginal<typeof import('@graphql-yoga/render-graphiql')>();
  return { ...real, renderGraphiQL: (...args: Parameters<typeof real.renderGraphiQL>) => (renders.count++, real.renderGraphiQL(...args)) };
});

const CREATE = `mutation { createInvoice(input: { invoiceId: "csrf-1", lineItems: [
  { amount: "999.00", currency: "USD", description: "forged", productId: "p", type: PAYIN, userId: "victim" }] }) { id } }`;
const READ = '{ invoice(id: "fragment:Invoice:inv_0001") { id number } }';

let gw: TestGateway;
const fragment = () => gw.sandbox<FragmentSandboxHandle>('fragment');
const send = (init: RequestInit & { path?: string }) => gw.gateway.yoga.fetch(`http://gateway.test${init.path ?? '/graphql'}`, init);

beforeAll(async () => {
  // Authentication off: the worst case for CSRF, since a forged request needs no credential at all.
  gw = await startTestGateway(['fragment'], { corsOrigins: ['https://app.example.com'] });
});
afterAll(() => gw?.close());
beforeEach(() => fragment().calls.reset());

describe('CSRF', () => {
  it('runs nothing from a cross-origin form post, text/plain or multipart body, or GET of a mutation', async () => {
    const before = fragment().store.invoiceCount();
    const evil = { origin: 'https://evil.example' };
    const attempts: RequestInit[] = [
      { method: 'POST', headers: { ...evil, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ query: CREATE }).toString() },
      { method: 'POST', headers: { ...evil, 'content-type': 'text/plain' }, body: JSON.stringify({ query: CREATE }) },
      { method: 'POST', headers: { ...evil, 'content-type': 'multipart/form-data; boundary=x' }, body: `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: CREATE })}\r\n--x--\r\n` },
    ];
    for (const init of attempts) {
      const response = await send(init);
      expect(response.status).toBe(403);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect((await response.json()).errors[0].extensions).toEqual({ code: 'BAD_REQUEST' });
    }
    const get = await send({ method: 'GET', path: `/graphql?query=${encodeURIComponent(CREATE)}`, headers: evil });
    expect(get.status).toBe(403);
    // Even with a CSRF header (so not from a browser page), a mutation never runs over GET.
    const getWithHeader = await send({ method: 'GET', path: `/graphql?query=${encodeURIComponent(CREATE)}`, headers: { 'x-graphql-csrf': '1' } });
    expect(getWithHeader.status).toBe(405);
    // Credentials a browser attaches by itself (HTTP Basic, say) prove nothing.
    const basic = await send({ ...attempts[0], headers: { ...evil, 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${btoa('user:pass')}` } });
    expect(basic.status).toBe(403);
    expect(fragment().store.invoiceCount()).toBe(before);
    expect(fragment().calls.count()).toBe(0);
  });

  it('still serves JSON posts, and GET queries that carry a CSRF header', async () => {
    const json = await post(gw.gateway, READ);
    expect(json.body.data.invoice.number).toBe('inv_0001');
    const get = await send({ method: 'GET', path: `/graphql?query=${encodeURIComponent(READ)}`, headers: { 'x-graphql-csrf': '1' } });
    expect(get.status).toBe(200);
    expect((await get.json()).data.invoice.number).toBe('inv_0001');
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    send({ method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } });

  it('gives an unlisted origin, and the null origin, no CORS header at all', async () => {
    for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example']) {
      const answer = await post(gw.gateway, READ, { headers: { origin } });
      expect(answer.body.data.invoice.number).toBe('inv_0001');
      const cors = [...answer.headers.keys()].filter((name) => name.startsWith('access-control-'));
      expect(cors).toEqual([]);
      const pre = await preflight(origin);
      expect([...pre.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('gives a listed origin its own origin back, with credentials, and says the answer varies by Origin', async () => {
    const answer = await post(gw.gateway, READ, { headers: { origin: 'https://app.example.com' } });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(answer.headers.get('access-control-allow-credentials')).toBe('true');
    expect(answer.headers.get('vary')).toMatch(/Origin/);
    const pre = await preflight('https://app.example.com');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/authorization/);
  });
});

describe('GATEWAY_INTROSPECTION=0', () => {
  let closed: TestGateway;
  beforeAll(async () => {
    closed = await startTestGateway(['fragment'], { introspection: false });
  });
  afterAll(() => closed?.close());

  it('refuses __schema, __type and the subgraph SDL (_service), where the open gateway answers them', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Invoice") { fields { name } } }', '{ _service { sdl } }']) {
      const answer = await post(closed.gateway, query);
      expect(answer.status).toBe(400);
      expect(answer.body.data).toBeUndefined();
      expect(answer.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(answer.body.errors?.[0].message).toMatch(/introspection/i);
    }
    expect((await post(gw.gateway, '{ __type(name: "Invoice") { name } }')).body.data).toEqual({ __type: { name: 'Invoice' } });
    expect((await post(gw.gateway, '{ _service { sdl } }')).body.data._service.sdl).toMatch(/type Invoice/);
    // __typename is not introspection of the schema: it stays.
    expect((await post(closed.gateway, '{ __typename }')).body.data).toEqual({ __typename: 'Query' });
  });

  it('suggests no field names in errors, where the open gateway does', async () => {
    const misspelled = '{ invoicez(ids: []) { id } }';
    const open = await post(gw.gateway, misspelled);
    expect(open.body.errors?.[0].message).toMatch(/Did you mean "invoice" or "invoices"\?/);
    const answer = await post(closed.gateway, misspelled);
    expect(answer.body.errors?.[0].message).toBe('Cannot query field "invoicez" on type "Query".');
  });
});

describe('trusted documents, GATEWAY_PERSISTED_ONLY=1', () => {
  let trusted: TestGateway;
  const hash = createHash('sha256').update(READ).digest('hex');
  beforeAll(async () => {
    trusted = await startTestGateway(['fragment'], { trustedDocuments: { documents: new Map([[hash, READ]]), only: true } });
  });
  afterAll(() => trusted?.close());

  it('refuses a raw document, and an unknown hash, without calling a provider', async () => {
    const before = trusted.sandbox('fragment').calls.count();
    const raw = await post(trusted.gateway, READ);
    expect(raw.status).toBe(400);
    expect(raw.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    const unknown = await post(trusted.gateway, undefined, { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } } });
    expect(unknown.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(trusted.sandbox('fragment').calls.count()).toBe(before);
  });

  it('runs a listed document by extensions.persistedQuery.sha256Hash or by documentId', async () => {
    const byExtension = await post(trusted.gateway, undefined, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
    expect(byExtension.body.errors).toBeUndefined();
    expect(byExtension.body.data).toEqual({ invoice: { id: 'fragment:Invoice:inv_0001', number: 'inv_0001' } });
    const byId = await post(trusted.gateway, undefined, { documentId: `sha256:${hash}` });
    expect(byId.body.data).toEqual(byExtension.body.data);
  });
});

describe('GATEWAY_MAX_BODY_BYTES', () => {
  let small: TestGateway;
  beforeAll(async () => {
    small = await startTestGateway(['fragment'], { maxBodyBytes: 2048 });
  });
  afterAll(() => small?.close());

  it('answers a body over the limit with 413 QUERY_TOO_COMPLEX (GATEWAY_MAX_BODY_BYTES), declared or streamed, and calls no provider', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `fragment:Invoice:inv_${String(i + 1).padStart(4, '0')}`);
    const body = JSON.stringify({ query: 'query($ids: [ID!]!) { invoices(ids: $ids) { id } }', variables: { ids } });
    expect(body.length).toBeGreaterThan(2048);
    const declared = await post(small.gateway, 'query($ids: [ID!]!) { invoices(ids: $ids) { id } }', { variables: { ids } });
    expect(declared.status).toBe(413);
    expect(declared.body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_BODY_BYTES' });
    // No Content-Length: the body is cut off as it streams in.
    const bytes = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 512) controller.enqueue(bytes.slice(i, i + 512));
        controller.close();
      },
    });
    const streamed = await small.gateway.yoga.fetch('http://gateway.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(small.sandbox('fragment').calls.count()).toBe(0);
    const fits = await post(small.gateway, READ);
    expect(fits.body.data.invoice.number).toBe('inv_0001');
  });
});

describe('the GraphiQL page', () => {
  const page = (headers: Record<string, string> = {}) =>
    send({ method: 'GET', headers: { accept: 'text/html', 'accept-encoding': 'gzip', ...headers } });

  it('is served compressed from one build, with an ETag that answers 304 on revalidation', async () => {
    const before = renders.count;
    const first = await page();
    expect(first.status).toBe(200);
    expect(first.headers.get('content-encoding')).toBe('gzip');
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]{27}-gzip"$/);
    const html = gunzipSync(Buffer.from(await first.arrayBuffer())).toString('utf8');
    expect(html).toContain('<title>invoice-gateway</title>');
    expect(html.length).toBeGreaterThan(1_000_000);
    const second = await page();
    expect(second.headers.get('etag')).toBe(etag);
    expect(Number(second.headers.get('content-length'))).toBe(Number(first.headers.get('content-length')));
    await second.arrayBuffer();
    const revalidated = await page({ 'if-none-match': etag! });
    expect(revalidated.status).toBe(304);
    expect((await revalidated.arrayBuffer()).byteLength).toBe(0);
    // Built on the first visit, never again for the next ones.
    expect(renders.count).toBe(before + 1);
    const brotli = await page({ 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers.get('content-encoding')).toBe('br');
    expect(brotli.headers.get('etag')).toBe(etag!.replace('-gzip"', '-br"'));
    expect(brotliDecompressSync(Buffer.from(await brotli.arrayBuffer())).toString('utf8')).toBe(html);
    expect(renders.count).toBe(before + 1);
  });

  it('is not served with GATEWAY_GRAPHIQL=0: a browser reads a short page saying how to query instead of an empty 406', async () => {
    const off = await startTestGateway(['fragment'], { graphiql: false });
    try {
      const before = renders.count;
      const browser = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
      for (const accept of ['text/html', browser]) {
        const response = await off.gateway.yoga.fetch('http://gateway.test/graphql', { headers: { accept } });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
        const page = await response.text();
        expect(page).toContain('GraphiQL, the in-browser editor, is off on this gateway');
        expect(page).toContain("curl -s http://gateway.test/graphql -H 'Content-Type: application/json'");
        expect(page.length).toBeLessThan(2000);
      }
      expect(renders.count).toBe(before);
      // A GET carrying a query is still a GraphQL request (refused here for want of a CSRF header), never the page.
      const query = await off.gateway.yoga.fetch(`http://gateway.test/graphql?query=${encodeURIComponent('{ __typename }')}`, { headers: { accept: browser } });
      expect(query.status).toBe(403);
      expect(off.sandbox('fragment').calls.count()).toBe(0);
    } finally {
      await off.close();
    }
  });
});

describe('a document nested 2,000 levels deep', () => {
  it('answers 400 with a parse error, not a masked 500, and the next query is served', async () => {
    const depth = 2000;
    const query = `{ batchPaymentsByIds(ids: ["xero:BatchPayment:x"]) ${'{ payments { batch '.repeat(depth)}{ id }${' }'.repeat(2 * depth)} }`;
    const answer = await post(gw.gateway, query);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/^Syntax Error: the document is nested \d+ levels deep/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } }),
    ]);
    expect(fragment().calls.count()).toBe(0);
    expect((await post(gw.gateway, READ)).body.data.invoice.number).toBe('inv_0001');
  });
});
