// Deterministic invoices in Fragment's wire format for bench/peers: balances per currency, users with their own
// balances, line items and payments, about 1.7 KB of JSON each (a 100-id batch-get answers about 172 KB).
import { createHash } from 'node:crypto';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'JPY', 'KWD', 'NZD'];
const PRODUCTS = ['prod_hosting', 'prod_support', 'prod_seats', 'prod_storage', 'prod_setup'];
const DESCRIPTIONS = ['Hosting, monthly plan', 'Premium support hours', 'Seats for the team workspace', 'Object storage overage', 'One-off onboarding'];

/** The invoice ids the mock knows: `inv_00001` .. `inv_<count>`. */
export function mockInvoiceIds(count: number, from = 1): string[] {
  return Array.from({ length: count }, (_, i) => `inv_${String(from + i).padStart(5, '0')}`);
}

function seeded(id: string): () => number {
  let state = createHash('sha256').update(id).digest().readUInt32LE(0) || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4_294_967_296;
  };
}

const amounts = (expected: number, actual: number) => ({
  actual: String(actual),
  expected: String(expected),
  remaining: String(expected - actual),
});

function balance(currency: string, payin: number, paid: number) {
  return { currency, net: amounts(payin, paid), payins: amounts(payin, paid), payouts: amounts(0, 0) };
}

/** One invoice as Fragment's batch-get answers it (snake_case, amounts as integer strings in minor units). */
export function mockInvoice(id: string): Record<string, unknown> {
  const random = seeded(id);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const currency = pick(CURRENCIES);
  const users = [`user_${Math.floor(random() * 900 + 100)}`, `user_${Math.floor(random() * 900 + 100)}`];
  const lines = Array.from({ length: 3 }, (_, i) => ({
    id: `item_${id}_${i}`,
    amount: String(Math.floor(random() * 50_000 + 100)),
    currency_code: currency,
    description: pick(DESCRIPTIONS),
    product_id: pick(PRODUCTS),
    type: 'payin',
    user_id: users[i % 2],
  }));
  const total = lines.reduce((sum, line) => sum + Number(line.amount), 0);
  const state = random();
  const paid = state < 0.34 ? 0 : state < 0.67 ? Math.floor(total / 2) : total;
  const payments = paid === 0 ? [] : [
    {
      amount: String(paid),
      currency,
      posted: '2026-03-05T16:30:00Z',
      transaction: { id: `txn_${id}`, external_id: `pi_${id}`, tags: [{ key: 'channel', value: 'card' }, { key: 'processor', value: 'stripe' }] },
      type: 'payin',
      user: { id: users[0], external_id: users[0] },
    },
  ];
  const userShare = (i: number) => lines.filter((_, n) => n % 2 === i).reduce((sum, line) => sum + Number(line.amount), 0);
  return {
    id,
    status: 'active',
    version: 3,
    workspace_id: 'ws_bench',
    created: '2026-03-01T09:00:00Z',
    modified: '2026-03-05T16:30:00Z',
    balances: [balance(currency, total, paid)],
    users: users.map((user, i) => ({
      id: user,
      external_id: user,
      balances: [balance(currency, userShare(i), i === 0 ? Math.min(paid, userShare(0)) : Math.max(0, paid - userShare(0)))],
    })),
    line_items: lines,
    payments,
    tags: [{ key: 'region', value: 'eu' }, { key: 'plan', value: 'growth' }, { key: 'customer', value: `cus_${id}_${users[0]}` }],
  };
}
