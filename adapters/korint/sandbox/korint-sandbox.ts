// A simulator of Korint's invoices-by-ids endpoint (and, without ids, its listing in a `sort` order): bearer auth, the
// ids filter, 1-based pages with a size limit,
// both of Korint's list envelopes, and the simulation context (as it was at `simulatedAt` / `whenAt`).
import { randomBytes } from 'node:crypto';
import { startSandboxServer, type SandboxHandle, type SandboxRequest, type SandboxResponse } from '../../kit/sandbox-server.js';
import { korintListOrder } from './korint-list-order.js';
import { createKorintBillingRuns } from './korint-seed-bursts.js';
import { createKorintSeedInvoices, type SeededKorintInvoice } from './seed-data.js';
import { sandboxChangeRoute, type SandboxChanges } from '../../kit/sandbox-changes.js';
import { createKorintSandboxChanges } from './korint-sandbox-changes.js';

export interface KorintSandboxOptions {
  port?: number;
  invoiceCount?: number;
  seed?: number;
  /** The largest pageSize accepted; above it the sandbox answers 400. */
  pageSizeLimit?: number;
  /** The most ids one request may carry (an assumption, like the adapter's `maxIdsPerRequest`). */
  idsLimit?: number;
  token?: string;
}

export interface KorintSandboxHandle extends SandboxHandle {
  /** The bearer token the sandbox accepts (the current one, after rotations). */
  readonly token: string;
  /**
   * Replaces the accepted token, as Korint's one-hour tokens are replaced: from now on the previous one answers 401.
   * Answers the new token (`next`, or a generated one).
   */
  rotateToken(next?: string): string;
  /** The seeded invoices, as served without a simulation context. */
  readonly invoices: readonly SeededKorintInvoice[];
  /** Answer `{ data, total, offset, limit }` instead of the documented page envelope. */
  useOffsetEnvelope(on: boolean): void;
  /** A PAID invoice and when it was paid; before that time the simulation context answers it ISSUED. */
  paidInvoice(): { id: string; paidAt: string };
  /** The id of the item the last `badItem` fault corrupted. */
  readonly lastBadItemId: string | undefined;
  /** Changes the invoices (one paid, created or updated), as Korint's users do; Korint sends no webhooks. */
  readonly changes: SandboxChanges;
}

const DEFAULT_TOKEN = 'korint-sandbox-token';

function problem(status: number, error: string, message: string): SandboxResponse {
  return { status, json: { statusCode: status, error, message } };
}

function positiveInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 ? n : undefined;
}

/** The invoice as Korint would have answered at `at`: not yet paid before its paidAt. */
function asOf(invoice: SeededKorintInvoice, at: number | undefined): SeededKorintInvoice {
  if (at === undefined || !invoice.paidAt || at >= Date.parse(invoice.paidAt)) return invoice;
  return { ...invoice, status: 'ISSUED', paymentId: null, paidAt: null };
}

/** Starts the Korint simulator on loopback. */
export async function startKorintSandbox(options: KorintSandboxOptions = {}): Promise<KorintSandboxHandle> {
  let token = options.token ?? DEFAULT_TOKEN;
  let rotations = 0;
  const pageSizeLimit = options.pageSizeLimit ?? 100;
  const idsLimit = options.idsLimit ?? 100;
  const seed = options.seed ?? 3;
  const invoices = createKorintSeedInvoices(options.invoiceCount ?? 200, seed);
  invoices.push(...createKorintBillingRuns(options.invoiceCount ?? 200, seed));
  const byId = new Map(invoices.map((invoice) => [invoice.id, invoice]));
  let offsetEnvelope = false;
  let lastBadItemId: string | undefined;

  const listByIds = (req: SandboxRequest): SandboxResponse => {
    if (req.headers.authorization !== `Bearer ${token}`) return problem(401, 'Unauthorized', 'Invalid or missing bearer token');
    const ids = req.query
      .getAll('ids')
      .flatMap((value) => value.split(','))
      .map((id) => id.trim())
      .filter((id) => id !== '');
    if (ids.length > idsLimit) return problem(400, 'Bad Request', `ids must contain at most ${idsLimit} elements`);
    const page = req.query.has('page') ? positiveInt(req.query.get('page')) : 1;
    const pageSize = req.query.has('pageSize') ? positiveInt(req.query.get('pageSize')) : 20;
    if (page === undefined) return problem(400, 'Bad Request', 'page must be a positive integer');
    if (pageSize === undefined || pageSize > pageSizeLimit) {
      return problem(400, 'Bad Request', `pageSize must be an integer between 1 and ${pageSizeLimit}`);
    }
    let at: number | undefined;
    for (const name of ['simulatedAt', 'whenAt']) {
      const value = req.query.get(name);
      if (value === null) continue;
      const parsed = Date.parse(value);
      if (Number.isNaN(parsed)) return problem(400, 'Bad Request', `${name} must be an ISO 8601 date-time`);
      at ??= parsed;
    }

    let found: SeededKorintInvoice[];
    if (ids.length > 0) {
      // Korint lists newest first, whatever order the ids came in.
      found = [...new Set(ids)]
        .map((id) => byId.get(id))
        .filter((invoice): invoice is SeededKorintInvoice => invoice !== undefined)
        .sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    } else {
      // Without ids: every invoice, in the order `sort` names (the sandbox's reading of Korint's listing).
      const order = korintListOrder(req.query.get('sort') ?? '-issuedAt');
      if (!order) return problem(400, 'Bad Request', 'sort must be issuedAt, -issuedAt, createdAt or -createdAt');
      found = [...invoices].sort(order);
    }
    const offset = (page - 1) * pageSize;
    const data: unknown[] = found.slice(offset, offset + pageSize).map((invoice) => asOf(invoice, at));
    if (req.badItem && data.length > 0) {
      const victim = structuredClone(data[0]) as SeededKorintInvoice & { total: Record<string, unknown> };
      victim.total.amountWithFeesAndTaxes = 'abc';
      data[0] = victim;
      lastBadItemId = victim.id;
    }
    if (offsetEnvelope) return { status: 200, json: { data, total: found.length, offset, limit: pageSize } };
    const totalPages = Math.ceil(found.length / pageSize);
    return {
      status: 200,
      json: {
        data,
        pageInfo: { first: page === 1, last: page >= totalPages },
        totalCount: found.length,
        currentPage: page,
        totalPages,
      },
    };
  };

  const changes = createKorintSandboxChanges(invoices, byId);
  const server = await startSandboxServer([sandboxChangeRoute(changes), { name: 'invoices', method: 'GET', path: /^\/invoices\/?$/, handler: listByIds }], {
    port: options.port,
    seed,
  });

  return {
    ...server,
    get token() {
      return token;
    },
    rotateToken(next) {
      rotations += 1;
      token = next ?? `${DEFAULT_TOKEN}-rotated-${rotations}-${randomBytes(8).toString('hex')}`;
      return token;
    },
    invoices,
    changes,
    useOffsetEnvelope(on) {
      offsetEnvelope = on;
    },
    paidInvoice() {
      const invoice = invoices.find((candidate) => candidate.status === 'PAID' && candidate.paidAt);
      if (!invoice?.paidAt) throw new Error('the sandbox holds no paid invoice (invoiceCount too small)');
      return { id: invoice.id, paidAt: invoice.paidAt };
    },
    get lastBadItemId() {
      return lastBadItemId;
    },
  };
}
