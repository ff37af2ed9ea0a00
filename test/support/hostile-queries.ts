// The abusive operations of issue 9, built the same way for the tests (test/limits) and the bench (bench/hostile-queries.ts).

/** `levels` nested fields alternating payments → batch → payments … under one batch lookup (the exponential cycle). */
export function batchCycleQuery(batchId: string, levels: number): string {
  let inner = 'id';
  for (let level = levels; level >= 1; level--) inner = `${level % 2 === 1 ? 'payments' : 'batch'} { ${inner} }`;
  return `{ batchPaymentsByIds(ids: [${JSON.stringify(batchId)}]) { id ${inner} } }`;
}

/** `count` aliased `invoice(id:)` lookups, cycling through `ids`. */
export function aliasedLookupsQuery(ids: readonly string[], count: number): string {
  const fields = Array.from({ length: count }, (_, i) => `a${i}: invoice(id: ${JSON.stringify(ids[i % ids.length])}) { id }`);
  return `{ ${fields.join(' ')} }`;
}

/** `aliases` aliased `invoices(ids: $ids)` lists sharing one `$ids` variable: a small document carrying aliases × ids ids. */
export function aliasedListsQuery(aliases: number): string {
  const fields = Array.from({ length: aliases }, (_, i) => `l${i}: invoices(ids: $ids) { id }`);
  return `query ($ids: [ID!]!) { ${fields.join(' ')} }`;
}

/** A document nested `levels` deep (invoice → payments → invoice → …). */
export function deepDocument(levels: number): string {
  return `{ ${'invoices(ids: []) { payments { invoice { '.repeat(Math.ceil(levels / 3))}id${' } } }'.repeat(Math.ceil(levels / 3))} }`;
}

// The abusive operations of issue 17: every one fits the limits as they counted before, and used to take the process down.

/** `aliases` aliased fields (`field` under each alias) fanned out over `$ids` copies of one batch: batch → payments → batch → payments. */
export function batchFanOutQuery(aliases: number, field: 'id' | '__typename'): string {
  const fields = Array.from({ length: aliases }, (_, n) => `${field === 'id' ? 'i' : 't'}${n}: ${field}`).join(' ');
  return `query($ids: [ID!]!) { batchPaymentsByIds(ids: $ids) { payments { batch { payments { ${fields} } } } } }`;
}

/** `_entities` over `$representations` (10,000 copies of one, say), each with `aliases` aliased `id`s. */
export function entitiesFloodQuery(aliases: number): string {
  const fields = Array.from({ length: aliases }, (_, n) => `a${n}: id`).join(' ');
  return `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on Invoice { ${fields} } } }`;
}

/** `aliases` aliased `__schema` reads of every type's fields. */
export function introspectionFloodQuery(aliases: number): string {
  return `{ ${Array.from({ length: aliases }, (_, n) => `s${n}: __schema { types { name fields { name } } }`).join(' ')} }`;
}

/** `invoice(id:) { ...F0 }` where F0 spreads F1 … spreads F<links - 1>, which selects `id`: depth 2 however long the chain. */
export function fragmentChainQuery(invoiceId: string, links: number): string {
  const fragments = Array.from({ length: links }, (_, i) =>
    i === links - 1 ? `fragment F${i} on Invoice { id }` : `fragment F${i} on Invoice { ...F${i + 1} }`,
  );
  return `{ invoice(id: ${JSON.stringify(invoiceId)}) { ...F0 } } ${fragments.join(' ')}`;
}
