// The cost and ids of an operation, computed from the document and its variables over the real schema.
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationCost } from '../../src/limits/operation-cost.js';
import { operationIds } from '../../src/limits/operation-ids.js';
import { createSchema } from '../../src/schema.js';
import { batchCycleQuery } from '../support/hostile-queries.js';

const schema = createSchema();
const cost = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  operationCost(schema, parse(query), operationName, variables, 10);
const ids = (query: string, variables?: Record<string, unknown>) => operationIds(schema, parse(query), undefined, variables);

describe('operation cost', () => {
  it('counts objects, not scalars, times the ids passed', () => {
    expect(cost(`{ invoices(ids: ["a", "b", "c"]) { id status } }`)).toBe(3);
    expect(cost(`{ invoices(ids: ["a", "b", "c"]) { id total { amount } } }`)).toBe(6);
    expect(cost(`query($ids: [ID!]!) { invoices(ids: $ids) { total { amount } } }`, { ids: Array(1000).fill('x') })).toBe(2000);
    // One invoice, its payments (10 assumed), each payment's amount.
    expect(cost(`{ invoice(id: "a") { payments { amount { amount } } } }`)).toBe(1 + 10 * 2);
  });

  it('sizes a page by `first`, literal or variable, and does not count its edges twice', () => {
    const page = `query($n: Int) { batchPayments(first: $n) { edges { node { payments { invoice { number amountDue { amount } } } } } } }`;
    // Per batch: edge, node, 10 payments × (payment, invoice, amountDue).
    expect(cost(page, { n: 100 })).toBe(100 * (1 + 1 + 1 + 10 * 3));
    expect(cost(page.replace('first: $n', 'first: 2'))).toBe(2 * 33);
    expect(cost(page, { n: 100 })).toBeLessThan(250_000);
  });

  it('adds the ids a non-list field reads', () => {
    expect(cost(`{ balanceSummary(invoiceIds: ["a", "b"]) { invoiceCount } }`)).toBe(1 + 2);
  });

  it('grows tenfold per level of the payments → batch cycle', () => {
    const at = (levels: number) => cost(batchCycleQuery('xero:BatchPayment:x', levels));
    expect(at(4)).toBe(1 + 10 * (1 + 1 + 10 * (1 + 1)));
    expect(at(20)).toBeGreaterThan(1e10);
  });

  it('reads each fragment once, however often it is spread', () => {
    // 40 fragments each spreading the next twice: 2^40 leaves if expanded, one walk of the text here.
    const fragments = Array.from({ length: 40 }, (_, i) =>
      i === 39 ? `fragment F${i} on Invoice { total { amount } }` : `fragment F${i} on Invoice { ...F${i + 1} ...F${i + 1} }`,
    );
    expect(cost(`{ invoice(id: "a") { ...F0 } } ${fragments.join(' ')}`)).toBe(1 + 2 ** 39);
  });

  it('costs only the operation that runs', () => {
    const document = `query Small { invoice(id: "a") { id } } query Big { invoices(ids: ["a", "b"]) { total { amount } } }`;
    expect(cost(document, undefined, 'Small')).toBe(1);
    expect(cost(document, undefined, 'Big')).toBe(4);
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
