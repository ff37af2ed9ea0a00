// GATEWAY_PERSISTED_OPERATIONS_FILE: the trusted documents, as GraphQL Code Generator's client preset writes them
// (`persistedDocuments: true` → persisted-documents.json, `{ "<hash>": "<document>" }`). Read and checked at start.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';
import { z } from 'zod';

const Manifest = z.record(z.string().min(1).max(200), z.string().min(1));

/** Reads the manifest; every problem (unreadable file, a value that is not a GraphQL document) goes to `problems`. */
export function readTrustedDocuments(path: string, problems: string[]): Map<string, string> {
  const where = 'GATEWAY_PERSISTED_OPERATIONS_FILE';
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`${where}: cannot read ${path} as JSON (${error instanceof Error ? error.message : 'error'})`);
    return new Map();
  }
  const parsed = Manifest.safeParse(raw);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((issue) => `${where}${issue.path.length ? `["${issue.path.join('.')}"]` : ''}: ${issue.message}`));
    return new Map();
  }
  const documents = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed.data)) {
    try {
      parse(document);
      documents.set(hash, document);
    } catch (error) {
      problems.push(`${where}["${hash}"]: not a GraphQL document (${error instanceof Error ? error.message : 'error'})`);
    }
  }
  return documents;
}
