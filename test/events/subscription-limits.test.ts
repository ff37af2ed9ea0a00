// The request limits hold for subscriptions as for queries, over both protocols: a subscription document past the
// alias or cost limit is refused with its code before any subscription is held, and a WebSocket address that keeps
// failing `connection_init` is closed with 4429 once past GATEWAY_AUTH_FAILURES_PER_MINUTE (4403 before that), while a
// valid key from it is still let in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyClients } from '../support/security.js';
import { startEventStack, subscribeSse, subscribeWs, waitFor, type EventStack } from '../support/events.js';

const KEY = 'key-every-source-0123456789';
let stack: EventStack;
let url: string;

beforeAll(async () => {
  stack = await startEventStack({
    invoiceCounts: { fragment: 10, korint: 10, xero: 10 },
    gateway: {
      auth: { mode: 'api-key', clients: apiKeyClients([{ name: 'everything', key: KEY, sources: '*', operations: ['read'] }], ['fragment', 'korint', 'xero']) },
      limits: { maxAliases: 20, maxCost: 60 },
      perAddress: { authFailuresPerMinute: 3 },
      events: { poll: false },
    },
  });
  url = stack.replicas[0].url;
}, 60_000);
afterAll(() => stack?.close());

const hub = () => stack.replicas[0].gateway.events.hub;
const fields = (count: number, field = '__typename') => Array.from({ length: count }, (_, n) => `f${n}: ${field}`).join(' ');
const subscription = (selection: string) => `subscription { invoiceChanged { id invoice { ${selection} } } }`;

function codesOf(collected: { results: Array<{ errors?: any[] }>; error?: unknown }): string[] {
  const errors = [...collected.results.flatMap((r) => r.errors ?? []), ...(Array.isArray(collected.error) ? collected.error : [])];
  return errors.map((e: any) => e?.extensions?.code);
}

describe('limits on subscriptions', () => {
  it('takes a subscription inside the limits, over SSE and WebSocket', async () => {
    const query = subscription(fields(5, 'id'));
    const sse = subscribeSse(url, {}, { 'x-api-key': KEY }, query);
    const ws = subscribeWs(url, {}, { 'x-api-key': KEY }, query);
    await waitFor(() => hub().size >= 2, 'two subscribers');
    expect(codesOf(sse)).toEqual([]);
    expect(codesOf(ws)).toEqual([]);
    sse.stop();
    ws.stop();
    await waitFor(() => hub().size === 0, 'no subscriber left');
  });

  it('refuses a subscription past the alias limit or the cost limit with its code, and holds none', async () => {
    const refused: Array<[string, string]> = [
      [subscription(fields(25)), 'QUERY_TOO_COMPLEX'],
      // 19 aliases (inside the alias limit) of a money object of three values each: past GATEWAY_MAX_COST 60.
      [subscription(fields(19, 'amountDue { amount currency scale }')), 'QUERY_TOO_COMPLEX'],
    ];
    for (const [query, code] of refused) {
      const sse = subscribeSse(url, {}, { 'x-api-key': KEY }, query);
      await sse.done;
      expect(codesOf(sse)).toEqual([code]);
      const ws = subscribeWs(url, {}, { 'x-api-key': KEY }, query);
      await ws.done;
      expect(codesOf(ws)).toEqual([code]);
      ws.stop();
      sse.stop();
    }
    expect(hub().size).toBe(0);
  });

  it('closes a WebSocket with 4429 once its address has failed authentication past the budget', async () => {
    const codes: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const refused = subscribeWs(url, {}, { 'x-api-key': `not-a-key-${attempt}` });
      codes.push((await refused.closed).code);
      expect(refused.events()).toEqual([]);
      refused.stop();
    }
    expect(codes).toEqual([4403, 4403, 4403, 4429, 4429]);
    // Only failures are refused: a valid key from the same address is let in (callers behind one NAT share it).
    const rightKey = subscribeWs(url, {}, { 'x-api-key': KEY }, subscription('id'));
    await waitFor(() => hub().size === 1, 'the valid client subscribed');
    expect(codesOf(rightKey)).toEqual([]);
    rightKey.stop();
    await waitFor(() => hub().size === 0, 'no subscriber left');
  });
});
