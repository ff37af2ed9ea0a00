// Trusted documents from either manifest a client toolchain writes: GraphQL Code Generator's client preset
// (`{ "sha256:<hex>": "<document>" }`) and Apollo's persisted query manifest (`"format": "apollo-persisted-query-manifest"`,
// version 1). A document runs by `documentId` over POST and over GET (a query only: a mutation never runs over GET), or by
// Apollo's `extensions.persistedQuery.sha256Hash`, whichever manifest it came from.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import { readTrustedDocuments } from '../../src/access/trusted-documents.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { post } from '../support/security.js';

const READ = 'query InvoiceNumber($id: ID!) { invoice(id: $id) { id number } }';
const CREATE = `mutation CreateOne { createInvoice(input: { invoiceId: "pq-get-1", lineItems: [
  { amount: "1.00", currency: "USD", description: "d", productId: "p", type: PAYIN, userId: "u" }] }) { id } }`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'trusted-documents-'));

function manifestFile(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(content));
  return path;
}

const apolloManifest = {
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: [
    { id: sha256(READ), name: 'InvoiceNumber', type: 'query', body: READ },
    { id: sha256(CREATE), name: 'CreateOne', type: 'mutation', body: CREATE },
  ],
};
const codegenManifest = { [`sha256:${sha256(READ)}`]: READ, [`sha256:${sha256(CREATE)}`]: CREATE };

describe('the manifests', () => {
  it('reads both formats to the same hashes and documents', () => {
    const problems: string[] = [];
    const apollo = readTrustedDocuments(manifestFile('apollo.json', apolloManifest), problems);
    const codegen = readTrustedDocuments(manifestFile('codegen.json', codegenManifest), problems);
    expect(problems).toEqual([]);
    expect([...apollo]).toEqual([...codegen]);
    expect(apollo.get(sha256(READ))).toBe(READ);
  });

  it('names every problem of a bad Apollo manifest', () => {
    const problems: string[] = [];
    readTrustedDocuments(manifestFile('v2.json', { ...apolloManifest, version: 2 }), problems);
    readTrustedDocuments(manifestFile('body.json', { ...apolloManifest, operations: [{ id: 'x', body: 'query {' }] }), problems);
    readTrustedDocuments(manifestFile('shape.json', { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'y' }] }), problems);
    expect(problems).toEqual([
      expect.stringMatching(/^GATEWAY_PERSISTED_OPERATIONS_FILE\["version"\]: .*version 1/),
      expect.stringMatching(/^GATEWAY_PERSISTED_OPERATIONS_FILE\["x"\]: not a GraphQL document/),
      expect.stringMatching(/^GATEWAY_PERSISTED_OPERATIONS_FILE\["operations.0.body"\]/),
    ]);
  });
});

for (const [format, content] of [
  ['Apollo persisted query manifest', apolloManifest],
  ['client preset manifest', codegenManifest],
] as const) {
  describe(`a gateway running only the documents of a ${format}`, () => {
    let gw: TestGateway;
    beforeAll(async () => {
      const problems: string[] = [];
      const documents = readTrustedDocuments(manifestFile(`${format}.json`, content), problems);
      expect(problems).toEqual([]);
      gw = await startTestGateway(['fragment'], { trustedDocuments: { documents, only: true } });
    });
    afterAll(() => gw?.close());

    const variables = { id: 'fragment:Invoice:inv_0002' };
    const expected = { invoice: { id: 'fragment:Invoice:inv_0002', number: 'inv_0002' } };

    it("runs a document by documentId over POST (bare or sha256: prefixed) and by Apollo's persistedQuery extension", async () => {
      for (const documentId of [sha256(READ), `sha256:${sha256(READ)}`]) {
        expect((await post(gw.gateway, undefined, { documentId, variables })).body).toEqual({ data: expected, extensions: expect.anything() });
      }
      const apollo = await post(gw.gateway, undefined, { variables, extensions: { persistedQuery: { version: 1, sha256Hash: sha256(READ) } } });
      expect(apollo.body.data).toEqual(expected);
    });

    it('runs a query by documentId over GET, and never a mutation', async () => {
      const url = (id: string) => `http://gateway.test/graphql?documentId=${id}&variables=${encodeURIComponent(JSON.stringify(variables))}`;
      const get = await gw.gateway.yoga.fetch(url(sha256(READ)), { headers: { accept: 'application/graphql-response+json', 'x-graphql-csrf': '1' } });
      expect(get.status).toBe(200);
      expect((await get.json()).data).toEqual(expected);
      const before = gw.sandbox<FragmentSandboxHandle>('fragment').store.invoiceCount();
      const mutation = await gw.gateway.yoga.fetch(url(sha256(CREATE)), { headers: { accept: 'application/graphql-response+json', 'x-graphql-csrf': '1' } });
      expect(mutation.status).toBe(405);
      expect(gw.sandbox<FragmentSandboxHandle>('fragment').store.invoiceCount()).toBe(before);
    });

    it('refuses an unknown hash and a document sent as text, calling no provider', async () => {
      const before = gw.sandbox('fragment').calls.count();
      const unknown = await post(gw.gateway, undefined, { documentId: sha256('{ sources { name } }') });
      expect(unknown.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      const text = await post(gw.gateway, READ, { variables });
      expect(text.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_ONLY');
      expect(gw.sandbox('fragment').calls.count()).toBe(before);
    });
  });
}

describe('a gateway without a manifest', () => {
  it('answers a hash alone with PERSISTED_QUERY_NOT_FOUND saying what to do, over POST and GET', async () => {
    const gw = await startTestGateway(['fragment']);
    try {
      const posted = await post(gw.gateway, undefined, { documentId: sha256(READ) });
      expect(posted.status).toBe(400);
      expect(posted.body.errors).toEqual([
        { message: expect.stringMatching(/GATEWAY_PERSISTED_OPERATIONS_FILE is not set\). Send the query text/), extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } },
      ]);
      const get = await gw.gateway.yoga.fetch(`http://gateway.test/graphql?documentId=${sha256(READ)}`, { headers: { 'x-graphql-csrf': '1' } });
      expect((await get.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    } finally {
      await gw.close();
    }
  });
});
