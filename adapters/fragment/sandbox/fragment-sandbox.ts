// A simulator of Fragment's billing API over HTTP: OAuth2 client credentials, batch-get (200 ids at most), retrieve
// (in the camelCase flavour of seed 001, so the adapter meets both casings), create (409 on a used invoice_id) and search,
// over deterministic seeded invoices. Error bodies are `{ error: { code, message } }`.
import { defaultCurrencies } from '../../kit/currencies.js';
import {
  createSeededRandom,
  startSandboxServer,
  type SandboxHandle,
  type SandboxRequest,
  type SandboxResponse,
  type SandboxRoute,
} from '../../kit/sandbox-server.js';
import { camelFlavour, withBalances, type SandboxInvoice, type SandboxLineItem } from './fragment-ledger.js';
import { createFragmentSearch } from './fragment-search.js';
import { generateFragmentBursts } from './fragment-seed-bursts.js';
import { generateSandboxInvoices, isoSeconds, SANDBOX_WORKSPACE_ID } from './fragment-seed-data.js';
import { sandboxChangeRoute, type SandboxChanges } from '../../kit/sandbox-changes.js';
import { createFragmentSandboxChanges } from './fragment-sandbox-changes.js';

/** Fragment's batch-get limit. */
const MAX_BATCH_IDS = 200;
const TOKEN_LIFETIME_SECONDS = 3600;

export interface FragmentSandboxOptions {
  port?: number;
  /** How many seeded invoices (`inv_0001`...); 600 unless told. */
  invoiceCount?: number;
  seed?: number;
  clientId?: string;
  clientSecret?: string;
  /** The order search answers in (Fragment documents none); newest first unless told, same-second ties shuffled. */
  searchOrder?: 'created-desc' | 'created-asc';
}

/** Read access to the simulator's invoices (snake_case wire shape). */
export interface FragmentSandboxStore {
  invoiceCount(): number;
  /** A copy of the stored invoice, or undefined. */
  getInvoice(id: string): SandboxInvoice | undefined;
  ids(): string[];
}

export interface FragmentSandboxHandle extends SandboxHandle {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly store: FragmentSandboxStore;
  /** Forgets every issued token: the next API call answers 401 until the client fetches a new one. */
  revokeTokens(): void;
  /** How many tokens the token endpoint has issued. */
  tokensIssued(): number;
  /**
   * Answers these invoices with their first line item in a currency code nobody knows (`XQQ`), as Fragment would after
   * adding a currency the gateway's table does not have yet: well-formed, but that one amount cannot be read.
   * An empty list stops it.
   */
  unknownLineItemCurrency(invoiceIds: readonly string[]): void;
  /** Changes the ledger (a payment posted, an invoice created or updated), as Fragment's users do. */
  readonly changes: SandboxChanges;
  /**
   * Answers these invoices wholly in a currency code nobody knows (`XQQ`: lines, balances, users' balances, payments),
   * as Fragment would for an invoice in a unit added after the gateway's table. An empty list stops it.
   */
  unknownCurrency(invoiceIds: readonly string[]): void;
}

/** The invoice with every currency code replaced by `code`. */
function inCurrency(invoice: SandboxInvoice, code: string): SandboxInvoice {
  const copy = structuredClone(invoice);
  for (const line of copy.line_items) line.currency_code = code;
  for (const payment of copy.payments) payment.currency = code;
  for (const balance of [...copy.balances, ...copy.users.flatMap((user) => user.balances)]) balance.currency = code;
  return copy;
}

