// The fallbacks of change notifications: a Xero source without XERO_WEBHOOK_KEY is polled (If-Modified-Since), and a
// webhook whose lookup fails shows the entity cache's copy within GATEWAY_STALE_IF_ERROR_MS, marked stale.
import { afterAll, describe, expect, it } from 'vitest';
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { startEventStack, subscribeSse, waitFor, type EventStack } from '../support/events.js';

const stacks: EventStack[] = [];
afterAll(() => Promise.all(stacks.map((s) => s.close())));

describe('fallbacks', () => {
  it('polls a Xero source with If-Modified-Since when no webhook key is set', async () => {
    const stack = await startEventStack({ webhook: false, gateway: { events: { xeroWebhookKey: undefined } } });
    stacks.push(stack);
    const poller = stack.replicas[0].gateway.events.pollers.get('xero');
    expect(poller).toBeDefined();
    await waitFor(() => poller!.baselineMade(), 'the Xero baseline');
    const sub = subscribeSse(stack.replicas[0].url, { filter: { sources: ['xero'] } });
    await waitFor(() => stack.replicas[0].gateway.events.hub.size === 1, 'the subscriber');
    const change = stack.xero.changes.payInvoice();
    await waitFor(() => sub.events().some((e) => e.invoiceId === `xero:Invoice:${change.invoiceId}`), 'the polled Xero change');
    expect(stack.xero.calls.list().some((c) => c.name === 'invoices' && c.headers['if-modified-since'])).toBe(true);
    sub.stop();
  });

  it('shows the cached copy, marked stale, when the lookup after a webhook fails', async () => {
    const stack = await startEventStack({ gateway: { cache: { ttlMs: 1, staleIfErrorMs: 600_000 }, circuit: { failureThreshold: 100, coolDownMs: 100 } } });
    stacks.push(stack);
    const url = stack.replicas[0].url;
    const target = stack.xero.dataset().invoices.find((i) => i.status === 'AUTHORISED' && i.amountDue > 0)!;
    const id = `xero:Invoice:${target.id}`;
    const cached = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ invoice(id: "${id}") { status } }` }),
    });
    expect(((await cached.json()) as any).data.invoice.status).not.toBe('PAID');
    const sub = subscribeSse(url, { filter: { ids: [id] } });
    await waitFor(() => stack.replicas[0].gateway.events.hub.size === 1, 'the subscriber');
    stack.xero.faults.inject({ routes: ['invoices'], status: 503 });
    stack.xero.changes.payInvoice(target.id);
    await waitFor(() => sub.results.length > 0, 'the event');
    stack.xero.faults.clear();
    const [result] = sub.results;
    expect(result.data.invoiceChanged.invoiceId).toBe(id);
    // The copy from before the change, and the answer says how old it is.
    expect(result.data.invoiceChanged.invoice.status).not.toBe('PAID');
    expect(result.extensions?.stale).toEqual([{ id, ageMs: expect.any(Number) }]);
    sub.stop();
  });

  it('delivers the webhook events of a Xero source whose tenant was discovered from /connections (no XERO_TENANT_ID)', async () => {
    const stack = await startEventStack({
      specs: (specs, sandboxes) =>
        specs.map((spec) => {
          if (spec.provider.kind !== 'xero') return spec;
          // A token of the demo user's consent, and no tenant: the adapter asks /connections which one it serves.
          const xero = sandboxes.handle<XeroSandboxHandle>('xero');
          const { tenantId: _tenant, ...settings } = spec.settings;
          return { ...spec, settings: { ...settings, accessToken: xero.identity.consent().accessToken, connectionsUrl: xero.identity.connectionsUrl } };
        }),
    });
    stacks.push(stack);
    const gateway = stack.replicas[0].gateway;
    await gateway.start();
    const sub = subscribeSse(stack.replicas[0].url, { filter: { sources: ['xero'] } });
    await waitFor(() => gateway.events.hub.size === 1, 'the subscriber');
    const change = stack.xero.changes.payInvoice();
    await waitFor(() => sub.events().some((e) => e.invoiceId === `xero:Invoice:${change.invoiceId.toLowerCase()}`), 'the Xero change, by webhook');
    sub.stop();
  });
});
