// Xero's payment writes, simulated: `PUT /Payments`, `PUT /BatchPayments` and `POST /Payments/{PaymentID}` with
// `{ Status: "DELETED" }`, validated as Xero validates them and answered in Xero's envelopes and error bodies.
//
// What is modelled, from Xero's documentation and its OpenAPI description:
// - Validation answers 400 `ValidationException` with `Elements[].ValidationErrors[].Message` (summarizeErrors, the
//   default: one bad element saves nothing): an amount over the amount due ("Payment amount exceeds the amount
//   outstanding on this document"), a draft, submitted, voided or deleted invoice ("Payments can only be made against
//   Authorised documents"), an unknown account ("Account could not be found"), an archived bank account, an account that
//   takes no payments (neither a bank account nor `EnablePaymentsToAccount`), a foreign-currency bank account paying
//   an invoice in another currency, a date on or before the organisation's end-of-year lock date, and for deletions a
//   payment already deleted, reconciled, or made in a batch. Where Xero's exact wording is not published the wording
//   here is ours; the checks are Xero's.
// - `Idempotency-Key` (128 characters at most): the first answer to a key (errors included) is kept for six minutes
//   from the first call and replayed to a request with the same key, method, path and body, which creates nothing; the
//   same key with another request answers 400. Rate limits are checked before the key (the route's `api` wrapper), so a
//   429 is never replayed.
// - Amounts apply to the invoice: `AmountPaid`, `AmountDue`, `Status` PAID with `FullyPaidOnDate` when nothing is due,
//   `UpdatedDateUTC`; a deletion takes the payment back. A batch creates its payments with `BatchPaymentID`.
// - A payment of a foreign-currency invoice from a base-currency (NZD) account is converted at the sandbox's fixed rates
//   (`BankAmount`, `CurrencyRate`); a foreign-currency account pays only invoices in its own currency.
import { createSeededRandom, type SandboxRequest, type SandboxResponse } from '../../kit/sandbox-server.js';
import { toXeroDate } from '../xero-dates.js';
import {
  findSandboxAccount,
  SANDBOX_ACCOUNTS,
  SANDBOX_BASE_CURRENCY,
  SANDBOX_RATES,
  takesPayments,
  type XeroSandboxAccount,
} from './xero-sandbox-accounts.js';
import type { XeroSandboxBatch, XeroSandboxDataset, XeroSandboxInvoice, XeroSandboxPayment } from './xero-sandbox-data.js';
import { batchJson, decimalNumber, envelope, paymentJson } from './xero-sandbox-json.js';

type Json = Record<string, unknown>;
type Handler = (req: SandboxRequest, data: XeroSandboxDataset, params: string[]) => SandboxResponse;

/** How long Xero honours an idempotency key: six minutes from the first call. */
export const XERO_IDEMPOTENCY_WINDOW_MS = 6 * 60_000;
/** The longest Idempotency-Key Xero accepts. */
export const XERO_IDEMPOTENCY_KEY_MAX = 128;

export interface XeroSandboxPaymentWritesOptions {
  seed: number;
  /** The clock (epoch ms) of UpdatedDateUTC and of the idempotency window. */
  now?: () => number;
  /** Hears of every invoice a payment write changed (Xero then sends an INVOICE UPDATE webhook event). */
  onInvoiceChanged?: (tenantId: string, invoiceId: string, atMs: number) => void;
}

export interface XeroSandboxPaymentWrites {
  readonly putPayments: Handler;
  readonly putBatchPayments: Handler;
  readonly postPayment: Handler;
  /** Sets the organisation's end-of-year lock date (`YYYY-MM-DD`, inclusive) of a tenant; null clears it. */
  setLockDate(tenantId: string, date: string | null): void;
  /** How long an idempotency key is honoured (Xero: six minutes); tests shorten it. */
  idempotencyWindowMs: number;
  /** The chart of accounts payments may name. */
  readonly accounts: readonly XeroSandboxAccount[];
  /** Answers replayed for a reused Idempotency-Key (since start). */
  replays(): number;
  /** Payments and batch payments created through the API (since start). */
  created(): { payments: number; batches: number };
}

interface KeptAnswer {
  method: string;
  path: string;
  body: string;
  answer: SandboxResponse;
  at: number;
}

