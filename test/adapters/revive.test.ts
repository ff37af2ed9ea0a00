// Every adapter's invoices can be stored as JSON and rebuilt: `wireItemOf` gives the provider's item as it arrived, and
// `reviveInvoice` turns it back into the same invoice, with no upstream call (what the entity cache relies on).
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { useAdapterOverSandbox } from '../support/adapter-over-sandbox.js';
import type { Invoice } from '../../adapters/kit/model.js';
import { plainInvoice } from '../../adapters/kit/model-plain.js';
import { wireItemOf } from '../../adapters/kit/wire-item.js';

describe.each(providers.map((p) => [p.kind, p] as const))('%s invoices from stored wire items', (_kind, provider) => {
  const over = useAdapterOverSandbox(provider);

  it('rebuilds the same invoices from their wire items after a JSON round trip, without calling the provider', async () => {
    const answers = (await over.adapter.loadInvoices(over.sandbox.exampleInvoiceIds!, {})) as Invoice[];
    expect(answers.every((a) => a !== null && !(a instanceof Error))).toBe(true);
    const stored = JSON.stringify(answers.map((invoice) => wireItemOf(invoice)));
    over.sandbox.handle.calls.reset();
    const revived = (JSON.parse(stored) as unknown[]).map((wire) => over.adapter.reviveInvoice!(wire));
    expect(revived.map((invoice) => plainInvoice(invoice as Invoice))).toEqual(answers.map((invoice) => plainInvoice(invoice)));
    expect(over.sandbox.handle.calls.count()).toBe(0);
  });

  it('answers an error, not a throw, for a stored item it cannot read', () => {
    expect(over.adapter.reviveInvoice!({ nonsense: true })).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', source: over.sandbox.settings.name });
  });
});
