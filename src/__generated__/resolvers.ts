import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { InvoiceRef as InvoiceRefModel, PaymentRef as PaymentRefModel, BatchPaymentRef as BatchPaymentRefModel, RelatedInvoiceRef as RelatedInvoiceRefModel, SourceRef as SourceRefModel, BalanceSummaryRef as BalanceSummaryRefModel } from '../model-refs.js';
import type { Money as MoneyModel } from '../../adapters/kit/money.js';
import type { Balance as BalanceModel, BalanceAmounts as BalanceAmountsModel, Charge as ChargeModel, ChargeBreakdown as ChargeBreakdownModel, LineItem as LineItemModel, Party as PartyModel, InvoiceComponent as InvoiceComponentModel } from '../../adapters/kit/model.js';
import type { InvoiceConnectionRef as InvoiceConnectionRefModel, InvoiceEdgeRef as InvoiceEdgeRefModel } from '../listing/connection.js';
import type { InvoiceChangeEventRef as InvoiceChangeEventRefModel } from '../events/change-event.js';
import type { GatewayContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /**
   * A calendar date as an RFC 3339 `full-date` (ISO 8601 calendar date), e.g. `2024-01-13`, with no time and no time
   * zone. Typed clients receive a string.
   */
  Date: { input: string; output: string; }
  /**
   * An instant as an RFC 3339 `date-time` with a time zone offset, e.g. `2024-01-13T00:00:00.000Z`. Answers are always in
   * UTC (`Z`). Typed clients receive a string.
   */
  DateTime: { input: string; output: string; }
  /**
   * An exact decimal number, sent as a string so no digit is lost: `"12.34"`, `"-0.5"`, `"1500"`. Never a float: a
   * typed client should map it to `string` (or a decimal library's type), never to `number`. The text is XML Schema's
   * `decimal` lexical form restricted to an optional sign, digits, and an optional `.` followed by at least one digit
   * (`^[+-]?\d+(\.\d+)?$`); no exponent, no thousands separator.
   */
  Decimal: { input: string; output: string; }
};

/**
 * Where a provider's own numbers do not add up. The gateway reports it and changes nothing: the invoice is served as the
 * provider sent it. Both amounts are exact.
 */
export type AmountDiscrepancy = {
  __typename?: 'AmountDiscrepancy';
  /** What the provider states (the total; the batch's total). */
  actual: Money;
  /** What the parts add up to (the lines with their tax; paid + credited + due; the batch's payments). */
  expected: Money;
  /** What was compared. */
  kind: DiscrepancyKind;
  /** Both sides named, with their amounts, in words. */
  message: Scalars['String']['output'];
};

/**
 * The state of an invoice in one currency. Payins are money owed to the business, payouts money it owes; `net` is
 * payins minus payouts. Fragment reports this directly; for Xero an ACCREC invoice is a payin and an ACCPAY one a payout;
 * a Korint invoice is a payin of its total with fees and taxes.
 */
export type Balance = {
  __typename?: 'Balance';
  /** The currency of every amount below. */
  currency: Scalars['String']['output'];
  /** Payins minus payouts. */
  net: BalanceAmounts;
  /** Money coming in. */
  payins: BalanceAmounts;
  /** Money going out. */
  payouts: BalanceAmounts;
};

/** Expected, received and remaining amounts in one currency. */
export type BalanceAmounts = {
  __typename?: 'BalanceAmounts';
  /** What has been received (or paid out) so far. */
  actual: Money;
  /** What the invoice asks for. */
  expected: Money;
  /** What is still due. */
  remaining: Money;
};

/**
 * Exact totals across invoices, per currency. When a source could not answer, its invoices are left out and the source
 * is listed in `incompleteSources`, so a client knows the sums are partial. Ids are compared in their source's one
 * spelling (Xero GUIDs in lower case): an invoice asked for twice counts once. Drafts ask for no money yet: they are left
 * out of the totals and named in `draftInvoiceIds` (as `outstanding` leaves them out of a listing).
 */
export type BalanceSummary = {
  __typename?: 'BalanceSummary';
  /**
   * True when every requested invoice was found and counted or is a draft (none missing, forbidden, unreadable, or of a
   * failing source).
   */
  complete: Scalars['Boolean']['output'];
  /** Requested drafts (status DRAFT: Xero DRAFT and SUBMITTED, Korint DRAFTED): not money yet, so not in the totals. */
  draftInvoiceIds: Array<Scalars['ID']['output']>;
  /** Requested ids of sources the client may not read (FORBIDDEN); they are not in the totals. */
  forbiddenInvoiceIds: Array<Scalars['ID']['output']>;
  /** Sources that failed to answer; their invoices are not in the totals. */
  incompleteSources: Array<Scalars['String']['output']>;
  /** How many of the requested invoices were found and counted (drafts are not counted). */
  invoiceCount: Scalars['Int']['output'];
  /** Requested ids that do not exist (in their source's spelling). */
  missingInvoiceIds: Array<Scalars['ID']['output']>;
  /** Per currency, the sum of the invoices' balances (never mixing currencies). */
  totals: Array<Balance>;
  /**
   * Requested invoices whose amounts the gateway cannot read (a currency it does not know, a number it cannot carry
   * exactly); not in the totals.
   */
  unreadableInvoiceIds: Array<Scalars['ID']['output']>;
};