interface TenantState {
  random: () => number;
  lockDateMs: number | null;
  kept: Map<string, KeptAnswer>;
}

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T00:00:00)?$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const MESSAGES = {
  overpaid: 'Payment amount exceeds the amount outstanding on this document',
  notAuthorised: 'Payments can only be made against Authorised documents',
  noAccount: 'Account could not be found',
  noInvoice: 'Invoice could not be found',
  noDate: 'A valid payment date must be supplied (YYYY-MM-DD)',
  noAmount: 'The payment amount must be a number greater than zero',
  deleted: 'This payment has already been deleted',
  reconciled: 'This payment has been reconciled and cannot be deleted',
  batched: 'This payment is part of a batch payment and cannot be deleted on its own',
  statusOnly: 'A payment can only be updated to the status DELETED',
} as const;

function validationException(elements: Json[]): SandboxResponse {
  return {
    status: 400,
    json: { ErrorNumber: 10, Type: 'ValidationException', Message: 'A validation exception occurred', Elements: elements },
  };
}

function createGuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (8 + Math.floor(random() * 4)).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** A request's date (`YYYY-MM-DD`, Xero also takes a midnight time or `/Date(ms)/`) as epoch ms, or undefined. */
function dateMsOf(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = /^\/Date\((-?\d+)([+-]\d{4})?\)\/$/.exec(value);
  if (ms) return Math.floor(Number(ms[1]) / DAY_MS) * DAY_MS;
  const iso = ISO_DATE.exec(value);
  if (!iso) return undefined;
  const at = Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));
  const check = new Date(at);
  return check.getUTCDate() === Number(iso[3]) && check.getUTCMonth() === Number(iso[2]) - 1 ? at : undefined;
}

