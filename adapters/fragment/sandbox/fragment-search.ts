// The simulator's `POST /invoices/search`, as a pure function of the invoices and the request body (the sandbox serves
// it, and the listing's property tests call it in memory): `filter.status`, `filter.created { after, before }`
// (exclusive), `filter.users`, `page_info { after, limit }` and `next_cursor`. Fragment documents no order: the
// simulator answers by creation time (newest first unless told), and invoices created in the same second in an order
// of its own, stable but not by id (a seeded shuffle), so that nothing may rely on ties coming in id order.
import type { SandboxResponse } from '../../kit/sandbox-server.js';
import type { SandboxInvoice } from './fragment-ledger.js';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 200;

export interface FragmentSearchOrder {
  /** 1: oldest first; -1: newest first. */
  direction: 1 | -1;
  /** The seed of the order of invoices created in the same second. */
  seed: number;
}

function apiError(status: number, code: string, message: string): SandboxResponse {
  return { status, json: { error: { code, message } } };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A stable 32-bit rank of an id under a seed (FNV-1a): the order of invoices sharing a creation second. */
export function fragmentTieRank(id: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < id.length; i += 1) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Creates the search over `invoices` (read at each call, so later changes show). */
export function createFragmentSearch(invoices: () => Iterable<SandboxInvoice>, order: FragmentSearchOrder): (body: unknown) => SandboxResponse {
  const keys = new WeakMap<SandboxInvoice, { ms: number; rank: number }>();
  const keyOf = (invoice: SandboxInvoice) => {
    let key = keys.get(invoice);
    if (!key) keys.set(invoice, (key = { ms: Date.parse(invoice.created), rank: fragmentTieRank(invoice.id, order.seed) }));
    return key;
  };
  const compare = (a: SandboxInvoice, b: SandboxInvoice): number => {
    const x = keyOf(a);
    const y = keyOf(b);
    return order.direction * (x.ms - y.ms) || x.rank - y.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };

  return (rawBody) => {
    const body = isRecord(rawBody) ? rawBody : {};
    const filter = isRecord(body.filter) ? body.filter : {};
    const pageInfo = isRecord(body.page_info) ? body.page_info : {};
    const limit = pageInfo.limit ?? DEFAULT_PAGE_SIZE;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
      return apiError(400, 'bad_request', `page_info.limit must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    const created = isRecord(filter.created) ? filter.created : {};
    const bounds: Record<string, number | undefined> = {};
    for (const bound of ['after', 'before'] as const) {
      const value = created[bound];
      if (value === undefined) continue;
      const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isNaN(ms)) return apiError(400, 'bad_request', `filter.created.${bound} must be an ISO 8601 date-time`);
      bounds[bound] = ms;
    }
    const users = Array.isArray(filter.users) ? (filter.users as unknown[]) : undefined;
    const matching = [...invoices()]
      .filter(
        (invoice) =>
          (filter.status === undefined || invoice.status === filter.status) &&
          (bounds.after === undefined || keyOf(invoice).ms > bounds.after) &&
          (bounds.before === undefined || keyOf(invoice).ms < bounds.before) &&
          (users === undefined || invoice.users.some((u) => users.includes(u.id))),
      )
      .sort(compare);
    let start = 0;
    if (typeof pageInfo.after === 'string') {
      // The cursor names the last invoice answered: the next page starts after it, wherever it now stands.
      const afterId = Buffer.from(pageInfo.after, 'base64url').toString('utf8');
      const index = matching.findIndex((invoice) => invoice.id === afterId);
      if (index < 0) return apiError(400, 'bad_request', 'page_info.after is not a valid cursor');
      start = index + 1;
    }
    const page = matching.slice(start, start + limit);
    const last = page.at(-1);
    const nextCursor = last && start + limit < matching.length ? Buffer.from(last.id).toString('base64url') : null;
    return { status: 200, json: { data: { invoices: page, page_info: { next_cursor: nextCursor } } } };
  };
}
