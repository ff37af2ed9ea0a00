// The frontend codegen example (examples/frontend) run against the schema: the client preset maps Decimal, DateTime
// and Date to string (so `amount: 42.5` no longer type-checks), and its persisted-documents manifest maps each hash to
// its document, ready for GATEWAY_PERSISTED_OPERATIONS_FILE. The example client then runs against the gateway as the
// docs start it, with that manifest (trusted documents only) and without one (npm start as it is). The scalars'
// specifiedByURL is what introspection shows.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { graphqlSync, parse, validate } from 'graphql';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMain } from '../support/main-process.js';
import config from '../../examples/frontend/codegen.js';
import { createSchema } from '../../src/schema.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/frontend/', import.meta.url));
let out: string;

beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'frontend-codegen-'));
  const [target] = Object.values(config.generates);
  await generate({ ...config, cwd: EXAMPLE, silent: true, generates: { [join(out, 'src', 'gql') + '/']: target } }, true);
}, 60_000);
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the frontend codegen example', () => {
  it('maps Decimal, DateTime and Date to string in operation and input types', () => {
    const types = readFileSync(join(out, 'src/gql/graphql.ts'), 'utf8');
    const overview = /export type InvoicesOverviewQuery = (.*);/.exec(types)?.[1] ?? '';
    expect(overview).toContain('total: { amount: string, currency: string, minorUnits: string | null, scale: number }');
    expect(overview).toContain('dueAt: string | null');
    expect(types).toMatch(/export type LineItemInput = \{[^}]*amount: string;/s);
  });

  it('makes `amount: 42.5` a type error and `"42.50"` fine', () => {
    writeFileSync(
      join(out, 'src/usage.ts'),
      `import type { CreateInvoiceMutationVariables } from './gql/graphql.js';
const line = { currency: 'USD', description: 'd', productId: 'p', type: 'PAYIN' as const, userId: 'u' };
export const good: CreateInvoiceMutationVariables = { input: { invoiceId: 'i', lineItems: [{ ...line, amount: '42.50' }] } };
export const bad: CreateInvoiceMutationVariables = { input: { invoiceId: 'i', lineItems: [{ ...line, amount: 42.5 }] } };
`,
    );
    // The example's own files (its client and documents) compile against the generated code too.
    cpSync(join(EXAMPLE, 'src'), join(out, 'src'), { recursive: true, filter: (path) => !path.includes('/gql') });
    const program = ts.createProgram(['usage.ts', 'client.ts', 'documents.ts'].map((f) => join(out, 'src', f)), {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      typeRoots: [join(fileURLToPath(new URL('../../node_modules/@types', import.meta.url)))],
      types: [],
      baseUrl: fileURLToPath(new URL('../../', import.meta.url)),
      paths: { '@graphql-typed-document-node/core': ['node_modules/@graphql-typed-document-node/core'] },
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ({
      file: d.file?.fileName.slice(out.length),
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : undefined,
      text: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: '/src/usage.ts', line: 4 });
    expect(problems[0].text).toContain("Type 'number' is not assignable to type 'string'");
  }, 60_000);

  it('writes a persisted-documents manifest mapping each sha256 hash to its document, valid against the schema', () => {
    const manifest = JSON.parse(readFileSync(join(out, 'src/gql/persisted-documents.json'), 'utf8')) as Record<string, string>;
    const schema = createSchema();
    const names = Object.entries(manifest).map(([hash, document]) => {
      expect(hash).toBe(`sha256:${createHash('sha256').update(document).digest('hex')}`);
      const ast = parse(document);
      expect(validate(schema, ast)).toEqual([]);
      return ast.definitions.map((d) => ('name' in d ? d.name?.value : undefined));
    });
    expect(names.flat().sort()).toEqual(['CreateInvoice', 'InvoicesOverview']);
  });
});

describe('the example client against the gateway', () => {
  const IDS = ['fragment:Invoice:inv_0004', 'korint:Invoice:kor_inv_0001'];

  /** The example's client and documents, loaded from the generated copy. */
  async function exampleClient() {
    cpSync(join(EXAMPLE, 'src'), join(out, 'src'), { recursive: true, filter: (path) => !path.includes('/gql') });
    // Typed here by hand: the example's own types exist only once its gql/ folder is generated.
    type Answer = { data?: { invoices: Array<{ id: string; total: { amount: string } } | null> }; errors?: unknown[] };
    const client = (await import(join(out, 'src', 'client.ts'))) as {
      execute: (endpoint: string, document: unknown, variables: unknown) => Promise<Answer>;
    };
    const documents = (await import(join(out, 'src', 'documents.ts'))) as { InvoicesOverview: { toString(): string } };
    return { execute: client.execute, InvoicesOverview: documents.InvoicesOverview };
  }

  it('runs by hash against a gateway started with its manifest, trusted documents only', async () => {
    const { execute, InvoicesOverview } = await exampleClient();
    // docs/deployment.md: GATEWAY_PERSISTED_OPERATIONS_FILE=examples/frontend/src/gql/persisted-documents.json npm start
    const gateway = await startMain({
      GATEWAY_PERSISTED_OPERATIONS_FILE: join(out, 'src/gql/persisted-documents.json'),
      GATEWAY_PERSISTED_ONLY: '1',
    });
    try {
      const answer = await execute(gateway.summary.graphql, InvoicesOverview, { ids: IDS });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.invoices.map((invoice) => invoice?.id)).toEqual(IDS);
      expect(answer.data?.invoices[0]?.total.amount).toMatch(/^\d+\.\d+$/);
      // The same operation as text is refused: only the manifest's documents run.
      const text = await fetch(gateway.summary.graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: InvoicesOverview.toString(), variables: { ids: IDS } }),
      });
      expect((await text.json()).errors[0].extensions.code).toBe('PERSISTED_QUERY_ONLY');
    } finally {
      await gateway.stop();
    }
  }, 60_000);

  it('runs against npm start as it is (no manifest): the hash is not known, so the text is sent', async () => {
    const { execute, InvoicesOverview } = await exampleClient();
    const gateway = await startMain({});
    try {
      const answer = await execute(gateway.summary.graphql, InvoicesOverview, { ids: IDS });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.invoices.map((invoice) => invoice?.id)).toEqual(IDS);
    } finally {
      await gateway.stop();
    }
  }, 60_000);
});

describe('scalars', () => {
  it('carry a specifiedByURL and a description in introspection', () => {
    const answer = graphqlSync({
      schema: createSchema(),
      source: `{ ${['Decimal', 'DateTime', 'Date'].map((n) => `${n}: __type(name: "${n}") { specifiedByURL description }`).join(' ')} }`,
    });
    expect(answer.errors).toBeUndefined();
    const data = answer.data as Record<string, { specifiedByURL: string; description: string }>;
    expect(data.Decimal.specifiedByURL).toBe('https://www.w3.org/TR/xmlschema11-2/#decimal');
    expect(data.DateTime.specifiedByURL).toBe('https://datatracker.ietf.org/doc/html/rfc3339#section-5.6');
    expect(data.Date.specifiedByURL).toBe('https://datatracker.ietf.org/doc/html/rfc3339#section-5.6');
    expect(data.Decimal.description).toContain('map it to `string`');
    expect(data.DateTime.description).toContain('RFC 3339');
  });
});
