// A loopback mock of Fragment's wire for bench/peers, run as its own process: the OAuth token endpoint,
// `POST /invoices/batch-get` over deterministic invoices (mock-invoices.ts), an OpenAPI description of both for Mesh,
// a call counter, and an injectable latency. Answers are built from JSON text cached per invoice, so the mock costs
// little CPU beside the servers it feeds. Unlike Fragment it takes up to 1000 ids per call, so a peer that cannot chunk
// (Mesh over one list argument) still makes its minimum number of calls.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mockInvoice } from './mock-invoices.js';
import { mockOpenApi } from './mock-openapi.js';

export const MOCK_TOKEN = 'bench-token';
export const MOCK_CLIENT_ID = 'bench-client';
export const MOCK_CLIENT_SECRET = 'bench-secret';
const MAX_IDS = 1000;

const cache = new Map<string, string>();
const invoiceJson = (id: string): string | undefined => {
  if (!/^inv_\d{5}$/.test(id)) return undefined;
  let text = cache.get(id);
  if (text === undefined) {
    text = JSON.stringify(mockInvoice(id));
    cache.set(id, text);
  }
  return text;
};

let latencyMs = 0;
let batchGets = 0;

function send(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts).toString('utf8');
}

async function handle(req: IncomingMessage, res: ServerResponse, origin: string): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'POST' && path === '/oauth2/token') {
    await readBody(req);
    return send(res, 200, JSON.stringify({ access_token: MOCK_TOKEN, token_type: 'Bearer', expires_in: 86_400 }));
  }
  if (req.method === 'GET' && path === '/openapi.json') return send(res, 200, JSON.stringify(mockOpenApi(origin)));
  // Control endpoints for the bench runner: counts and latency.
  if (path === '/_bench/calls') {
    if (req.method === 'DELETE') batchGets = 0;
    return send(res, 200, JSON.stringify({ batchGets }));
  }
  if (req.method === 'PUT' && path === '/_bench/latency') {
    latencyMs = Number(JSON.parse(await readBody(req)).latencyMs) || 0;
    return send(res, 200, JSON.stringify({ latencyMs }));
  }
  if (req.method === 'POST' && path === '/invoices/batch-get') {
    const body = await readBody(req);
    if (req.headers.authorization !== `Bearer ${MOCK_TOKEN}`) return send(res, 401, '{"error":"unauthorized"}');
    let ids: unknown;
    try {
      ids = (JSON.parse(body) as { ids?: unknown }).ids;
    } catch {
      ids = undefined;
    }
    if (!Array.isArray(ids) || ids.length > MAX_IDS || !ids.every((id) => typeof id === 'string')) {
      return send(res, 400, '{"error":"bad_request","message":"ids: an array of at most 1000 strings"}');
    }
    batchGets++;
    const found: string[] = [];
    const notFound: string[] = [];
    for (const id of new Set(ids as string[])) {
      const text = invoiceJson(id);
      if (text === undefined) notFound.push(JSON.stringify(id));
      else found.push(text);
    }
    const answer = `{"data":{"invoices":[${found.join(',')}],"not_found":[${notFound.join(',')}]}}`;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    return send(res, 200, answer);
  }
  send(res, 404, '{"error":"not_found"}');
}

/** Starts the mock on 127.0.0.1 (port 0 unless given); answers its origin. */
export async function startFragmentWireMock(port = 0): Promise<{ url: string; close(): Promise<void> }> {
  let origin = '';
  const server = createServer((req, res) => {
    handle(req, res, origin).catch(() => send(res, 500, '{"error":"internal"}'));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// Run as a child process: print the origin as one JSON line, serve until killed.
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const { url } = await startFragmentWireMock(Number(process.env.PORT ?? 0));
  console.log(JSON.stringify({ url }));
}
