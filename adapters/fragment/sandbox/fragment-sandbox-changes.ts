// Changes to the Fragment sandbox's ledger as Fragment records them: a payment posted (the invoice's balances move, its
// `version` goes up by one and `modified` becomes now, to the second as Fragment prints it), a new invoice created now,
// and an update (PATCH: a tag changed, version and modified moved). Fragment sends no webhooks: the gateway polls.
import { nextModification, type SandboxChange, type SandboxChanges } from '../../kit/sandbox-changes.js';
import { withBalances, type SandboxInvoice } from './fragment-ledger.js';
import { isoSeconds, SANDBOX_WORKSPACE_ID } from './fragment-seed-data.js';

/** What remains on each side of each currency, with a line to pay it against (a payin or a payout line). */
function remaining(invoice: SandboxInvoice): Array<{ line: SandboxInvoice['line_items'][number]; amount: bigint }> {
  const due: Array<{ line: SandboxInvoice['line_items'][number]; amount: bigint }> = [];
  for (const balance of invoice.balances) {
    for (const side of ['payin', 'payout'] as const) {
      const left = BigInt((side === 'payin' ? balance.payins : balance.payouts).remaining);
      const line = invoice.line_items.find((l) => l.type === side && l.currency_code === balance.currency);
      if (left > 0n && line) due.push({ line, amount: left });
    }
  }
  return due;
}

/** Creates the changes of a sandbox whose ledger is `invoices` (changed in place). */
export function createFragmentSandboxChanges(invoices: Map<string, SandboxInvoice>): SandboxChanges {
  let counter = 0;
  const modifiedMs = (invoice: SandboxInvoice) => Date.parse(invoice.modified);
  // The newest first, as search lists them: a change shows on the first page of a listing.
  const newest = (wanted: (invoice: SandboxInvoice) => boolean): SandboxInvoice => {
    const found = [...invoices.values()].sort((a, b) => Date.parse(b.created) - Date.parse(a.created) || (a.id < b.id ? -1 : 1)).find(wanted);
    if (!found) throw new Error('the sandbox holds no invoice for this change');
    return found;
  };
  const byId = (id: string): SandboxInvoice => {
    const invoice = invoices.get(id);
    if (!invoice) throw new Error(`no invoice ${id} in the sandbox`);
    return invoice;
  };
  // Fragment prints times to the second: a change in the same second as the last one keeps `modified`, moves `version`.
  const touch = (invoice: SandboxInvoice): number => Math.max(Date.now(), modifiedMs(invoice));
  const store = (invoice: Omit<SandboxInvoice, 'balances' | 'users'>): SandboxInvoice => {
    const next = withBalances(invoice);
    invoices.set(next.id, next);
    return next;
  };

  return {
    payInvoice(invoiceId) {
      const invoice = invoiceId ? byId(invoiceId) : newest((i) => remaining(i).length > 0);
      const due = remaining(invoice);
      if (due.length === 0) throw new Error(`invoice ${invoice.id} has nothing due`);
      counter += 1;
      const atMs = touch(invoice);
      const { balances: _b, users: _u, ...rest } = invoice;
      // Everything left is settled, each side and currency by its own payment: the invoice is paid.
      const payments = due.map(({ line, amount }, n) => ({
        amount: amount.toString(),
        currency: line.currency_code,
        posted: isoSeconds(atMs),
        transaction: { id: `txn_live_${counter}_${n + 1}`, external_id: `pay_${invoice.id}_${invoice.payments.length + n + 1}`, tags: [{ key: 'channel', value: 'sandbox-change' }] },
        type: line.type,
        user: { id: `usr_${line.user_id.slice(9)}`, external_id: line.user_id },
      }));
      store({ ...rest, version: invoice.version + 1, modified: isoSeconds(atMs), payments: [...invoice.payments, ...payments] });
      return { kind: 'pay', invoiceId: invoice.id, atMs } satisfies SandboxChange;
    },
    createInvoice() {
      counter += 1;
      const atMs = nextModification(Math.max(0, ...[...invoices.values()].map((i) => Date.parse(i.created))));
      const id = `inv_live_${String(counter).padStart(4, '0')}`;
      store({
        id,
        workspace_id: SANDBOX_WORKSPACE_ID,
        status: 'active',
        version: 1,
        created: isoSeconds(atMs),
        modified: isoSeconds(atMs),
        line_items: [
          { id: `item_${id}_1`, amount: '125000', currency_code: 'USD', description: 'Subscription, one month', product_id: 'prod_live', type: 'payin', user_id: 'user_ext_001' },
        ],
        payments: [],
      });
      return { kind: 'create', invoiceId: id, atMs } satisfies SandboxChange;
    },
    updateInvoice(invoiceId) {
      const invoice = invoiceId ? byId(invoiceId) : newest(() => true);
      counter += 1;
      const atMs = touch(invoice);
      const { balances: _b, users: _u, ...rest } = invoice;
      const tags = (invoice.tags ?? []).filter((tag) => tag.key !== 'note');
      store({ ...rest, version: invoice.version + 1, modified: isoSeconds(atMs), tags: [...tags, { key: 'note', value: `edited ${counter}` }] });
      return { kind: 'update', invoiceId: invoice.id, atMs } satisfies SandboxChange;
    },
  };
}
