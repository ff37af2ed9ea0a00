// The sandboxes change their data on request as their providers do, and the Xero sandbox delivers Xero's webhooks:
// signed payloads of INVOICE events (batched, with sequence numbers and entropy), the intent-to-receive check that a
// careless endpoint fails, retries with decreasing frequency on anything but 200, the webhook disabled once the retry
// window has passed, and a delivery sent again as it was.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFragmentSandbox, type FragmentSandboxHandle } from '../../adapters/fragment/sandbox/fragment-sandbox.js';
import { startKorintSandbox, type KorintSandboxHandle } from '../../adapters/korint/sandbox/korint-sandbox.js';
import { startXeroSandbox, type XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import { xeroWebhook } from '../../adapters/xero/xero-webhook.js';
import { waitFor } from '../support/replicas.js';

const KEY = 'sandbox-webhook-key-0123456789';

interface Receiver {
  url: string;
  bodies: string[];
  close(): Promise<void>;
}

/** A webhook endpoint answering with `answer(n, verified)` for the n-th request (1-based). */
async function startReceiver(answer: (n: number, verified: boolean, res: ServerResponse) => void): Promise<Receiver> {
  const bodies: string[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      bodies.push(raw.toString('utf8'));
      answer(bodies.length, xeroWebhook.verify(raw, (name) => (req.headers[name] as string | undefined) ?? null, KEY), res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const honest = (_n: number, verified: boolean, res: ServerResponse) => {
  res.writeHead(verified ? 200 : 401, { 'content-length': '0' });
  res.end();
};

describe('the Xero sandbox webhooks', () => {
  let xero: XeroSandboxHandle;
  let receiver: Receiver | undefined;
  beforeAll(async () => {
    xero = await startXeroSandbox({ invoiceCount: 40 });
  });
  afterEach(async () => {
    xero.webhooks.unsubscribe();
    await receiver?.close();
    receiver = undefined;
  });
  afterAll(() => xero.close());

  it('enables the webhook only for an endpoint that answers 200 with no body to good signatures and 401 to bad ones', async () => {
    receiver = await startReceiver(honest);
    expect((await xero.webhooks.subscribe({ url: receiver.url, key: KEY })).passed).toBe(true);
    expect(xero.webhooks.status).toBe('OK');
    await receiver.close();

    receiver = await startReceiver((_n, _v, res) => res.writeHead(200, { 'content-length': '0' }).end());
    const careless = await xero.webhooks.subscribe({ url: receiver.url, key: KEY });
    expect(careless.passed).toBe(false);
    expect(careless.answers.filter((a) => a.signed === 'incorrectly').map((a) => a.outcome)).toEqual([200, 200]);
    expect(xero.webhooks.status).toBe('INTENT_FAILED');
    await receiver.close();

    receiver = await startReceiver((_n, verified, res) => res.writeHead(verified ? 200 : 401).end(verified ? 'ok' : ''));
    expect((await xero.webhooks.subscribe({ url: receiver.url, key: KEY })).passed).toBe(false);
    // A webhook that failed its check delivers nothing.
    const count = receiver.bodies.length;
    xero.changes.payInvoice();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.bodies.length).toBe(count);
  });

  it('delivers the changes of a moment in one signed payload of INVOICE events, with sequence numbers', async () => {
    receiver = await startReceiver(honest);
    await xero.webhooks.subscribe({ url: receiver.url, key: KEY, validate: false });
    const made = [xero.changes.payInvoice(), xero.changes.createInvoice(), xero.changes.updateInvoice()];
    await xero.webhooks.idle();
    expect(receiver.bodies).toHaveLength(1);
    const attempt = xero.webhooks.attempts().at(-1)!;
    expect(attempt.signature).toBe(createHmac('sha256', KEY).update(receiver.bodies[0]).digest('base64'));
    const payload = JSON.parse(receiver.bodies[0]);
    expect(payload.lastEventSequence - payload.firstEventSequence).toBe(2);
    expect(typeof payload.entropy).toBe('string');
    expect(payload.events.map((e: any) => [e.resourceId, e.eventType, e.eventCategory, e.tenantType, e.tenantId])).toEqual([
      [made[0].invoiceId, 'UPDATE', 'INVOICE', 'ORGANISATION', xero.tenants[0]],
      [made[1].invoiceId, 'CREATE', 'INVOICE', 'ORGANISATION', xero.tenants[0]],
      [made[2].invoiceId, 'UPDATE', 'INVOICE', 'ORGANISATION', xero.tenants[0]],
    ]);
    expect(payload.events[0].resourceUrl).toBe(`${xero.apiUrl}/Invoices/${made[0].invoiceId}`);
    expect(payload.events[0].eventDateUtc).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
    await xero.webhooks.redeliverLast();
    expect(receiver.bodies).toHaveLength(2);
    expect(receiver.bodies[1]).toBe(receiver.bodies[0]);
  });

  it('sends an INVOICE UPDATE event for the invoice a payment written through the API changed', async () => {
    receiver = await startReceiver(honest);
    await xero.webhooks.subscribe({ url: receiver.url, key: KEY, validate: false });
    const invoice = xero.dataset().invoices.find((i) => i.type === 'ACCREC' && i.status === 'AUTHORISED' && i.currency === 'USD' && i.amountDue >= 100)!;
    const answer = await fetch(`${xero.apiUrl}/Payments`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${xero.accessToken}`, 'xero-tenant-id': xero.tenants[0], accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ Payments: [{ Invoice: { InvoiceID: invoice.id }, Account: { Code: '091' }, Date: '2026-01-15', Amount: 1.0 }] }),
    });
    expect(answer.status).toBe(200);
    await xero.webhooks.idle();
    const events = receiver.bodies.flatMap((body) => JSON.parse(body).events);
    expect(events.map((e: any) => [e.resourceId, e.eventType, e.eventCategory])).toEqual([[invoice.id, 'UPDATE', 'INVOICE']]);
  });

  it('retries a delivery answered otherwise than 200, and disables the webhook once the retry window has passed', async () => {
    receiver = await startReceiver((n, verified, res) => res.writeHead(n <= 2 ? 500 : verified ? 200 : 401, { 'content-length': '0' }).end());
    await xero.webhooks.subscribe({ url: receiver.url, key: KEY, validate: false, retryDelaysMs: [50, 100] });
    xero.changes.updateInvoice();
    await xero.webhooks.idle();
    expect(receiver.bodies).toHaveLength(3);
    expect(new Set(receiver.bodies).size).toBe(1);
    expect(xero.webhooks.status).toBe('OK');
    await receiver.close();

    receiver = await startReceiver((_n, _v, res) => res.writeHead(503).end());
    await xero.webhooks.subscribe({ url: receiver.url, key: KEY, validate: false, retryDelaysMs: [30, 60], retryWindowMs: 200 });
    xero.changes.updateInvoice();
    await waitFor(() => xero.webhooks.status === 'DISABLED', 'the webhook disabled');
    const tried = receiver.bodies.length;
    expect(tried).toBeGreaterThan(1);
    xero.changes.updateInvoice();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.bodies.length).toBe(tried);
  });

  it("moves the invoice's UpdatedDateUTC with a payment, as the API shows it", async () => {
    const headers = { authorization: `Bearer ${xero.accessToken}`, 'xero-tenant-id': xero.tenants[0], accept: 'application/json' };
    const target = xero.dataset().invoices.find((i) => i.status === 'AUTHORISED' && i.amountDue > 0)!;
    const read = async () => ((await (await fetch(`${xero.apiUrl}/Invoices/${target.id}`, { headers })).json()) as any).Invoices[0];
    const before = await read();
    const change = xero.changes.payInvoice(target.id);
    const after = await read();
    expect(after.Status).toBe('PAID');
    expect(after.AmountDue).toBe(0);
    expect(after.FullyPaidOnDate).toBeDefined();
    expect(after.UpdatedDateUTC).toBe(`/Date(${change.atMs}+0000)/`);
    expect(change.atMs).toBeGreaterThan(Number(/\d+/.exec(before.UpdatedDateUTC)![0]));
    const since = new Date(change.atMs).toISOString().replace('Z', '+00:00');
    const listed = (await (await fetch(`${xero.apiUrl}/Invoices?page=1`, { headers: { ...headers, 'if-modified-since': since } })).json()) as any;
    expect(listed.Invoices.map((i: any) => i.InvoiceID)).toContain(target.id);
  });
});

describe('Fragment and Korint sandboxes', () => {
  let fragment: FragmentSandboxHandle;
  let korint: KorintSandboxHandle;
  beforeAll(async () => {
    fragment = await startFragmentSandbox({ invoiceCount: 30 });
    korint = await startKorintSandbox({ invoiceCount: 30 });
  });
  afterAll(async () => {
    await fragment.close();
    await korint.close();
  });

  it("Fragment: a payment settles what remains, bumps the invoice's version and moves modified", () => {
    const change = fragment.changes.payInvoice();
    const paid = fragment.store.getInvoice(change.invoiceId)!;
    expect(paid.balances.every((b) => b.payins.remaining === '0' && b.payouts.remaining === '0')).toBe(true);
    const again = fragment.changes.updateInvoice(change.invoiceId);
    const updated = fragment.store.getInvoice(again.invoiceId)!;
    expect(updated.version).toBe(paid.version + 1);
    expect(Date.parse(updated.modified)).toBeGreaterThanOrEqual(Date.parse(paid.modified));
    const created = fragment.store.getInvoice(fragment.changes.createInvoice().invoiceId)!;
    expect(created.version).toBe(1);
    expect(created.created).toBe(created.modified);
  });

  it('Korint: an invoice paid through Stripe shows PAID with its payment in the listing; a change can be asked for over HTTP', async () => {
    const answer = await fetch(`${korint.url}/_sandbox/changes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ change: 'pay' }) });
    expect(answer.status).toBe(200);
    const { invoiceId } = (await answer.json()) as { invoiceId: string };
    const listed = (await (await fetch(`${korint.url}/invoices?ids=${invoiceId}`, { headers: { authorization: `Bearer ${korint.token}` } })).json()) as any;
    expect(listed.data[0]).toMatchObject({ id: invoiceId, status: 'PAID' });
    expect(listed.data[0].paymentId).toMatch(/^pi_/);
    expect(Date.parse(listed.data[0].paidAt)).toBeGreaterThan(0);
    const refused = await fetch(`${korint.url}/_sandbox/changes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ change: 'explode' }) });
    expect(refused.status).toBe(400);
  });
});
