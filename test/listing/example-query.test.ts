// GraphiQL's example query over the sandboxes, listInvoices included, answers without errors.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildExampleQuery } from '../../src/example-query.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';

let t: TestGateway;
beforeAll(async () => {
  t = await startTestGateway();
});
afterAll(() => t.close());

it('opens with a first page of open invoices across the sources, and it answers', async () => {
  const query = buildExampleQuery(t.sandboxes, t.gateway.registry);
  expect(query).toContain('listInvoices(first: 5, filter: { outstanding: true })');
  const answer = await t.query(query);
  expect(answer.errors).toBeUndefined();
  expect(answer.data.listInvoices.nodes).toHaveLength(5);
  expect(answer.data.listInvoices.pageInfo.hasNextPage).toBe(true);
  for (const node of answer.data.listInvoices.nodes) expect(['DRAFT', 'VOID', 'PAID']).not.toContain(node.status);
});
