// Fragment's wire format, as far as the gateway reads it. Current SDKs speak snake_case, older answers and some
// documented examples camelCase (`lineItems`, `currencyCode`, `workspaceId`), sometimes mixed in one payload: each field
// is read in both casings where it is read (snake wins when both are present), so a payload is never copied.
//
// Items are checked by hand, in one pass that allocates nothing on success, rather than by zod: on the hot path (a
// 1000-invoice batch-get) zod's copies were a tenth of the gateway's CPU. The check names only the fields read and lets
// unknown fields through, so a provider adding a field breaks nothing. `FragmentInvoice` wraps the same check as a zod
// schema for the code that wants one.
import { z } from 'zod';

/** A JSON object of Fragment's, read as it arrived. */
export type FragmentWireObject = Readonly<Record<string, unknown>>;

/** A Fragment invoice as it arrived (either casing); checked by `checkFragmentInvoice`. */
export type FragmentInvoice = FragmentWireObject;
/** A line item as it arrived (either casing). */
export type FragmentLineItem = FragmentWireObject;

/** The camelCase twin of each multi-word field the gateway reads. */
const CAMEL: Readonly<Record<string, string>> = {
  external_id: 'externalId',
  line_items: 'lineItems',
  currency_code: 'currencyCode',
  product_id: 'productId',
  user_id: 'userId',
  not_found: 'notFound',
  workspace_id: 'workspaceId',
  page_info: 'pageInfo',
  next_cursor: 'nextCursor',
};

/** `field` of `object` in snake_case or, when that is absent, in camelCase. */
export function fragmentField(object: FragmentWireObject, field: string): unknown {
  const value = object[field];
  if (value !== undefined) return value;
  const camel = CAMEL[field];
  return camel === undefined ? undefined : object[camel];
}

/** A string field that may be absent or null; undefined is answered as null. */
export function fragmentText(object: FragmentWireObject, field: string): string | null {
  const value = fragmentField(object, field);
  return typeof value === 'string' ? value : null;
}

/** An array field that may be absent or null (answered as empty). */
export function fragmentList(object: FragmentWireObject, field: string): readonly FragmentWireObject[] {
  const value = fragmentField(object, field);
  return Array.isArray(value) ? (value as FragmentWireObject[]) : [];
}

const INTEGER_TEXT = /^[+-]?\d+$/;

/** Where a payload went wrong: a path for the logs, never shown to a client (it may quote nothing of the data). */
export class FragmentWireIssue {
  constructor(
    public path: string,
    readonly problem: string,
  ) {}
}

type Check = (value: unknown, amounts: boolean) => FragmentWireIssue | null;

/** Prefixes an issue's path on its way up; paths are built only when something is wrong. */
function at(prefix: string, issue: FragmentWireIssue | null): FragmentWireIssue | null {
  if (issue) issue.path = issue.path ? `${prefix}.${issue.path}` : prefix;
  return issue;
}

const isObject = (value: unknown): value is FragmentWireObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isNullish = (value: unknown) => value === undefined || value === null;

function text(object: FragmentWireObject, field: string, required: 'required' | 'non-empty' | 'optional'): FragmentWireIssue | null {
  const value = fragmentField(object, field);
  if (required === 'optional' && isNullish(value)) return null;
  if (typeof value !== 'string') return new FragmentWireIssue(field, 'expected a string');
  if (required === 'non-empty' && value.length === 0) return new FragmentWireIssue(field, 'expected a non-empty string');
  return null;
}

function amount(object: FragmentWireObject, field: string, amounts: boolean): FragmentWireIssue | null {
  const value = object[field];
  if (typeof value !== 'string') return new FragmentWireIssue(field, 'expected an amount string');
  if (amounts && !INTEGER_TEXT.test(value)) return new FragmentWireIssue(field, 'not an integer amount in minor units');
  return null;
}

function list(owner: FragmentWireObject, field: string, amounts: boolean, item: Check): FragmentWireIssue | null {
  const value = fragmentField(owner, field);
  if (isNullish(value)) return null;
  if (!Array.isArray(value)) return new FragmentWireIssue(field, 'expected an array');
  for (let i = 0; i < value.length; i++) {
    const issue = item(value[i], amounts);
    if (issue) return at(`${field}.${i}`, issue);
  }
  return null;
}

const notObject = () => new FragmentWireIssue('', 'expected an object');

// Each check chains its fields with `??`: the first issue stops it, and a clean item costs no allocation.
const checkTag: Check = (o) => (isObject(o) ? text(o, 'key', 'required') ?? text(o, 'value', 'required') : notObject());

const checkAmounts: Check = (o, amounts) =>
  isObject(o) ? amount(o, 'actual', amounts) ?? amount(o, 'expected', amounts) ?? amount(o, 'remaining', amounts) : notObject();

const checkBalance: Check = (o, amounts) =>
  isObject(o)
    ? text(o, 'currency', 'non-empty') ??
      at('net', checkAmounts(o.net, amounts)) ??
      at('payins', checkAmounts(o.payins, amounts)) ??
      at('payouts', checkAmounts(o.payouts, amounts))
    : notObject();

