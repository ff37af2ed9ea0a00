// invoiceChanged for one replica (the event log in memory), with API-key clients: grants per event (a client granted
// only Xero gets no Fragment or Korint event), authentication as for queries (SSE headers, WebSocket connection_init,
// refused before any subscription), the per-client bound, a failing polled source told once as an error event without
// disconnecting, the gateway's own writes published at once, SSE `id:` lines and Last-Event-ID, an event resolved in a
// scope of its own (never cut by the request deadline), one batched lookup per webhook delivery, and the entity cache
// taking the new copy.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiKeyClients } from '../support/security.js';
import {
  CHANGE_SUBSCRIPTION,
  startEventStack,
  subscribeSse,
  subscribeWs,
  waitFor,
  WEBHOOK_KEY,
  type Collected,
  type EventStack,
} from '../support/events.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SOURCES = ['fragment', 'korint', 'xero'];
const KEYS = { xeroOnly: 'key-xero-only-0123456789', all: 'key-every-source-0123456789', noRead: 'key-create-only-0123456789', payer: 'key-payer-0123456789abcd' };

let stack: EventStack;
let url: string;

beforeAll(async () => {
  stack = await startEventStack({
    gateway: {
      auth: {
        mode: 'api-key',
        clients: apiKeyClients(
          [
            { name: 'xero-only', key: KEYS.xeroOnly, sources: ['xero'], operations: ['read'] },
            { name: 'everything', key: KEYS.all, sources: '*', operations: ['read', 'create'] },
            { name: 'no-read', key: KEYS.noRead, sources: '*', operations: ['create'] },
            { name: 'payer', key: KEYS.payer, sources: ['xero'], operations: ['read', 'pay'] },
          ],
          SOURCES,
        ),
      },
      requestTimeoutMs: 400,
      circuit: { failureThreshold: 5, coolDownMs: 300 },
      cache: { ttlMs: 60_000, staleIfErrorMs: 0 },
      events: { maxSubscriptionsPerClient: 3 },
    },
  });
  url = stack.replicas[0].url;
  await waitFor(async () => (await Promise.all([...stack.replicas[0].gateway.events.pollers.values()].map((p) => p.baselineMade()))).every(Boolean), 'baselines');
}, 60_000);
afterAll(() => stack?.close());

const hub = () => stack.replicas[0].gateway.events.hub;
// Each test ends its subscriptions; the next starts once the server has let them all go.
beforeEach(() => waitFor(() => !stack || hub().size === 0, 'no subscriber left'));
const open = (count: number) => waitFor(() => hub().size >= count, `${count} subscribers`);
const asXero = { 'x-api-key': KEYS.xeroOnly };
const asAll = { 'x-api-key': KEYS.all };
const idOf = (source: string, change: { invoiceId: string }) => `${source}:Invoice:${change.invoiceId}`;

async function graphql(query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const answer = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: answer.status, body: (await answer.json()) as any };
}

