// GATEWAY_PERSISTED_OPERATIONS_FILE: the trusted documents, in either manifest a client toolchain writes, read and checked
// at start:
// - GraphQL Code Generator's client preset (`persistedDocuments` → persisted-documents.json): `{ "<hash>": "<document>" }`;
// - Apollo's persisted query manifest (@apollo/generate-persisted-query-manifest):
//   `{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [{ "id", "name", "type", "body" }] }`.
// Hashes are kept as written, a `sha256:` prefix aside (the client preset writes it, Apollo's clients send bare hex).
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { z } from 'zod';

const WHERE = 'GATEWAY_PERSISTED_OPERATIONS_FILE';
const HASH = z.string().min(1).max(200);

const CodegenManifest = z.record(HASH, z.string().min(1));

const ApolloManifest = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1, 'only version 1 of the Apollo persisted query manifest is known'),
  operations: z.array(
    z.looseObject({
      id: HASH,
      name: z.string().optional(),
      type: z.enum(['query', 'mutation', 'subscription']).optional(),
      body: z.string().min(1),
    }),
  ),
});

/** The key a document is kept and looked up under: its hash without a `sha256:` prefix. */
export function trustedDocumentKey(hash: string): string {
  return hash.replace(/^sha256:/, '');
}

function describeIssues(issues: z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => `${WHERE}${issue.path.length ? `["${issue.path.join('.')}"]` : ''}: ${issue.message}`);
}

/** Hash → document of either manifest format; every problem goes to `problems`. */
function entriesOf(raw: unknown, problems: string[]): Array<[string, string]> {
  const isApollo = typeof raw === 'object' && raw !== null && 'format' in raw;
  if (isApollo) {
    const parsed = ApolloManifest.safeParse(raw);
    if (parsed.success) return parsed.data.operations.map((operation) => [operation.id, operation.body]);
    problems.push(...describeIssues(parsed.error.issues));
    return [];
  }
  const parsed = CodegenManifest.safeParse(raw);
  if (parsed.success) return Object.entries(parsed.data);
  problems.push(...describeIssues(parsed.error.issues));
  return [];
}

/** Reads the manifest; every problem (unreadable file, a value that is not a GraphQL document) goes to `problems`. */
export function readTrustedDocuments(path: string, problems: string[]): Map<string, string> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`${WHERE}: cannot read ${path} as JSON (${error instanceof Error ? error.message : 'error'})`);
    return new Map();
  }
  const documents = new Map<string, string>();
  for (const [hash, document] of entriesOf(raw, problems)) {
    try {
      parse(document);
      documents.set(trustedDocumentKey(hash), document);
    } catch (error) {
      problems.push(`${WHERE}["${hash}"]: not a GraphQL document (${error instanceof Error ? error.message : 'error'})`);
    }
  }
  return documents;
}