const checkUser: Check = (o, amounts) =>
  isObject(o)
    ? text(o, 'id', 'required') ?? text(o, 'external_id', 'optional') ?? list(o, 'balances', amounts, checkBalance)
    : notObject();

const checkLineItem: Check = (o, amounts) =>
  isObject(o)
    ? text(o, 'id', 'optional') ??
      amount(o, 'amount', amounts) ??
      text(o, 'currency_code', 'non-empty') ??
      text(o, 'description', 'optional') ??
      text(o, 'product_id', 'optional') ??
      text(o, 'type', 'optional') ??
      text(o, 'user_id', 'optional')
    : notObject();

const checkTransaction: Check = (t, amounts) =>
  isObject(t)
    ? text(t, 'id', 'non-empty') ?? text(t, 'external_id', 'optional') ?? list(t, 'tags', amounts, checkTag)
    : notObject();

const checkPaymentUser: Check = (u) =>
  isNullish(u) ? null : isObject(u) ? text(u, 'id', 'optional') ?? text(u, 'external_id', 'optional') : notObject();

const checkPayment: Check = (o, amounts) =>
  isObject(o)
    ? amount(o, 'amount', amounts) ??
      text(o, 'currency', 'non-empty') ??
      text(o, 'posted', 'optional') ??
      (o.type === 'payin' || o.type === 'payout' ? null : new FragmentWireIssue('type', 'expected payin or payout')) ??
      at('transaction', checkTransaction(o.transaction, amounts)) ??
      at('user', checkPaymentUser(o.user, amounts))
    : notObject();

/** The id of an item, if it has a usable one: just enough to know which id a (possibly malformed) item answers. */
export function fragmentInvoiceId(value: unknown): string | null {
  if (!isObject(value)) return null;
  const id = value.id;
  return typeof id === 'string' && id.length > 0 ? id : null;
}

/**
 * Checks every field the gateway reads of an invoice: its identity (`id`, `status`), and the types of its nested parts.
 * With `amounts`, amounts must also be integer text (what makes an amount readable, short of its currency's scale).
 * Answers the first issue, or null.
 */
export function checkFragmentInvoice(value: unknown, options: { amounts: boolean }): FragmentWireIssue | null {
  if (!isObject(value)) return notObject();
  const { amounts } = options;
  return (
    text(value, 'id', 'non-empty') ??
    text(value, 'status', 'required') ??
    text(value, 'created', 'optional') ??
    text(value, 'modified', 'optional') ??
    list(value, 'balances', amounts, checkBalance) ??
    list(value, 'users', amounts, checkUser) ??
    list(value, 'line_items', amounts, checkLineItem) ??
    list(value, 'payments', amounts, checkPayment) ??
    list(value, 'tags', amounts, checkTag)
  );
}

/** A Fragment invoice as a zod schema (the types of the fields read; amounts are checked when they are mapped). */
export const FragmentInvoice = z.custom<FragmentInvoice>((value) => checkFragmentInvoice(value, { amounts: false }) === null, {
  message: 'not a Fragment invoice',
});

/** `POST /invoices/batch-get`: the envelope, or the path where it is malformed. Items are checked one by one later. */
export function readFragmentBatchGet(body: unknown): { invoices: readonly unknown[]; notFound: readonly string[] } | FragmentWireIssue {
  if (!isObject(body) || !isObject(body.data)) return new FragmentWireIssue('data', 'expected an object');
  const invoices = body.data.invoices;
  if (!Array.isArray(invoices)) return new FragmentWireIssue('data.invoices', 'expected an array');
  const notFound = fragmentField(body.data, 'not_found');
  if (isNullish(notFound)) return { invoices, notFound: [] };
  if (!Array.isArray(notFound) || !notFound.every((id) => typeof id === 'string')) {
    return new FragmentWireIssue('data.not_found', 'expected an array of strings');
  }
  return { invoices, notFound };
}

/** `POST /invoices/search`: the envelope and its next cursor, or the path where it is malformed. Items are read later. */
export function readFragmentSearch(body: unknown): { invoices: readonly unknown[]; nextCursor: string | null } | FragmentWireIssue {
  if (!isObject(body) || !isObject(body.data)) return new FragmentWireIssue('data', 'expected an object');
  const invoices = body.data.invoices;
  if (!Array.isArray(invoices)) return new FragmentWireIssue('data.invoices', 'expected an array');
  const pageInfo = fragmentField(body.data, 'page_info');
  if (isNullish(pageInfo)) return { invoices, nextCursor: null };
  if (!isObject(pageInfo)) return new FragmentWireIssue('data.page_info', 'expected an object');
  const next = fragmentField(pageInfo, 'next_cursor');
  if (isNullish(next)) return { invoices, nextCursor: null };
  if (typeof next !== 'string' || next.length === 0) return new FragmentWireIssue('data.page_info.next_cursor', 'expected a non-empty string');
  return { invoices, nextCursor: next };
}

/** `GET /invoices/{id}` and `POST /invoices`: one invoice under `data`, validated by the caller. */
export const FragmentInvoiceAnswer = z.looseObject({ data: z.unknown() });
