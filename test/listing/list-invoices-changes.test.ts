// listInvoices while the providers' data changes between pages, over the sandboxes (their books changed through what
// their handles expose): Xero invoices added on the very day a page ended at and removed behind it, one voided ahead;
// Korint invoices removed ahead of its position (its offsets shift) and added at the key a page ended at. Every
// invoice whose key did not change is listed exactly once; the new ones at most once.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KorintSandboxHandle } from '../../adapters/korint/sandbox/korint-sandbox.js';
import type { SeededKorintInvoice } from '../../adapters/korint/sandbox/seed-data.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import type { TestGateway } from '../support/gateway.js';
import { listPage, startListingGateway } from './listing-support.js';

let t: TestGateway;

beforeAll(async () => {
  t = await startListingGateway();
});
afterAll(() => t.close());

/** Reads every page of `source`, calling `change(page, listed)` after each page that has a next. */
async function readWhileChanging(source: string, first: number, change: (page: number, listed: readonly string[]) => void): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 500; page += 1) {
    const answer = await listPage(t, { first, after, filter: { sources: [source] } });
    expect(answer.answer.errors).toBeUndefined();
    if (answer.hasNextPage) expect(answer.ids.length).toBeGreaterThan(0);
    ids.push(...answer.ids);
    if (!answer.hasNextPage) return ids;
    change(page, ids);
    after = answer.endCursor;
  }
  throw new Error('the listing did not end');
}

function expectOnce(ids: string[], unchanged: Iterable<string>, added: Iterable<string>) {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  for (const id of unchanged) expect(counts.get(id) ?? 0, id).toBe(1);
  for (const id of added) expect(counts.get(id) ?? 0, id).toBeLessThanOrEqual(1);
}

describe('listInvoices while the data changes between pages', () => {
  it('Xero: invoices added on the day a page ended at, removed behind it and voided ahead', async () => {
    const data = t.sandbox<XeroSandboxHandle>('xero').dataset();
    // Xero's GUIDs have one spelling in the gateway: lower case (some seeded ones are upper case on the wire).
    const gid = (id: string) => `xero:Invoice:${id.toLowerCase()}`;
    const initial = new Set(data.invoices.map((invoice) => gid(invoice.id)));
    const added = new Set<string>();
    let voided = 0;
    const ids = await readWhileChanging('xero', 17, (page, listed) => {
      const given = new Set(listed);
      const last = data.invoiceById.get(listed.at(-1)!.slice('xero:Invoice:'.length))!;
      // Three new invoices dated the day the page ended at, with fresh GUIDs (anywhere in Xero's order of that day).
      for (let i = 0; i < 3; i += 1) {
        const invoice = { ...last, id: randomUUID(), number: `NEW-${page}-${i}`, paymentIds: [] };
        data.invoices.push(invoice);
        data.invoiceById.set(invoice.id, invoice);
        added.add(gid(invoice.id));
      }
      // One already listed is removed (the page numbers behind the position shift).
      const behind = data.invoices.find((invoice) => given.has(gid(invoice.id)));
      if (behind) {
        data.invoices.splice(data.invoices.indexOf(behind), 1);
        data.invoiceById.delete(behind.id);
      }
      // One not listed yet is voided: its date, so its place, stays.
      const ahead = data.invoices.find((invoice) => !given.has(gid(invoice.id)) && !added.has(gid(invoice.id)) && invoice.status === 'AUTHORISED');
      if (ahead) {
        ahead.status = 'VOIDED';
        ahead.amountDue = 0;
        voided += 1;
      }
    });
    expect(voided).toBeGreaterThan(10);
    expectOnce(ids, initial, added);
  }, 120_000);

  it('Korint: invoices removed ahead of its position (its offsets shift back) and added at the key a page ended at', async () => {
    const korint = t.sandbox<KorintSandboxHandle>('korint');
    const invoices = korint.invoices as SeededKorintInvoice[];
    const gid = (id: string) => `korint:Invoice:${id}`;
    const initial = new Set(invoices.map((invoice) => gid(invoice.id)));
    const added = new Set<string>();
    const ids = await readWhileChanging('korint', 13, (page, listed) => {
      const given = new Set(listed);
      const last = invoices.find((invoice) => gid(invoice.id) === listed.at(-1))!;
      // Newest first: the invoices already listed come first in Korint's order; removing three moves every offset.
      for (let i = 0; i < 3; i += 1) {
        const index = invoices.findIndex((invoice) => given.has(gid(invoice.id)));
        if (index >= 0) invoices.splice(index, 1);
      }
      // Two new ones at the key the page ended at (Korint's ties come in reverse id order).
      for (const suffix of ['a', 'z']) {
        const invoice = { ...structuredClone(last), id: `${last.id}_${suffix}${page}` };
        invoices.push(invoice);
        added.add(gid(invoice.id));
      }
    });
    expectOnce(ids, initial, added);
  }, 120_000);
});
