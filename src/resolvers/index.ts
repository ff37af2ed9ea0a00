// All resolvers, one map.
import type { Resolvers } from '../__generated__/resolvers.js';
import { BalanceSummary } from './balance-summary.js';
import { BatchPayment, Payment } from './payment.js';
import { createInvoice } from './create-invoice.js';
import { createBatchPayment, deletePayment, recordPayment } from './payment-writes.js';
import { Invoice, RelatedInvoice } from './invoice.js';
import { InvoiceConnection, InvoiceEdge } from './listing.js';
import { Money } from './money.js';
import { Query } from './query.js';
import { DateScalar, DateTimeScalar, DecimalScalar } from './scalars.js';
import { Source } from './source.js';
import { InvoiceChangeEvent, Subscription } from './subscription.js';

export const resolvers: Resolvers = {
  Decimal: DecimalScalar,
  DateTime: DateTimeScalar,
  Date: DateScalar,
  Query,
  Mutation: { createInvoice, recordPayment, createBatchPayment, deletePayment },
  Subscription,
  InvoiceChangeEvent,
  Invoice,
  RelatedInvoice,
  Payment,
  BatchPayment,
  BalanceSummary,
  InvoiceConnection,
  InvoiceEdge,
  Money,
  Source,
};
