// Fragment wire -> the gateway's model. Pure: no HTTP, no clock. Amounts are integer strings in minor units.
//
// The model is built when it is read. `fragmentInvoiceFromWire` checks an item's identity and shape up front (see
// `checkFragmentInvoice`: the id, the status text, the types of every field read, amounts as integer text: one pass, no
// allocation) and answers an object whose nested parts (balances, line items, payments, users, tags) and Money values are
// built when a resolver first reads them, once. What can only fail then (an amount in a currency the table does not know)
// fails that field alone with UPSTREAM_BAD_RESPONSE. The object keeps its wire item (`wireItemOf`), so the same object
// can be rebuilt from stored JSON.
import type { CurrencyTable } from '../kit/currencies.js';
import { AdapterError } from '../kit/errors.js';
import { absMoney, directionOfSigns, dueInDirection } from '../kit/direction.js';
import type { AmountDiscrepancy } from '../kit/discrepancy.js';
import type { Balance, BalanceAmounts, Direction, Invoice, InvoiceDirection, InvoiceStatus, KeyValue, LineItem, Party, Payment } from '../kit/model.js';
import { plainInvoice } from '../kit/model-plain.js';
import { MoneyError, moneyFromMinorUnits, type Money } from '../kit/money.js';
import { statusFromSides, type SideState } from '../kit/status.js';
import { fragmentDiscrepancies } from './fragment-discrepancies.js';
import { WIRE_ITEM, type CarriesWireItem } from '../kit/wire-item.js';
import { nestedValueError } from '../kit/wire.js';
import { checkFragmentInvoice, fragmentList, fragmentText, type FragmentInvoice, type FragmentWireObject } from './wire.js';

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

/** How nested values are read: the currency table, the source for errors, and whether errors are thrown as they are. */
interface Reading {
  readonly table: CurrencyTable;
  readonly source: string;
  /** True for the whole-invoice mapping (its callers want the money error itself); false on the lazy path. */
  readonly strict: boolean;
}

function money(reading: Reading, minor: string, currency: string): Money {
  try {
    return moneyFromMinorUnits(minor, currency, reading.table);
  } catch (error) {
    throw reading.strict ? error : nestedValueError(reading.source, 'an amount', error);
  }
}

function directionOf(type: unknown): Direction | null {
  if (type === 'payin') return 'PAYIN';
  if (type === 'payout') return 'PAYOUT';
  return null;
}

function amountsToModel(wire: FragmentWireObject, currency: string, reading: Reading): BalanceAmounts {
  return {
    expected: money(reading, wire.expected as string, currency),
    actual: money(reading, wire.actual as string, currency),
    remaining: money(reading, wire.remaining as string, currency),
  };
}

/** One balance of an invoice or a user; each of net, payins and payouts is built when first read. */
class FragmentBalance implements Balance {
  readonly currency: string;
  #wire: FragmentWireObject;
  #reading: Reading;
  #net?: BalanceAmounts;
  #payins?: BalanceAmounts;
  #payouts?: BalanceAmounts;