function apiError(status: number, code: string, message: string): SandboxResponse {
  return { status, json: { error: { code, message } } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/** Validates a create body; the problem as text, or the line items. */
function readCreateBody(body: unknown): { invoiceId: string; lines: Omit<SandboxLineItem, 'id'>[] } | string {
  if (!isRecord(body)) return 'body must be a JSON object';
  if (!nonEmptyString(body.invoice_id)) return 'invoice_id is required';
  if (!Array.isArray(body.line_items) || body.line_items.length === 0) return 'line_items must be a non-empty array';
  const lines: Omit<SandboxLineItem, 'id'>[] = [];
  for (const [i, item] of body.line_items.entries()) {
    if (!isRecord(item)) return `line_items[${i}] must be an object`;
    if (typeof item.amount !== 'string' || !/^\d+$/.test(item.amount)) {
      return `line_items[${i}].amount must be a string of digits in the smallest currency unit`;
    }
    if (typeof item.currency_code !== 'string' || defaultCurrencies.scaleOf(item.currency_code) === undefined) {
      return `line_items[${i}].currency_code is not a supported currency`;
    }
    if (typeof item.description !== 'string') return `line_items[${i}].description is required`;
    if (!nonEmptyString(item.product_id)) return `line_items[${i}].product_id is required`;
    if (item.type !== 'payin' && item.type !== 'payout') return `line_items[${i}].type must be payin or payout`;
    if (!nonEmptyString(item.user_id)) return `line_items[${i}].user_id is required`;
    lines.push({
      amount: item.amount,
      currency_code: item.currency_code.toUpperCase(),
      description: item.description,
      product_id: item.product_id,
      type: item.type,
      user_id: item.user_id,
    });
  }
  return { invoiceId: body.invoice_id, lines };
}

/** Replaces one amount of the invoice with text no integer parser accepts. */
function corrupt(invoice: SandboxInvoice): SandboxInvoice {
  const copy = structuredClone(invoice);
  if (copy.line_items.length > 0) copy.line_items[0].amount = '12.5x';
  else if (copy.balances.length > 0) copy.balances[0].net.expected = '12.5x';
  return copy;
}

/** Starts the Fragment simulator on loopback. */
export async function startFragmentSandbox(options: FragmentSandboxOptions = {}): Promise<FragmentSandboxHandle> {
  const seed = options.seed ?? 42;
  const clientId = options.clientId ?? 'sandbox-client';
  const clientSecret = options.clientSecret ?? 'sandbox-secret';
  const invoices = new Map<string, SandboxInvoice>();
  // Search answers by creation time (newest first unless told), invoices of the same second in a stable shuffle.
  const searchInvoices = createFragmentSearch(() => invoices.values(), { direction: options.searchOrder === 'created-asc' ? 1 : -1, seed });
  for (const invoice of generateSandboxInvoices(options.invoiceCount ?? 600, seed)) invoices.set(invoice.id, invoice);
  for (const invoice of generateFragmentBursts(options.invoiceCount ?? 600, seed)) invoices.set(invoice.id, invoice);

  const tokenRandom = createSeededRandom(seed ^ 0x5eed);
  const tokens = new Set<string>();
  let issued = 0;
  const expectedBasic = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;

  const issueToken = (req: SandboxRequest): SandboxResponse => {
    if (req.headers.authorization !== expectedBasic) {
      return { status: 401, json: { error: 'invalid_client', error_description: 'client authentication failed' } };
    }
    if (!(req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      return { status: 400, json: { error: 'invalid_request', error_description: 'the body must be form encoded' } };
    }
    if (!isRecord(req.body) || req.body.grant_type !== 'client_credentials') {
      return { status: 400, json: { error: 'unsupported_grant_type', error_description: 'only client_credentials is supported' } };
    }
    issued += 1;
    const token = `frg_sbx_${issued}_${Math.floor(tokenRandom() * 2 ** 32).toString(36)}`;
    tokens.add(token);
    return { status: 200, json: { access_token: token, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_SECONDS } };
  };

  /** Wraps an API handler with the bearer check. */
  const authed =
    (handler: SandboxRoute['handler']): SandboxRoute['handler'] =>
    (req, params) => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !tokens.has(token)) return apiError(401, 'unauthorized', 'missing, expired or revoked access token');
      return handler(req, params);
    };

  let unknownCurrency = new Set<string>();
  let wholeUnknownCurrency = new Set<string>();
  const batchGet: SandboxRoute['handler'] = (req) => {
    const ids = isRecord(req.body) ? req.body.ids : undefined;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
      return apiError(400, 'bad_request', 'ids must be an array of strings');
    }
    if (ids.length > MAX_BATCH_IDS) return apiError(400, 'bad_request', `at most ${MAX_BATCH_IDS} ids per request`);
    const found: SandboxInvoice[] = [];
    const notFound: string[] = [];
    for (const id of new Set(ids as string[])) {
      const invoice = invoices.get(id);
      if (invoice) found.push(invoice);
      else notFound.push(id);
    }
    if (req.badItem && found.length > 0) found[0] = corrupt(found[0]);
    for (const [i, invoice] of found.entries()) {
      if (unknownCurrency.has(invoice.id) && invoice.line_items.length > 0) {
        const copy = structuredClone(invoice);
        copy.line_items[0].currency_code = 'XQQ';
        found[i] = copy;
      }
      if (wholeUnknownCurrency.has(invoice.id)) found[i] = inCurrency(invoice, 'XQQ');
    }
    return { status: 200, json: { data: { invoices: found, not_found: notFound } } };
  };

  const retrieve: SandboxRoute['handler'] = (_req, [id]) => {
    const invoice = invoices.get(id);
    if (!invoice) return apiError(404, 'not_found', 'invoice not found');
    return { status: 200, json: { data: camelFlavour(invoice) } };
  };

  const create: SandboxRoute['handler'] = (req) => {
    const parsed = readCreateBody(req.body);
    if (typeof parsed === 'string') return apiError(400, 'bad_request', parsed);
    if (invoices.has(parsed.invoiceId)) return apiError(409, 'conflict', 'an invoice with this invoice_id already exists');
    const now = isoSeconds(Date.now());
    const invoice = withBalances({
      id: parsed.invoiceId,
      workspace_id: SANDBOX_WORKSPACE_ID,
      status: 'active',
      version: 1,
      created: now,
      modified: now,
      line_items: parsed.lines.map((line, i) => ({ id: `item_${parsed.invoiceId}_${i + 1}`, ...line })),
      payments: [],
    });
    invoices.set(invoice.id, invoice);
    return { status: 201, json: { data: invoice } };
  };

  const search: SandboxRoute['handler'] = (req) => searchInvoices(req.body);

  const changes = createFragmentSandboxChanges(invoices);
  const routes: SandboxRoute[] = [
    sandboxChangeRoute(changes),
    { name: 'token', method: 'POST', path: /^\/oauth2\/token$/, handler: issueToken },
    { name: 'batch-get', method: 'POST', path: /^\/invoices\/batch-get$/, handler: authed(batchGet) },
    { name: 'search', method: 'POST', path: /^\/invoices\/search$/, handler: authed(search) },
    { name: 'create', method: 'POST', path: /^\/invoices$/, handler: authed(create) },
    { name: 'get', method: 'GET', path: /^\/invoices\/([^/]+)$/, handler: authed(retrieve) },
  ];
  const server = await startSandboxServer(routes, { port: options.port, seed });

  return {
    url: server.url,
    calls: server.calls,
    faults: server.faults,
    close: server.close,
    clientId,
    clientSecret,
    store: {
      invoiceCount: () => invoices.size,
      getInvoice: (id) => {
        const invoice = invoices.get(id);
        return invoice && structuredClone(invoice);
      },
      ids: () => [...invoices.keys()],
    },
    revokeTokens: () => tokens.clear(),
    changes,
    tokensIssued: () => issued,
    unknownLineItemCurrency: (ids) => {
      unknownCurrency = new Set(ids);
    },
    unknownCurrency: (ids) => {
      wholeUnknownCurrency = new Set(ids);
    },
  };
}
