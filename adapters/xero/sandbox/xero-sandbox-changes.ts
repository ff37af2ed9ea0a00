// Changes to a sandbox tenant's books as Xero records them: a payment applied (AmountPaid up, AmountDue down, PAID
// with FullyPaidOnDate when nothing is left), a new AUTHORISED invoice, a reference edited. Each moves the invoice's
// UpdatedDateUTC, and each is reported to the webhook sender as Xero's INVOICE CREATE / UPDATE event.
import { randomUUID } from 'node:crypto';
import { nextModification, type SandboxChange, type SandboxChanges } from '../../kit/sandbox-changes.js';
import type { XeroSandboxDataset, XeroSandboxInvoice } from './xero-sandbox-data.js';

export type XeroEventType = 'CREATE' | 'UPDATE';

export interface XeroSandboxChanges extends SandboxChanges {
  /** The same changes in another tenant of the sandbox. */
  inTenant(tenant: string): SandboxChanges;
}

/** Creates the changes of a sandbox whose tenants' books are `dataset(tenant)`; `onChange` hears each one. */
export function createXeroSandboxChanges(
  dataset: (tenant?: string) => XeroSandboxDataset,
  onChange: (tenant: string, invoiceId: string, type: XeroEventType, atMs: number) => void,
): XeroSandboxChanges {
  let created = 0;
  const recent = (data: XeroSandboxDataset, wanted: (invoice: XeroSandboxInvoice) => boolean): XeroSandboxInvoice => {
    const found = [...data.invoices].sort((a, b) => b.dateMs - a.dateMs || (a.id < b.id ? -1 : 1)).find(wanted);
    if (!found) throw new Error('the sandbox tenant holds no invoice for this change');
    return found;
  };
  const byId = (data: XeroSandboxDataset, id: string): XeroSandboxInvoice => {
    const invoice = data.invoiceById.get(id.toLowerCase());
    if (!invoice) throw new Error(`no invoice ${id} in the sandbox tenant`);
    return invoice;
  };

  const forTenant = (tenant?: string): SandboxChanges => ({
    payInvoice(invoiceId) {
      const data = dataset(tenant);
      const invoice = invoiceId ? byId(data, invoiceId) : recent(data, (i) => i.status === 'AUTHORISED' && i.amountDue > 0);
      if (invoice.status !== 'AUTHORISED' || invoice.amountDue <= 0) throw new Error(`invoice ${invoice.id} has nothing due`);
      const atMs = nextModification(invoice.updatedMs);
      const payment = {
        id: randomUUID(),
        invoiceId: invoice.id,
        amount: invoice.amountDue,
        dateMs: atMs,
        updatedMs: atMs,
        reference: `Payment ${invoice.number}`,
        status: 'AUTHORISED' as const,
        batchId: null,
        reconciled: false,
      };
      data.payments.push(payment);
      data.paymentById.set(payment.id, payment);
      invoice.paymentIds.push(payment.id);
      invoice.amountPaid += payment.amount;
      invoice.amountDue = 0;
      invoice.status = 'PAID';
      invoice.fullyPaidMs = atMs;
      invoice.updatedMs = atMs;
      onChange(data.tenantId, invoice.id, 'UPDATE', atMs);
      return { kind: 'pay', invoiceId: invoice.id, atMs } satisfies SandboxChange;
    },
    createInvoice() {
      const data = dataset(tenant);
      const template = recent(data, (i) => i.type === 'ACCREC' && i.lines.length > 0 && i.scale === 2);
      created += 1;
      const atMs = Date.now();
      const invoice: XeroSandboxInvoice = {
        ...template,
        id: randomUUID(),
        number: `INV-L${String(created).padStart(4, '0')}`,
        status: 'AUTHORISED',
        reference: `Live ${created}`,
        dateMs: Date.UTC(new Date(atMs).getUTCFullYear(), new Date(atMs).getUTCMonth(), new Date(atMs).getUTCDate()),
        dueMs: atMs + 30 * 86_400_000,
        updatedMs: atMs,
        fullyPaidMs: null,
        lines: template.lines.map((line) => ({ ...line, id: randomUUID() })),
        amountPaid: 0,
        amountCredited: 0,
        amountDue: template.total,
        paymentIds: [],
      };
      data.invoices.push(invoice);
      data.invoiceById.set(invoice.id, invoice);
      onChange(data.tenantId, invoice.id, 'CREATE', atMs);
      return { kind: 'create', invoiceId: invoice.id, atMs } satisfies SandboxChange;
    },
    updateInvoice(invoiceId) {
      const data = dataset(tenant);
      const invoice = invoiceId ? byId(data, invoiceId) : recent(data, (i) => i.status === 'AUTHORISED' || i.status === 'DRAFT');
      const atMs = nextModification(invoice.updatedMs);
      invoice.reference = `Edited ${new Date(atMs).toISOString()}`;
      invoice.updatedMs = atMs;
      onChange(data.tenantId, invoice.id, 'UPDATE', atMs);
      return { kind: 'update', invoiceId: invoice.id, atMs } satisfies SandboxChange;
    },
  });
  return { ...forTenant(), inTenant: (tenant) => forTenant(tenant) };
}
