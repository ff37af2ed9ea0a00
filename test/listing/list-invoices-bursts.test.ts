// Issue 19's listing that paged forever: two Fragment sources, 120 invoices created in the same second, `first: 100`
// then `first: 20` to the end. It used to answer pages of 100, 0, 20, 20, 0, ... with repeats and no end; each page
// must now hold its invoices once, end, and never be empty while more follow. Then the same with invoices created
// between pages (through createInvoice, as a client would), which must not repeat or skip the others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fragmentProvider } from '../../adapters/fragment/provider.js';
import { startFragmentSandbox, type FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import { FRAGMENT_BURST_SIZE } from '../../adapters/fragment/sandbox/fragment-seed-bursts.js';
import { validateSource } from '../../src/config.js';
import { createGateway, type Gateway } from '../../src/gateway.js';
import { queryGateway } from '../support/gateway.js';

let burst: FragmentSandboxHandle;
let other: FragmentSandboxHandle;
let gateway: Gateway;

const settingsOf = (name: string, handle: FragmentSandboxHandle) => ({
  name,
  baseUrl: handle.url,
  clientId: handle.clientId,
  clientSecret: handle.clientSecret,
  tokenUrl: `${handle.url}/oauth2/token`,
});

beforeAll(async () => {
  // 100 seeded invoices and one burst of 120 created in the same second; and a second source of 10.
  burst = await startFragmentSandbox({ invoiceCount: 100, seed: 19 });
  other = await startFragmentSandbox({ invoiceCount: 10, seed: 20 });
  const problems: string[] = [];
  const sources = [settingsOf('fragment', burst), settingsOf('fragment-eu', other)].map((settings) => validateSource(fragmentProvider, settings, settings.name, problems)!);
  expect(problems).toEqual([]);
  gateway = createGateway({ sources });
});
afterAll(async () => {
  await gateway.close();
  await burst.close();
  await other.close();
});

const PAGE = `query($first: Int, $after: String) {
  listInvoices(first: $first, after: $after) { nodes { id createdAt } pageInfo { hasNextPage endCursor } incompleteSources }
}`;

async function page(first: number, after: string | null) {
  const answer = await queryGateway(gateway, PAGE, { first, after });
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data.listInvoices as { nodes: Array<{ id: string; createdAt: string }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
}

describe('two Fragment sources, 120 invoices created in the same second', () => {
  it('the sandbox holds the burst: 120 invoices of one creation second, answered in an order that is not by id', async () => {
    const ids = burst.store.ids().filter((id) => id.startsWith('inv_burst_'));
    expect(ids).toHaveLength(FRAGMENT_BURST_SIZE);
    const seconds = new Set(ids.map((id) => burst.store.getInvoice(id)!.created));
    expect(seconds.size).toBe(1);
    const [second] = seconds;
    const after = new Date(Date.parse(second) - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const before = new Date(Date.parse(second) + 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const answered: string[] = [];
    for (const limit of [200, 200]) {
      const token = await fetch(`${burst.url}/oauth2/token`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${burst.clientId}:${burst.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      }).then((r) => r.json() as Promise<{ access_token: string }>);
      const search = await fetch(`${burst.url}/invoices/search`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token.access_token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ filter: { created: { after, before } }, page_info: { limit } }),
      }).then((r) => r.json() as Promise<{ data: { invoices: Array<{ id: string }> } }>);
      answered.push(search.data.invoices.map((invoice) => invoice.id).join());
    }
    // The same order twice (stable), and not the ids' order.
    expect(answered[0]).toBe(answered[1]);
    expect(answered[0].split(',')).toHaveLength(FRAGMENT_BURST_SIZE);
    expect(answered[0]).not.toBe([...ids].sort().join());
  });

  it('first: 100, then first: 20 to the end: every invoice once, in order, and it ends', async () => {
    const total = burst.store.invoiceCount() + other.store.invoiceCount();
    // Each sandbox also appends its 6 shapes (pass-through, overpaid, payout-only...) to its seeded invoices.
    expect(total).toBe(100 + 6 + FRAGMENT_BURST_SIZE + 10 + 6);
    const sizes: number[] = [];
    const ids: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 50; i += 1) {
      const answer = await page(i === 0 ? 100 : 20, after);
      sizes.push(answer.nodes.length);
      ids.push(...answer.nodes.map((node) => node.id));
      if (answer.pageInfo.hasNextPage) expect(answer.nodes.length).toBeGreaterThan(0);
      if (!answer.pageInfo.hasNextPage) break;
      after = answer.pageInfo.endCursor;
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(total);
    // Full pages to the last: 100, then 20s, then the remainder.
    expect(sizes).toEqual([100, ...Array.from({ length: Math.ceil((total - 100) / 20) }, (_, i) => Math.min(20, total - 100 - 20 * i))]);
    // Newest first; within the burst's second by global id.
    const burstIds = ids.filter((id) => id.startsWith('fragment:Invoice:inv_burst_'));
    expect(burstIds).toEqual([...burstIds].sort());
  });

  it('invoices created and paid between pages neither repeat nor skip the others', async () => {
    const before = new Set([...burst.store.ids().map((id) => `fragment:Invoice:${id}`), ...other.store.ids().map((id) => `fragment-eu:Invoice:${id}`)]);
    const ids: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 60; i += 1) {
      const answer = await page(i === 0 ? 100 : 20, after);
      ids.push(...answer.nodes.map((node) => node.id));
      if (!answer.pageInfo.hasNextPage) break;
      after = answer.pageInfo.endCursor;
      // A new invoice at each source (created now: newer than everything listed, so ahead of the position).
      const created = await queryGateway(gateway, `mutation($input: CreateInvoiceInput!) { createInvoice(input: $input) { id } }`, {
        input: {
          source: i % 2 === 0 ? 'fragment' : 'fragment-eu',
          invoiceId: `inv_between_${i}`,
          lineItems: [{ amount: '12.00', currency: 'USD', description: 'Added while paging', productId: 'p', type: 'PAYIN', userId: 'u1' }],
        },
      });
      expect(created.errors).toBeUndefined();
    }
    const counts = new Map<string, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of before) expect(counts.get(id), id).toBe(1);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);
  });
});
