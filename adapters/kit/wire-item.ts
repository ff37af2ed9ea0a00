// Model objects built lazily from one provider item keep that item, so whoever stores answers (the entity cache) can
// store plain JSON and rebuild the same object later, rather than serialising a half-built model.
//
// The contract for storing an answer of `loadInvoices` (and of the list capability, which answers the same objects):
//   const wire = wireItemOf(invoice);            // the provider's item as it arrived: plain JSON, settings-free
//   ... JSON.stringify(wire) / JSON.parse(text) ...
//   const again = adapter.reviveInvoice!(wire);  // the same model object (or an Error for that item alone)
// An object without a wire item (a provider that builds its model eagerly) is plain data of the model's types.

/** Where a lazily built model object keeps the wire item it was built from (a symbol: no spread or JSON sees it). */
export const WIRE_ITEM: unique symbol = Symbol.for('invoice-gateway.wire-item');

/** A model object that carries the wire item it was built from. */
export interface CarriesWireItem {
  readonly [WIRE_ITEM]: unknown;
}

/** The provider's item a model object was built from, or undefined when the object was not built from one. */
export function wireItemOf(model: object): unknown {
  return (model as Partial<CarriesWireItem>)[WIRE_ITEM];
}

/** Attaches `wireItem` to an eagerly built model object (not enumerable: spreads and JSON ignore it); answers the object. */
export function withWireItem<T extends object>(model: T, wireItem: unknown): T {
  Object.defineProperty(model, WIRE_ITEM, { value: wireItem, enumerable: false });
  return model;
}
