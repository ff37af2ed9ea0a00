// A variable the operation cannot take is the caller's error: BAD_USER_INPUT naming the variable, HTTP 400, nothing
// executed, and no error logged as the gateway's own (no `masked error` line, no stack).
import { Writable } from 'node:stream';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/telemetry/logger.js';
import { startTestGateway, type TestGateway } from '../support/gateway.js';
import { postToGateway } from '../support/http-status.js';
import { sandboxInvoiceIds } from '../support/sandbox-ids.js';

const lines: string[] = [];
let gw: TestGateway;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  gw = await startTestGateway(['fragment'], { logger: createLogger({ level: 'debug', destination: sink }) });
});
afterAll(() => gw.close());
beforeEach(() => {
  lines.length = 0;
  gw.sandbox('fragment').calls.reset();
});

const LOOKUP = `query One($id: ID!) { invoice(id: $id) { id } }`;

/** Log lines at warn or above (pino levels 40+). */
const serverErrors = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level >= 40);

describe('bad variables', () => {
  it.each([
    ['an object for ID!', { id: { a: 1 } }],
    ['a list for ID!', { id: ['a', 'b'] }],
    ['a boolean for ID!', { id: true }],
    ['null for ID!', { id: null }],
    ['nothing for ID!', {}],
  ])('%s: BAD_USER_INPUT naming $id, 400, not logged as an error', async (_what, variables) => {
    const result = await postToGateway(gw.gateway, LOOKUP, variables);
    expect(result.status).toBe(400);
    expect(result.answer.data ?? null).toBeNull();
    expect(result.answer.errors).toHaveLength(1);
    expect(result.answer.errors![0].message).toMatch(/^Variable "\$id"/);
    expect(result.answer.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', variable: 'id' });
    expect(gw.sandbox('fragment').calls.count()).toBe(0);
    expect(serverErrors()).toEqual([]);
  });

  it('names each bad variable of a list and an Int', async () => {
    const result = await postToGateway(gw.gateway, `query($ids: [ID!]!, $n: Int) { invoices(ids: $ids) { id } listInvoices(first: $n) { nodes { id } } }`, {
      ids: [{}, 'x'],
      n: 'many',
    });
    expect(result.status).toBe(400);
    const named = result.answer.errors!.map((error) => [error.extensions?.code, error.extensions?.variable]);
    expect(named).toEqual([
      ['BAD_USER_INPUT', 'ids'],
      ['BAD_USER_INPUT', 'n'],
    ]);
    expect(serverErrors()).toEqual([]);
  });

  it('a good variable still runs', async () => {
    const [id] = sandboxInvoiceIds(gw, 'fragment', 1);
    const result = await postToGateway(gw.gateway, LOOKUP, { id });
    expect(result.answer).toMatchObject({ data: { invoice: { id } } });
  });
});