describe('grants and authentication', () => {
  it('shows a client granted only Xero its Xero events and none of Fragment or Korint, over SSE and WebSocket', async () => {
    const start = hub().size;
    const xeroSse = subscribeSse(url, {}, asXero);
    const xeroWs = subscribeWs(url, {}, { 'x-api-key': KEYS.xeroOnly });
    const everything = subscribeSse(url, {}, asAll);
    await open(start + 3);
    const changes = [idOf('fragment', stack.changes('fragment').payInvoice()), idOf('korint', stack.changes('korint').payInvoice()), idOf('xero', stack.changes('xero').payInvoice())];
    await waitFor(() => changes.every((id) => everything.events().some((e) => e.invoiceId === id)), 'every change for the client granted everything');
    await waitFor(() => [xeroSse, xeroWs].every((c) => c.events().some((e) => e.invoiceId === changes[2])), 'the Xero change for the Xero-only client');
    await settle(500);
    for (const collected of [xeroSse, xeroWs]) {
      expect(collected.events().every((e) => e.source === 'xero')).toBe(true);
      expect(collected.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    }
    for (const c of [xeroSse, xeroWs, everything]) c.stop();
  });

  it('refuses a filter naming a source or an invoice outside the grants, an unknown source and a malformed after', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ filter: { sources: ['fragment'] } }, 'FORBIDDEN'],
      [{ filter: { ids: ['korint:Invoice:kor_inv_0001'] } }, 'FORBIDDEN'],
      [{ filter: { sources: ['nowhere'] } }, 'BAD_USER_INPUT'],
      [{ filter: { ids: ['not-an-id'] } }, 'BAD_USER_INPUT'],
      [{ after: 'yesterday' }, 'BAD_USER_INPUT'],
    ];
    for (const [variables, code] of cases) {
      const collected = subscribeSse(url, variables, asXero);
      await collected.done;
      expect(collected.results[0]?.errors?.[0]?.extensions?.code ?? (collected.error as any)?.[0]?.extensions?.code).toBe(code);
      expect(collected.events()).toEqual([]);
    }
    // A client that may not read at all.
    const noRead = subscribeWs(url, {}, { 'x-api-key': KEYS.noRead });
    await noRead.done;
    expect(JSON.stringify(noRead.error ?? noRead.results)).toContain('FORBIDDEN');
    noRead.stop();
  });

  it('answers 401 to an SSE subscription without a valid key, and closes a WebSocket (4403) before any subscription', async () => {
    for (const headers of [{}, { 'x-api-key': 'not-a-key' }] as Array<Record<string, string>>) {
      const answer = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
        body: JSON.stringify({ query: CHANGE_SUBSCRIPTION }),
      });
      expect(answer.status).toBe(401);
      await answer.body?.cancel();
    }
    const before = hub().size;
    for (const params of [{}, { 'x-api-key': 'not-a-key' }, { authorization: 'Bearer not-a-key' }]) {
      const refused = subscribeWs(url, {}, params);
      expect((await refused.closed).code).toBe(4403);
      expect(refused.events()).toEqual([]);
      refused.stop();
    }
    expect(hub().size).toBe(before);
  });

  it('bounds the subscriptions a client holds at once (GATEWAY_MAX_SUBSCRIPTIONS_PER_CLIENT), across both protocols', async () => {
    const before = hub().size;
    const held = [subscribeSse(url, {}, asXero), subscribeWs(url, {}, { 'x-api-key': KEYS.xeroOnly }), subscribeSse(url, {}, asXero)];
    await open(before + 3);
    const fourth = subscribeWs(url, {}, { 'x-api-key': KEYS.xeroOnly });
    await fourth.done;
    expect(JSON.stringify(fourth.error ?? fourth.results)).toContain('RATE_LIMITED');
    // Another client is not affected.
    const other = subscribeSse(url, {}, asAll);
    await open(before + 4);
    held[0].stop();
    await waitFor(() => hub().size === before + 3, 'one ended');
    const again = subscribeSse(url, {}, asXero);
    await open(before + 4);
    expect(again.results).toEqual([]);
    for (const c of [...held, fourth, other, again]) c.stop();
  });
});

