// Fragment wire -> the gateway's model. Pure: no HTTP, no clock. Amounts are integer strings in minor units.
import type { CurrencyTable } from '../kit/currencies.js';
import type { Balance, BalanceAmounts, Direction, Invoice, InvoiceStatus, KeyValue, LineItem, Party, Payment } from '../kit/model.js';
import { moneyFromMinorUnits } from '../kit/money.js';
import { statusFromAmounts } from '../kit/status.js';
import type { FragmentBalance, FragmentInvoice, FragmentLineItem, FragmentPayment, FragmentUser } from './wire.js';

type Amounts = FragmentBalance['net'];

/** The remote id of a Fragment payment, which lives inside its invoice: `<invoiceId>/<transactionId>`. */
export function fragmentPaymentRemoteId(invoiceId: string, transactionId: string): string {
  return `${invoiceId}/${transactionId}`;
}

/** Splits `<invoiceId>/<transactionId>` (at the last `/`: invoice ids are the caller's and may hold one); null if malformed. */
export function parseFragmentPaymentRemoteId(remoteId: string): { invoiceId: string; transactionId: string } | null {
  const slash = remoteId.lastIndexOf('/');
  if (slash <= 0 || slash === remoteId.length - 1) return null;
  return { invoiceId: remoteId.slice(0, slash), transactionId: remoteId.slice(slash + 1) };
}

function directionOf(type: string | null | undefined): Direction | null {
  if (type === 'payin') return 'PAYIN';
  if (type === 'payout') return 'PAYOUT';
  return null;
}

function amountsToModel(amounts: Amounts, currency: string, table: CurrencyTable): BalanceAmounts {
  return {
    expected: moneyFromMinorUnits(amounts.expected, currency, table),
    actual: moneyFromMinorUnits(amounts.actual, currency, table),
    remaining: moneyFromMinorUnits(amounts.remaining, currency, table),
  };
}

/** One balance of an invoice or a user, net/payins/payouts as Fragment reports them. */
export function fragmentBalanceToModel(balance: FragmentBalance, table: CurrencyTable): Balance {
  const currency = balance.currency.toUpperCase();
  return {
    currency,
    net: amountsToModel(balance.net, currency, table),
    payins: amountsToModel(balance.payins, currency, table),
    payouts: amountsToModel(balance.payouts, currency, table),
  };
}

function tagsToModel(tags: ReadonlyArray<{ key: string; value: string }> | null | undefined): KeyValue[] {
  return (tags ?? []).map(({ key, value }) => ({ key, value }));
}

function lineItemToModel(item: FragmentLineItem, table: CurrencyTable): LineItem {
  return {
    id: item.id ?? null,
    description: item.description ?? null,
    amount: moneyFromMinorUnits(item.amount, item.currency_code, table),
    quantity: null,
    unitAmount: null,
    direction: directionOf(item.type),
    productId: item.product_id ?? null,
    userId: item.user_id ?? null,
    breakdown: null,
  };
}

function userToParty(user: FragmentUser, table: CurrencyTable): Party {
  return {
    id: user.id,
    externalId: user.external_id ?? null,
    role: 'USER',
    name: null,
    email: null,
    balances: (user.balances ?? []).map((b) => fragmentBalanceToModel(b, table)),
  };
}

/** A payment allocated to `invoiceId`. Fragment lists only posted transactions on an invoice. */
export function fragmentPaymentToModel(invoiceId: string, payment: FragmentPayment, table: CurrencyTable): Payment {
  return {
    remoteId: fragmentPaymentRemoteId(invoiceId, payment.transaction.id),
    amount: moneyFromMinorUnits(payment.amount, payment.currency, table),
    direction: payment.type === 'payin' ? 'PAYIN' : 'PAYOUT',
    postedAt: payment.posted ?? null,
    status: 'POSTED',
    providerStatus: null,
    reference: payment.transaction.external_id ?? null,
    invoiceRemoteId: invoiceId,
    batchPaymentRemoteId: null,
    metadata: tagsToModel(payment.transaction.tags),
  };
}

/**
 * Fragment's only documented status is `active`, which says nothing about payment: the status is derived from the net
 * balances (OPEN / PARTIALLY_PAID / PAID). A status we do not know gets the same fallback, so a new Fragment value never
 * fails a response; the raw value always stays in `providerStatus`.
 */
function statusOf(balances: readonly Balance[]): InvoiceStatus {
  return statusFromAmounts(balances.map((b) => b.net));
}

/** A Fragment invoice as the gateway's model. Throws on an amount it cannot carry (the caller makes it an item error). */
export function fragmentInvoiceToModel(invoice: FragmentInvoice, table: CurrencyTable): Invoice {
  const balances = (invoice.balances ?? []).map((b) => fragmentBalanceToModel(b, table));
  const single = balances.length === 1 ? balances[0] : undefined;
  return {
    remoteId: invoice.id,
    // Fragment invoice ids are the caller's own canonical ids: the id is the number people know.
    number: invoice.id,
    status: statusOf(balances),
    providerStatus: invoice.status,
    issuedAt: null,
    dueAt: null,
    createdAt: invoice.created ?? null,
    updatedAt: invoice.modified ?? null,
    period: null,
    currency: single?.currency ?? null,
    total: single?.net.expected ?? null,
    amountDue: single?.net.remaining ?? null,
    totalBreakdown: null,
    components: [],
    balances,
    lineItems: (invoice.line_items ?? []).map((item) => lineItemToModel(item, table)),
    payments: (invoice.payments ?? []).map((p) => fragmentPaymentToModel(invoice.id, p, table)),
    parties: (invoice.users ?? []).map((u) => userToParty(u, table)),
    metadata: tagsToModel(invoice.tags),
    related: [],
  };
}
