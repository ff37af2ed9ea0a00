// The cost of an operation (the values its answer holds), computed from the document and its variables over the real
// schema, and the ids it passes.
import { execute, getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/limits/limit-settings.js';
import { operationCost } from '../../src/limits/operation-cost.js';
import { operationIds } from '../../src/limits/operation-ids.js';
import { createSchema } from '../../src/schema.js';
import { batchCycleQuery } from '../support/hostile-queries.js';

const schema = createSchema();
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  operationCost(schema, parse(query), operationName, variables, 10);
const ids = (query: string, variables?: Record<string, unknown>) => operationIds(schema, parse(query), undefined, variables);

/** The values an answer holds: every field and every list item, counted on the answer itself. */
function valuesIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + 1 + valuesIn(item), 0);
  if (value === null || typeof value !== 'object') return 0;
  return Object.values(value).reduce((sum: number, field) => sum + 1 + valuesIn(field), 0);
}

describe('operation cost', () => {
  it('counts every field, leaves included, times the ids passed', () => {
    // The list, then per invoice: the item, id, status.
    expect(cost(`{ invoices(ids: ["a", "b", "c"]) { id status } }`)).toBe(1 + 3 * 3);
    expect(cost(`{ invoices(ids: ["a", "b", "c"]) { id total { amount } } }`)).toBe(1 + 3 * 4);
    expect(cost(`query($ids: [ID!]!) { invoices(ids: $ids) { total { amount } } }`, { ids: Array(1000).fill('x') })).toBe(1 + 1000 * 3);
    // One invoice, its payments (10 assumed), each payment's amount and its amount.
    expect(cost(`{ invoice(id: "a") { payments { amount { amount } } } }`)).toBe(1 + 1 + 10 * 3);
  });

  it('counts repeated ids once per copy: each copy is answered', () => {
    expect(cost(`query($ids: [ID!]!) { invoices(ids: $ids) { id } }`, { ids: Array(1000).fill('fragment:Invoice:inv_0001') })).toBe(1 + 1000 * 2);
  });

  it('counts __typename and its aliases like any field', () => {
    expect(cost(`{ invoices(ids: ["a", "b"]) { __typename t: __typename } }`)).toBe(1 + 2 * 3);
    const aliases = Array.from({ length: 2000 }, (_, n) => `t${n}: __typename`).join(' ');
    const query = `query($ids: [ID!]!) { batchPaymentsByIds(ids: $ids) { payments { batch { payments { ${aliases} } } } } }`;
    expect(cost(query, { ids: Array(1000).fill('xero:BatchPayment:x') })).toBeGreaterThan(200_000_000);
  });

  it('sizes a page by `first`, literal or variable, on its edges and nodes', () => {
    const page = `query($n: Int) { batchPayments(first: $n) { edges { node { payments { invoice { number amountDue { amount } } } } } } }`;
    // The connection, its edges, and per edge: the edge, the node, its payments (10 assumed) × (payment, invoice, number, amountDue, amount).
    const perEdge = 1 + 1 + 1 + 10 * (1 + 1 + 1 + 2);
    expect(cost(page, { n: 100 })).toBe(1 + 1 + 100 * perEdge);
    expect(cost(page.replace('first: $n', 'first: 2'))).toBe(2 + 2 * perEdge);
  });

  it('adds the ids a non-list field reads', () => {
    expect(cost(`{ balanceSummary(invoiceIds: ["a", "b"]) { invoiceCount } }`)).toBe(1 + 1 + 2);
  });

  it('grows tenfold per level of the payments → batch cycle', () => {
    const at = (levels: number) => cost(batchCycleQuery('xero:BatchPayment:x', levels));
    // batch { id } = 2; payments = 1 + 10 × 3; batch = 1 + 31; payments = 1 + 10 × 33; the item with its id; the list.
    expect(at(4)).toBe(1 + (1 + 1 + (1 + 10 * (1 + 1 + (1 + 10 * (1 + 2))))));
    expect(at(20)).toBeGreaterThan(1e10);
  });

  it('reads each fragment once, however often it is spread', () => {
    // 40 fragments each spreading the next twice: 2^40 leaves if expanded, one walk of the text here.
    const fragments = Array.from({ length: 40 }, (_, i) =>
      i === 39 ? `fragment F${i} on Invoice { total { amount } }` : `fragment F${i} on Invoice { ...F${i + 1} ...F${i + 1} }`,
    );
    expect(cost(`{ invoice(id: "a") { ...F0 } } ${fragments.join(' ')}`)).toBe(1 + 2 ** 40);
  });

  it('costs only the operation that runs', () => {
    const document = `query Small { invoice(id: "a") { id } } query Big { invoices(ids: ["a", "b"]) { total { amount } } }`;
    expect(cost(document, undefined, 'Small')).toBe(2);
    expect(cost(document, undefined, 'Big')).toBe(1 + 2 * 3);
  });
});

describe('the cost of introspection', () => {
  it('sizes __schema { types } by the schema: the estimate is the answer, give or take rounding', async () => {
    const query = `{ __schema { types { name fields { name args { name } } } } }`;
    const answer = await execute({ schema, document: parse(query) });
    const estimate = cost(query);
    expect(estimate).toBeGreaterThanOrEqual(valuesIn(answer.data));
    expect(estimate).toBeLessThan(valuesIn(answer.data) * 2);
  });

  it("costs GraphiQL's introspection query at no less than its answer, well within the default", async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true });
    const answer = await execute({ schema, document: parse(query) });
    expect(cost(query)).toBeGreaterThanOrEqual(valuesIn(answer.data));
    expect(cost(query)).toBeLessThan(DEFAULT_LIMITS.maxCost / 5);
  });

  it('sizes the lists of one named type by the largest type', async () => {
    const query = `{ __type(name: "Invoice") { fields { name } } }`;
    const answer = await execute({ schema, document: parse(query) });
    expect(cost(query)).toBeGreaterThanOrEqual(valuesIn(answer.data));
  });

  it('puts 499 aliased __schema { types { name fields { name } } } over the default', () => {
    const fields = Array.from({ length: 499 }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ');
    expect(cost(`{ ${fields} }`)).toBeGreaterThan(DEFAULT_LIMITS.maxCost);
  });
});

describe('ids per operation', () => {
  it('adds every id argument of every field: literal lists, variables and single ids', () => {
    expect(ids(`{ a: invoice(id: "x") { id } b: invoice(id: "y") { id } }`)).toBe(2);
    expect(ids(`query($ids: [ID!]!) { a: invoices(ids: $ids) { id } b: payments(ids: $ids) { id } c: nodes(ids: ["z"]) { id } }`, { ids: ['1', '2', '3'] })).toBe(7);
    expect(ids(`{ balanceSummary(invoiceIds: ["a", "b"]) { invoiceCount } }`)).toBe(2);
  });

  it('does not count _entities representations (they have their own maximum)', () => {
    expect(ids(`query($r: [_Any!]!) { _entities(representations: $r) { ... on Invoice { id } } }`, { r: Array(5000).fill({}) })).toBe(0);
  });
});
