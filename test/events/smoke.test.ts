import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEventStack, subscribeSse, subscribeWs, waitFor, type EventStack } from '../support/events.js';

let stack: EventStack;
beforeAll(async () => {
  stack = await startEventStack();
});
afterAll(() => stack?.close());

it('smoke', async () => {
  const sse = subscribeSse(stack.replicas[0].url);
  const ws = subscribeWs(stack.replicas[0].url);
  await new Promise((r) => setTimeout(r, 1500));
  stack.changes('xero').payInvoice();
  stack.changes('fragment').payInvoice();
  stack.changes('korint').payInvoice();
  await waitFor(() => sse.events().length >= 3 && ws.events().length >= 3, 'events', 10000).catch(() => undefined);
  console.log(JSON.stringify(sse.results, null, 1).slice(0, 3000));
  console.log(JSON.stringify(ws.results, null, 1).slice(0, 1000), sse.error, ws.error);
  sse.stop();
  ws.stop();
  expect(sse.events().length).toBe(3);
});
