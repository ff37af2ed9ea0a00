// Korint invoices whose own numbers do not add up, appended after the main seed (so `kor_inv_0001`... and every
// documented answer stay as they were), dated December 2024, before it: one whose lines do not make its total, one whose
// components do not, and one whose total's own parts (pre-fee amount, fees, taxes) do not make its amountWithFeesAndTaxes.
import { createSeededRandom } from '../../kit/sandbox-server.js';
import { centsToNumber, wireTotal, type CentsTotal, type SeededKorintInvoice } from './seed-data.js';

/** The shape invoices' ids, for tests and the reference pages. */
export const KORINT_SHAPE_IDS = {
  /** Lines of 1,096.50 (with fees and taxes); the total says 1,096.51. */
  linesDoNotAddUp: 'kor_inv_s01',
  /** Lines that make the total; components of 10.00 less. */
  componentsDoNotAddUp: 'kor_inv_s02',
  /** No lines or components; 500.00 + 20.00 fees + 46.80 taxes stated as 566.90. */
  totalPartsDoNotAddUp: 'kor_inv_s03',
} as const;

const total = (pre: number, fee: number, tax: number, tag: string): CentsTotal => ({
  pre,
  fees: [{ id: `fee_${tag}`, chargeType: 'ONE_TIME', cents: fee, brokerageFirmId: 'bf_1' }],
  taxes: [{ id: `tax_${tag}`, chargeType: 'ONE_TIME', cents: tax }],
});

const sum = (parts: CentsTotal[]): CentsTotal => ({
  pre: parts.reduce((s, p) => s + p.pre, 0),
  fees: parts.flatMap((p) => p.fees),
  taxes: parts.flatMap((p) => p.taxes),
});

/** The shape invoices (`seed` varies their policy numbers only). */
export function korintSeedShapes(seed: number): SeededKorintInvoice[] {
  const random = createSeededRandom(seed * 17 + 900_007);
  const base = (id: string, dayOfMonth: number): SeededKorintInvoice => {
    const created = Date.UTC(2024, 11, dayOfMonth, 9, 0, 0);
    return {
      id,
      type: 'INVOICE',
      status: 'ISSUED',
      issuedAt: new Date(created + 86_400_000).toISOString(),
      createdAt: new Date(created).toISOString(),
      period: { startedAt: '2025-01-01T00:00:00.000Z', endedAt: '2025-01-30T23:59:59.000Z' },
      metadata: [{ key: 'policyId', value: `pol_s${String(Math.floor(random() * 10_000)).padStart(4, '0')}` }],
      hasFailedOnce: false,
      firstFailedAt: null,
      incrementalId: null,
      externalId: `EXT-SHAPE-${id.slice(-3).toUpperCase()}`,
      paymentId: null,
      paidAt: null,
      creditedInvoiceId: null,
      replacedInvoiceId: null,
      refundNotHandledReason: null,
    };
  };

  // Two lines: 500.00 + 20.00 fee + 46.80 tax, and 450.00 + 15.00 + 64.70: together 1,096.50; the total says 1,096.51.
  const first = [total(50_000, 2_000, 4_680, 's01_1'), total(45_000, 1_500, 6_470, 's01_2')];
  const stated = wireTotal(sum(first));
  stated.amountWithFeesAndTaxes = centsToNumber(109_651);
  const linesOff: SeededKorintInvoice = {
    ...base(KORINT_SHAPE_IDS.linesDoNotAddUp, 20),
    lines: first.map((t, i) => ({ label: `Fleet cover, vehicle ${i + 1}`, total: wireTotal(t) })),
    components: [],
    total: stated,
  };

  // Lines make the total; the peril component is 10.00 short of its line.
  const second = [total(80_000, 2_500, 7_425, 's02_1'), total(12_000, 0, 1_080, 's02_2')];
  const components = second.map((t, i) => ({ id: `cmp_s02_${i + 1}`, type: i === 0 ? 'PREMIUM' : 'PERIL', premium: wireTotal(t), reconciliation: false }));
  components[1].premium = wireTotal({ ...second[1], pre: second[1].pre - 1_000 });
  const componentsOff: SeededKorintInvoice = {
    ...base(KORINT_SHAPE_IDS.componentsDoNotAddUp, 21),
    lines: second.map((t, i) => ({ label: i === 0 ? 'Home cover' : 'Flood peril', total: wireTotal(t) })),
    components,
    total: wireTotal(sum(second)),
  };

  // Only a total: 500.00 + 20.00 fees + 46.80 taxes make 566.80; amountWithFeesAndTaxes says 566.90.
  const own = wireTotal(total(50_000, 2_000, 4_680, 's03'));
  own.amountWithFeesAndTaxes = centsToNumber(56_690);
  const totalOff: SeededKorintInvoice = { ...base(KORINT_SHAPE_IDS.totalPartsDoNotAddUp, 22), lines: [], components: [], total: own };

  return [linesOff, componentsOff, totalOff];
}
