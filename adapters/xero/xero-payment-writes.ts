// Payments written to Xero: `PUT /Payments`, `PUT /BatchPayments`, `POST /Payments/{PaymentID}` with
// `{ Status: "DELETED" }`. Each call carries the `Idempotency-Key` the gateway derived (Xero replays the first answer to
// a key for six minutes), is retried only because of it (`idempotent`), and goes through the tenant's client, so its
// rate limits, auth and the gateway's budgets apply as to every call. Amounts are written from their exact decimal text.
import type { CreateBatchPaymentRequest, DeletePaymentRequest, RecordPaymentRequest } from '../kit/adapter.js';
import type { CurrencyTable } from '../kit/currencies.js';
import { AdapterError } from '../kit/errors.js';
import { exactDecimal, stringifyExact } from '../kit/exact-json.js';
import { callContextOf, type CallContext, type HttpClient, type HttpMethod, type HttpResponse } from '../kit/http.js';
import type { BatchPayment, Payment } from '../kit/model.js';
import { mapOrError, parseWire } from '../kit/wire.js';
import { XeroBatchPaymentSchema, XeroBatchPaymentsEnvelopeSchema, XeroPaymentsEnvelopeSchema } from './wire.js';
import {
  XeroErrorBodySchema,
  XeroWrittenPaymentSchema,
  type XeroAccountRef,
  type XeroBatchPaymentRequest,
  type XeroPaymentDeleteRequest,
  type XeroPaymentRequest,
} from './xero-payment-wire.js';
import { xeroBatchPaymentToModel, xeroPaymentToModel } from './xero-to-model.js';
import { isXeroGuid, parseIsoDate } from './xero-where.js';

/** The longest Idempotency-Key Xero accepts. */
export const XERO_IDEMPOTENCY_KEY_MAX = 128;
/** Provider messages passed on: at most this many, each cut to this length. */
const MAX_MESSAGES = 20;
const MAX_MESSAGE_LENGTH = 500;
const AMOUNT = /^(0|[1-9]\d*)(\.\d+)?$/;

export interface XeroPaymentWritesOptions {
  source: string;
  /** The tenant's client (auth, tenant header, rate limits, the gateway's middleware). */
  http: HttpClient;
  table: CurrencyTable;
}

export interface XeroPaymentWrites {
  recordPayment(request: RecordPaymentRequest, options: CallContext): Promise<Payment>;
  createBatchPayment(request: CreateBatchPaymentRequest, options: CallContext): Promise<BatchPayment>;
  deletePayment(request: DeletePaymentRequest, options: CallContext): Promise<Payment>;
}

/** Every message of Xero's error body (its elements' and their payments' validation errors), de-duplicated and bounded. */
export function xeroErrorMessages(body: unknown): string[] {
  const parsed = XeroErrorBodySchema.safeParse(body);
  if (!parsed.success) return [];
  const messages: string[] = [];
  const add = (list: ReadonlyArray<{ Message?: string | null }> | null | undefined) => {
    for (const item of list ?? []) if (item.Message) messages.push(item.Message);
  };
  for (const element of parsed.data.Elements ?? []) {
    add(element.ValidationErrors);
    for (const payment of element.Payments ?? []) add(payment.ValidationErrors);
  }
  // The body's own Message is generic ("A validation exception occurred") when the elements say more.
  if (messages.length === 0 && parsed.data.Message) messages.push(parsed.data.Message);
  return [...new Set(messages.map((m) => m.slice(0, MAX_MESSAGE_LENGTH)))].slice(0, MAX_MESSAGES);
}

