// The model codec (what the Redis entity cache stores): every provider's invoices, payments and batch payments, as the
// adapters build them from their sandboxes, come back from text equal, bigint coefficients still bigints.
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import type { Adapter, StartedSandbox } from '../../adapters/kit/adapter.js';
import { decodeModel, encodeModel } from '../../adapters/kit/model-codec.js';

/** Every Money coefficient in `value`, wherever it sits. */
function coefficients(value: unknown, found: unknown[] = []): unknown[] {
  if (value && typeof value === 'object') {
    if ('coefficient' in value) found.push((value as { coefficient: unknown }).coefficient);
    for (const item of Object.values(value)) coefficients(item, found);
  }
  return found;
}

describe.each(providers.map((p) => [p.kind, p] as const))('model codec over %s', (_kind, provider) => {
  let sandbox: StartedSandbox;
  let adapter: Adapter;
  let dispatcher: Agent;

  beforeAll(async () => {
    sandbox = await provider.startSandbox();
    dispatcher = new Agent();
    adapter = provider.createAdapter(provider.settingsSchema.parse(sandbox.settings), { dispatcher });
  });
  afterAll(async () => {
    await adapter.close();
    await dispatcher.close();
    await sandbox.handle.close();
  });

  it('round-trips invoices, their payments and (where the provider has them) batch payments', async () => {
    const invoices = (await adapter.loadInvoices(sandbox.exampleInvoiceIds ?? [], {})).filter((i) => i && !(i instanceof Error));
    expect(invoices.length).toBeGreaterThan(0);
    const models: unknown[] = [...invoices];
    if (adapter.listBatchPayments) models.push(...(await adapter.listBatchPayments({}, {})).slice(0, 3));
    for (const model of models) {
      const revived = decodeModel(encodeModel(model));
      expect(revived).toEqual(model);
      const found = coefficients(revived);
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((c) => typeof c === 'bigint')).toBe(true);
    }
  });
});

it('keeps amounts beyond 2^53 exact, negative ones included', () => {
  const money = { coefficient: -123456789012345678901234567890n, decimals: 18, currency: 'ETH', currencyScale: 18 };
  expect(decodeModel(encodeModel({ total: money }))).toEqual({ total: money });
});
