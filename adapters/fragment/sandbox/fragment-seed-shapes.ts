// Shapes of real Fragment ledgers the main seed does not make, appended after it (so `inv_0001`... and every documented
// answer stay as they were), dated December 2023, before the main seed. Money both ways on one invoice (a marketplace
// collecting from a buyer and paying a seller), overpayment, invoices that only pay out, and one whose balance does not
// match its line items. All in USD, amounts in cents.
import { createSeededRandom } from '../../kit/sandbox-server.js';
import { seededInvoice, type SandboxInvoice, type SandboxLineItem, type SandboxPayment } from './fragment-ledger.js';

/** The shape invoices' ids, for tests and the reference pages. */
export const FRAGMENT_SHAPE_IDS = {
  /** Payin 100.00 received, payout 100.00 paid: settled on both sides. */
  passThroughSettled: 'inv_pass_through_settled',
  /** Payin 100.00 received, payout 100.00 not yet paid. */
  passThroughPending: 'inv_pass_through_pending',
  /** 100.00 expected, 120.00 received. */
  overpaid: 'inv_overpaid',
  /** A payout of 250.00, nothing paid yet. */
  payoutOpen: 'inv_payout_open',
  /** A payout of 75.00, paid. */
  payoutPaid: 'inv_payout_paid',
  /** Line items of 90.00; the balance expects 100.00. */
  linesDoNotAddUp: 'inv_lines_mismatch',
} as const;

const WORKSPACE = 'ws_sandbox_0001';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The shape invoices, from a stream of their own (`seed` varies their channel tags only). */
export function fragmentSeedShapes(seed: number): SandboxInvoice[] {
  const random = createSeededRandom(seed * 13 + 700_001);
  const channel = () => ['card', 'ach', 'wire', 'sepa'][Math.floor(random() * 4)];
  let day = 10;

  const build = (id: string, lines: Array<Omit<SandboxLineItem, 'id' | 'currency_code' | 'description' | 'product_id'> & { description?: string }>, paid: Array<[number, number]>) => {
    const created = Date.UTC(2023, 11, (day += 1), 9, 0, 0);
    const lineItems: SandboxLineItem[] = lines.map((line, i) => ({
      id: `item_${id}_${i + 1}`,
      currency_code: 'USD',
      description: line.description ?? (line.type === 'payin' ? 'Order from buyer' : 'Payout to seller'),
      product_id: line.type === 'payin' ? 'prod_marketplace_order' : 'prod_marketplace_payout',
      amount: line.amount,
      type: line.type,
      user_id: line.user_id,
    }));
    // [line index, amount paid against it]
    const payments: SandboxPayment[] = paid.map(([index, amount], k) => {
      const line = lineItems[index];
      return {
        amount: String(amount),
        currency: 'USD',
        posted: iso(created + (k + 1) * 3_600_000),
        transaction: { id: `txn_${id}_${k + 1}`, external_id: `pay_${id}_${k + 1}`, tags: [{ key: 'channel', value: channel() }] },
        type: line.type,
        user: { id: `usr_${line.user_id}`, external_id: line.user_id },
      };
    });
    return seededInvoice({
      id,
      workspace_id: WORKSPACE,
      created: iso(created),
      modified: iso(payments.length > 0 ? created + payments.length * 3_600_000 : created),
      line_items: lineItems,
      payments,
      tags: [{ key: 'shape', value: id.slice(4) }],
    });
  };

  const buyer = 'user_ext_buyer';
  const seller = 'user_ext_seller';
  const mismatch = build(
    FRAGMENT_SHAPE_IDS.linesDoNotAddUp,
    [
      { amount: '6000', type: 'payin', user_id: buyer, description: 'Order, part 1' },
      { amount: '3000', type: 'payin', user_id: buyer, description: 'Order, part 2' },
    ],
    [],
  );
  // The balance kept the amount from before a line was changed: 100.00 expected where the lines make 90.00.
  const stale = { actual: '0', expected: '10000', remaining: '10000' };
  mismatch.balances = [{ ...mismatch.balances[0], payins: stale, net: stale }];
  return [
    build(FRAGMENT_SHAPE_IDS.passThroughSettled, [{ amount: '10000', type: 'payin', user_id: buyer }, { amount: '10000', type: 'payout', user_id: seller }], [
      [0, 10_000],
      [1, 10_000],
    ]),
    build(FRAGMENT_SHAPE_IDS.passThroughPending, [{ amount: '10000', type: 'payin', user_id: buyer }, { amount: '10000', type: 'payout', user_id: seller }], [
      [0, 10_000],
    ]),
    build(FRAGMENT_SHAPE_IDS.overpaid, [{ amount: '10000', type: 'payin', user_id: buyer }], [[0, 12_000]]),
    build(FRAGMENT_SHAPE_IDS.payoutOpen, [{ amount: '25000', type: 'payout', user_id: seller, description: 'Refund to customer' }], []),
    build(FRAGMENT_SHAPE_IDS.payoutPaid, [{ amount: '7500', type: 'payout', user_id: seller, description: 'Referral reward' }], [[0, 7_500]]),
    mismatch,
  ];
}