  constructor(wire: FragmentWireObject, reading: Reading) {
    this.currency = (wire.currency as string).toUpperCase();
    this.#wire = wire;
    this.#reading = reading;
  }
  get net(): BalanceAmounts {
    return (this.#net ??= amountsToModel(this.#wire.net as FragmentWireObject, this.currency, this.#reading));
  }
  get payins(): BalanceAmounts {
    return (this.#payins ??= amountsToModel(this.#wire.payins as FragmentWireObject, this.currency, this.#reading));
  }
  get payouts(): BalanceAmounts {
    return (this.#payouts ??= amountsToModel(this.#wire.payouts as FragmentWireObject, this.currency, this.#reading));
  }
  /** Payins and payouts as side states, read from the wire's integer text (no currency scale, no arithmetic). */
  sides(): SideState[] {
    const strict = this.#reading.strict;
    return [sideOf(this.#wire.payins as FragmentWireObject, strict), sideOf(this.#wire.payouts as FragmentWireObject, strict)];
  }
  /** The sign of the net expected amount (-1, 0, 1), from the wire. */
  netExpectedSign(): number {
    return signOf(canonicalInteger((this.#wire.net as FragmentWireObject).expected, this.#reading.strict));
  }
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/**
 * An amount in minor units as canonical integer text (no sign but `-`, no leading zero), so that equal amounts are equal
 * strings and the sign is the first character: status and direction need no BigInt. The lazy path's items were checked
 * (integer text) when they arrived; the strict path's were not, and answer a MoneyError for anything else.
 */
function canonicalInteger(text: unknown, check: boolean): string {
  if (check && (typeof text !== 'string' || !INTEGER_TEXT.test(text))) throw new MoneyError(`"${String(text)}" is not an integer amount in minor units`);
  const value = text as string;
  if (value === '0') return value;
  const first = value.charCodeAt(0);
  const digit = first === 45 ? value.charCodeAt(1) : first;
  // Already canonical: a first digit 1-9 after an optional minus.
  if (digit >= 49 && digit <= 57) return value;
  return BigInt(value).toString();
}

const signOf = (canonical: string): number => (canonical === '0' ? 0 : canonical.charCodeAt(0) === 45 ? -1 : 1);

function sideOf(wire: FragmentWireObject, check: boolean): SideState {
  const expected = canonicalInteger(wire.expected, check);
  const remaining = canonicalInteger(wire.remaining, check);
  return { expected: signOf(expected), remaining: signOf(remaining), untouched: expected === remaining };
}

function balancesOf(owner: FragmentWireObject, reading: Reading): FragmentBalance[] {
  return fragmentList(owner, 'balances').map((b) => new FragmentBalance(b, reading));
}

function tagsToModel(tags: readonly FragmentWireObject[]): KeyValue[] {
  return tags.map((tag) => ({ key: tag.key as string, value: tag.value as string }));
}

class FragmentLineItem implements LineItem {
  readonly id: string | null;
  readonly description: string | null;
  readonly quantity = null;
  readonly unitAmount = null;
  readonly direction: Direction | null;
  readonly productId: string | null;
  readonly userId: string | null;
  readonly breakdown = null;
  #wire: FragmentWireObject;
  #reading: Reading;
  #amount?: Money;

  constructor(wire: FragmentWireObject, reading: Reading) {
    this.id = fragmentText(wire, 'id');
    this.description = fragmentText(wire, 'description');
    this.direction = directionOf(wire.type);
    this.productId = fragmentText(wire, 'product_id');
    this.userId = fragmentText(wire, 'user_id');
    this.#wire = wire;
    this.#reading = reading;
  }
  get amount(): Money {
    return (this.#amount ??= money(this.#reading, this.#wire.amount as string, fragmentText(this.#wire, 'currency_code')!));
  }
}

class FragmentParty implements Party {
  readonly id: string;
  readonly externalId: string | null;
  readonly role = 'USER' as const;
  readonly name = null;
  readonly email = null;
  #wire: FragmentWireObject;
  #reading: Reading;
  #balances?: Balance[];

  constructor(wire: FragmentWireObject, reading: Reading) {
    this.id = wire.id as string;
    this.externalId = fragmentText(wire, 'external_id');
    this.#wire = wire;
    this.#reading = reading;
  }
  get balances(): Balance[] {
    return (this.#balances ??= balancesOf(this.#wire, this.#reading));
  }
}

/** A payment allocated to an invoice. Fragment lists only posted transactions on an invoice. */
class FragmentPayment implements Payment {
  readonly remoteId: string;
  readonly direction: Direction;
  readonly postedAt: string | null;
  readonly status = 'POSTED' as const;
  readonly providerStatus = null;
  readonly reference: string | null;
  readonly invoiceRemoteId: string;
  readonly batchPaymentRemoteId = null;
  #wire: FragmentWireObject;
  #reading: Reading;
  #amount?: Money;
  #metadata?: KeyValue[];

  constructor(invoiceId: string, wire: FragmentWireObject, reading: Reading) {
    const transaction = wire.transaction as FragmentWireObject;
    this.remoteId = fragmentPaymentRemoteId(invoiceId, transaction.id as string);
    this.direction = wire.type === 'payin' ? 'PAYIN' : 'PAYOUT';
    this.postedAt = fragmentText(wire, 'posted');
    this.reference = fragmentText(transaction, 'external_id');
    this.invoiceRemoteId = invoiceId;
    this.#wire = wire;
    this.#reading = reading;
  }
  get amount(): Money {
    return (this.#amount ??= money(this.#reading, this.#wire.amount as string, this.#wire.currency as string));
  }
  get metadata(): KeyValue[] {
    return (this.#metadata ??= tagsToModel(fragmentList(this.#wire.transaction as FragmentWireObject, 'tags')));
  }
}

const NONE: never[] = [];

/**
 * A Fragment invoice. Fragment's only documented status is `active`, which says nothing about payment: `status` is
 * derived from both sides of every balance, payins and payouts (OPEN / PARTIALLY_PAID / PAID; a settled pass-through
 * invoice is PAID, an overpaid one PAID). A status we do not know gets the same fallback, so a new Fragment value never
 * fails a response; the raw value always stays in `providerStatus`. `direction` is the sign of the net expected amount,
 * and `total` / `amountDue` its absolute value and what remains owed that way.
 */
class FragmentInvoiceModel implements Invoice, CarriesWireItem {
  readonly remoteId: string;
  // Fragment invoice ids are the caller's own canonical ids: the id is the number people know.
  readonly number: string;
  readonly providerStatus: string;
  readonly issuedAt = null;
  readonly dueAt = null;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
  readonly period = null;
  readonly totalBreakdown = null;
  readonly components = NONE;
  readonly related = NONE;
  #wire: FragmentWireObject;
  #reading: Reading;
  #balances?: FragmentBalance[];
  #lineItems?: LineItem[];
  #payments?: Payment[];
  #parties?: Party[];
  #metadata?: KeyValue[];
  #discrepancies?: AmountDiscrepancy[];
  #direction?: InvoiceDirection;

  constructor(wire: FragmentWireObject, reading: Reading) {
    this.remoteId = wire.id as string;
    this.number = this.remoteId;
    this.providerStatus = wire.status as string;
    this.createdAt = fragmentText(wire, 'created');
    this.updatedAt = fragmentText(wire, 'modified');
    this.#wire = wire;
    this.#reading = reading;
  }
  get [WIRE_ITEM](): unknown {
    return this.#wire;
  }
  get status(): InvoiceStatus {
    return statusFromSides(this.balances.flatMap((b) => b.sides()));
  }
  get direction(): InvoiceDirection {
    return (this.#direction ??= directionOfSigns(this.balances.map((b) => b.netExpectedSign())));
  }
  /** The one balance of a single-currency invoice; undefined with none or several. */
  get #single(): FragmentBalance | undefined {
    const balances = this.balances;
    return balances.length === 1 ? balances[0] : undefined;
  }
  get currency(): string | null {
    return this.#single?.currency ?? null;
  }
  get total(): Money | null {
    const single = this.#single;
    return single ? absMoney(single.net.expected) : null;
  }
  get amountDue(): Money | null {
    const single = this.#single;
    return single ? dueInDirection(single.net.remaining, this.direction) : null;
  }
  get balances(): FragmentBalance[] {
    return (this.#balances ??= balancesOf(this.#wire, this.#reading));
  }
  get discrepancies(): AmountDiscrepancy[] {
    return (this.#discrepancies ??= fragmentDiscrepancies(this.#wire, this.#reading.table));
  }
  get lineItems(): LineItem[] {
    return (this.#lineItems ??= fragmentList(this.#wire, 'line_items').map((item) => new FragmentLineItem(item, this.#reading)));
  }
  get payments(): Payment[] {
    return (this.#payments ??= fragmentList(this.#wire, 'payments').map((p) => new FragmentPayment(this.remoteId, p, this.#reading)));
  }
  get parties(): Party[] {
    return (this.#parties ??= fragmentList(this.#wire, 'users').map((u) => new FragmentParty(u, this.#reading)));
  }
  get metadata(): KeyValue[] {
    return (this.#metadata ??= tagsToModel(fragmentList(this.#wire, 'tags')));
  }
}

/**
 * One item of a Fragment answer (batch-get, retrieve, a list page) as the model object the adapter answers: identity and
 * shape checked now, the rest built when read. Throws UPSTREAM_BAD_RESPONSE for an item it cannot identify or read.
 * The one function every Fragment lookup (and listing) turns a wire item into an invoice with.
 */
export function fragmentInvoiceFromWire(raw: unknown, table: CurrencyTable, source: string): Invoice {
  const issue = checkFragmentInvoice(raw, { amounts: true });
  if (issue) {
    // The path names the field for the logs; the data itself never reaches a client.
    throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} sent a malformed invoice`, {
      source,
      cause: new Error(`invoice.${issue.path}: ${issue.problem}`),
    });
  }
  return new FragmentInvoiceModel(raw as FragmentWireObject, { table, source, strict: false });
}

/**
 * A checked Fragment invoice (see `FragmentInvoice`) as plain model data, every nested value read now. Throws on an
 * amount it cannot carry (the caller makes it an item error).
 */
export function fragmentInvoiceToModel(invoice: FragmentInvoice, table: CurrencyTable): Invoice {
  return plainInvoice(new FragmentInvoiceModel(invoice, { table, source: 'fragment', strict: true }));
}
