// One contract, every adapter: what the gateway relies on, checked against each provider's sandbox over HTTP.
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import type { Adapter, StartedSandbox } from '../../adapters/kit/adapter.js';
import { AdapterError } from '../../adapters/kit/errors.js';
import type { UpstreamCall } from '../../adapters/kit/http.js';
import { INVOICE_ROUTES } from '../support/sandbox-ids.js';

describe.each(providers.map((p) => [p.kind, p] as const))('%s adapter contract', (kind, provider) => {
  let sandbox: StartedSandbox;
  let adapter: Adapter;
  let dispatcher: Agent;
  let known: string[];

  beforeAll(async () => {
    sandbox = await provider.startSandbox();
    dispatcher = new Agent();
    adapter = provider.createAdapter(provider.settingsSchema.parse(sandbox.settings), { dispatcher });
    known = sandbox.exampleInvoiceIds ?? [];
  });
  afterAll(async () => {
    await adapter.close();
    await dispatcher.close();
    await sandbox.handle.close();
  });

  it('is registered under its kind and configured only by its base URL', () => {
    expect(adapter.kind).toBe(kind);
    expect(provider.settingsFromEnv({})).toBeUndefined();
    expect(Number.isInteger(adapter.loadInvoices.maxBatchSize) && adapter.loadInvoices.maxBatchSize > 0).toBe(true);
  });

  it('answers one item per id, in order, repeats included, null for unknown ids', async () => {
    expect(known.length).toBeGreaterThanOrEqual(2);
    const unknown = kind === 'xero' ? '00000000-0000-4000-8000-000000000000' : `${kind}_missing_1`;
    const ids = [known[1], unknown, known[0], known[1]];
    const calls: UpstreamCall[] = [];
    const answers = await adapter.loadInvoices(ids, { onCall: (call) => calls.push(call) });
    expect(answers).toHaveLength(4);
    expect(answers.map((a) => (a && !(a instanceof Error) ? a.remoteId : a))).toEqual([known[1], null, known[0], known[1]]);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((c) => c.source === sandbox.settings.name && c.errorCode === null)).toBe(true);
  });

  it('probes its provider with one cheap lookup that resolves when the provider answers, and rejects when it fails', async () => {
    // Token fetches aside (a cached token costs none), the probe is one call of the invoice lookup route.
    await adapter.loadInvoices(known.slice(0, 1), {});
    sandbox.handle.calls.reset();
    await expect(adapter.probe!({})).resolves.toBeUndefined();
    expect(sandbox.handle.calls.list().map((c) => [c.name, c.status])).toEqual([[INVOICE_ROUTES[kind], 200]]);
    sandbox.handle.faults.inject({ routes: [INVOICE_ROUTES[kind]], status: 503, times: 1 });
    await expect(adapter.probe!({})).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: sandbox.settings.name });
  });

  it('makes no call for no ids', async () => {
    sandbox.handle.calls.reset();
    expect(await adapter.loadInvoices([], {})).toEqual([]);
    expect(sandbox.handle.calls.count()).toBe(0);
  });

  it('fails a malformed item alone', async () => {
    sandbox.handle.faults.inject({ routes: [INVOICE_ROUTES[kind]], badItem: true, times: 1 });
    const answers = await adapter.loadInvoices(known, {});
    const errors = answers.filter((a) => a instanceof Error);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: sandbox.settings.name });
    expect(answers.filter((a) => a && !(a instanceof Error))).toHaveLength(known.length - 1);
  });

  it('rejects the whole call with a coded error naming the source when the provider fails', async () => {
    sandbox.handle.faults.inject({ routes: [INVOICE_ROUTES[kind]], status: 500 });
    const failure = await adapter.loadInvoices(known, {}).catch((error: unknown) => error);
    sandbox.handle.faults.clear();
    expect(failure).toBeInstanceOf(AdapterError);
    expect(failure).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: sandbox.settings.name, status: 500 });
    expect(String((failure as Error).message)).not.toMatch(/injected fault/);
  });

  it('maps money exactly: amounts are whole numbers of their digits, currencies known', async () => {
    const answers = await adapter.loadInvoices(known, {});
    for (const invoice of answers) {
      if (!invoice || invoice instanceof Error) throw new Error('expected an invoice');
      for (const balance of invoice.balances) {
        for (const money of [balance.net.expected, balance.net.actual, balance.net.remaining]) {
          expect(typeof money.coefficient).toBe('bigint');
          expect(money.currency).toBe(balance.currency);
          expect(Number.isInteger(money.currencyScale)).toBe(true);
        }
      }
    }
  });
});
