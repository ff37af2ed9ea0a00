// What the entity cache stores, per provider: the invoices, payments and batch payments each adapter answers from its
// sandbox go to text (wire items where the adapter rebuilds invoices from them, else plain model data with tagged
// bigints) and come back equal, read whole, with bigint amounts still bigints.
import { describe, expect, it } from 'vitest';
import { providers } from '../../adapters/index.js';
import { useAdapterOverSandbox } from '../support/adapter-over-sandbox.js';
import type { Adapter } from '../../adapters/kit/adapter.js';
import { decodeModel, encodeModel } from '../../adapters/kit/model-codec.js';
import { plainInvoice, plainPayment } from '../../adapters/kit/model-plain.js';
import type { Invoice, Payment } from '../../adapters/kit/model.js';
import { entityCodecFor } from '../../src/state/entity-codecs.js';

/** Every Money coefficient in `value`, wherever it sits. */
function coefficients(value: unknown, found: unknown[] = []): unknown[] {
  if (value && typeof value === 'object') {
    if ('coefficient' in value) found.push((value as { coefficient: unknown }).coefficient);
    for (const item of Object.values(value)) coefficients(item, found);
  }
  return found;
}

function roundTrip(adapter: Adapter, type: 'Invoice' | 'Payment' | 'BatchPayment', value: unknown): unknown {
  const codec = entityCodecFor(adapter, type);
  const revived = codec.fromStored(decodeModel(encodeModel(codec.toStored(value))));
  expect(revived).not.toBeInstanceOf(Error);
  return revived;
}

const found = <T,>(answers: Array<T | null | Error>): T[] => answers.filter((a): a is T => a !== null && !(a instanceof Error));

describe.each(providers.map((p) => [p.kind, p] as const))('entity codec over %s', (_kind, provider) => {
  const over = useAdapterOverSandbox(provider);

  it('round-trips invoices, payments and batch payments, amounts exact', async () => {
    const invoices = found(await over.adapter.loadInvoices(over.sandbox.exampleInvoiceIds ?? [], {}));
    expect(invoices.length).toBeGreaterThan(0);
    for (const invoice of invoices) {
      const revived = plainInvoice(roundTrip(over.adapter, 'Invoice', invoice) as Invoice);
      expect(revived).toEqual(plainInvoice(invoice));
      const amounts = coefficients(revived);
      expect(amounts.length).toBeGreaterThan(0);
      expect(amounts.every((c) => typeof c === 'bigint')).toBe(true);
    }
    const paymentIds = invoices.flatMap((i) => i.payments.map((p) => p.remoteId)).slice(0, 3);
    if (over.adapter.loadPayments && paymentIds.length > 0) {
      for (const payment of found(await over.adapter.loadPayments(paymentIds, {}))) {
        const revived = roundTrip(over.adapter, 'Payment', payment) as Payment;
        expect(revived).toEqual(plainPayment(payment));
        expect(typeof revived.amount.coefficient).toBe('bigint');
      }
    }
    if (over.adapter.listBatchPayments) {
      for (const batch of (await over.adapter.listBatchPayments({}, {})).slice(0, 2)) {
        expect(roundTrip(over.adapter, 'BatchPayment', batch)).toEqual({ ...batch, payments: batch.payments.map(plainPayment) });
      }
    }
  });
});

it('keeps amounts beyond 2^53 exact, negative ones included', () => {
  const money = { coefficient: -123456789012345678901234567890n, decimals: 18, currency: 'ETH', currencyScale: 18 };
  expect(decodeModel(encodeModel({ total: money }))).toEqual({ total: money });
});
