// recordPayment, createBatchPayment, deletePayment: checked here in this order, so a refusal costs no provider call:
// the input's shape, the grant `pay` on the source, the source's ability to take payments, then the invoices (read
// through the loaders: existence, and the currency each amount is checked against). The write itself is idempotent
// (src/payments/payment-idempotency.ts); afterwards the touched invoices are refreshed and reported (afterWrite).
import type { CreateBatchPaymentRequest, RecordPaymentRequest } from '../../adapters/kit/adapter.js';
import type { CallContext } from '../../adapters/kit/http.js';
import type { Invoice } from '../../adapters/kit/model.js';
import type { MutationResolvers } from '../__generated__/resolvers.js';
import { assertCanPay } from '../access/grants.js';
import type { GatewayContext } from '../context.js';
import { isGraphQLError, toGraphQLError, userError } from '../errors.js';
import { parseGlobalId } from '../ids.js';
import type { WrittenObjects } from '../loaders.js';
import { loadRef } from '../lookups.js';
import { fromSource, type BatchPaymentRef, type PaymentRef } from '../model-refs.js';
import type { RegisteredSource } from '../source-registry.js';
import { paymentAmount } from '../payments/payment-amount.js';
import { checkClientKey, idempotentWrite, inputDigest, providerKeyOf } from '../payments/payment-idempotency.js';
import type { InvoicesWritten, WriteServices } from '../payments/write-services.js';

const MAX_REFERENCE = 255;
const MAX_ACCOUNT = 150;

function writesOf(ctx: GatewayContext): WriteServices {
  if (!ctx.writes) throw new Error('this request context has no write services');
  return ctx.writes;
}

function callContext(ctx: GatewayContext): CallContext {
  return { signal: ctx.signal, deadline: ctx.deadline, onCall: (call) => ctx.upstream.record(call), admit: ctx.budget?.admitUpstream };
}

/** The source, once the client may pay there and the source takes payments. Grants first: a refused client learns nothing of it. */
function payingSource(ctx: GatewayContext, name: string): RegisteredSource {
  const source = ctx.registry.get(name);
  if (!source) throw userError('BAD_USER_INPUT', `unknown source "${name.slice(0, 60)}"`);
  assertCanPay(ctx, source.name);
  const { adapter } = source;
  if (!adapter.recordPayment || !adapter.createBatchPayment || !adapter.deletePayment) {
    throw userError('UNSUPPORTED', `source "${source.name}" cannot record payments`, { source: source.name });
  }
  return source;
}

function checkText(value: string | null | undefined, argument: string, max: number, required: boolean): string | undefined {
  if (value === null || value === undefined || value === '') {
    if (required) throw userError('BAD_USER_INPUT', `${argument} is required`);
    return undefined;
  }
  if (value.length > max || /[\u0000-\u001f\u007f]/.test(value)) {
    throw userError('BAD_USER_INPUT', `${argument} must be at most ${max} printable characters`);
  }
  return value;
}

/** The invoice a payment is for, read through the loaders (its currency checks the amount); NOT_FOUND when absent. */
async function invoiceFor(ctx: GatewayContext, source: string, remoteId: string, argument: string): Promise<Invoice> {
  const invoice = await ctx.loaders.invoices(source).load(remoteId);
  if (!invoice) throw userError('NOT_FOUND', `${argument}: ${source} has no invoice "${remoteId.slice(0, 100)}"`, { source });
  return invoice;
}

/**
 * Publishes the touched invoices as they stand now (src/events): read through the request's loaders, which the refresh
 * has just filled or cleared, so subscribers hear of the write at once. A failed read publishes nothing; the poll or
 * the provider's webhook reports the change later.
 */
async function publishWritten(ctx: GatewayContext, source: string, invoiceRemoteIds: readonly string[]): Promise<void> {
  if (!ctx.events || invoiceRemoteIds.length === 0) return;
  const invoices = await ctx.loaders.invoices(source).loadMany([...new Set(invoiceRemoteIds)]);
  for (const invoice of invoices) {
    if (invoice && !(invoice instanceof Error)) await ctx.events.publishInvoiceChange(source, invoice, 'UPDATED');
  }
}

/** Refreshes what a write changed, publishes the change and reports its invoices through the write hook. */
async function afterWrite(ctx: GatewayContext, source: string, written: WrittenObjects, operation: InvoicesWritten['operation']) {
  await ctx.loaders.refreshAfterWrite(source, written);
  await publishWritten(ctx, source, written.invoiceRemoteIds);
  writesOf(ctx).invoicesWritten({
    source,
    invoiceRemoteIds: [...new Set(written.invoiceRemoteIds)],
    kind: 'UPDATED',
    operation,
    client: ctx.client.name,
    at: new Date().toISOString(),
  });
}

/** Runs a provider write, charging its failure to the source in the summary and the logs like every upstream error. */
async function upstream<T>(ctx: GatewayContext, source: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (!isGraphQLError(error)) ctx.onUpstreamError(source, error);
    throw toGraphQLError(error);
  }
}

