// Billing runs: an insurer issues a month's premiums in one run, so many invoices share one `issuedAt` to the
// millisecond (and the run's drafts one `createdAt`), ties in the key Korint sorts by. One run of 80 invoices per 200
// seeded ones (from 100 on), late in the seeded range; ids `kor_inv_run_<r>_<nnn>`. Built from invoices of a random
// stream of their own, so the seeded invoices before them keep their ids and contents.
import { createKorintSeedInvoices, type SeededKorintInvoice } from './seed-data.js';

/** Invoices per billing run. */
export const KORINT_RUN_SIZE = 80;

const DAY = 86_400_000;
/** The seeded invoices' schedule (seed-data.ts): the i-th is issued about EPOCH + (i + 1) days. */
const EPOCH = Date.UTC(2025, 0, 6, 9, 0, 0);

/** Rewrites every id-like string of a seeded invoice (`..._0007_...`) for its new id. */
function renumber(value: unknown, from: string, to: string): unknown {
  if (typeof value === 'string') return value.includes(from) ? value.split(from).join(to) : value;
  if (Array.isArray(value)) return value.map((item) => renumber(item, from, to));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renumber(item, from, to)]));
  }
  return value;
}

/** The billing runs that go with `count` seeded invoices of `seed`; the same arguments always give the same invoices. */
export function createKorintBillingRuns(count: number, seed: number): SeededKorintInvoice[] {
  if (count < 100) return [];
  const runs = Math.max(1, Math.round(count / 200));
  const base = createKorintSeedInvoices(runs * KORINT_RUN_SIZE, seed ^ 0x7275);
  const invoices: SeededKorintInvoice[] = [];
  for (let r = 0; r < runs; r += 1) {
    // At 01:00 UTC on a day late in the seeded range: seeded invoices are issued between 09:00 and 10:00.
    const day = Math.floor((count * (r + 0.85)) / runs);
    const issued = EPOCH + day * DAY - 8 * 3_600_000;
    const created = issued - 3_600_000;
    for (let n = 1; n <= KORINT_RUN_SIZE; n += 1) {
      const source = base[r * KORINT_RUN_SIZE + n - 1];
      const pad = source.id.slice('kor_inv_'.length);
      const suffix = `run_${r + 1}_${String(n).padStart(3, '0')}`;
      const invoice = renumber(source, `_${pad}`, `_${suffix}`) as SeededKorintInvoice;
      invoice.id = `kor_inv_${suffix}`;
      invoice.createdAt = new Date(created).toISOString();
      if (invoice.issuedAt) invoice.issuedAt = new Date(issued).toISOString();
      if (invoice.paidAt) invoice.paidAt = new Date(issued + ((n % 20) + 1) * DAY).toISOString();
      if (invoice.firstFailedAt) invoice.firstFailedAt = new Date(issued + 3 * DAY).toISOString();
      invoice.creditedInvoiceId = null;
      invoice.replacedInvoiceId = null;
      invoices.push(invoice);
    }
  }
  return invoices;
}
