// Trusted documents end to end: GraphQL Code Generator's client preset writes persisted-documents.json from a client
// document, the gateway loads it as GATEWAY_PERSISTED_OPERATIONS_FILE, and with GATEWAY_PERSISTED_ONLY=1 the client's
// hash runs while the same document sent as text does not.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTrustedDocuments } from '../../src/access/trusted-documents.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { post } from '../support/security.js';

const DOCUMENT = 'query InvoiceNumber($id: ID!) { invoice(id: $id) { id number } }';

let gw: TestGateway;
let hash: string;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-codegen-'));
  writeFileSync(join(dir, 'invoice.graphql'), DOCUMENT);
  const outputs = await generate(
    {
      schema: 'schema/*.graphql',
      documents: [join(dir, 'invoice.graphql')],
      silent: true,
      generates: { [`${dir}/gql/`]: { preset: 'client', presetConfig: { persistedDocuments: { hashAlgorithm: 'sha256' } } } },
    },
    false,
  );
  const manifest = outputs.find((o: { filename: string }) => o.filename.endsWith('persisted-documents.json'));
  const path = join(dir, 'persisted-documents.json');
  writeFileSync(path, manifest.content);
  const problems: string[] = [];
  const documents = readTrustedDocuments(path, problems);
  expect(problems).toEqual([]);
  [hash] = [...documents.keys()];
  gw = await startTestGateway(['fragment'], { trustedDocuments: { documents, only: true } });
}, 30_000);
afterAll(() => gw?.close());

describe("the client preset's persisted documents", () => {
  it('run by their hash, and only by it', async () => {
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    const variables = { id: 'fragment:Invoice:inv_0002' };
    const byHash = await post(gw.gateway, undefined, { documentId: hash, variables });
    expect(byHash.body).toMatchObject({ data: { invoice: { id: 'fragment:Invoice:inv_0002', number: 'inv_0002' } } });
    expect(gw.sandbox('fragment').calls.count('batch-get')).toBe(1);
    const asText = await post(gw.gateway, DOCUMENT, { variables });
    expect(asText.body.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_ONLY');
    expect(gw.sandbox('fragment').calls.count('batch-get')).toBe(1);
  });
});
