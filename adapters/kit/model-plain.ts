// A lazily built model object as plain data: every field read now, recursively. For the mappings' tests and for the few
// answers (a create) the gateway wants checked whole before it answers.
import type { AmountDiscrepancy } from './discrepancy.js';
import type { Balance, BalanceAmounts, BatchPayment, Charge, ChargeBreakdown, Invoice, InvoiceComponent, LineItem, Party, Payment } from './model.js';

const amounts = (a: BalanceAmounts): BalanceAmounts => ({ expected: a.expected, actual: a.actual, remaining: a.remaining });

/** A balance as plain data. */
export function plainBalance(b: Balance): Balance {
  return { currency: b.currency, net: amounts(b.net), payins: amounts(b.payins), payouts: amounts(b.payouts) };
}

const charge = (c: Charge): Charge => ({ id: c.id, chargeType: c.chargeType, amount: c.amount, brokerageFirmId: c.brokerageFirmId });

function breakdown(b: ChargeBreakdown | null): ChargeBreakdown | null {
  if (!b) return null;
  return {
    preFeesAndTaxes: b.preFeesAndTaxes,
    fees: b.fees.map(charge),
    totalFees: b.totalFees,
    withFeesPreTaxes: b.withFeesPreTaxes,
    taxes: b.taxes.map(charge),
    totalTaxes: b.totalTaxes,
    total: b.total,
  };
}

const component = (c: InvoiceComponent): InvoiceComponent => ({ id: c.id, type: c.type, breakdown: breakdown(c.breakdown), reconciliation: c.reconciliation });

/** A line item as plain data. */
export function plainLineItem(l: LineItem): LineItem {
  return {
    id: l.id,
    description: l.description,
    amount: l.amount,
    quantity: l.quantity,
    unitAmount: l.unitAmount,
    direction: l.direction,
    productId: l.productId,
    userId: l.userId,
    breakdown: breakdown(l.breakdown),
  };
}

/** A payment as plain data. */
export function plainPayment(p: Payment): Payment {
  return {
    remoteId: p.remoteId,
    amount: p.amount,
    direction: p.direction,
    postedAt: p.postedAt,
    status: p.status,
    providerStatus: p.providerStatus,
    reference: p.reference,
    invoiceRemoteId: p.invoiceRemoteId,
    batchPaymentRemoteId: p.batchPaymentRemoteId,
    metadata: p.metadata.map(({ key, value }) => ({ key, value })),
  };
}

const party = (p: Party): Party => ({ id: p.id, externalId: p.externalId, role: p.role, name: p.name, email: p.email, balances: p.balances.map(plainBalance) });

/** Discrepancies as plain data. */
export function plainDiscrepancies(list: readonly AmountDiscrepancy[]): AmountDiscrepancy[] {
  return list.map(({ kind, expected, actual, message }) => ({ kind, expected, actual, message }));
}

/** A batch payment as plain data (its discrepancies computed now). */
export function plainBatchPayment(b: BatchPayment): BatchPayment {
  return {
    remoteId: b.remoteId,
    reference: b.reference,
    date: b.date,
    type: b.type,
    status: b.status,
    total: b.total,
    isReconciled: b.isReconciled,
    updatedAt: b.updatedAt,
    payments: b.payments.map(plainPayment),
    discrepancies: plainDiscrepancies(b.discrepancies),
  };
}

/** An invoice as plain data: reads (and so checks) every nested value now. */
export function plainInvoice(i: Invoice): Invoice {
  return {
    remoteId: i.remoteId,
    number: i.number,
    status: i.status,
    providerStatus: i.providerStatus,
    issuedAt: i.issuedAt,
    dueAt: i.dueAt,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    period: i.period ? { start: i.period.start, end: i.period.end } : null,
    currency: i.currency,
    direction: i.direction,
    total: i.total,
    amountDue: i.amountDue,
    totalBreakdown: breakdown(i.totalBreakdown),
    components: i.components.map(component),
    balances: i.balances.map(plainBalance),
    lineItems: i.lineItems.map(plainLineItem),
    payments: i.payments.map(plainPayment),
    parties: i.parties.map(party),
    metadata: i.metadata.map(({ key, value }) => ({ key, value })),
    related: i.related.map(({ relation, invoiceRemoteId }) => ({ relation, invoiceRemoteId })),
    discrepancies: plainDiscrepancies(i.discrepancies),
  };
}
