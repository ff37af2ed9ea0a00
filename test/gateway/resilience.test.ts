// Every fault against every provider in turn, the others healthy: their data stays complete, the failing source's
// items carry the right code and source, and the gateway serves the next request.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultPlan } from '../../adapters/kit/sandbox-server.js';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { INVOICE_ROUTES, sandboxInvoiceIds } from '../support/sandbox-ids.js';

const KINDS = ['fragment', 'korint', 'xero'] as const;
const UPSTREAM_TIMEOUT_MS = 400;

let gw: TestGateway;
let ids: Record<string, string[]>;
let baseline: Record<string, unknown>;

const QUERY = `query($ids: [ID!]!) { invoices(ids: $ids) { id status providerStatus total { amount currency minorUnits } amountDue { amount } } }`;

beforeAll(async () => {
  gw = await startTestGateway([...KINDS], {
    upstreamTimeoutMs: UPSTREAM_TIMEOUT_MS,
    requestTimeoutMs: 5_000,
    retry: { retries: 2, baseDelayMs: 5, maxDelayMs: 200 },
    // The matrix is about faults, not the breaker: keep it closed here (it has its own tests below).
    circuit: { failureThreshold: 1_000, coolDownMs: 1_000 },
    // Nor about Xero's minute budget, which the matrix's retries would spend: that has tests of its own.
    // Retry-After beyond what a read waits is answered at once (Xero's own waits are tested with the Xero adapter).
    settings: { xero: { perMinuteLimit: 100_000, maxRetryAfterWaitSeconds: 0 } },
  });
  gw.sandbox<XeroSandboxHandle>('xero').limits.perMinute = 100_000;
  ids = Object.fromEntries(KINDS.map((kind) => [kind, sandboxInvoiceIds(gw, kind, 4)]));
  const answer = await gw.query(QUERY, { ids: KINDS.flatMap((k) => ids[k]) });
  expect(answer.errors).toBeUndefined();
  baseline = Object.fromEntries(answer.data.invoices.map((invoice: { id: string }) => [invoice.id, invoice]));
});
afterAll(() => gw?.close());
beforeEach(() => {
  for (const kind of KINDS) {
    gw.sandbox(kind).faults.clear();
    gw.sandbox(kind).calls.reset();
  }
});

const FAULTS: Array<{ name: string; plan: FaultPlan; code: string; perItem?: boolean; honourMs?: number }> = [
  { name: 'latency beyond the timeout', plan: { latencyMs: UPSTREAM_TIMEOUT_MS * 2 }, code: 'UPSTREAM_TIMEOUT' },
  { name: '5xx', plan: { status: 503 }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: '429 with a Retry-After beyond what a read waits', plan: { status: 429, retryAfter: 1 }, code: 'UPSTREAM_RATE_LIMITED', honourMs: 1_000 },
  { name: 'connection reset', plan: { reset: true }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'malformed JSON', plan: { malformedJson: true }, code: 'UPSTREAM_BAD_RESPONSE' },
  { name: 'truncated body', plan: { truncatedBody: true }, code: 'UPSTREAM_UNAVAILABLE' },
  { name: 'one bad item in a good batch', plan: { badItem: true }, code: 'UPSTREAM_BAD_RESPONSE', perItem: true },
];

describe.each(KINDS)('%s failing, the others healthy', (failing) => {
  it.each(FAULTS)('$name', async ({ plan, code, perItem, honourMs }) => {
    const all = KINDS.flatMap((kind) => ids[kind]);
    // Faults apply to the data routes only: token endpoints stay healthy.
    gw.sandbox(failing).faults.inject({ ...plan, routes: [INVOICE_ROUTES[failing]] });
    const answer = await gw.query(QUERY, { ids: all });
    gw.sandbox(failing).faults.clear();

    const invoices = answer.data.invoices as Array<{ id: string } | null>;
    all.forEach((id, index) => {
      const kind = id.split(':')[0];
      if (kind !== failing) expect(invoices[index]).toEqual(baseline[id]);
    });
    const failingIndexes = all.map((id, i) => (id.startsWith(`${failing}:`) ? i : -1)).filter((i) => i >= 0);
    const errors = answer.errors ?? [];
    if (perItem) {
      // Exactly one item fails; its neighbours from the same batch are intact.
      expect(errors).toHaveLength(1);
      const bad = failingIndexes.filter((i) => invoices[i] === null);
      expect(bad).toHaveLength(1);
      failingIndexes.filter((i) => !bad.includes(i)).forEach((i) => expect(invoices[i]).toEqual(baseline[all[i]]));
    } else {
      failingIndexes.forEach((i) => expect(invoices[i]).toBeNull());
      expect(errors).toHaveLength(failingIndexes.length);
    }
    for (const error of errors) {
      expect(error.extensions).toMatchObject({ code, source: failing });
      if (code === 'UPSTREAM_RATE_LIMITED') expect(error.extensions?.retryAfter).toBeGreaterThan(0);
      expect(error.message).not.toMatch(/injected fault|not json|Bearer/i);
    }
    // Each code once, with how many failed batches or items it stands for.
    const summary = answer.extensions?.upstream?.[failing]?.errors as Array<{ code: string; count: number }>;
    expect(summary.map((e) => e.code)).toEqual([code]);
    expect(summary[0].count).toBeGreaterThanOrEqual(1);

    // A source that asked for a pause (Retry-After) gets it before it is called again.
    if (honourMs) await new Promise((resolve) => setTimeout(resolve, honourMs));
    const next = await gw.query(QUERY, { ids: all });
    expect(next.errors).toBeUndefined();
    expect(next.data.invoices).toEqual(all.map((id) => baseline[id]));
  });
});
