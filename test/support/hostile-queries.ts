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
