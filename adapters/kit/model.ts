// The internal model every adapter maps its provider's wire format into. Nothing here knows GraphQL.
import type { AmountDiscrepancy } from './discrepancy.js';
import type { Money } from './money.js';

/** A payment direction, from the invoicing party's point of view. */
export type Direction = 'PAYIN' | 'PAYOUT';

/**
 * Which way an invoice's money goes, from the business's point of view: RECEIVABLE (owed to it) or PAYABLE (owed by it).
 * An invoice with money both ways takes the direction of its net expected amount (RECEIVABLE when that is zero).
 */
export type InvoiceDirection = 'RECEIVABLE' | 'PAYABLE';

/** The common invoice statuses; the provider's own value always travels beside it in `providerStatus`. */
export type InvoiceStatus =
  | 'DRAFT'
  | 'OPEN'
  | 'PARTIALLY_PAID'
  | 'PAID'
  | 'PAYMENT_PENDING'
  | 'PAYMENT_FAILED'
  | 'DISPUTED'
  | 'REFUNDING'
  | 'VOID';

export interface KeyValue {
  key: string;
  value: string;
}

export interface BalanceAmounts {
  expected: Money;
  actual: Money;
  remaining: Money;
}

/** What is expected, received and still due in one currency; `net` is payins minus payouts. */
export interface Balance {
  currency: string;
  net: BalanceAmounts;
  payins: BalanceAmounts;
  payouts: BalanceAmounts;
}

/** One fee or tax of an insurance-style breakdown. */
export interface Charge {
  id: string | null;
  chargeType: string | null;
  amount: Money;
  brokerageFirmId: string | null;
}

/** A total split into its pre-fee amount, fees and taxes (Korint); SubTotal/TotalTax for Xero. */
export interface ChargeBreakdown {
  preFeesAndTaxes: Money;
  fees: Charge[];
  totalFees: Money;
  withFeesPreTaxes: Money;
  taxes: Charge[];
  totalTaxes: Money;
  total: Money;
}

export interface InvoiceComponent {
  id: string | null;
  type: string;
  breakdown: ChargeBreakdown | null;
  reconciliation: boolean | null;
}

export interface LineItem {
  id: string | null;
  description: string | null;
  /** The line's amount; for Xero the line total. */
  amount: Money | null;
  quantity: string | null;
  unitAmount: Money | null;
  direction: Direction | null;
  productId: string | null;
  userId: string | null;
  breakdown: ChargeBreakdown | null;
}

export interface Party {
  /** The provider's id for the party (Fragment user id, Xero ContactID). */
  id: string | null;
  externalId: string | null;
  role: 'USER' | 'CUSTOMER' | 'SUPPLIER';
  name: string | null;
  email: string | null;
  balances: Balance[];
}

export type InvoiceRelation = 'CREDITS' | 'REPLACES';

/** A link to another invoice of the same source. */
export interface InvoiceLink {
  relation: InvoiceRelation;
  invoiceRemoteId: string;
}

export interface Period {
  start: string | null;
  end: string | null;
}

export interface Invoice {
  remoteId: string;
  number: string | null;
  status: InvoiceStatus;
  providerStatus: string;
  issuedAt: string | null;
  dueAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
  period: Period | null;
  currency: string | null;
  direction: InvoiceDirection;
  /** Never negative: the absolute net expected amount; `direction` says which way it goes. */
  total: Money | null;
  /** Never negative: what remains owed in the invoice's direction (zero when overpaid; the excess is in `balances`). */
  amountDue: Money | null;
  totalBreakdown: ChargeBreakdown | null;
  components: InvoiceComponent[];
  balances: Balance[];
  lineItems: LineItem[];
  payments: Payment[];
  parties: Party[];
  metadata: KeyValue[];
  related: InvoiceLink[];
  /** Where the provider's own numbers do not add up; built when read (a getter on lazily built objects). */
  discrepancies: AmountDiscrepancy[];
}

export type PaymentStatus = 'PENDING' | 'POSTED' | 'FAILED' | 'REVERSED' | 'DELETED';

export interface Payment {
  remoteId: string;
  amount: Money;
  direction: Direction;
  postedAt: string | null;
  status: PaymentStatus;
  providerStatus: string | null;
  reference: string | null;
  /** The invoice this payment settles, in the same source. */
  invoiceRemoteId: string | null;
  batchPaymentRemoteId: string | null;
  metadata: KeyValue[];
}

export type BatchPaymentType = 'RECEIVABLE' | 'PAYABLE';

export interface BatchPayment {
  remoteId: string;
  reference: string | null;
  date: string | null;
  type: BatchPaymentType;
  status: string;
  total: Money;
  isReconciled: boolean | null;
  updatedAt: string | null;
  payments: Payment[];
  /** Where the batch's payments do not add up to its total; built when read. */
  discrepancies: AmountDiscrepancy[];
}
