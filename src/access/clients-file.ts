// GATEWAY_CLIENTS_FILE: the API-key clients, their grants and budgets. Only the sha256 of each key is stored; a bad file
// stops the start with every problem listed, unknown source names among them.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ClientIdentity } from './client.js';

/** A client of the clients file: its identity, and the sha256 of its key (32 bytes). */
export interface ApiKeyClient {
  identity: ClientIdentity;
  keySha256: Buffer;
}

const positive = z.number().int().min(1).max(10_000_000);

const ClientEntry = z.strictObject({
  name: z.string().min(1).max(100),
  keySha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be the hex sha256 of the key (64 hex digits), never the key itself'),
  sources: z.union([z.literal('*'), z.array(z.string().min(1))]),
  operations: z.array(z.enum(['read', 'create', 'pay', 'compose', 'observe'])).min(1),
  rateLimit: z
    .strictObject({
      requestsPerMinute: positive.optional(),
      upstreamCallsPerMinute: positive.optional(),
      providerSharePercent: z.number().int().min(1).max(100).optional(),
    })
    .optional(),
});

const ClientsFile = z.strictObject({ clients: z.array(z.unknown()).min(1) });

type ClientEntry = z.infer<typeof ClientEntry>;

function describeIssues(issues: z.core.$ZodIssue[], where: string): string[] {
  return issues.map((issue) => `${where}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
}

/**
 * Validates a parsed clients file against the configured source names; every problem of every client goes to
 * `problems`, prefixed with `where`. Answers the clients when there was no problem.
 */
export function parseClients(raw: unknown, sourceNames: readonly string[], where: string, problems: string[]): ApiKeyClient[] {
  const file = ClientsFile.safeParse(raw);
  if (!file.success) {
    problems.push(...describeIssues(file.error.issues, where));
    return [];
  }
  const before = problems.length;
  const names = new Set<string>();
  const hashes = new Set<string>();
  const clients: ClientEntry[] = [];
  file.data.clients.forEach((entry, index) => {
    const at = `${where}.clients[${index}]`;
    // Names and sources are checked even when the entry has other problems: one start shows them all.
    const { name, sources } = (entry ?? {}) as { name?: unknown; sources?: unknown };
    if (typeof name === 'string') {
      if (names.has(name)) problems.push(`${at}.name: two clients are named "${name.slice(0, 100)}"`);
      names.add(name);
    }
    if (Array.isArray(sources)) {
      sources.forEach((source, i) => {
        if (typeof source === 'string' && !sourceNames.includes(source)) {
          problems.push(`${at}.sources[${i}]: unknown source "${source.slice(0, 60)}" (configured: ${sourceNames.join(', ')})`);
        }
      });
    }
    const parsed = ClientEntry.safeParse(entry);
    if (!parsed.success) {
      problems.push(...describeIssues(parsed.error.issues, at));
      return;
    }
    const client = parsed.data;
    const hash = client.keySha256.toLowerCase();
    if (hashes.has(hash)) problems.push(`${at}.keySha256: the same key is given to two clients`);
    hashes.add(hash);
    clients.push(client);
  });
  if (problems.length > before) return [];
  return clients.map((client) => ({
    keySha256: Buffer.from(client.keySha256, 'hex'),
    identity: Object.freeze({
      name: client.name,
      via: 'api-key' as const,
      sources: client.sources === '*' ? '*' : Object.freeze([...client.sources]),
      operations: Object.freeze([...new Set(client.operations)]),
      rateLimit: client.rateLimit,
    }),
  }));
}

/** Reads and validates GATEWAY_CLIENTS_FILE; problems are collected, never thrown. */
export function readClientsFile(path: string, sourceNames: readonly string[], problems: string[]): ApiKeyClient[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`GATEWAY_CLIENTS_FILE: cannot read ${path} as JSON (${error instanceof Error ? error.message : 'error'})`);
    return [];
  }
  return parseClients(raw, sourceNames, 'GATEWAY_CLIENTS_FILE', problems);
}
