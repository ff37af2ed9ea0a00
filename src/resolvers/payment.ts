// Payments and batch payments: a payment's invoice and batch resolve through the batched loaders, so a page of
// payments costs one lookup per source batch, not one per payment.
import type { BatchPaymentResolvers, PaymentResolvers } from '../__generated__/resolvers.js';
import { toGlobalId } from '../ids.js';
import { fromSource } from '../model-refs.js';

export const Payment: PaymentResolvers = {
  id: (payment) => toGlobalId(payment.sourceName, 'Payment', payment.remoteId),
  source: (payment) => ({ name: payment.sourceName }),
  invoice: (payment, _args, ctx) =>
    payment.invoiceRemoteId ? ctx.loaders.invoices(payment.sourceName).load(payment.invoiceRemoteId) : null,
  batch: (payment, _args, ctx) => {
    if (!payment.batchPaymentRemoteId) return null;
    return ctx.loaders.batchPayments(payment.sourceName)?.load(payment.batchPaymentRemoteId) ?? null;
  },
};

export const BatchPayment: BatchPaymentResolvers = {
  id: (batch) => toGlobalId(batch.sourceName, 'BatchPayment', batch.remoteId),
  source: (batch) => ({ name: batch.sourceName }),
  payments: (batch) => batch.payments.map((payment) => fromSource(batch.sourceName, payment)),
};
