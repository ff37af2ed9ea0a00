// Deterministic sandbox invoices: ids inv_0001.., currencies cycling over USD, EUR, JPY, KWD, BTC (every 20th invoice
// holds two), amounts realistic for each currency's scale, open / partly paid / fully paid in turn, some payout lines,
// payments with transactions, tags and users.
import { createSeededRandom } from '../../kit/sandbox-server.js';
import { seededInvoice, type SandboxInvoice, type SandboxLineItem, type SandboxPayment, type SandboxTag } from './fragment-ledger.js';
import { fragmentSeedShapes } from './fragment-seed-shapes.js';

export const SANDBOX_CURRENCIES = ['USD', 'EUR', 'JPY', 'KWD', 'BTC'] as const;
export const SANDBOX_WORKSPACE_ID = 'ws_sandbox_0001';

/** Line amounts in minor units: USD/EUR 10.00..2500.00, JPY 500..300000, KWD 1.000..1500.000, BTC 0.0001..0.2. */
const AMOUNT_RANGES: Record<string, [number, number]> = {
  USD: [1_000, 250_000],
  EUR: [1_000, 250_000],
  JPY: [500, 300_000],
  KWD: [1_000, 1_500_000],
  BTC: [10_000, 20_000_000],
};

const PRODUCTS = [
  ['prod_hosting', 'Hosting'],
  ['prod_support', 'Premium support'],
  ['prod_license', 'Software licence'],
  ['prod_consulting', 'Consulting hours'],
  ['prod_training', 'Team training'],
] as const;
const CHANNELS = ['card', 'ach', 'wire', 'sepa'];
const REGIONS = ['us', 'eu', 'apac'];
const PLANS = ['starter', 'growth', 'enterprise'];
const USER_COUNT = 40;
const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 2, 9, 0, 0);

/** The zero-padded sandbox id of the n-th invoice (`inv_0001`). */
export function sandboxInvoiceId(n: number): string {
  return `inv_${String(n).padStart(4, '0')}`;
}

/** ISO 8601 without milliseconds, as Fragment prints it. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Generates `count` invoices from `seed`; the same arguments always give the same invoices. */
export function generateSandboxInvoices(count: number, seed: number): SandboxInvoice[] {
  const random = createSeededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const invoices: SandboxInvoice[] = [];

  for (let n = 1; n <= count; n += 1) {
    const id = sandboxInvoiceId(n);
    const primary = SANDBOX_CURRENCIES[(n - 1) % SANDBOX_CURRENCIES.length];
    const currencies = n % 20 === 0 ? [primary, SANDBOX_CURRENCIES[n % SANDBOX_CURRENCIES.length]] : [primary];
    const lines: SandboxLineItem[] = [];
    for (const currency of currencies) {
      const [min, max] = AMOUNT_RANGES[currency];
      const lineCount = int(1, 3);
      for (let l = 0; l < lineCount; l += 1) {
        const [productId, description] = pick(PRODUCTS);
        lines.push({
          id: `item_${n}_${lines.length + 1}`,
          amount: String(int(min, max)),
          currency_code: currency,
          description,
          product_id: productId,
          type: 'payin',
          user_id: `user_ext_${String(int(1, USER_COUNT)).padStart(3, '0')}`,
        });
      }
    }
    if (n % 7 === 0) {
      // A partner commission paid out of the invoice: a tenth of the first line.
      const first = lines[0];
      lines.push({
        ...first,
        id: `item_${n}_${lines.length + 1}`,
        amount: (BigInt(first.amount) / 10n).toString(),
        description: 'Partner commission',
        product_id: 'prod_commission',
        type: 'payout',
        user_id: 'user_ext_partner',
      });
    }

    const created = START + n * 13 * HOUR;
    const state = (['open', 'partial', 'paid'] as const)[n % 3];
    const modified = state === 'open' ? created : created + int(1, 20) * 24 * HOUR;
    const payments: SandboxPayment[] = [];
    const pay = (amount: string, line: SandboxLineItem) => {
      const k = payments.length + 1;
      payments.push({
        amount,
        currency: line.currency_code,
        posted: isoSeconds(modified - (k - 1) * HOUR),
        transaction: {
          id: `txn_${id.slice(4)}_${k}`,
          external_id: `pay_${id}_${k}`,
          tags: [{ key: 'channel', value: pick(CHANNELS) }],
        },
        type: line.type,
        user: { id: `usr_${line.user_id.slice(9)}`, external_id: line.user_id },
      });
    };
    if (state === 'partial') {
      // Half of what the first currency's payins expect, paid by the first line's user.
      const currency = currencies[0];
      const expected = lines.filter((l) => l.type === 'payin' && l.currency_code === currency).reduce((s, l) => s + BigInt(l.amount), 0n);
      pay((expected / 2n).toString(), lines[0]);
    } else if (state === 'paid') {
      for (const line of lines) pay(line.amount, line);
    }

    const tags: SandboxTag[] | undefined =
      n % 4 === 0 ? [{ key: 'region', value: pick(REGIONS) }, { key: 'plan', value: pick(PLANS) }] : undefined;
    invoices.push(
      seededInvoice({ id, workspace_id: SANDBOX_WORKSPACE_ID, created: isoSeconds(created), modified: isoSeconds(modified), line_items: lines, payments, tags }),
    );
  }
  // Shapes real ledgers have (money both ways, overpayment, payouts only), from their own stream, after the seed.
  invoices.push(...fragmentSeedShapes(seed));
  return invoices;
}
