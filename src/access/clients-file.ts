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
  operations: z.array(z.enum(['read', 'create'])).min(1),
  rateLimit: z.strictObject({ requestsPerMinute: positive.optional(), upstreamCallsPerMinute: positive.optional() }).optional(),
});

const ClientsFile = z.strictObject({ clients: z.array(ClientEntry).min(1) });

/**
 * Validates a parsed clients file against the configured source names; every problem goes to `problems`, prefixed
 * with `where`. Answers the clients when there was none.
 */
export function parseClients(raw: unknown, sourceNames: readonly string[], where: string, problems: string[]): ApiKeyClient[] {
  const parsed = ClientsFile.safeParse(raw);
  if (!parsed.success) {
    problems.push(
      ...parsed.error.issues.map((issue) => `${where}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`),
    );
    return [];
  }
  const before = problems.length;
  const names = new Set<string>();
  const hashes = new Set<string>();
  parsed.data.clients.forEach((client, index) => {
    const at = `${where}.clients[${index}]`;
    if (names.has(client.name)) problems.push(`${at}.name: two clients are named "${client.name}"`);
    names.add(client.name);
    const hash = client.keySha256.toLowerCase();
    if (hashes.has(hash)) problems.push(`${at}.keySha256: the same key is given to two clients`);
    hashes.add(hash);
    if (client.sources !== '*') {
      client.sources.forEach((source, i) => {
        if (!sourceNames.includes(source)) {
          problems.push(`${at}.sources[${i}]: unknown source "${source}" (configured: ${sourceNames.join(', ')})`);
        }
      });
    }
  });
  if (problems.length > before) return [];
  return parsed.data.clients.map((client) => ({
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