describe('events', () => {
  it('tells subscribers once when a polled source fails, keeps them subscribed, and goes on when it answers again', async () => {
    const sub = subscribeWs(url, { filter: { sources: ['korint'] } }, { 'x-api-key': KEYS.all });
    await open(1);
    const korint = stack.sandboxes.handle('korint');
    korint.faults.inject({ routes: ['invoices'], status: 503 });
    // Several polls fail; one error event.
    await waitFor(() => sub.results.some((r) => r.errors), 'the error event');
    await settle(1_000);
    korint.faults.clear();
    const errors = sub.results.flatMap((r) => r.errors ?? []);
    expect(errors).toHaveLength(1);
    expect(errors[0].extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', source: 'korint' });
    const change = stack.changes('korint').createInvoice();
    await waitFor(() => sub.events().some((e) => e.invoiceId === idOf('korint', change)), 'a change after the source recovered');
    expect(sub.error).toBeUndefined();
    sub.stop();
  });

  it("publishes the gateway's own createInvoice at once, as CREATED", async () => {
    const sub = subscribeSse(url, { filter: { sources: ['fragment'] } }, asAll);
    await open(1);
    const answer = await graphql(
      `mutation ($input: CreateInvoiceInput!) { createInvoice(input: $input) { id } }`,
      { input: { invoiceId: 'inv_event_0001', lineItems: [{ amount: '12.50', currency: 'USD', description: 'x', productId: 'p', type: 'PAYIN', userId: 'u' }] } },
      asAll,
    );
    expect(answer.body.data.createInvoice.id).toBe('fragment:Invoice:inv_event_0001');
    await waitFor(() => sub.events().some((e) => e.invoiceId === 'fragment:Invoice:inv_event_0001'), 'the created invoice');
    await settle(800);
    // The poller sees the same invoice later: it is the same change, published once.
    const created = sub.events().filter((e) => e.invoiceId === 'fragment:Invoice:inv_event_0001');
    expect(created).toHaveLength(1);
    expect(created[0].kind).toBe('CREATED');
    expect(created[0].invoice.amountDue).toEqual({ amount: '12.50', currency: 'USD' });
    sub.stop();
  });

  it('publishes a payment recorded through the gateway at once, as UPDATED with the amount now due', async () => {
    // An authorised USD receivable with at least 1.00 due, paid from the seeded USD bank account (091).
    const invoice = stack.xero.dataset().invoices.find((i) => i.type === 'ACCREC' && i.status === 'AUTHORISED' && i.currency === 'USD' && i.amountDue >= 200)!;
    expect(invoice).toBeDefined();
    const id = `xero:Invoice:${invoice.id.toLowerCase()}`;
    const dueAfter = ((invoice.amountDue - 100) / 100).toFixed(2);
    const sub = subscribeSse(url, { filter: { ids: [id] } }, asXero);
    await open(1);
    const answer = await graphql(
      `mutation ($input: RecordPaymentInput!) { recordPayment(input: $input) { id invoice { amountDue { amount } } } }`,
      { input: { invoiceId: id, amount: '1.00', date: '2026-01-15', accountId: '091', idempotencyKey: 'event-payment-0001' } },
      { 'x-api-key': KEYS.payer },
    );
    expect(answer.body.errors).toBeUndefined();
    expect(answer.body.data.recordPayment.invoice.amountDue.amount).toBe(dueAfter);
    await waitFor(() => sub.events().some((e) => e.invoiceId === id), 'the paid invoice');
    await settle(800);
    // The webhook Xero sends for the same payment finds the same state: one event.
    const events = sub.events().filter((e) => e.invoiceId === id);
    expect(events).toHaveLength(1);
    expect(events[0].kind).toBe('UPDATED');
    expect(events[0].invoice.amountDue).toEqual({ amount: dueAfter, currency: 'USD' });
    sub.stop();
  });

  it('writes an id: line per event over SSE, and Last-Event-ID resumes after it', async () => {
    const read = async (headers: Record<string, string>, until: (text: string) => boolean) => {
      const controller = new AbortController();
      const answer = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...asAll, ...headers },
        body: JSON.stringify({ query: 'subscription { invoiceChanged(filter: { sources: ["xero"] }) { id invoiceId } }' }),
        signal: controller.signal,
      });
      expect(answer.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = answer.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      const reading = (async () => {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          text += decoder.decode(value, { stream: true });
        }
      })().catch(() => undefined);
      return { text: () => text, until: () => waitFor(() => until(text), 'SSE text'), stop: () => controller.abort(), reading };
    };
    const first = await read({}, () => false);
    await open(1);
    const paid = stack.changes('xero').updateInvoice();
    await waitFor(() => first.text().includes(paid.invoiceId), 'the event on the raw stream');
    const id = /event: next\nid: (\d+-\d+)\ndata: .*"invoiceId":"xero:Invoice:[^"]+"/.exec(first.text())?.[1];
    expect(id).toBeDefined();
    first.stop();
    const missed = stack.changes('xero').createInvoice();
    await settle(500);
    const again = await read({ 'last-event-id': id! }, () => false);
    await waitFor(() => again.text().includes(missed.invoiceId), 'the missed event after Last-Event-ID');
    expect(again.text()).not.toContain(`"invoiceId":"xero:Invoice:${paid.invoiceId}"`);
    again.stop();
  });

  it('resolves each event in a scope of its own: a subscription older than the request deadline still gets nested data', async () => {
    const query = `subscription { invoiceChanged(filter: { sources: ["xero"] }) { id invoice { id status payments { id invoice { id status } } } } }`;
    const sub = subscribeWs(url, {}, { 'x-api-key': KEYS.all }, query);
    await open(1);
    await settle(1_000); // past requestTimeoutMs (400)
    const change = stack.changes('xero').payInvoice();
    await waitFor(() => sub.events().some((e) => e.invoice?.id === idOf('xero', change)), 'the event');
    const event = sub.events().find((e) => e.invoice?.id === idOf('xero', change));
    expect(sub.results.flatMap((r) => r.errors ?? [])).toEqual([]);
    expect(event.invoice.status).toBe('PAID');
    expect(event.invoice.payments.length).toBeGreaterThan(0);
    for (const payment of event.invoice.payments) expect(payment.invoice).toEqual({ id: idOf('xero', change), status: 'PAID' });
    sub.stop();
  });

  it('looks the invoices of one webhook delivery up in one batched call, and the entity cache takes the new copies', async () => {
    const sub = subscribeSse(url, { filter: { sources: ['xero'] } }, asAll);
    await open(1);
    const xero = stack.xero;
    const ids = xero.dataset().invoices.filter((i) => i.status === 'AUTHORISED' && i.amountDue > 0).slice(0, 3).map((i) => i.id);
    // Cached before the change.
    const before = await graphql(`query ($ids: [ID!]!) { invoices(ids: $ids) { id status } }`, { ids: ids.map((i) => `xero:Invoice:${i}`) }, asAll);
    expect(before.body.data.invoices.every((i: any) => i.status !== 'PAID')).toBe(true);
    await xero.webhooks.idle();
    xero.calls.reset();
    const deliveries = xero.webhooks.attempts().length;
    for (const id of ids) xero.changes.payInvoice(id);
    await waitFor(() => ids.every((id) => sub.events().some((e) => e.invoiceId === `xero:Invoice:${id}`)), 'three events');
    expect(xero.webhooks.attempts().length - deliveries).toBe(1);
    expect(xero.calls.count('invoices')).toBe(1);
    // The cache now holds the paid copies: no provider call.
    const after = await graphql(`query ($ids: [ID!]!) { invoices(ids: $ids) { id status } }`, { ids: ids.map((i) => `xero:Invoice:${i}`) }, asAll);
    expect(after.body.data.invoices.map((i: any) => i.status)).toEqual(['PAID', 'PAID', 'PAID']);
    expect(xero.calls.count('invoices')).toBe(1);
    sub.stop();
  });

  it('takes webhook deliveries without a client credential (the signature is the credential)', async () => {
    const body = JSON.stringify({ events: [], firstEventSequence: 0, lastEventSequence: 0, entropy: 'ABCDEFGHIJ' });
    const signed = await fetch(`${url}/webhooks/xero`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-xero-signature': createHmac('sha256', WEBHOOK_KEY).update(body).digest('base64') },
      body,
    });
    expect(signed.status).toBe(200);
    expect(await signed.text()).toBe('');
    expect(signed.headers.get('set-cookie')).toBeNull();
    const unknown = await fetch(`${url}/webhooks/fragment`, { method: 'POST', body });
    expect(unknown.status).toBe(404);
  });
});