/** Creates the payment writes of one Xero tenant. */
export function createXeroPaymentWrites(options: XeroPaymentWritesOptions): XeroPaymentWrites {
  const { source, http, table } = options;

  const userError = (message: string) => new AdapterError('BAD_USER_INPUT', message, { source, retryable: false });

  const accountRef = (account: string): XeroAccountRef => {
    const trimmed = account.trim();
    if (trimmed === '' || trimmed.length > 150) throw userError('accountId must be a Xero AccountID or an account code');
    return isXeroGuid(trimmed) ? { AccountID: trimmed.toLowerCase() } : { Code: trimmed };
  };

  const amountOf = (amount: string, what: string) => {
    if (!AMOUNT.test(amount) || /^0(\.0+)?$/.test(amount)) throw userError(`${what} must be a decimal amount greater than zero`);
    return exactDecimal(amount);
  };

  const invoiceRef = (remoteId: string) => {
    if (!isXeroGuid(remoteId)) throw new AdapterError('NOT_FOUND', `${source} has no invoice "${remoteId.slice(0, 60)}"`, { source });
    return { InvoiceID: remoteId.toLowerCase() };
  };

  const checkKey = (key: string) => {
    if (key.length === 0 || key.length > XERO_IDEMPOTENCY_KEY_MAX) {
      throw userError(`the idempotency key sent to ${source} must be 1 to ${XERO_IDEMPOTENCY_KEY_MAX} characters`);
    }
  };

  const checkDate = (date: string): string => {
    parseIsoDate(source, 'date', date);
    return date;
  };

  /**
   * Sends one write. A 400 is the caller's input refused (BAD_USER_INPUT with Xero's messages), mapped here whatever
   * the HTTP helper's default for a 4xx; an answer lost after the request left is UPSTREAM_OUTCOME_UNKNOWN, safe to send
   * again since the key makes Xero replay rather than write twice.
   */
  async function write(method: HttpMethod, path: string, route: string, body: unknown, key: string, what: string, context: CallContext) {
    checkKey(key);
    const call = callContextOf(context);
    let answerLost = false;
    let response: HttpResponse;
    try {
      response = await http.send({
        method,
        path,
        route,
        jsonText: stringifyExact(body),
        headers: { 'idempotency-key': key },
        acceptStatus: [400, 404],
        // Retried only because the key makes a second attempt replay the first.
        idempotent: true,
        ...call,
        onCall: (observed) => {
          if (observed.answerLost) answerLost = true;
          call.onCall?.(observed);
        },
      });
    } catch (error) {
      // Once an attempt left and lost its answer, Xero may hold the write: a later attempt's failure (a 5xx, a 429 that
      // Xero checks before the key, a timeout) does not say otherwise. Its 400 and 404 are answers, handled below.
      if (answerLost) {
        throw new AdapterError(
          'UPSTREAM_OUTCOME_UNKNOWN',
          `${source} may have recorded ${what}, but its answer was lost; sending the same input again is safe`,
          { source, cause: error, retryable: false, retrySafe: true, answerLost: true },
        );
      }
      throw error;
    }
    if (response.status === 404) throw new AdapterError('NOT_FOUND', `${source} has no such payment`, { source, status: 404 });
    if (response.status === 400) {
      const messages = xeroErrorMessages(response.body);
      const type = XeroErrorBodySchema.safeParse(response.body).data?.Type;
      throw new AdapterError('BAD_USER_INPUT', `${source} refused ${what}${type ? ` (${type})` : ''}`, {
        source,
        status: 400,
        retryable: false,
        providerMessages: messages,
      });
    }
    return response.body;
  }

  /** The written payment of an answer; an element answered with validation errors is refused input, not a payment. */
  function writtenPayment(body: unknown, what: string): Payment {
    const envelope = parseWire(source, XeroPaymentsEnvelopeSchema, body, 'payment answer');
    if (envelope.Payments.length !== 1) {
      throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} answered ${envelope.Payments.length} payments for one`, { source });
    }
    const item = parseWire(source, XeroWrittenPaymentSchema, envelope.Payments[0], 'payment');
    const messages = (item.ValidationErrors ?? []).flatMap((e) => (e.Message ? [e.Message.slice(0, MAX_MESSAGE_LENGTH)] : []));
    if (item.HasValidationErrors === true || item.HasValidationErrors === 'true' || messages.length > 0) {
      throw new AdapterError('BAD_USER_INPUT', `${source} refused ${what}`, { source, retryable: false, providerMessages: messages });
    }
    const mapped = mapOrError(source, 'payment', () => xeroPaymentToModel(item, table));
    if (mapped instanceof Error) throw mapped;
    return mapped;
  }

  return {
    async recordPayment(request, context) {
      const payment: XeroPaymentRequest = {
        Invoice: invoiceRef(request.invoiceRemoteId),
        Account: accountRef(request.account),
        Date: checkDate(request.date),
        Amount: amountOf(request.amount, 'amount'),
        ...(request.reference ? { Reference: request.reference } : {}),
      };
      const body = await write('PUT', '/Payments', '/Payments', { Payments: [payment] }, request.idempotencyKey, 'the payment', context);
      return writtenPayment(body, 'the payment');
    },

    async createBatchPayment(request, context) {
      if (request.payments.length === 0) throw userError('a batch payment needs at least one payment');
      const batch: XeroBatchPaymentRequest = {
        Account: accountRef(request.account),
        Date: checkDate(request.date),
        ...(request.reference ? { Reference: request.reference } : {}),
        Payments: request.payments.map((p, i) => ({ Invoice: invoiceRef(p.invoiceRemoteId), Amount: amountOf(p.amount, `payments[${i}].amount`) })),
      };
      const body = await write('PUT', '/BatchPayments', '/BatchPayments', { BatchPayments: [batch] }, request.idempotencyKey, 'the batch payment', context);
      const envelope = parseWire(source, XeroBatchPaymentsEnvelopeSchema, body, 'batch payment answer');
      if (envelope.BatchPayments.length !== 1) {
        throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} answered ${envelope.BatchPayments.length} batch payments for one`, { source });
      }
      const mapped = mapOrError(source, 'batch payment', () =>
        xeroBatchPaymentToModel(parseWire(source, XeroBatchPaymentSchema, envelope.BatchPayments[0], 'batch payment'), table),
      );
      if (mapped instanceof Error) throw mapped;
      return mapped;
    },

    async deletePayment(request, context) {
      if (!isXeroGuid(request.paymentRemoteId)) {
        throw new AdapterError('NOT_FOUND', `${source} has no payment "${request.paymentRemoteId.slice(0, 60)}"`, { source });
      }
      const id = request.paymentRemoteId.toLowerCase();
      const body: XeroPaymentDeleteRequest = { Status: 'DELETED' };
      const answer = await write('POST', `/Payments/${id}`, '/Payments/{PaymentID}', body, request.idempotencyKey, 'the payment deletion', context);
      return writtenPayment(answer, 'the payment deletion');
    },
  };
}
