// The Korint sandbox's listing (its list path without ids): billing runs put many invoices on one issue time, and
// Korint publishes no order for them, so the sandbox answers them in reverse id order (never relied upon).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKorintSandbox, type KorintSandboxHandle } from '../../../adapters/korint/sandbox/korint-sandbox.js';
import { createKorintBillingRuns, KORINT_RUN_SIZE } from '../../../adapters/korint/sandbox/korint-seed-bursts.js';

let sandbox: KorintSandboxHandle;

beforeAll(async () => {
  sandbox = await startKorintSandbox({ invoiceCount: 200, seed: 3 });
});
afterAll(() => sandbox.close());

async function list(page: number, pageSize: number, sort: string): Promise<Array<{ id: string; issuedAt: string | null }>> {
  const response = await fetch(`${sandbox.url}/invoices?page=${page}&pageSize=${pageSize}&sort=${sort}`, { headers: { authorization: `Bearer ${sandbox.token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Array<{ id: string; issuedAt: string | null }> }).data;
}

describe('Korint sandbox listing', () => {
  it('holds a billing run: 80 invoices after the 200 seeded, the issued ones sharing one issuedAt, the same for the same seed', () => {
    const run = sandbox.invoices.filter((invoice) => invoice.id.startsWith('kor_inv_run_'));
    expect(run).toHaveLength(KORINT_RUN_SIZE);
    expect(sandbox.invoices.slice(0, 200).every((invoice) => /^kor_inv_\d{4}$/.test(invoice.id))).toBe(true);
    const issued = new Set(run.filter((invoice) => invoice.issuedAt).map((invoice) => invoice.issuedAt));
    expect(issued.size).toBe(1);
    expect(createKorintBillingRuns(200, 3)).toEqual(run);
    expect(createKorintBillingRuns(60, 3)).toEqual([]);
  });

  it('answers invoices of one issue time in reverse id order, page after page', async () => {
    const all = [...(await list(1, 100, '-issuedAt')), ...(await list(2, 100, '-issuedAt')), ...(await list(3, 100, '-issuedAt'))];
    // 200 seeded, a billing run of 80, 3 shapes whose numbers do not add up.
    expect(all).toHaveLength(283);
    expect(all).toHaveLength(sandbox.invoices.length);
    const [issuedAt] = new Set(sandbox.invoices.filter((i) => i.id.startsWith('kor_inv_run_') && i.issuedAt).map((i) => i.issuedAt));
    const tied = all.filter((invoice) => invoice.issuedAt === issuedAt).map((invoice) => invoice.id);
    expect(tied.length).toBeGreaterThan(60);
    expect(tied).toEqual([...tied].sort().reverse());
    const ascending = (await list(1, 100, 'issuedAt')).concat(await list(2, 100, 'issuedAt'), await list(3, 100, 'issuedAt'));
    expect(ascending.filter((invoice) => invoice.issuedAt === issuedAt).map((invoice) => invoice.id)).toEqual([...tied]);
  });
});
