// Change notifications across three replicas sharing one real redis-server: an invoice changed at each provider (a
// webhook from the Xero sandbox to one replica; Fragment and Korint polled by whichever replica holds their lease)
// reaches an SSE subscriber (graphql-sse) on a second replica and a WebSocket subscriber (graphql-ws) on the third,
// exactly once each; a webhook re-delivered, to the same replica or another, publishes nothing more; a delivery with a
// bad signature publishes nothing; a subscriber that comes back with `after` gets what it missed, in order; a poller
// replica killed mid-poll is replaced and the change it was about to see still arrives, once. Outcomes are awaited
// with generous bounds; nothing here measures time (bench:events does).
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerAvailable, reportRedisSkipped } from '../support/redis-server.js';
import { useRedisSuite } from '../support/redis-suite.js';
import { startEventStack, subscribeSse, subscribeWs, waitFor, WEBHOOK_KEY, type Collected, type EventStack } from '../support/events.js';

reportRedisSkipped('test/events/replicas.redis.test.ts');

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!redisServerAvailable)('change notifications across three replicas and one Redis', () => {
  const redisSuite = useRedisSuite();
  let stack: EventStack;
  const prefix = `events-${Math.random().toString(36).slice(2)}:`;
  let sse: Collected;
  let ws: Collected;

  const subscribed = (replica: number, count: number) =>
    waitFor(() => stack.replicas[replica].gateway.events.hub.size >= count, `a subscriber on replica ${replica}`);
  const baselines = () =>
    waitFor(async () => (await Promise.all([...stack.replicas[0].gateway.events.pollers.values()].map((p) => p.baselineMade()))).every(Boolean), 'poll baselines');

  beforeAll(async () => {
    stack = await startEventStack({ replicas: 3, redis: { url: redisSuite.server.url, keyPrefix: prefix, leaseMs: 1_500 } });
    await baselines();
    sse = subscribeSse(stack.replicas[1].url);
    ws = subscribeWs(stack.replicas[2].url);
    await subscribed(1, 1);
    await subscribed(2, 1);
  }, 60_000);
  afterAll(async () => {
    sse?.stop();
    ws?.stop();
    await stack?.close();
  });

  it('delivers a change at each provider to an SSE and a WebSocket subscriber on other replicas, exactly once', async () => {
    const xero = stack.changes('xero').payInvoice();
    const fragment = stack.changes('fragment').payInvoice();
    const korint = stack.changes('korint').payInvoice();
    const wanted = [`xero:Invoice:${xero.invoiceId}`, `fragment:Invoice:${fragment.invoiceId}`, `korint:Invoice:${korint.invoiceId}`];
    const got = (c: Collected) => wanted.every((id) => c.events().some((e) => e.invoiceId === id));
    await waitFor(() => got(sse) && got(ws), 'the three changes at both subscribers', 30_000);
    // Several more polls by every replica, and the webhook answered long ago: nothing more may arrive.
    await settle(2_000);
    for (const collected of [sse, ws]) {
      const events = collected.events().filter((e) => wanted.includes(e.invoiceId));
      expect(events.map((e) => e.invoiceId).sort()).toEqual([...wanted].sort());
      expect(new Set(events.map((e) => e.id)).size).toBe(3);
      for (const event of events) {
        expect(event.kind).toBe('UPDATED');
        expect(event.invoice.status).toBe('PAID');
      }
    }
    // Both subscribers saw the same events under the same ids, in the same order.
    expect(ws.events().map((e) => e.id)).toEqual(sse.events().map((e) => e.id));
  });

  it('publishes nothing for a webhook delivered again, to the same replica or another', async () => {
    const before = sse.events().length;
    const change = stack.changes('xero').updateInvoice();
    await waitFor(() => sse.events().some((e) => e.invoiceId === `xero:Invoice:${change.invoiceId}`), 'the update');
    await stack.xero.webhooks.redeliverLast();
    // Behind a load balancer the same delivery may reach another replica.
    await stack.xero.webhooks.subscribe({ url: `${stack.replicas[2].url}/webhooks/xero`, key: WEBHOOK_KEY, validate: false });
    await stack.xero.webhooks.redeliverLast();
    const redeliveries = stack.xero.webhooks.attempts().filter((a) => a.redelivery);
    expect(redeliveries.map((a) => a.outcome)).toEqual([200, 200]);
    await settle(1_000);
    expect(sse.events().length).toBe(before + 1);
    expect(ws.events().filter((e) => e.invoiceId === `xero:Invoice:${change.invoiceId}`)).toHaveLength(1);
    await stack.xero.webhooks.subscribe({ url: `${stack.replicas[0].url}/webhooks/xero`, key: WEBHOOK_KEY, validate: false });
  });

  it('answers 401 to a delivery with a bad signature and records nothing', async () => {
    const before = sse.events().length;
    const intake = await redisSuite.inspect.xlen(`${prefix}events:intake`);
    const invoice = stack.xero.dataset().invoices[0];
    const body = JSON.stringify({
      events: [
        {
          resourceUrl: `${stack.xero.apiUrl}/Invoices/${invoice.id}`,
          resourceId: invoice.id,
          eventDateUtc: new Date().toISOString().slice(0, 23),
          eventType: 'UPDATE',
          eventCategory: 'INVOICE',
          tenantId: stack.xero.tenants[0],
          tenantType: 'ORGANISATION',
        },
      ],
      firstEventSequence: 1,
      lastEventSequence: 1,
      entropy: 'FORGEDFORGEDFORGED',
    });
    for (const signature of [createHmac('sha256', 'not-the-key-at-all').update(body).digest('base64'), '', 'garbage']) {
      const answer = await fetch(`${stack.replicas[0].url}/webhooks/xero`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(signature ? { 'x-xero-signature': signature } : {}) },
        body,
      });
      expect(answer.status).toBe(401);
      expect(await answer.text()).toBe('');
    }
    await settle(800);
    expect(await redisSuite.inspect.xlen(`${prefix}events:intake`)).toBe(intake);
    expect(sse.events().length).toBe(before);
  });

  it('replays what a subscriber missed, in order, over either protocol, when it comes back with after', async () => {
    const last = sse.events().at(-1)!.id as string;
    sse.stop();
    ws.stop();
    await waitFor(() => stack.replicas[1].gateway.events.hub.size === 0 && stack.replicas[2].gateway.events.hub.size === 0, 'subscribers gone');
    const missed = [stack.changes('xero').createInvoice(), stack.changes('korint').createInvoice(), stack.changes('fragment').createInvoice()];
    const ids = missed.map((c, i) => `${['xero', 'korint', 'fragment'][i]}:Invoice:${c.invoiceId}`);
    // Published while nobody listened: wait until the log holds all three.
    await waitFor(async () => {
      const page = await stack.replicas[0].gateway.events.log.readAfter(last, 100);
      return ids.every((id) => page.some((l) => `${l.event.source}:Invoice:${l.event.remoteId}` === id));
    }, 'the missed changes in the log', 30_000);
    sse = subscribeSse(stack.replicas[1].url, { after: last });
    ws = subscribeWs(stack.replicas[2].url, { after: last });
    await waitFor(() => [sse, ws].every((c) => ids.every((id) => c.events().some((e) => e.invoiceId === id))), 'the replay');
    for (const collected of [sse, ws]) {
      const replayed = collected.events();
      const order = replayed.map((e) => e.id);
      expect([...order].sort((a, b) => (BigInt(a.split('-')[0]) === BigInt(b.split('-')[0]) ? Number(a.split('-')[1]) - Number(b.split('-')[1]) : Number(BigInt(a.split('-')[0]) - BigInt(b.split('-')[0]))))).toEqual(order);
      expect(new Set(order).size).toBe(order.length);
      for (const id of ids) expect(replayed.find((e) => e.invoiceId === id)?.kind).toBe('CREATED');
    }
    // Then the live ones follow on the same subscription.
    const live = stack.changes('xero').payInvoice();
    await waitFor(() => [sse, ws].every((c) => c.events().some((e) => e.invoiceId === `xero:Invoice:${live.invoiceId}`)), 'a live event after the replay');
  });

  it('replaces a poller replica killed mid-poll, and the change it had not yet seen still arrives once', async () => {
    const holderId = await redisSuite.inspect.get(`${prefix}poll:korint:lease`);
    const holder = stack.replicas.findIndex((r) => r.gateway.events.pollHolder === holderId);
    expect(holder).toBeGreaterThanOrEqual(0);
    const survivors = stack.replicas.filter((_, i) => i !== holder);
    sse.stop();
    ws.stop();
    const watch = [subscribeSse(survivors[0].url), subscribeWs(survivors[1].url)];
    await waitFor(() => survivors.every((r) => r.gateway.events.hub.size >= 1), 'subscribers on the survivors');
    // Korint answers slowly, so the holder is in the middle of a poll when it dies.
    const korint = stack.sandboxes.handle('korint');
    korint.faults.inject({ routes: ['invoices'], latencyMs: 400, times: 2 });
    await waitFor(() => korint.calls.count('invoices') > 0, 'a poll under way');
    await stack.replicas[holder].stop(true);
    const change = stack.changes('korint').payInvoice();
    const id = `korint:Invoice:${change.invoiceId}`;
    await waitFor(() => watch.every((c) => c.events().some((e) => e.invoiceId === id)), 'the change, after another replica took the lease', 30_000);
    const newHolder = await redisSuite.inspect.get(`${prefix}poll:korint:lease`);
    expect(survivors.some((r) => r.gateway.events.pollHolder === newHolder)).toBe(true);
    await settle(1_500);
    for (const collected of watch) {
      expect(collected.events().filter((e) => e.invoiceId === id)).toHaveLength(1);
      collected.stop();
    }
  });
});
