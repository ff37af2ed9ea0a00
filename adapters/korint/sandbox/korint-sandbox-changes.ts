// Changes to the Korint sandbox's invoices as Korint records them: an invoice paid through Stripe (PAID, `paymentId`
// and `paidAt`), a new invoice issued now, and a metadata edit. Korint's invoices carry no modification time, so a
// change shows only in the invoice's content: the gateway polls and compares digests.
import { type SandboxChange, type SandboxChanges } from '../../kit/sandbox-changes.js';
import type { SeededKorintInvoice } from './seed-data.js';

/** Creates the changes of a sandbox whose invoices are `invoices` and `byId` (changed in place). */
export function createKorintSandboxChanges(invoices: SeededKorintInvoice[], byId: Map<string, SeededKorintInvoice>): SandboxChanges {
  let counter = 0;
  const issuedMs = (invoice: SeededKorintInvoice) => Date.parse(String(invoice.issuedAt ?? invoice.createdAt));
  // The newest issued first, as the listing orders them: a change shows on its first page.
  const newest = (wanted: (invoice: SeededKorintInvoice) => boolean): SeededKorintInvoice => {
    const found = [...invoices].sort((a, b) => issuedMs(b) - issuedMs(a) || (a.id < b.id ? -1 : 1)).find(wanted);
    if (!found) throw new Error('the sandbox holds no invoice for this change');
    return found;
  };
  const byIdOrThrow = (id: string): SeededKorintInvoice => {
    const invoice = byId.get(id);
    if (!invoice) throw new Error(`no invoice ${id} in the sandbox`);
    return invoice;
  };
  const replace = (next: SeededKorintInvoice) => {
    const index = invoices.findIndex((invoice) => invoice.id === next.id);
    if (index >= 0) invoices[index] = next;
    else invoices.push(next);
    byId.set(next.id, next);
  };

  return {
    payInvoice(invoiceId) {
      const invoice = invoiceId ? byIdOrThrow(invoiceId) : newest((i) => i.status === 'ISSUED');
      if (invoice.status !== 'ISSUED' && invoice.status !== 'PAYMENT_FAILED') throw new Error(`invoice ${invoice.id} is ${invoice.status}, not payable`);
      counter += 1;
      const atMs = Math.max(Date.now(), issuedMs(invoice) + 1);
      replace({ ...invoice, status: 'PAID', paymentId: `pi_live_${counter}_${invoice.id.slice(-4)}`, paidAt: new Date(atMs).toISOString() });
      return { kind: 'pay', invoiceId: invoice.id, atMs } satisfies SandboxChange;
    },
    createInvoice() {
      const template = newest((i) => i.status === 'ISSUED');
      counter += 1;
      const atMs = Math.max(Date.now(), ...invoices.map((i) => issuedMs(i) + 1));
      const id = `kor_inv_live_${String(counter).padStart(4, '0')}`;
      const incremental = Math.max(1000, ...invoices.map((i) => (typeof i.incrementalId === 'number' ? i.incrementalId : 0))) + 1;
      replace({
        ...structuredClone(template),
        id,
        status: 'ISSUED',
        createdAt: new Date(atMs).toISOString(),
        issuedAt: new Date(atMs).toISOString(),
        incrementalId: incremental,
        externalId: null,
        paymentId: null,
        paidAt: null,
        hasFailedOnce: false,
        firstFailedAt: null,
        creditedInvoiceId: null,
        replacedInvoiceId: null,
      });
      return { kind: 'create', invoiceId: id, atMs } satisfies SandboxChange;
    },
    updateInvoice(invoiceId) {
      const invoice = invoiceId ? byIdOrThrow(invoiceId) : newest(() => true);
      counter += 1;
      const metadata = ((invoice.metadata as Array<{ key: string; value: string }> | undefined) ?? []).filter((m) => m.key !== 'note');
      replace({ ...invoice, metadata: [...metadata, { key: 'note', value: `edited ${counter}` }] });
      return { kind: 'update', invoiceId: invoice.id, atMs: Date.now() } satisfies SandboxChange;
    },
  };
}