/** Several payments made as one bank transaction (Xero). */
export type BatchPayment = Node & {
  __typename?: 'BatchPayment';
  /** The date of the batch. */
  date?: Maybe<Scalars['Date']['output']>;
  /** Where the batch's payments do not add up to its total (PAYMENTS_VS_TOTAL); empty when they do. Computed only when asked for. */
  discrepancies: Array<AmountDiscrepancy>;
  /** The global id: `<source>:BatchPayment:<remoteId>`. */
  id: Scalars['ID']['output'];
  /** Whether the batch is reconciled with the bank. */
  isReconciled?: Maybe<Scalars['Boolean']['output']>;
  /** The payments of the batch; their invoices resolve through one batched lookup. */
  payments: Array<Payment>;
  /** The batch's reference. */
  reference?: Maybe<Scalars['String']['output']>;
  /** The provider's own id (Xero BatchPaymentID). */
  remoteId: Scalars['String']['output'];
  /** The source holding the batch. */
  source: Source;
  /** The provider's status (`AUTHORISED`, `DELETED`). */
  status: Scalars['String']['output'];
  /** The batch's total. */
  total: Money;
  /** Receivable or payable. */
  type: BatchPaymentType;
  /** When the batch last changed. */
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** A page of batch payments. */
export type BatchPaymentConnection = {
  __typename?: 'BatchPaymentConnection';
  /** The batch payments of this page, each with its cursor. */
  edges: Array<BatchPaymentEdge>;
  /** Where this page sits. */
  pageInfo: PageInfo;
  /** How many batch payments match the filter across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** A batch payment and its cursor. */
export type BatchPaymentEdge = {
  __typename?: 'BatchPaymentEdge';
  /** Pass as `after` to get the batches following this one. */
  cursor: Scalars['String']['output'];
  /** The batch payment. */
  node: BatchPayment;
};

/** Filters for `batchPayments`; every field is optional and they combine with AND. */
export type BatchPaymentFilter = {
  /** Only batches dated on or after this date. */
  dateFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Only batches dated on or before this date. */
  dateTo?: InputMaybe<Scalars['Date']['input']>;
  /** Only batches modified since this instant (sent to Xero as If-Modified-Since). */
  modifiedSince?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only batches with this provider status (`AUTHORISED`, `DELETED`). */
  status?: InputMaybe<Scalars['String']['input']>;
  /** Only receivable or only payable batches. */
  type?: InputMaybe<BatchPaymentType>;
};

/** One payment of a batch. */
export type BatchPaymentItemInput = {
  /** The amount in major units of the invoice's currency, greater than zero, at most the currency's decimal places. */
  amount: Scalars['Decimal']['input'];
  /** The global id of the invoice paid. */
  invoiceId: Scalars['ID']['input'];
};

/** Whether a batch collects or pays. */
export type BatchPaymentType =
  /** Money paid to several suppliers at once (Xero PAYBATCH). */
  | 'PAYABLE'
  /** Money received from several customers at once (Xero RECBATCH). */
  | 'RECEIVABLE';

/** One fee or tax within a breakdown. */
export type Charge = {
  __typename?: 'Charge';
  /** The charge's amount. */
  amount: Money;
  /** The brokerage firm a fee goes to (Korint). */
  brokerageFirmId?: Maybe<Scalars['String']['output']>;
  /** How the charge recurs (`ONE_TIME`, ...), as the provider says. */
  chargeType?: Maybe<Scalars['String']['output']>;
  /** The provider's id for the charge. */
  id?: Maybe<Scalars['String']['output']>;
};

/**
 * A total taken apart: the amount before fees and taxes, the fees, the amount with fees before taxes, the taxes, and the
 * total. Korint gives every part; Xero gives the subtotal and the total tax (no fees).
 */
export type ChargeBreakdown = {
  __typename?: 'ChargeBreakdown';
  /** Each fee. */
  fees: Array<Charge>;
  /** The amount before fees and taxes. */
  preFeesAndTaxes: Money;
  /** Each tax. */
  taxes: Array<Charge>;
  /** The amount with fees and taxes. */
  total: Money;
  /** All fees together. */
  totalFees: Money;
  /** All taxes together. */
  totalTaxes: Money;
  /** The amount with fees, before taxes. */
  withFeesPreTaxes: Money;
};

/** Circuit breaker states. */
export type CircuitState =
  /** Calls flow normally. */
  | 'CLOSED'
  /** One probe call is allowed through to test the source. */
  | 'HALF_OPEN'
  /** Calls are refused at once with UPSTREAM_UNAVAILABLE. */
  | 'OPEN';

/** A batch payment: several payments made as one bank transaction. */
export type CreateBatchPaymentInput = {
  /** The bank account paid from or into: the provider's account id or the account's code. */
  accountId: Scalars['String']['input'];
  /** The date of the batch and of each of its payments. */
  date: Scalars['Date']['input'];
  /** Your key for this batch, as `RecordPaymentInput.idempotencyKey`. */
  idempotencyKey: Scalars['String']['input'];
  /** The payments, one per invoice (at least one). */
  payments: Array<BatchPaymentItemInput>;
  /** A reference shown with the batch (at most 255 characters). */
  reference?: InputMaybe<Scalars['String']['input']>;
  /** The source to pay at (a Xero source's name); every invoice of `payments` must belong to it. */
  source: Scalars['String']['input'];
};

/** A new invoice. */
export type CreateInvoiceInput = {
  /** Your own id for the invoice. It is the idempotency key: sending the same input twice creates one invoice. */
  invoiceId: Scalars['String']['input'];
  /** The invoice's lines (at least one). */
  lineItems: Array<LineItemInput>;
  /** The source to create it at; defaults to the one source that can create invoices (Fragment). */
  source?: InputMaybe<Scalars['String']['input']>;
};

/**
 * What a discrepancy compares. Each provider's own rules are applied first (Xero's `LineAmountTypes`, for one): a
 * difference its documentation explains is not a discrepancy.
 */
export type DiscrepancyKind =
  /**
   * The lines, with their fees and taxes, against the stated total. Xero: the line amounts with their tax (by
   * `LineAmountTypes`: Exclusive lines add up to SubTotal and with the tax to Total, Inclusive and NoTax lines to Total);
   * Korint: the lines, then the components, with their fees and taxes, then the total's own parts; Fragment: the payin
   * and payout line items of each currency against the balance's expected amounts.
   */
  | 'LINES_VS_TOTAL'
  /** A batch payment's payments against the batch's total (Xero: the payments' amounts against TotalAmount). */
  | 'PAYMENTS_VS_TOTAL'
  /**
   * What is paid, credited and still due against the total. Xero: AmountPaid + AmountCredited + AmountDue against Total
   * (not for a VOIDED or DELETED invoice); Fragment: each side's actual and remaining amounts against its expected amount.
   */
  | 'SETTLEMENT_VS_TOTAL';

/** A source's overall health. */
export type HealthStatus =
  /** Some calls are failing. */
  | 'DEGRADED'
  /** The circuit is open: calls are refused until a probe succeeds. */
  | 'DOWN'
  /** Recent calls succeeded (or none were made yet). */
  | 'UP';

/** An invoice from any source. Fields are null where the provider does not know them; an amount is never a float. */
export type Invoice = Node & {
  __typename?: 'Invoice';
  /**
   * What remains owed in the invoice's direction, never negative; null when it holds several currencies. An overpaid
   * invoice owes nothing (0, status PAID): the excess is the negative `remaining` of its side in `balances`. A draft's
   * amountDue is what it will ask once issued; a draft is not outstanding and not in `balanceSummary`'s totals.
   */
  amountDue?: Maybe<Money>;
  /** Expected, received and remaining amounts per currency. */
  balances: Array<Balance>;
  /** The parts of an insurance invoice (Korint); empty elsewhere. */
  components: Array<InvoiceComponent>;
  /** When the invoice was created at the provider. */
  createdAt?: Maybe<Scalars['DateTime']['output']>;
  /** The invoice's currency; null when it holds several (see `balances`). */
  currency?: Maybe<Scalars['String']['output']>;
  /**
   * Which way the money goes: RECEIVABLE (owed to the business) or PAYABLE (owed by it), for every provider. `total` and
   * `amountDue` are never negative; this says their direction.
   */
  direction: InvoiceDirection;
  /**
   * Where the provider's own numbers on this invoice do not add up (see DiscrepancyKind), at most one entry per kind;
   * empty when everything adds up or there is nothing to compare. Computed only when asked for; never fails the invoice.
   */
  discrepancies: Array<AmountDiscrepancy>;
  /** When payment is due. */
  dueAt?: Maybe<Scalars['DateTime']['output']>;
  /** The global id: `<source>:Invoice:<remoteId>`. */
  id: Scalars['ID']['output'];
  /** When the invoice was issued. */
  issuedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The invoice's lines. */
  lineItems: Array<LineItem>;
  /** Tags and metadata, as key and value. */
  metadata: Array<KeyValue>;
  /** The human-facing number (Xero InvoiceNumber, Korint incrementalId or externalId). */
  number?: Maybe<Scalars['String']['output']>;
  /** The people or organisations involved. */
  parties: Array<Party>;
  /** Payments made against the invoice. */
  payments: Array<Payment>;
  /** The period the invoice covers. */
  period?: Maybe<Period>;
  /** The provider's own status, unchanged (`active`, `AUTHORISED`, `PAYMENT_DISPUTED`). */
  providerStatus: Scalars['String']['output'];
  /** Invoices this one credits or replaces (Korint). */
  relatedInvoices: Array<RelatedInvoice>;
  /** The provider's own id for the invoice. */
  remoteId: Scalars['String']['output'];
  /** The source holding the invoice. */
  source: Source;
  /** The common status; see InvoiceStatus. */
  status: InvoiceStatus;
  /**
   * The invoice's total in its currency, never negative: the absolute net expected amount (`direction` says which way).
   * Null when it holds several currencies.
   */
  total?: Maybe<Money>;
  /** The total taken apart into pre-fee amount, fees and taxes, where the provider says. */
  totalBreakdown?: Maybe<ChargeBreakdown>;
  /** When the invoice last changed at the provider. */
  updatedAt?: Maybe<Scalars['DateTime']['output']>;
};

/** One change of one invoice. */
export type InvoiceChangeEvent = {
  __typename?: 'InvoiceChangeEvent';
  /** The event's id, in delivery order: pass it as `after` to resume from here. */
  id: Scalars['ID']['output'];
  /**
   * The invoice as it stands now, fetched once for every subscriber, with exact money; null with an error when the
   * provider could not be asked (the event stands), or when the invoice no longer exists.
   */
  invoice?: Maybe<Invoice>;
  /** The global id of the invoice that changed. */
  invoiceId: Scalars['ID']['output'];
  /** Whether the invoice is new, or an existing one changed. */
  kind: InvoiceChangeKind;
  /** When the change happened (the provider's time where it says, else when the gateway noticed it). */
  occurredAt: Scalars['DateTime']['output'];
  /** The source it changed at. */
  source: Scalars['String']['output'];
};

/** Narrows `invoiceChanged`; every field given must match. */
export type InvoiceChangeFilter = {
  /** Only these invoices (global invoice ids), at most 1000. */
  ids?: InputMaybe<Array<Scalars['ID']['input']>>;
  /** Only these sources (among those the client may read). */
  sources?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Only events whose invoice has one of these statuses now. */
  statuses?: InputMaybe<Array<InvoiceStatus>>;
};

/** What kind of change an event reports. */
export type InvoiceChangeKind =
  /** A new invoice. */
  | 'CREATED'
  /** An existing invoice changed (paid, updated, voided...). */
  | 'UPDATED';

/** A part of an insurance invoice's total (Korint components: PREMIUM, PERIL, FEE, TAX, SPECIAL). */
export type InvoiceComponent = {
  __typename?: 'InvoiceComponent';
  /** The component's amounts. */
  breakdown?: Maybe<ChargeBreakdown>;
  /** The provider's id for the component. */
  id?: Maybe<Scalars['String']['output']>;
  /** Whether the component is reconciled. */
  reconciliation?: Maybe<Scalars['Boolean']['output']>;
  /** The component type, as the provider says (`PREMIUM`, `PERIL`, `FEE`, `TAX`, `SPECIAL`). */
  type: Scalars['String']['output'];
};

/**
 * One page of invoices merged from every source the client may read, in one order. A page holds `first` invoices unless
 * the listing ends there, or a filter the gateway applies for a source found fewer within the page's calls (see
 * InvoiceFilter): then it may hold fewer, even none, with `pageInfo.hasNextPage` true.
 */
export type InvoiceConnection = {
  __typename?: 'InvoiceConnection';
  /** The invoices of this page with their cursors. */
  edges: Array<InvoiceEdge>;
  /**
   * Sources whose invoices are missing from this page: they failed (an error names each, with its code), or the client may
   * not read them. The cursor keeps a failed source's position, so the next page asks it again from where it stopped: none
   * of its invoices is lost or repeated, but those that sort before invoices already returned arrive later than their place.
   */
  incompleteSources: Array<Scalars['String']['output']>;
  /** The invoices of this page, without cursors. */
  nodes: Array<Invoice>;
  /** Where this page stands; `endCursor` continues after it (also when the page is empty). */
  pageInfo: PageInfo;
  /**
   * How many invoices match across all pages, when every source listed reported its count for exactly this filter
   * (Xero, Korint without filters), as counted on the first page; null otherwise (Fragment reports none).
   */
  totalCount?: Maybe<Scalars['Int']['output']>;
};

/**
 * Which way an invoice's money goes, from the business's point of view. An invoice with money both ways (Fragment payins
 * and payouts) takes the direction of its net expected amount, RECEIVABLE when that is zero.
 */
export type InvoiceDirection =
  /** Owed by the business: a bill (Xero ACCPAY), a Fragment invoice whose payouts exceed its payins, a Korint one whose total is below zero. */
  | 'PAYABLE'
  /** Owed to the business: a sales invoice (Xero ACCREC, Korint), or a Fragment invoice whose net expected is not below zero. */
  | 'RECEIVABLE';

/** An invoice and its cursor. */
export type InvoiceEdge = {
  __typename?: 'InvoiceEdge';
  /** Pass as `after` to continue right after this invoice. */
  cursor: Scalars['String']['output'];
  /** The invoice: the same object `invoice(id)` answers, so its nested fields batch like lookups. */
  node: Invoice;
};

/**
 * Narrows `listInvoices`; every field is optional and they combine with AND. Each provider applies what it can itself and
 * the gateway applies every field again on the invoices it receives, so the answer is the same whichever applied it:
 * Xero applies all but `hasDiscrepancies` (`Statuses`, `where` on `Date`, `CurrencyCode`, `AmountDue` and `Type`,
 * `If-Modified-Since`);
 * Fragment applies `statuses` (as `filter.status: active`) and the issue dates (as `filter.created`); Korint applies none
 * (the gateway filters its pages). A filter the provider does not apply (or only loosely: Fragment's `active` for
 * three statuses, Xero's statuses and `AmountDue>0` for `outstanding`) is applied by the gateway: a page then reads up to
 * 5 calls of that source, and may hold fewer than `first` invoices, even none, while `pageInfo.hasNextPage` is true.
 */
export type InvoiceFilter = {
  /**
   * Only invoices in this currency (ISO 4217 code, or a crypto code): its `currency`, or for a multi-currency Fragment
   * invoice any of its balances. Xero: `where CurrencyCode`; Fragment and Korint: applied by the gateway.
   */
  currency?: InputMaybe<Scalars['String']['input']>;
  /**
   * Only invoices going this way (see Invoice.direction). Xero: `where Type=="ACCREC"` (RECEIVABLE) or `"ACCPAY"`
   * (PAYABLE); Fragment and Korint: applied by the gateway.
   */
  direction?: InputMaybe<InvoiceDirection>;
  /**
   * true: only invoices whose provider's numbers do not add up (a non-empty `discrepancies`); false: only those that do.
   * Applied by the gateway, on every provider: a page may then cost more than one upstream call per source.
   */
  hasDiscrepancies?: InputMaybe<Scalars['Boolean']['input']>;
  /**
   * Issued on or after this calendar day: Xero's own day (its dates are the organisation's local days), the UTC day of
   * the others' times. An invoice without an issue date (Fragment's, Korint's drafts) counts its creation time. Xero:
   * `where Date >=`; Fragment: `filter.created.after`; Korint: applied by the gateway.
   */
  issuedFrom?: InputMaybe<Scalars['Date']['input']>;
  /** Issued on or before this calendar day (inclusive; Xero's day, else UTC). Xero: `where Date <=`; Fragment: `filter.created.before`; Korint: applied by the gateway. */
  issuedTo?: InputMaybe<Scalars['Date']['input']>;
  /**
   * true: only invoices not settled, that is with something remaining on either side (payins or payouts, in any
   * currency), that are neither DRAFT nor VOID (a draft is not money yet); false: every other invoice. Xero: `where
   * AmountDue>0` for true; otherwise applied by the gateway.
   */
  outstanding?: InputMaybe<Scalars['Boolean']['input']>;
  /** Only these configured sources (each must be one the client may read). Applied by the gateway: it asks no other source. */
  sources?: InputMaybe<Array<Scalars['String']['input']>>;
  /**
   * Only invoices with one of these statuses. Xero: sent as `Statuses` (its statuses that can become these); Fragment:
   * `filter.status: active` when every status asked is OPEN, PARTIALLY_PAID or PAID; Korint: applied by the gateway.
   */
  statuses?: InputMaybe<Array<InvoiceStatus>>;
  /**
   * Only invoices modified at or after this instant. An invoice whose provider reports no modification time (Korint)
   * counts its issue time. Xero: `If-Modified-Since`; Fragment and Korint: applied by the gateway.
   */
  updatedSince?: InputMaybe<Scalars['DateTime']['input']>;
};

/**
 * The order of `listInvoices`, across every source; invoices with the same time are ordered by global id (ascending;
 * a remote id longer than 64 characters by its first 64 and a digest), and an invoice without the time sorts last. The
 * gateway orders invoices of the same time itself, whatever order a provider gives them in. A source that cannot answer
 * an order is left out of it: named in `incompleteSources` with an `UNSUPPORTED` error, before any call.
 */
export type InvoiceOrder =
  /**
   * Oldest issue first. Xero and Korint answer in this order; Fragment cannot (its search answers newest first), so
   * Fragment is left out (UNSUPPORTED).
   */
  | 'ISSUED_AT_ASC'
  /**
   * Newest issue first (the default). An invoice without an issue date counts its creation time. Every provider answers in
   * this order itself (Fragment by creation time, as its search does; Xero by `Date`, a day).
   */
  | 'ISSUED_AT_DESC'
  /**
   * Most recently modified first. An invoice without a modification time (Korint) counts its issue time. Xero and Korint
   * answer in this order; Fragment cannot, so Fragment is left out (UNSUPPORTED).
   */
  | 'UPDATED_AT_DESC';

/** How one invoice relates to another. */
export type InvoiceRelation =
  /** This invoice credits the other one. */
  | 'CREDITS'
  /** This invoice replaces the other one. */
  | 'REPLACES';

/**
 * The common invoice status. Where a provider's own status says less than its amounts (Fragment's `active`, Xero's
 * `AUTHORISED`), OPEN / PARTIALLY_PAID / PAID is derived from the amounts. The provider's raw value is always in
 * `Invoice.providerStatus`; a value the gateway does not know maps to OPEN and never fails a response.
 */
export type InvoiceStatus =
  /** The payment is disputed. */
  | 'DISPUTED'
  /** Not yet issued. */
  | 'DRAFT'
  /** Issued, nothing paid yet. */
  | 'OPEN'
  /** Nothing remains due. */
  | 'PAID'
  /** Some of the amount is paid. */
  | 'PARTIALLY_PAID'
  /** The last payment attempt failed. */
  | 'PAYMENT_FAILED'
  /** A payment is under way. */
  | 'PAYMENT_PENDING'
  /** Money is being returned. */
  | 'REFUNDING'
  /** Cancelled, voided or deleted. */
  | 'VOID';

/** A key and a value (Fragment tags, Korint metadata). */
export type KeyValue = {
  __typename?: 'KeyValue';
  /** The key. */
  key: Scalars['String']['output'];
  /** The value. */
  value: Scalars['String']['output'];
};

/** A line of an invoice. */
export type LineItem = {
  __typename?: 'LineItem';
  /** The line's amount (Xero: the line total). */
  amount?: Maybe<Money>;
  /** Fees and taxes of the line (Korint). */
  breakdown?: Maybe<ChargeBreakdown>;
  /** What the line is for. */
  description?: Maybe<Scalars['String']['output']>;
  /** Whether the line is money in or out (Fragment). */
  direction?: Maybe<PaymentDirection>;
  /** The provider's id for the line. */
  id?: Maybe<Scalars['String']['output']>;
  /** The product or catalogue item (Fragment `product_id`, Xero `ItemCode`). */
  productId?: Maybe<Scalars['String']['output']>;
  /** How many units, as an exact decimal (Xero). */
  quantity?: Maybe<Scalars['Decimal']['output']>;
  /** The price of one unit; may carry more decimals than the currency (Xero's `unitdp=4`). */
  unitAmount?: Maybe<Money>;
  /** The user the line belongs to (Fragment). */
  userId?: Maybe<Scalars['String']['output']>;
};

/** A line of a new invoice. */
export type LineItemInput = {
  /** The amount in major units, as an exact decimal: `"42.50"`. */
  amount: Scalars['Decimal']['input'];
  /** The currency (ISO 4217, crypto or non-monetary unit). */
  currency: Scalars['String']['input'];
  /** What the line is for. */
  description: Scalars['String']['input'];
  /** The product or catalogue item. */
  productId: Scalars['String']['input'];
  /** Money in (PAYIN) or out (PAYOUT). */
  type: PaymentDirection;
  /** The user the line belongs to (your own id for them). */
  userId: Scalars['String']['input'];
};

/**
 * An exact amount of money. `amount` is the decimal in major units as a string; `minorUnits` the same amount counted in
 * the currency's smallest unit. Nothing here is ever a float, and nothing is ever rounded.
 */
export type Money = {
  __typename?: 'Money';
  /** The exact decimal in major units, with at least the currency's decimals: `"12.34"`, `"1500"` (JPY), `"0.00100000"` (BTC). */
  amount: Scalars['Decimal']['output'];
  /** ISO 4217 code, or a crypto or non-monetary unit (`BTC`, `USDC`, `PTS`, `LOGICAL`). */
  currency: Scalars['String']['output'];
  /** The amount as an integer count of the currency's smallest unit (`"1234"` for 12.34 USD); null when it is not a whole number of them (a 4-decimal unit price). */
  minorUnits?: Maybe<Scalars['String']['output']>;
  /** How many decimals the currency has: 2 for USD, 0 for JPY, 3 for KWD, 8 for BTC. */
  scale: Scalars['Int']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Records several payments as one bank transaction (Xero batch payment), each against one invoice of `source`, and
   * answers the batch with its payments. Grants, idempotency, amounts and errors as for `recordPayment`; invoices of
   * another source are `BAD_USER_INPUT` before anything is sent.
   */
  createBatchPayment: BatchPayment;
  /**
   * Creates an invoice at a source that supports it (Fragment). `invoiceId` is the idempotency key: the same input sent
   * twice yields one invoice and two successful answers.
   */
  createInvoice: Invoice;
  /**
   * Deletes (reverses) a payment: its amount is due on its invoice again. Answers the payment with status `DELETED`;
   * deleting a payment already deleted answers it as it is. Needs the `pay` grant. A payment made in a batch, or one
   * already reconciled, cannot be deleted on its own (`BAD_USER_INPUT` with the provider's words).
   */
  deletePayment: Payment;
  /**
   * Records a payment against one invoice at a source that takes payments (Xero), and answers it as `node` would. Needs
   * the `pay` grant (clients file `operations`, JWT scope `invoices:pay`) and `read` on the source. `idempotencyKey` makes
   * it safe to send again: the same key with the same input answers the same payment and creates nothing (a lost answer is
   * `UPSTREAM_OUTCOME_UNKNOWN` with `retrySafe: true`: send the same input again); the same key with another input is
   * `BAD_USER_INPUT`. An amount with more decimal places than the invoice's currency has is `BAD_USER_INPUT`, never
   * rounded. The provider's refusals (an amount over the amount due, a closed period, an account that takes no payments,
   * a currency mismatch) are `BAD_USER_INPUT` with the provider's words in `extensions.providerMessages`.
   */
  recordPayment: Payment;
};


export type MutationCreateBatchPaymentArgs = {
  input: CreateBatchPaymentInput;
};


export type MutationCreateInvoiceArgs = {
  input: CreateInvoiceInput;
};


export type MutationDeletePaymentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRecordPaymentArgs = {
  input: RecordPaymentInput;
};

/**
 * An object with a global id of the form `<source>:<Type>:<remoteId>`, e.g. `fragment:Invoice:inv_123`.
 * The id is stable: the same provider object always has the same id.
 */
export type Node = {
  /** The global id: `<source>:<Type>:<remoteId>`. */
  id: Scalars['ID']['output'];
};

/** Relay page information. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** The last item's cursor. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** Whether more items follow. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Whether items precede this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** The first item's cursor. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** Someone involved in an invoice. */
export type Party = {
  __typename?: 'Party';
  /** The party's own balances on this invoice (Fragment users). */
  balances: Array<Balance>;
  /** The party's e-mail address. */
  email?: Maybe<Scalars['String']['output']>;
  /** The caller's own id for the party, where the provider keeps one. */
  externalId?: Maybe<Scalars['String']['output']>;
  /** The provider's id for the party (Fragment user id, Xero ContactID). */
  id?: Maybe<Scalars['String']['output']>;
  /** The party's name. */
  name?: Maybe<Scalars['String']['output']>;
  /** The party's role. */
  role: PartyRole;
};

/** The role a party plays on an invoice. */
export type PartyRole =
  /** Who pays (Xero ACCREC contact). */
  | 'CUSTOMER'
  /** Who is paid (Xero ACCPAY contact). */
  | 'SUPPLIER'
  /** A user of the ledger (Fragment). */
  | 'USER';

/** A payment against an invoice. */
export type Payment = Node & {
  __typename?: 'Payment';
  /** The amount paid. */
  amount: Money;
  /** The batch this payment was made in (Xero). */
  batch?: Maybe<BatchPayment>;
  /** Money in or out. */
  direction: PaymentDirection;
  /** The global id: `<source>:Payment:<remoteId>`. */
  id: Scalars['ID']['output'];
  /** The invoice paid, looked up through the batched invoice loader (a page of payments costs one batched lookup). */
  invoice?: Maybe<Invoice>;
  /** Tags of the payment's transaction (Fragment). */
  metadata: Array<KeyValue>;
  /** When the payment was posted. */
  postedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The provider's own status, unchanged, where it has one. */
  providerStatus?: Maybe<Scalars['String']['output']>;
  /** A reference the payer or the provider attached. */
  reference?: Maybe<Scalars['String']['output']>;
  /** The provider's own id for the payment. For Fragment, whose payments live inside invoices, `<invoiceId>/<transactionId>`. */
  remoteId: Scalars['String']['output'];
  /** The source holding the payment. */
  source: Source;
  /** The payment's state. */
  status: PaymentStatus;
};

/** Which way money moves, from the business's point of view. */
export type PaymentDirection =
  /** Money coming in (a receivable). */
  | 'PAYIN'
  /** Money going out (a payable). */
  | 'PAYOUT';

/** The state of a payment. */
export type PaymentStatus =
  /** Deleted at the provider. */
  | 'DELETED'
  /** The attempt failed. */
  | 'FAILED'
  /** Initiated but not settled. */
  | 'PENDING'
  /** Settled. */
  | 'POSTED'
  /** Reversed or refunded. */
  | 'REVERSED';

/** A span of time an invoice covers. */
export type Period = {
  __typename?: 'Period';
  /** When the period ends. */
  end?: Maybe<Scalars['DateTime']['output']>;
  /** When the period starts. */
  start?: Maybe<Scalars['DateTime']['output']>;
};

export type Query = {
  __typename?: 'Query';
  /** Exact totals per currency over the given invoices, across sources. At most 1000 ids. */
  balanceSummary?: Maybe<BalanceSummary>;
  /**
   * Batch payments of one source that has them (Xero), newest first, as a Relay connection. `source` may be omitted
   * when exactly one configured source has batch payments.
   */
  batchPayments?: Maybe<BatchPaymentConnection>;
  /** Batch payments by global id, in the same order as `ids`, null where not found. At most 1000 ids. */
  batchPaymentsByIds: Array<Maybe<BatchPayment>>;
  /**
   * One invoice by its global id; null with a NOT_FOUND error when it does not exist. `simulatedAt` and `whenAt` are forwarded to Korint as its simulation context (the
   * invoice as it was, or will be, at that time); other providers ignore them.
   */
  invoice?: Maybe<Invoice>;
  /**
   * Invoices by global id, from any mix of sources, in the same order as `ids` with null where not found. Each source
   * is asked once per batch of its provider's size. At most 1000 ids. `simulatedAt` and `whenAt` are forwarded to Korint;
   * other providers ignore them.
   */
  invoices: Array<Maybe<Invoice>>;
  /**
   * Invoices from every source the client may read (narrowed by `filter.sources`), merged into one order, as a Relay
   * connection. Each source resumes at the time and id of the last invoice it gave (a keyset, pushed to the provider
   * where it can bound a read), so reading every page returns every matching invoice exactly once while nothing changes
   * upstream, however many invoices share a time, and an invoice whose time did not change is neither repeated nor
   * skipped when others change between pages. A page costs one call per source, more only to read all the invoices
   * sharing one time, or for a filter the gateway applies (bounded); it re-reads at most the invoices of the time it
   * resumes at, never the pages behind. A failing source is named in `incompleteSources` and in an error; the other
   * sources' invoices are served.
   */
  listInvoices: InvoiceConnection;
  /** Any object by its global id; null with a NOT_FOUND error when it does not exist. */
  node?: Maybe<Node>;
  /** Objects by global id, in the same order as `ids`, null where not found. At most 1000 ids. */
  nodes: Array<Maybe<Node>>;
  /** Payments by global id, in the same order as `ids`, null where not found. At most 1000 ids. */
  payments: Array<Maybe<Payment>>;
  /** The configured sources the client may read, and their health. */
  sources: Array<Source>;
};


export type QueryBalanceSummaryArgs = {
  invoiceIds: Array<Scalars['ID']['input']>;
};


export type QueryBatchPaymentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<BatchPaymentFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  source?: InputMaybe<Scalars['String']['input']>;
};


export type QueryBatchPaymentsByIdsArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QueryInvoiceArgs = {
  id: Scalars['ID']['input'];
  simulatedAt?: InputMaybe<Scalars['DateTime']['input']>;
  whenAt?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryInvoicesArgs = {
  ids: Array<Scalars['ID']['input']>;
  simulatedAt?: InputMaybe<Scalars['DateTime']['input']>;
  whenAt?: InputMaybe<Scalars['DateTime']['input']>;
};


export type QueryListInvoicesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<InvoiceFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  orderBy?: InputMaybe<InvoiceOrder>;
};


export type QueryNodeArgs = {
  id: Scalars['ID']['input'];
};


export type QueryNodesArgs = {
  ids: Array<Scalars['ID']['input']>;
};


export type QueryPaymentsArgs = {
  ids: Array<Scalars['ID']['input']>;
};

/** A payment to record against one invoice. */
export type RecordPaymentInput = {
  /** The account paid into (a receivable) or from (a payable): the provider's account id (a GUID at Xero) or the account's code (`"090"`). */
  accountId: Scalars['String']['input'];
  /** The amount in major units of the invoice's currency (`"10.50"`), greater than zero, at most the currency's decimal places. */
  amount: Scalars['Decimal']['input'];
  /** The date of the payment; a date in a period the organisation has locked is refused by the provider. */
  date: Scalars['Date']['input'];
  /**
   * Your key for this payment, 1 to 128 characters (a UUID is a good choice). Send the same key with the same input to
   * retry safely; use a new key for a new payment. Keys are your own: two clients never collide.
   */
  idempotencyKey: Scalars['String']['input'];
  /** The global id of the invoice paid (`xero:Invoice:<InvoiceID>`); the source is the invoice's. */
  invoiceId: Scalars['ID']['input'];
  /** A reference shown with the payment (at most 255 characters). */
  reference?: InputMaybe<Scalars['String']['input']>;
};

/** A link from an invoice to another invoice of the same source. */
export type RelatedInvoice = {
  __typename?: 'RelatedInvoice';
  /** The other invoice, looked up through the same batched loader; null if it does not exist or its source failed. */
  invoice?: Maybe<Invoice>;
  /** The global id of the other invoice. */
  invoiceId: Scalars['ID']['output'];
  /** How the two relate. */
  relation: InvoiceRelation;
};

/** A configured provider instance. Two Xero tenants are two sources of kind `xero`. */
export type Source = {
  __typename?: 'Source';
  /** What this source can do beyond looking up invoices. */
  capabilities: Array<SourceCapability>;
  /** Whether the gateway is currently able to reach the source. */
  health: SourceHealth;
  /** The provider behind the source. */
  kind: SourceKind;
  /** The source's configured name, the first part of every id it owns (`fragment`, `xero-nz`). */
  name: Scalars['String']['output'];
};

/** Optional abilities of a source. */
export type SourceCapability =
  /** Batch payments can be listed and looked up. */
  | 'BATCH_PAYMENTS'
  /** `createInvoice` works at this source. */
  | 'CREATE_INVOICE'
  /** Payments can be looked up by id. */
  | 'PAYMENTS'
  /** `recordPayment`, `createBatchPayment` and `deletePayment` work at this source. */
  | 'RECORD_PAYMENTS'
  /** `simulatedAt` and `whenAt` are honoured. */
  | 'SIMULATION';

/** How a source is doing, as the gateway sees it. */
export type SourceHealth = {
  __typename?: 'SourceHealth';
  /** The circuit breaker's state for this source. */
  circuit: CircuitState;
  /** Consecutive failed calls so far. */
  consecutiveFailures: Scalars['Int']['output'];
  /** The code of the last error, if the last call failed. */
  lastErrorCode?: Maybe<Scalars['String']['output']>;
  /** When the last call failed, if it did. */
  lastFailureAt?: Maybe<Scalars['DateTime']['output']>;
  /** UP when recent calls succeeded, DOWN while the circuit breaker is open. */
  status: HealthStatus;
};

/** The providers the gateway speaks to. */
export type SourceKind =
  /** Fragment, a billing ledger (fragment.dev). */
  | 'FRAGMENT'
  /** Korint, an insurance billing API. */
  | 'KORINT'
  /** Xero, an accounting system. */
  | 'XERO';

/**
 * Live notifications. Served at the same endpoint over Server-Sent Events (send `Accept: text/event-stream`; GraphiQL
 * does) and over WebSocket with the `graphql-transport-ws` protocol (the `graphql-ws` library); authentication is the
 * same as for queries (over WebSocket, in the `connection_init` payload).
 */
export type Subscription = {
  __typename?: 'Subscription';
  /**
   * An event each time an invoice changes at a source the client may read: a webhook from the provider (Xero), a poll
   * of the provider's listing (Fragment, Korint: within `GATEWAY_POLL_INTERVAL_MS` for recent invoices, within the slower
   * sweep for older ones), or a write through this gateway. Each change is delivered once, whichever replica noticed it.
   * When a polled source fails, its subscribers receive one error (code `UPSTREAM_UNAVAILABLE` and its `source`) and stay
   * subscribed. At most `GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT` at once per client; a subscription ends when its token
   * expires.
   */
  invoiceChanged: InvoiceChangeEvent;
};


/**
 * Live notifications. Served at the same endpoint over Server-Sent Events (send `Accept: text/event-stream`; GraphiQL
 * does) and over WebSocket with the `graphql-transport-ws` protocol (the `graphql-ws` library); authentication is the
 * same as for queries (over WebSocket, in the `connection_init` payload).
 */
export type SubscriptionInvoiceChangedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  filter?: InputMaybe<InvoiceChangeFilter>;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;




/** Mapping of interface types */
export type ResolversInterfaceTypes<_RefType extends Record<string, unknown>> = {
  Node:
    | ( BatchPaymentRefModel )
    | ( InvoiceRefModel )
    | ( PaymentRefModel )
  ;
};

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  AmountDiscrepancy: ResolverTypeWrapper<Omit<AmountDiscrepancy, 'actual' | 'expected'> & { actual: ResolversTypes['Money'], expected: ResolversTypes['Money'] }>;
  Balance: ResolverTypeWrapper<BalanceModel>;
  BalanceAmounts: ResolverTypeWrapper<BalanceAmountsModel>;
  BalanceSummary: ResolverTypeWrapper<BalanceSummaryRefModel>;
  BatchPayment: ResolverTypeWrapper<BatchPaymentRefModel>;
  BatchPaymentConnection: ResolverTypeWrapper<Omit<BatchPaymentConnection, 'edges'> & { edges: Array<ResolversTypes['BatchPaymentEdge']> }>;
  BatchPaymentEdge: ResolverTypeWrapper<Omit<BatchPaymentEdge, 'node'> & { node: ResolversTypes['BatchPayment'] }>;
  BatchPaymentFilter: BatchPaymentFilter;
  BatchPaymentItemInput: BatchPaymentItemInput;
  BatchPaymentType: BatchPaymentType;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  Charge: ResolverTypeWrapper<ChargeModel>;
  ChargeBreakdown: ResolverTypeWrapper<ChargeBreakdownModel>;
  CircuitState: CircuitState;
  CreateBatchPaymentInput: CreateBatchPaymentInput;
  CreateInvoiceInput: CreateInvoiceInput;
  Date: ResolverTypeWrapper<Scalars['Date']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Decimal: ResolverTypeWrapper<Scalars['Decimal']['output']>;
  DiscrepancyKind: DiscrepancyKind;
  HealthStatus: HealthStatus;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  Invoice: ResolverTypeWrapper<InvoiceRefModel>;
  InvoiceChangeEvent: ResolverTypeWrapper<InvoiceChangeEventRefModel>;
  InvoiceChangeFilter: InvoiceChangeFilter;
  InvoiceChangeKind: InvoiceChangeKind;
  InvoiceComponent: ResolverTypeWrapper<InvoiceComponentModel>;
  InvoiceConnection: ResolverTypeWrapper<InvoiceConnectionRefModel>;
  InvoiceDirection: InvoiceDirection;
  InvoiceEdge: ResolverTypeWrapper<InvoiceEdgeRefModel>;
  InvoiceFilter: InvoiceFilter;
  InvoiceOrder: InvoiceOrder;
  InvoiceRelation: InvoiceRelation;
  InvoiceStatus: InvoiceStatus;
  KeyValue: ResolverTypeWrapper<KeyValue>;
  LineItem: ResolverTypeWrapper<LineItemModel>;
  LineItemInput: LineItemInput;
  Money: ResolverTypeWrapper<MoneyModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Node: ResolverTypeWrapper<ResolversInterfaceTypes<ResolversTypes>['Node']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Party: ResolverTypeWrapper<PartyModel>;
  PartyRole: PartyRole;
  Payment: ResolverTypeWrapper<PaymentRefModel>;
  PaymentDirection: PaymentDirection;
  PaymentStatus: PaymentStatus;
  Period: ResolverTypeWrapper<Period>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  RecordPaymentInput: RecordPaymentInput;
  RelatedInvoice: ResolverTypeWrapper<RelatedInvoiceRefModel>;
  Source: ResolverTypeWrapper<SourceRefModel>;
  SourceCapability: SourceCapability;
  SourceHealth: ResolverTypeWrapper<SourceHealth>;
  SourceKind: SourceKind;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  AmountDiscrepancy: Omit<AmountDiscrepancy, 'actual' | 'expected'> & { actual: ResolversParentTypes['Money'], expected: ResolversParentTypes['Money'] };
  Balance: BalanceModel;
  BalanceAmounts: BalanceAmountsModel;
  BalanceSummary: BalanceSummaryRefModel;
  BatchPayment: BatchPaymentRefModel;
  BatchPaymentConnection: Omit<BatchPaymentConnection, 'edges'> & { edges: Array<ResolversParentTypes['BatchPaymentEdge']> };
  BatchPaymentEdge: Omit<BatchPaymentEdge, 'node'> & { node: ResolversParentTypes['BatchPayment'] };
  BatchPaymentFilter: BatchPaymentFilter;
  BatchPaymentItemInput: BatchPaymentItemInput;
  Boolean: Scalars['Boolean']['output'];
  Charge: ChargeModel;
  ChargeBreakdown: ChargeBreakdownModel;
  CreateBatchPaymentInput: CreateBatchPaymentInput;
  CreateInvoiceInput: CreateInvoiceInput;
  Date: Scalars['Date']['output'];
  DateTime: Scalars['DateTime']['output'];
  Decimal: Scalars['Decimal']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  Invoice: InvoiceRefModel;
  InvoiceChangeEvent: InvoiceChangeEventRefModel;
  InvoiceChangeFilter: InvoiceChangeFilter;
  InvoiceComponent: InvoiceComponentModel;
  InvoiceConnection: InvoiceConnectionRefModel;
  InvoiceEdge: InvoiceEdgeRefModel;
  InvoiceFilter: InvoiceFilter;
  KeyValue: KeyValue;
  LineItem: LineItemModel;
  LineItemInput: LineItemInput;
  Money: MoneyModel;
  Mutation: Record<PropertyKey, never>;
  Node: ResolversInterfaceTypes<ResolversParentTypes>['Node'];
  PageInfo: PageInfo;
  Party: PartyModel;
  Payment: PaymentRefModel;
  Period: Period;
  Query: Record<PropertyKey, never>;
  RecordPaymentInput: RecordPaymentInput;
  RelatedInvoice: RelatedInvoiceRefModel;
  Source: SourceRefModel;
  SourceHealth: SourceHealth;
  String: Scalars['String']['output'];
  Subscription: Record<PropertyKey, never>;
};