describe('token expiry', () => {
  it('ends a subscription whose JWT expires, over SSE and WebSocket, with UNAUTHENTICATED', async () => {
    const { SignJWT } = await import('jose');
    const secret = 'a-secret-of-at-least-thirty-two-characters!';
    const jwtStack = await startEventStack({
      webhook: false,
      gateway: { auth: { mode: 'jwt', jwt: { secret, issuer: 'https://issuer.test/', audience: 'gateway' } }, events: { poll: false } },
    });
    try {
      const token = await new SignJWT({ scope: 'invoices:read', invoice_sources: '*' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('https://issuer.test/')
        .setAudience('gateway')
        .setSubject('short-lived')
        .setExpirationTime(Math.floor(Date.now() / 1000) + 2)
        .sign(new TextEncoder().encode(secret));
      const jwtUrl = jwtStack.replicas[0].url;
      const collected: Collected[] = [subscribeSse(jwtUrl, {}, { authorization: `Bearer ${token}` }), subscribeWs(jwtUrl, {}, { authorization: `Bearer ${token}` })];
      await waitFor(() => jwtStack.replicas[0].gateway.events.hub.size === 2, 'two subscribers');
      await Promise.all(collected.map((c) => c.done));
      for (const c of collected) {
        expect(c.results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      }
      expect(jwtStack.replicas[0].gateway.events.hub.size).toBe(0);
    } finally {
      await jwtStack.close();
    }
  }, 30_000);
});

describe('browsers', () => {
  it("refuses a WebSocket opened by another site's page (WebSockets have no CORS), and takes the gateway's own", async () => {
    const { default: WebSocket } = await import('ws');
    const open = (origin: string) =>
      new Promise<string>((resolve) => {
        const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', { headers: { origin } });
        socket.on('open', () => {
          socket.close();
          resolve('open');
        });
        socket.on('unexpected-response', (_req, res) => resolve(`refused ${res.statusCode}`));
        socket.on('error', () => resolve('error'));
      });
    expect(await open('https://evil.example')).toBe('refused 401');
    expect(await open(url)).toBe('open');
  });
});
