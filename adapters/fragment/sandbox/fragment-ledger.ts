// The simulator's invoices in Fragment's snake_case wire shape, and how Fragment derives balances and users from the
// line items and the payments: per currency, payins and payouts each { expected, actual, remaining }, net = payins - payouts.
// Amounts are integer strings in minor units, summed as bigint.

export interface SandboxTag {
  key: string;
  value: string;
}

export interface SandboxAmounts {
  actual: string;
  expected: string;
  remaining: string;
}

export interface SandboxBalance {
  currency: string;
  net: SandboxAmounts;
  payins: SandboxAmounts;
  payouts: SandboxAmounts;
}

export interface SandboxLineItem {
  id: string;
  amount: string;
  currency_code: string;
  description: string;
  product_id: string;
  type: 'payin' | 'payout';
  user_id: string;
}

export interface SandboxPayment {
  amount: string;
  currency: string;
  posted: string;
  transaction: { id: string; external_id: string; tags: SandboxTag[] };
  type: 'payin' | 'payout';
  user: { id: string; external_id: string };
}

export interface SandboxUser {
  id: string;
  balances: SandboxBalance[];
}

export interface SandboxInvoice {
  id: string;
  workspace_id: string;
  status: string;
  version: number;
  created: string;
  modified: string;
  line_items: SandboxLineItem[];
  balances: SandboxBalance[];
  users: SandboxUser[];
  payments: SandboxPayment[];
  tags?: SandboxTag[];
}

interface Totals {
  payinExpected: bigint;
  payinActual: bigint;
  payoutExpected: bigint;
  payoutActual: bigint;
}

function amounts(expected: bigint, actual: bigint): SandboxAmounts {
  return { actual: actual.toString(), expected: expected.toString(), remaining: (expected - actual).toString() };
}

function balancesOf(lines: readonly SandboxLineItem[], payments: readonly SandboxPayment[]): SandboxBalance[] {
  const totals = new Map<string, Totals>();
  const totalsOf = (currency: string): Totals => {
    let t = totals.get(currency);
    if (!t) {
      t = { payinExpected: 0n, payinActual: 0n, payoutExpected: 0n, payoutActual: 0n };
      totals.set(currency, t);
    }
    return t;
  };
  for (const line of lines) {
    const t = totalsOf(line.currency_code);
    if (line.type === 'payin') t.payinExpected += BigInt(line.amount);
    else t.payoutExpected += BigInt(line.amount);
  }
  for (const payment of payments) {
    const t = totalsOf(payment.currency);
    if (payment.type === 'payin') t.payinActual += BigInt(payment.amount);
    else t.payoutActual += BigInt(payment.amount);
  }
  return [...totals.entries()].map(([currency, t]) => ({
    currency,
    net: amounts(t.payinExpected - t.payoutExpected, t.payinActual - t.payoutActual),
    payins: amounts(t.payinExpected, t.payinActual),
    payouts: amounts(t.payoutExpected, t.payoutActual),
  }));
}

/** Fills in the invoice's balances and users (each with their own balances) from its lines and payments. */
export function withBalances(invoice: Omit<SandboxInvoice, 'balances' | 'users'>): SandboxInvoice {
  const userIds = [...new Set(invoice.line_items.map((line) => line.user_id))];
  return {
    ...invoice,
    balances: balancesOf(invoice.line_items, invoice.payments),
    users: userIds.map((id) => ({
      id,
      balances: balancesOf(
        invoice.line_items.filter((line) => line.user_id === id),
        invoice.payments.filter((payment) => payment.user.external_id === id),
      ),
    })),
  };
}

/** An active invoice of the seeds: at version 1 + its payments, with its balances and users derived. */
export function seededInvoice(invoice: Pick<SandboxInvoice, 'id' | 'workspace_id' | 'created' | 'modified' | 'line_items' | 'payments' | 'tags'>): SandboxInvoice {
  const { id, workspace_id, created, modified, line_items, payments, tags } = invoice;
  return withBalances({ id, workspace_id, status: 'active', version: 1 + payments.length, created, modified, line_items, payments, ...(tags ? { tags } : {}) });
}

/** The camelCase flavour of older answers and documented examples (seed 001): some keys camel, some still snake. */
export function camelFlavour(invoice: SandboxInvoice): Record<string, unknown> {
  const { workspace_id, line_items, payments, ...rest } = invoice;
  return {
    ...rest,
    workspaceId: workspace_id,
    lineItems: line_items.map(({ currency_code, ...line }) => ({ ...line, currencyCode: currency_code })),
    payments: payments.map(({ transaction: { external_id, ...transaction }, ...payment }) => ({
      ...payment,
      transaction: { ...transaction, externalId: external_id },
    })),
  };
}