export type AmountDiscrepancyResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['AmountDiscrepancy'] = ResolversParentTypes['AmountDiscrepancy']> = {
  actual?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  expected?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['DiscrepancyKind'], ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type BalanceResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Balance'] = ResolversParentTypes['Balance']> = {
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  net?: Resolver<ResolversTypes['BalanceAmounts'], ParentType, ContextType>;
  payins?: Resolver<ResolversTypes['BalanceAmounts'], ParentType, ContextType>;
  payouts?: Resolver<ResolversTypes['BalanceAmounts'], ParentType, ContextType>;
};

export type BalanceAmountsResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BalanceAmounts'] = ResolversParentTypes['BalanceAmounts']> = {
  actual?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  expected?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  remaining?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
};

export type BalanceSummaryResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BalanceSummary'] = ResolversParentTypes['BalanceSummary']> = {
  complete?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  draftInvoiceIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  forbiddenInvoiceIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  incompleteSources?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  invoiceCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  missingInvoiceIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
  totals?: Resolver<Array<ResolversTypes['Balance']>, ParentType, ContextType>;
  unreadableInvoiceIds?: Resolver<Array<ResolversTypes['ID']>, ParentType, ContextType>;
};

export type BatchPaymentResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchPayment'] = ResolversParentTypes['BatchPayment']> = {
  date?: Resolver<Maybe<ResolversTypes['Date']>, ParentType, ContextType>;
  discrepancies?: Resolver<Array<ResolversTypes['AmountDiscrepancy']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  isReconciled?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  payments?: Resolver<Array<ResolversTypes['Payment']>, ParentType, ContextType>;
  reference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  remoteId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['Source'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['BatchPaymentType'], ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type BatchPaymentConnectionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchPaymentConnection'] = ResolversParentTypes['BatchPaymentConnection']> = {
  edges?: Resolver<Array<ResolversTypes['BatchPaymentEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type BatchPaymentEdgeResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['BatchPaymentEdge'] = ResolversParentTypes['BatchPaymentEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['BatchPayment'], ParentType, ContextType>;
};

export type ChargeResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Charge'] = ResolversParentTypes['Charge']> = {
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  brokerageFirmId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  chargeType?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ChargeBreakdownResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['ChargeBreakdown'] = ResolversParentTypes['ChargeBreakdown']> = {
  fees?: Resolver<Array<ResolversTypes['Charge']>, ParentType, ContextType>;
  preFeesAndTaxes?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  taxes?: Resolver<Array<ResolversTypes['Charge']>, ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  totalFees?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  totalTaxes?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  withFeesPreTaxes?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
};

export interface DateScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Date'], any> {
  name: 'Date';
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export interface DecimalScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['Decimal'], any> {
  name: 'Decimal';
}

export type InvoiceResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Invoice'] = ResolversParentTypes['Invoice']> = {
  amountDue?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  balances?: Resolver<Array<ResolversTypes['Balance']>, ParentType, ContextType>;
  components?: Resolver<Array<ResolversTypes['InvoiceComponent']>, ParentType, ContextType>;
  createdAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  currency?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  direction?: Resolver<ResolversTypes['InvoiceDirection'], ParentType, ContextType>;
  discrepancies?: Resolver<Array<ResolversTypes['AmountDiscrepancy']>, ParentType, ContextType>;
  dueAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  issuedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  lineItems?: Resolver<Array<ResolversTypes['LineItem']>, ParentType, ContextType>;
  metadata?: Resolver<Array<ResolversTypes['KeyValue']>, ParentType, ContextType>;
  number?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  parties?: Resolver<Array<ResolversTypes['Party']>, ParentType, ContextType>;
  payments?: Resolver<Array<ResolversTypes['Payment']>, ParentType, ContextType>;
  period?: Resolver<Maybe<ResolversTypes['Period']>, ParentType, ContextType>;
  providerStatus?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  relatedInvoices?: Resolver<Array<ResolversTypes['RelatedInvoice']>, ParentType, ContextType>;
  remoteId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['Source'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['InvoiceStatus'], ParentType, ContextType>;
  total?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  totalBreakdown?: Resolver<Maybe<ResolversTypes['ChargeBreakdown']>, ParentType, ContextType>;
  updatedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type InvoiceChangeEventResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['InvoiceChangeEvent'] = ResolversParentTypes['InvoiceChangeEvent']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invoice?: Resolver<Maybe<ResolversTypes['Invoice']>, ParentType, ContextType>;
  invoiceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['InvoiceChangeKind'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type InvoiceComponentResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['InvoiceComponent'] = ResolversParentTypes['InvoiceComponent']> = {
  breakdown?: Resolver<Maybe<ResolversTypes['ChargeBreakdown']>, ParentType, ContextType>;
  id?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reconciliation?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type InvoiceConnectionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['InvoiceConnection'] = ResolversParentTypes['InvoiceConnection']> = {
  edges?: Resolver<Array<ResolversTypes['InvoiceEdge']>, ParentType, ContextType>;
  incompleteSources?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  nodes?: Resolver<Array<ResolversTypes['Invoice']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type InvoiceEdgeResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['InvoiceEdge'] = ResolversParentTypes['InvoiceEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['Invoice'], ParentType, ContextType>;
};

export type KeyValueResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['KeyValue'] = ResolversParentTypes['KeyValue']> = {
  key?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  value?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type LineItemResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['LineItem'] = ResolversParentTypes['LineItem']> = {
  amount?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  breakdown?: Resolver<Maybe<ResolversTypes['ChargeBreakdown']>, ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  direction?: Resolver<Maybe<ResolversTypes['PaymentDirection']>, ParentType, ContextType>;
  id?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  productId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  quantity?: Resolver<Maybe<ResolversTypes['Decimal']>, ParentType, ContextType>;
  unitAmount?: Resolver<Maybe<ResolversTypes['Money']>, ParentType, ContextType>;
  userId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type MoneyResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Money'] = ResolversParentTypes['Money']> = {
  amount?: Resolver<ResolversTypes['Decimal'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  minorUnits?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  scale?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createBatchPayment?: Resolver<ResolversTypes['BatchPayment'], ParentType, ContextType, RequireFields<MutationCreateBatchPaymentArgs, 'input'>>;
  createInvoice?: Resolver<ResolversTypes['Invoice'], ParentType, ContextType, RequireFields<MutationCreateInvoiceArgs, 'input'>>;
  deletePayment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType, RequireFields<MutationDeletePaymentArgs, 'id'>>;
  recordPayment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType, RequireFields<MutationRecordPaymentArgs, 'input'>>;
};

export type NodeResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Node'] = ResolversParentTypes['Node']> = {
  __resolveType: TypeResolveFn<'BatchPayment' | 'Invoice' | 'Payment', ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  hasPreviousPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  startCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type PartyResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Party'] = ResolversParentTypes['Party']> = {
  balances?: Resolver<Array<ResolversTypes['Balance']>, ParentType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  externalId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  name?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  role?: Resolver<ResolversTypes['PartyRole'], ParentType, ContextType>;
};

export type PaymentResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Payment'] = ResolversParentTypes['Payment']> = {
  amount?: Resolver<ResolversTypes['Money'], ParentType, ContextType>;
  batch?: Resolver<Maybe<ResolversTypes['BatchPayment']>, ParentType, ContextType>;
  direction?: Resolver<ResolversTypes['PaymentDirection'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invoice?: Resolver<Maybe<ResolversTypes['Invoice']>, ParentType, ContextType>;
  metadata?: Resolver<Array<ResolversTypes['KeyValue']>, ParentType, ContextType>;
  postedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  providerStatus?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  reference?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  remoteId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['Source'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PaymentStatus'], ParentType, ContextType>;
  __isTypeOf?: IsTypeOfResolverFn<ParentType, ContextType>;
};

export type PeriodResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Period'] = ResolversParentTypes['Period']> = {
  end?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  start?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
};

export type QueryResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  balanceSummary?: Resolver<Maybe<ResolversTypes['BalanceSummary']>, ParentType, ContextType, RequireFields<QueryBalanceSummaryArgs, 'invoiceIds'>>;
  batchPayments?: Resolver<Maybe<ResolversTypes['BatchPaymentConnection']>, ParentType, ContextType, Partial<QueryBatchPaymentsArgs>>;
  batchPaymentsByIds?: Resolver<Array<Maybe<ResolversTypes['BatchPayment']>>, ParentType, ContextType, RequireFields<QueryBatchPaymentsByIdsArgs, 'ids'>>;
  invoice?: Resolver<Maybe<ResolversTypes['Invoice']>, ParentType, ContextType, RequireFields<QueryInvoiceArgs, 'id'>>;
  invoices?: Resolver<Array<Maybe<ResolversTypes['Invoice']>>, ParentType, ContextType, RequireFields<QueryInvoicesArgs, 'ids'>>;
  listInvoices?: Resolver<ResolversTypes['InvoiceConnection'], ParentType, ContextType, RequireFields<QueryListInvoicesArgs, 'first' | 'orderBy'>>;
  node?: Resolver<Maybe<ResolversTypes['Node']>, ParentType, ContextType, RequireFields<QueryNodeArgs, 'id'>>;
  nodes?: Resolver<Array<Maybe<ResolversTypes['Node']>>, ParentType, ContextType, RequireFields<QueryNodesArgs, 'ids'>>;
  payments?: Resolver<Array<Maybe<ResolversTypes['Payment']>>, ParentType, ContextType, RequireFields<QueryPaymentsArgs, 'ids'>>;
  sources?: Resolver<Array<ResolversTypes['Source']>, ParentType, ContextType>;
};

export type RelatedInvoiceResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['RelatedInvoice'] = ResolversParentTypes['RelatedInvoice']> = {
  invoice?: Resolver<Maybe<ResolversTypes['Invoice']>, ParentType, ContextType>;
  invoiceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  relation?: Resolver<ResolversTypes['InvoiceRelation'], ParentType, ContextType>;
};

export type SourceResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Source'] = ResolversParentTypes['Source']> = {
  capabilities?: Resolver<Array<ResolversTypes['SourceCapability']>, ParentType, ContextType>;
  health?: Resolver<ResolversTypes['SourceHealth'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['SourceKind'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type SourceHealthResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['SourceHealth'] = ResolversParentTypes['SourceHealth']> = {
  circuit?: Resolver<ResolversTypes['CircuitState'], ParentType, ContextType>;
  consecutiveFailures?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lastErrorCode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastFailureAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['HealthStatus'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = GatewayContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  invoiceChanged?: SubscriptionResolver<ResolversTypes['InvoiceChangeEvent'], "invoiceChanged", ParentType, ContextType, Partial<SubscriptionInvoiceChangedArgs>>;
};

export type Resolvers<ContextType = GatewayContext> = {
  AmountDiscrepancy?: AmountDiscrepancyResolvers<ContextType>;
  Balance?: BalanceResolvers<ContextType>;
  BalanceAmounts?: BalanceAmountsResolvers<ContextType>;
  BalanceSummary?: BalanceSummaryResolvers<ContextType>;
  BatchPayment?: BatchPaymentResolvers<ContextType>;
  BatchPaymentConnection?: BatchPaymentConnectionResolvers<ContextType>;
  BatchPaymentEdge?: BatchPaymentEdgeResolvers<ContextType>;
  Charge?: ChargeResolvers<ContextType>;
  ChargeBreakdown?: ChargeBreakdownResolvers<ContextType>;
  Date?: GraphQLScalarType;
  DateTime?: GraphQLScalarType;
  Decimal?: GraphQLScalarType;
  Invoice?: InvoiceResolvers<ContextType>;
  InvoiceChangeEvent?: InvoiceChangeEventResolvers<ContextType>;
  InvoiceComponent?: InvoiceComponentResolvers<ContextType>;
  InvoiceConnection?: InvoiceConnectionResolvers<ContextType>;
  InvoiceEdge?: InvoiceEdgeResolvers<ContextType>;
  KeyValue?: KeyValueResolvers<ContextType>;
  LineItem?: LineItemResolvers<ContextType>;
  Money?: MoneyResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Node?: NodeResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Party?: PartyResolvers<ContextType>;
  Payment?: PaymentResolvers<ContextType>;
  Period?: PeriodResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  RelatedInvoice?: RelatedInvoiceResolvers<ContextType>;
  Source?: SourceResolvers<ContextType>;
  SourceHealth?: SourceHealthResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
};

