// How each source's objects are kept in the entity cache. Adapters build invoices lazily from the provider's item and
// can rebuild one from that item (`reviveInvoice`), so an invoice is stored as its wire item: plain JSON, and rebuilt
// exactly as a lookup builds it. Anything else (payments, batch payments, an invoice without a wire item) is stored as
// plain model data, read whole once (adapters/kit/model-plain.ts); bigint amounts are tagged by the model codec.
import type { Adapter } from '../../adapters/kit/adapter.js';
import type { BatchPayment, Invoice, Payment } from '../../adapters/kit/model.js';
import { plainBatchPayment, plainInvoice, plainPayment } from '../../adapters/kit/model-plain.js';
import { wireItemOf } from '../../adapters/kit/wire-item.js';
import type { NodeType } from '../ids.js';
import type { EntityCodec } from './entity-cache.js';

type Stored = { wire: unknown } | { model: unknown };

const plainOf: Record<NodeType, (value: any) => unknown> = {
  Invoice: (value: Invoice) => plainInvoice(value),
  Payment: (value: Payment) => plainPayment(value),
  BatchPayment: (value: BatchPayment) => plainBatchPayment(value),
};

/** The codec of `type` for `adapter`'s objects. */
export function entityCodecFor(adapter: Adapter, type: NodeType): EntityCodec<unknown> {
  const revive = type === 'Invoice' ? adapter.reviveInvoice?.bind(adapter) : undefined;
  return {
    toStored(value): Stored {
      const wire = revive ? wireItemOf(value as object) : undefined;
      return wire !== undefined ? { wire } : { model: plainOf[type](value) };
    },
    fromStored(stored) {
      const entry = stored as Partial<{ wire: unknown; model: unknown }> | null;
      if (entry && 'wire' in entry) return revive ? revive(entry.wire) : new Error('no reviver for a stored wire item');
      if (entry && 'model' in entry && entry.model && typeof entry.model === 'object') return entry.model;
      return new Error('not a stored entity');
    },
  };
}