export const recordPayment: NonNullable<MutationResolvers['recordPayment']> = async (_root, { input }, ctx) => {
  const writes = writesOf(ctx);
  const clientKey = checkClientKey(input.idempotencyKey);
  const target = parseGlobalId(input.invoiceId, ctx.registry.names, 'Invoice');
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE, false);
  const account = checkText(input.accountId.trim(), 'accountId', MAX_ACCOUNT, true)!;
  const source = payingSource(ctx, target.source);
  const adapter = source.adapter;
  const invoice = await invoiceFor(ctx, source.name, target.remoteId, 'invoiceId');
  const request: Omit<RecordPaymentRequest, 'idempotencyKey'> = {
    invoiceRemoteId: invoice.remoteId,
    amount: paymentAmount(input.amount, invoice, 'amount', source.name),
    date: input.date,
    account,
    reference,
  };
  const key = providerKeyOf(ctx.client, clientKey);
  const { value, written } = await upstream(ctx, source.name, () =>
    idempotentWrite<PaymentRef>(writes, {
      source: source.name,
      key,
      digest: inputDigest(['recordPayment', source.name, request]),
      windowMs: adapter.idempotencyWindowMs ?? 0,
      outcomeOf: (payment) => ({ type: 'Payment', remoteId: payment.remoteId }),
      lookup: (remoteId) => loadRef(ctx, 'Payment', source.name, remoteId),
      write: async () => fromSource(source.name, await adapter.recordPayment!({ ...request, idempotencyKey: key }, callContext(ctx))),
    }),
  );
  if (written) await afterWrite(ctx, source.name, { invoiceRemoteIds: [invoice.remoteId], payments: [value] }, 'recordPayment');
  return value;
};

export const createBatchPayment: NonNullable<MutationResolvers['createBatchPayment']> = async (_root, { input }, ctx) => {
  const writes = writesOf(ctx);
  const clientKey = checkClientKey(input.idempotencyKey);
  const reference = checkText(input.reference, 'reference', MAX_REFERENCE, false);
  const account = checkText(input.accountId.trim(), 'accountId', MAX_ACCOUNT, true)!;
  if (input.payments.length === 0) throw userError('BAD_USER_INPUT', 'a batch payment needs at least one payment');
  if (input.payments.length > ctx.limits.maxIds) {
    throw userError('BAD_USER_INPUT', `payments takes at most ${ctx.limits.maxIds} payments, got ${input.payments.length}`);
  }
  // Every invoice must be of the batch's source: one bank transaction is at one provider. Checked before any call.
  const targets = input.payments.map((payment, index) => {
    const target = parseGlobalId(payment.invoiceId, ctx.registry.names, 'Invoice');
    if (target.source !== input.source) {
      throw userError(
        'BAD_USER_INPUT',
        `payments[${index}].invoiceId is an invoice of "${target.source}", not of "${input.source.slice(0, 60)}": a batch pays invoices of one source`,
      );
    }
    return target;
  });
  const source = payingSource(ctx, input.source);
  const adapter = source.adapter;
  // One batched lookup for every invoice of the batch.
  const invoices = await Promise.all(targets.map((t, index) => invoiceFor(ctx, source.name, t.remoteId, `payments[${index}].invoiceId`)));
  const request: Omit<CreateBatchPaymentRequest, 'idempotencyKey'> = {
    account,
    date: input.date,
    reference,
    payments: input.payments.map((payment, index) => ({
      invoiceRemoteId: invoices[index].remoteId,
      amount: paymentAmount(payment.amount, invoices[index], `payments[${index}].amount`, source.name),
    })),
  };
  const key = providerKeyOf(ctx.client, clientKey);
  const { value, written } = await upstream(ctx, source.name, () =>
    idempotentWrite<BatchPaymentRef>(writes, {
      source: source.name,
      key,
      digest: inputDigest(['createBatchPayment', source.name, request]),
      windowMs: adapter.idempotencyWindowMs ?? 0,
      outcomeOf: (batch) => ({ type: 'BatchPayment', remoteId: batch.remoteId }),
      lookup: (remoteId) => loadRef(ctx, 'BatchPayment', source.name, remoteId),
      write: async () => fromSource(source.name, await adapter.createBatchPayment!({ ...request, idempotencyKey: key }, callContext(ctx))),
    }),
  );
  if (written) {
    const invoiceRemoteIds = invoices.map((invoice) => invoice.remoteId);
    // The batch's own payments are summaries (no type, no reference of their own): the batch is cached, they are not.
    await afterWrite(ctx, source.name, { invoiceRemoteIds, batchPayments: [value] }, 'createBatchPayment');
  }
  return value;
};

export const deletePayment: NonNullable<MutationResolvers['deletePayment']> = async (_root, { id }, ctx) => {
  writesOf(ctx);
  const target = parseGlobalId(id, ctx.registry.names, 'Payment');
  const source = payingSource(ctx, target.source);
  const existing = await loadRef(ctx, 'Payment', source.name, target.remoteId);
  if (!existing) throw userError('NOT_FOUND', `${source.name} has no payment "${target.remoteId.slice(0, 100)}"`, { source: source.name });
  // Deleting is idempotent: a payment already deleted is answered as it is, with no call.
  if (existing.status === 'DELETED') return existing;
  // The gateway's own key for this deletion: the same client deleting the same payment again is a repeat.
  const key = providerKeyOf(ctx.client, `${source.name}:${existing.remoteId}`, 'delete-payment');
  const payment = await upstream(ctx, source.name, async () =>
    fromSource(source.name, await source.adapter.deletePayment!({ paymentRemoteId: existing.remoteId, idempotencyKey: key }, callContext(ctx))),
  );
  const invoiceRemoteId = payment.invoiceRemoteId ?? existing.invoiceRemoteId;
  await afterWrite(ctx, source.name, { invoiceRemoteIds: invoiceRemoteId ? [invoiceRemoteId] : [], payments: [payment] }, 'deletePayment');
  return payment;
};