function formatLockDate(ms: number): string {
  const date = new Date(ms);
  return `${String(date.getUTCDate()).padStart(2, '0')} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** A JSON amount as an integer of minor units at `scale`, or undefined when it is not one (too many places, not > 0). */
function minorUnitsOf(value: unknown, scale: number): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  const match = /^(\d+)(?:\.(\d+))?$/.exec(String(value));
  if (!match) return undefined;
  const [, whole, fraction = ''] = match;
  if (fraction.length > scale) return undefined;
  const units = Number(`${whole}${fraction.padEnd(scale, '0')}`);
  return Number.isSafeInteger(units) ? units : undefined;
}

/** `amount` (minor units of `currency`) in the base currency's minor units at the sandbox's rate, half away from zero. */
function toBaseUnits(amount: number, currency: string, scale: number): { units: number; rate: string } {
  const rate = SANDBOX_RATES[currency] ?? { numerator: 1n, denominator: 1n };
  // amount / 10^scale / (n/d) * 10^2
  const numerator = BigInt(amount) * rate.denominator * 100n;
  const denominator = rate.numerator * 10n ** BigInt(scale);
  const units = Number((numerator + denominator / 2n) / denominator);
  const rateText = decimalText(rate.numerator, rate.denominator);
  return { units, rate: rateText };
}

function decimalText(numerator: bigint, denominator: bigint): string {
  if (denominator === 1n) return numerator.toString();
  const places = denominator.toString().length - 1;
  const digits = ((numerator * 10n ** BigInt(places)) / denominator).toString().padStart(places + 1, '0');
  return `${digits.slice(0, -places)}.${digits.slice(-places)}`.replace(/\.?0+$/, '');
}

interface PaymentPlan {
  invoice: XeroSandboxInvoice;
  account: XeroSandboxAccount;
  amount: number;
  dateMs: number;
  reference: string;
}

/** Creates the payment-write handlers over the sandbox's datasets. */
export function createXeroPaymentWrites(options: XeroSandboxPaymentWritesOptions): XeroSandboxPaymentWrites {
  const now = options.now ?? Date.now;
  const tenants = new Map<string, TenantState>();
  let replayed = 0;
  const created = { payments: 0, batches: 0 };

  const stateOf = (data: XeroSandboxDataset): TenantState => {
    let state = tenants.get(data.tenantId);
    if (!state) {
      let hash = options.seed;
      for (const char of data.tenantId) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) >>> 0;
      state = { random: createSeededRandom(hash), lockDateMs: null, kept: new Map() };
      tenants.set(data.tenantId, state);
    }
    return state;
  };

  const invoiceOf = (data: XeroSandboxDataset, ref: unknown): XeroSandboxInvoice | undefined => {
    if (!ref || typeof ref !== 'object') return undefined;
    const { InvoiceID, InvoiceNumber } = ref as { InvoiceID?: unknown; InvoiceNumber?: unknown };
    if (typeof InvoiceID === 'string' && InvoiceID !== '') return data.invoiceById.get(InvoiceID.toLowerCase());
    if (typeof InvoiceNumber === 'string' && InvoiceNumber !== '') return data.invoices.find((inv) => inv.number === InvoiceNumber);
    return undefined;
  };

  const accountProblem = (account: XeroSandboxAccount | undefined): string | undefined => {
    if (!account) return MESSAGES.noAccount;
    if (account.status === 'ARCHIVED') return `${account.name} bank account is archived and cannot be used`;
    if (!takesPayments(account)) {
      return `Payments cannot be made to or from account ${account.code} (${account.name}): it is not a bank account and payments to it are not enabled`;
    }
    return undefined;
  };

  const lockProblem = (state: TenantState, dateMs: number): string | undefined =>
    state.lockDateMs !== null && dateMs <= state.lockDateMs
      ? `The document date cannot be before the end of year lock date, currently set at ${formatLockDate(state.lockDateMs)}`
      : undefined;

  /**
   * Checks one payment; `due` carries what earlier payments of the same request already took from each invoice, so
   * two payments that together pay too much are refused like one.
   */
  const check = (
    data: XeroSandboxDataset,
    state: TenantState,
    raw: { Invoice?: unknown; Amount?: unknown; Date?: unknown; Reference?: unknown },
    account: XeroSandboxAccount | undefined,
    due: Map<string, number>,
  ): { plan?: PaymentPlan; messages: string[] } => {
    const messages: string[] = [];
    const invoice = invoiceOf(data, raw.Invoice);
    if (!invoice) messages.push(MESSAGES.noInvoice);
    const problem = accountProblem(account);
    if (problem) messages.push(problem);
    const dateMs = dateMsOf(raw.Date);
    if (dateMs === undefined) messages.push(MESSAGES.noDate);
    else {
      const locked = lockProblem(state, dateMs);
      if (locked) messages.push(locked);
    }
    const amount = invoice ? minorUnitsOf(raw.Amount, invoice.scale) : undefined;
    if (invoice && amount === undefined) {
      messages.push(
        typeof raw.Amount === 'number' && raw.Amount > 0
          ? `The payment amount can have at most ${invoice.scale} decimal places in ${invoice.currency}`
          : MESSAGES.noAmount,
      );
    }
    if (invoice) {
      if (invoice.status !== 'AUTHORISED' && invoice.status !== 'PAID') messages.push(MESSAGES.notAuthorised);
      else if (amount !== undefined && amount > (due.get(invoice.id) ?? invoice.amountDue)) messages.push(MESSAGES.overpaid);
      if (account && account.currency !== invoice.currency && account.currency !== SANDBOX_BASE_CURRENCY) {
        messages.push(`The currency of the bank account (${account.currency}) must match the currency of the invoice (${invoice.currency})`);
      }
    }
    if (messages.length > 0 || !invoice || !account || amount === undefined || dateMs === undefined) return { messages };
    due.set(invoice.id, (due.get(invoice.id) ?? invoice.amountDue) - amount);
    const reference = typeof raw.Reference === 'string' ? raw.Reference : '';
    return { plan: { invoice, account, amount, dateMs, reference }, messages };
  };

  /** The element Xero echoes with its validation errors. */
  const element = (raw: Json, messages: string[]): Json => ({
    ...raw,
    HasValidationErrors: true,
    ValidationErrors: messages.map((Message) => ({ Message })),
  });

  const apply = (data: XeroSandboxDataset, state: TenantState, plan: PaymentPlan, batchId: string | null): XeroSandboxPayment => {
    const at = now();
    const { invoice, account, amount } = plan;
    const base = account.currency === invoice.currency ? { units: amount, rate: '1' } : toBaseUnits(amount, invoice.currency, invoice.scale);
    const payment: XeroSandboxPayment = {
      id: createGuid(state.random),
      invoiceId: invoice.id,
      amount,
      dateMs: plan.dateMs,
      updatedMs: at,
      reference: plan.reference,
      status: 'AUTHORISED',
      batchId,
      reconciled: false,
      account: {
        id: account.id,
        code: account.code,
        name: account.name,
        bankAmount: base.units,
        bankScale: account.currency === invoice.currency ? invoice.scale : 2,
        currencyRate: base.rate,
      },
    };
    data.payments.push(payment);
    data.paymentById.set(payment.id, payment);
    invoice.paymentIds.push(payment.id);
    invoice.amountPaid += amount;
    invoice.amountDue -= amount;
    invoice.updatedMs = at;
    options.onInvoiceChanged?.(data.tenantId, invoice.id, at);
    if (invoice.amountDue === 0) {
      invoice.status = 'PAID';
      invoice.fullyPaidMs = Math.max(plan.dateMs, ...standing(data, invoice).map((p) => p.dateMs));
    }
    created.payments += 1;
    return payment;
  };

  const standing = (data: XeroSandboxDataset, invoice: XeroSandboxInvoice) =>
    invoice.paymentIds.map((id) => data.paymentById.get(id)!).filter((p) => p.status === 'AUTHORISED');

  /** A payment as PUT /Payments answers it: with its account and its invoice's amounts after the payment. */
  const writtenJson = (data: XeroSandboxDataset, payment: XeroSandboxPayment): Json => {
    const json = paymentJson(data, payment);
    const invoice = data.invoiceById.get(payment.invoiceId)!;
    const summary = json.Invoice as Json;
    json.Invoice = {
      ...summary,
      Status: invoice.status,
      AmountDue: decimalNumber(invoice.amountDue, invoice.scale),
      AmountPaid: decimalNumber(invoice.amountPaid, invoice.scale),
      Total: decimalNumber(invoice.total, invoice.scale),
      UpdatedDateUTC: toXeroDate(invoice.updatedMs),
    };
    return json;
  };

  /** Wraps a write handler with Xero's Idempotency-Key behaviour. */
  const idempotent =
    (handler: Handler): Handler =>
    (req, data, params) => {
      const key = req.headers['idempotency-key'];
      if (key === undefined) return handler(req, data, params);
      if (key.length === 0 || key.length > XERO_IDEMPOTENCY_KEY_MAX) {
        return validationException([{ ValidationErrors: [{ Message: `Idempotency-Key must be 1 to ${XERO_IDEMPOTENCY_KEY_MAX} characters` }] }]);
      }
      const state = stateOf(data);
      const at = now();
      const body = JSON.stringify(req.body ?? null);
      const kept = state.kept.get(key);
      if (kept && at - kept.at < writes.idempotencyWindowMs) {
        if (kept.method !== req.method || kept.path.toLowerCase() !== req.path.toLowerCase() || kept.body !== body) {
          return validationException([
            { ValidationErrors: [{ Message: 'The Idempotency-Key was already used for a different request; use a new key for a new request' }] },
          ]);
        }
        replayed += 1;
        return structuredClone(kept.answer);
      }
      const answer = handler(req, data, params);
      state.kept.set(key, { method: req.method, path: req.path, body, answer: structuredClone(answer), at });
      // Forget keys past the window, so a long-running sandbox does not grow without bound.
      for (const [k, v] of state.kept) if (at - v.at >= writes.idempotencyWindowMs) state.kept.delete(k);
      return answer;
    };

  const putPayments: Handler = (req, data) => {
    const state = stateOf(data);
    const items = (req.body as { Payments?: unknown } | undefined)?.Payments;
    if (!Array.isArray(items) || items.length === 0) {
      return validationException([{ ValidationErrors: [{ Message: 'The request must carry a Payments array with at least one payment' }] }]);
    }
    const due = new Map<string, number>();
    const checked = items.map((raw: Json) => {
      const account = findSandboxAccount(raw?.Account as Json | undefined);
      return { raw, ...check(data, state, raw ?? {}, account, due) };
    });
    const failed = checked.filter((c) => c.messages.length > 0);
    if (failed.length > 0) return validationException(failed.map((c) => element(c.raw, c.messages)));
    const payments = checked.map((c) => apply(data, state, c.plan!, null));
    return { status: 200, json: envelope(createGuid(state.random), { Payments: payments.map((p) => writtenJson(data, p)) }) };
  };

  const putBatchPayments: Handler = (req, data) => {
    const state = stateOf(data);
    const batches = (req.body as { BatchPayments?: unknown } | undefined)?.BatchPayments;
    if (!Array.isArray(batches) || batches.length === 0) {
      return validationException([{ ValidationErrors: [{ Message: 'The request must carry a BatchPayments array with at least one batch payment' }] }]);
    }
    const due = new Map<string, number>();
    const elements: Json[] = [];
    const plans: Array<{ raw: Json; account: XeroSandboxAccount; plans: PaymentPlan[] }> = [];
    for (const raw of batches as Json[]) {
      const messages: string[] = [];
      const account = findSandboxAccount(raw?.Account as Json | undefined);
      const problem = accountProblem(account);
      if (problem) messages.push(problem);
      else if (account!.type !== 'BANK') messages.push('Batch payments can only be made from a bank account');
      const items = Array.isArray(raw?.Payments) ? (raw.Payments as Json[]) : [];
      if (items.length === 0) messages.push('A batch payment must have at least one payment');
      const batchPlans: PaymentPlan[] = [];
      const paymentElements: Json[] = [];
      for (const item of items) {
        // A batch's payments take its date and account; a reference of their own is kept.
        const result = check(data, state, { ...item, Date: raw.Date, Reference: item?.Reference ?? raw.Reference }, account, due);
        if (result.plan) batchPlans.push(result.plan);
        if (result.messages.length > 0) paymentElements.push(element(item, result.messages));
      }
      const types = new Set(batchPlans.map((p) => p.invoice.type));
      if (types.size > 1) messages.push('All invoices of a batch payment must be of one type (sales invoices or bills)');
      if (account && batchPlans.some((p) => p.invoice.currency !== account.currency)) {
        messages.push(`All invoices of a batch payment must be in the currency of its bank account (${account.currency})`);
      }
      if (messages.length > 0 || paymentElements.length > 0) {
        elements.push({ ...element(raw, messages), Payments: paymentElements.length > 0 ? paymentElements : raw.Payments });
      } else {
        plans.push({ raw, account: account!, plans: batchPlans });
      }
    }
    if (elements.length > 0) return validationException(elements);
    const answered = plans.map(({ raw, account, plans: batchPlans }) => {
      const id = createGuid(state.random);
      const payments = batchPlans.map((plan) => apply(data, state, plan, id));
      const batch: XeroSandboxBatch = {
        id,
        type: batchPlans[0].invoice.type === 'ACCREC' ? 'RECBATCH' : 'PAYBATCH',
        status: 'AUTHORISED',
        reference: typeof raw.Reference === 'string' ? raw.Reference : '',
        dateMs: batchPlans[0].dateMs,
        updatedMs: now(),
        accountId: account.id,
        currency: account.currency,
        paymentIds: payments.map((p) => p.id),
        total: payments.reduce((sum, p) => sum + p.amount, 0),
        reconciled: false,
      };
      data.batches.push(batch);
      data.batchById.set(batch.id, batch);
      created.batches += 1;
      return batchJson(data, batch);
    });
    return { status: 200, json: envelope(createGuid(state.random), { BatchPayments: answered }) };
  };

  const postPayment: Handler = (req, data, [id]) => {
    const state = stateOf(data);
    const payment = data.paymentById.get(id.toLowerCase());
    if (!payment) return { status: 404, text: "The resource you're looking for cannot be found" };
    // Xero takes `{ Status }` (its PaymentDelete schema) and the `{ Payments: [{ Status }] }` of its example.
    const body = (req.body ?? {}) as { Status?: unknown; Payments?: Array<{ Status?: unknown }> };
    const status = body.Status ?? (Array.isArray(body.Payments) ? body.Payments[0]?.Status : undefined);
    const messages: string[] = [];
    if (status !== 'DELETED') messages.push(MESSAGES.statusOnly);
    else if (payment.status === 'DELETED') messages.push(MESSAGES.deleted);
    else {
      if (payment.batchId) messages.push(MESSAGES.batched);
      if (payment.reconciled) messages.push(MESSAGES.reconciled);
      const locked = lockProblem(state, payment.dateMs);
      if (locked) messages.push(locked);
    }
    if (messages.length > 0) return validationException([element({ PaymentID: payment.id, Status: status ?? null }, messages)]);
    const at = now();
    const invoice = data.invoiceById.get(payment.invoiceId)!;
    payment.status = 'DELETED';
    payment.updatedMs = at;
    invoice.amountPaid -= payment.amount;
    invoice.amountDue += payment.amount;
    invoice.updatedMs = at;
    options.onInvoiceChanged?.(data.tenantId, invoice.id, at);
    if (invoice.status === 'PAID' && invoice.amountDue > 0) {
      invoice.status = 'AUTHORISED';
      invoice.fullyPaidMs = null;
    }
    return { status: 200, json: envelope(createGuid(state.random), { Payments: [writtenJson(data, payment)] }) };
  };

  const writes: XeroSandboxPaymentWrites = {
    putPayments: idempotent(putPayments),
    putBatchPayments: idempotent(putBatchPayments),
    postPayment: idempotent(postPayment),
    idempotencyWindowMs: XERO_IDEMPOTENCY_WINDOW_MS,
    accounts: SANDBOX_ACCOUNTS,
    setLockDate(tenantId, date) {
      const state = tenants.get(tenantId) ?? stateOf({ tenantId } as XeroSandboxDataset);
      if (date === null) state.lockDateMs = null;
      else {
        const ms = dateMsOf(date);
        if (ms === undefined) throw new Error(`not a date: ${date}`);
        state.lockDateMs = ms;
      }
    },
    replays: () => replayed,
    created: () => ({ ...created }),
  };
  return writes;
}
