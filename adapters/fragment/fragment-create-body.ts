// The body of `POST /invoices` from the gateway's create request, and the check that an existing invoice is the same
// create (Fragment's invoice_id is the idempotency key). Pure.
import type { CreateInvoiceRequest } from '../kit/adapter.js';
import type { CurrencyTable } from '../kit/currencies.js';
import { AdapterError } from '../kit/errors.js';
import { MoneyError, moneyFromDecimalText, toMinorUnits } from '../kit/money.js';
import { fragmentField, fragmentText, type FragmentLineItem } from './wire.js';

export interface FragmentCreateLineItem {
  amount: string;
  currency_code: string;
  description: string;
  product_id: string;
  type: 'payin' | 'payout';
  user_id: string;
}

export interface FragmentCreateBody {
  invoice_id: string;
  line_items: FragmentCreateLineItem[];
}

function badInput(source: string, message: string): AdapterError {
  return new AdapterError('BAD_USER_INPUT', message, { source });
}

function minorUnits(source: string, amount: string, currency: string, table: CurrencyTable, index: number): string {
  if (table.scaleOf(currency) === undefined) {
    throw badInput(source, `lineItems[${index}]: unknown currency "${currency}"`);
  }
  let minor: string | null;
  try {
    minor = toMinorUnits(moneyFromDecimalText(amount, currency, table));
  } catch (error) {
    if (error instanceof MoneyError) throw badInput(source, `lineItems[${index}]: "${amount}" is not a decimal amount`);
    throw error;
  }
  if (minor === null) {
    throw badInput(source, `lineItems[${index}]: ${amount} ${currency} is not a whole number of ${currency}'s smallest unit`);
  }
  // The direction says which way money moves; a signed amount would say it twice, possibly the other way.
  if (minor.startsWith('-')) throw badInput(source, `lineItems[${index}]: amount must not be negative (use type PAYOUT)`);
  return minor;
}

/** Builds Fragment's create body; refuses (BAD_USER_INPUT) what Fragment could not carry exactly. */
export function fragmentCreateBody(source: string, request: CreateInvoiceRequest, table: CurrencyTable): FragmentCreateBody {
  if (request.invoiceId.trim() === '') throw badInput(source, 'invoiceId must not be empty');
  if (request.lineItems.length === 0) throw badInput(source, 'an invoice needs at least one line item');
  return {
    invoice_id: request.invoiceId,
    line_items: request.lineItems.map((item, index) => {
      const currency = item.currency.toUpperCase();
      return {
        amount: minorUnits(source, item.amount, currency, table, index),
        currency_code: currency,
        description: item.description,
        product_id: item.productId,
        type: item.direction === 'PAYIN' ? 'payin' : 'payout',
        user_id: item.userId,
      };
    }),
  };
}

function normalisedAmount(amount: string): string {
  return /^[+-]?\d+$/.test(amount) ? BigInt(amount).toString() : amount;
}

/** The parts of a line that make two creates the same (descriptions are free text and may be reworded). */
function lineKey(item: { amount: string; currency_code: string; product_id?: string | null; type?: string | null; user_id?: string | null }): string {
  return JSON.stringify([
    normalisedAmount(item.amount),
    item.currency_code.toUpperCase(),
    item.product_id ?? null,
    item.type ?? null,
    item.user_id ?? null,
  ]);
}

/** True when an existing invoice's lines are the requested ones (same amounts, currencies, products, users, types; any order). */
export function sameLineItems(requested: readonly FragmentCreateLineItem[], existing: readonly FragmentLineItem[]): boolean {
  if (requested.length !== existing.length) return false;
  const a = requested.map(lineKey).sort();
  // An existing line as it arrived, in either casing.
  const b = existing
    .map((line) => ({
      amount: String(line.amount),
      currency_code: String(fragmentField(line, 'currency_code')),
      product_id: fragmentText(line, 'product_id'),
      type: fragmentText(line, 'type'),
      user_id: fragmentText(line, 'user_id'),
    }))
    .map(lineKey)
    .sort();
  return a.every((key, i) => key === b[i]);
}

/**
 * Fragment's messages out of its refusal of a create (400 or 422). The error body's shape is not documented: the
 * message is read where APIs put it (`error.message`, `message`, `errors[].message`, `error_description`).
 */
export function fragmentErrorMessages(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const { error, message, errors, error_description: description } = body as Record<string, unknown>;
  const messages: unknown[] = [];
  if (typeof error === 'object' && error !== null) messages.push((error as { message?: unknown }).message);
  if (Array.isArray(errors)) messages.push(...errors.map((e) => (typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : e)));
  messages.push(message, description);
  return messages.filter((m): m is string => typeof m === 'string' && m.trim().length > 0);
}
