// Same-second bursts: invoices created by a bulk import or a billing run all carry one creation second, as real Fragment
// workspaces hold. One burst of 120 invoices per 600 seeded ones (from 100 on), each in one second between two seeded
// invoices, late in the seeded range; ids `inv_burst_<b>_<nnn>`. A random stream of their own, so the seeded invoices
// before them keep their ids and contents.
import { createSeededRandom } from '../../kit/sandbox-server.js';
import { seededInvoice, type SandboxInvoice, type SandboxLineItem, type SandboxPayment } from './fragment-ledger.js';
import { isoSeconds, SANDBOX_WORKSPACE_ID } from './fragment-seed-data.js';

/** Invoices per burst: the listing's largest page (100) and then some, as in issue 19. */
export const FRAGMENT_BURST_SIZE = 120;

const HOUR = 3_600_000;
/** The seeded invoices' schedule (fragment-seed-data.ts): the n-th is created at START + n * 13 h. */
const START = Date.UTC(2024, 0, 2, 9, 0, 0);
const SPACING = 13 * HOUR;
const CURRENCIES = ['USD', 'EUR'] as const;

/** The creation time of burst `b` (0-based) of `bursts` among `count` seeded invoices. */
function burstTime(b: number, bursts: number, count: number): number {
  const after = Math.floor((count * (b + 0.9)) / bursts);
  // Half an hour after a seeded invoice, so a burst shares its second with none of them.
  return START + after * SPACING + HOUR / 2;
}

/** The bursts that go with `count` seeded invoices of `seed`; the same arguments always give the same invoices. */
export function generateFragmentBursts(count: number, seed: number): SandboxInvoice[] {
  if (count < 100) return [];
  const bursts = Math.max(1, Math.round(count / 600));
  const random = createSeededRandom(seed ^ 0xb0b5);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const invoices: SandboxInvoice[] = [];
  for (let b = 0; b < bursts; b += 1) {
    const created = burstTime(b, bursts, count);
    for (let n = 1; n <= FRAGMENT_BURST_SIZE; n += 1) {
      const id = `inv_burst_${b + 1}_${String(n).padStart(3, '0')}`;
      const currency = CURRENCIES[n % CURRENCIES.length];
      const user = `user_ext_${String(int(1, 40)).padStart(3, '0')}`;
      const line: SandboxLineItem = {
        id: `item_${id}_1`,
        amount: String(int(1_000, 50_000)),
        currency_code: currency,
        description: 'Monthly subscription',
        product_id: 'prod_subscription',
        type: 'payin',
        user_id: user,
      };
      // Open, partly paid, paid in turn; a payment moves `modified` on.
      const state = (['open', 'partial', 'paid'] as const)[n % 3];
      const modified = state === 'open' ? created : created + int(1, 72) * HOUR;
      const payments: SandboxPayment[] = [];
      if (state !== 'open') {
        payments.push({
          amount: state === 'paid' ? line.amount : String(BigInt(line.amount) / 2n),
          currency,
          posted: isoSeconds(modified),
          transaction: { id: `txn_${id}_1`, external_id: `pay_${id}_1`, tags: [{ key: 'channel', value: 'card' }] },
          type: 'payin',
          user: { id: `usr_${user.slice(9)}`, external_id: user },
        });
      }
      invoices.push(
        seededInvoice({ id, workspace_id: SANDBOX_WORKSPACE_ID, created: isoSeconds(created), modified: isoSeconds(modified), line_items: [line], payments }),
      );
    }
  }
  return invoices;
}
