// The subscribers of bench:events, in a worker thread of their own, so the gateways' heap (the main thread's) holds
// only what the gateways spend on them. Half subscribe over SSE (graphql-sse), half over WebSocket (graphql-ws),
// spread over the replicas; each records when it received each invoice's event.
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';

const QUERY = 'subscription { invoiceChanged { id invoiceId invoice { id status amountDue { amount currency } } } }';
const { urls, count } = workerData;
const receipts = new Map();
const disposers = [];
let errors = 0;

const record = (value) => {
  const now = performance.timeOrigin + performance.now();
  const id = value?.data?.invoiceChanged?.invoiceId;
  if (!id) {
    errors += 1;
    return;
  }
  let list = receipts.get(id);
  if (!list) receipts.set(id, (list = []));
  list.push(now);
};

for (let i = 0; i < count; i += 1) {
  const url = urls[i % urls.length];
  const sink = { next: record, error: () => (errors += 1), complete: () => undefined };
  if (i % 2 === 0) {
    const client = createSseClient({ url: `${url}/graphql`, retryAttempts: 0 });
    const stop = client.subscribe({ query: QUERY }, sink);
    disposers.push(() => (stop(), client.dispose()));
  } else {
    const client = createWsClient({ url: `${url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket, retryAttempts: 0, lazy: false, onNonLazyError: () => undefined });
    const stop = client.subscribe({ query: QUERY }, sink);
    disposers.push(() => (stop(), client.dispose()));
  }
}

parentPort.on('message', async (message) => {
  if (message === 'report') parentPort.postMessage({ receipts: [...receipts.entries()], errors });
  if (message === 'stop') {
    for (const dispose of disposers) dispose();
    parentPort.postMessage({ stopped: true });
  }
});
parentPort.postMessage({ opened: count });
