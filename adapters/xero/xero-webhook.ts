// Xero's webhooks: `x-xero-signature` is the base64 HMAC-SHA256 of the raw body under the webhook key, checked in
// constant time before the body is read; a delivery is `{ events[], firstEventSequence, lastEventSequence, entropy }`,
// and an intent-to-receive check is the same with no events. Only INVOICE events concern the gateway (CONTACT and
// SUBSCRIPTION events are answered and ignored). An event names the invoice, never its content: the gateway looks it up.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { AnnouncedChange, ProviderWebhook, WebhookDelivery } from '../kit/changes.js';

const XeroWebhookEventSchema = z.looseObject({
  resourceId: z.string().min(1).max(100),
  resourceUrl: z.string().optional(),
  eventDateUtc: z.string().min(1).max(40),
  eventType: z.string(),
  eventCategory: z.string(),
  tenantId: z.string().min(1).max(100),
  tenantType: z.string().optional(),
});

const XeroWebhookPayloadSchema = z.looseObject({
  events: z.array(XeroWebhookEventSchema).max(10_000),
  firstEventSequence: z.number().optional(),
  lastEventSequence: z.number().optional(),
  entropy: z.string().optional(),
});

/** Xero writes `eventDateUtc` in UTC without a zone (`2025-10-21T01:15:39.902`); an explicit zone is honoured too. */
function xeroEventInstant(text: string): string | undefined {
  const zoned = /([Zz]|[+-]\d{2}:\d{2})$/.test(text) ? text : `${text}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

export const xeroWebhook: ProviderWebhook = {
  verify(rawBody, header, key) {
    const given = header('x-xero-signature');
    if (!given || key === '') return false;
    const expected = createHmac('sha256', key).update(rawBody).digest();
    let presented: Buffer;
    try {
      presented = Buffer.from(given.trim(), 'base64');
    } catch {
      return false;
    }
    // timingSafeEqual needs equal lengths; a length mismatch says nothing about the key.
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  },
  read(rawBody): WebhookDelivery | Error {
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(rawBody).toString('utf8'));
    } catch {
      return new Error('the delivery is not JSON');
    }
    const parsed = XeroWebhookPayloadSchema.safeParse(json);
    if (!parsed.success) return new Error('the delivery is not a Xero webhook payload');
    const changes: AnnouncedChange[] = [];
    for (const event of parsed.data.events) {
      if (event.eventCategory.toUpperCase() !== 'INVOICE') continue;
      const occurredAt = xeroEventInstant(event.eventDateUtc);
      if (!occurredAt) continue;
      const type = event.eventType.toUpperCase();
      const remoteId = event.resourceId.toLowerCase();
      changes.push({
        account: event.tenantId.toLowerCase(),
        remoteId,
        kind: type === 'CREATE' ? 'CREATED' : 'UPDATED',
        occurredAt,
        // A re-delivery repeats the event as it was: same tenant, invoice, time and type.
        key: `${event.tenantId.toLowerCase()}|${remoteId}|${event.eventDateUtc}|${type}`,
      });
    }
    return { probe: parsed.data.events.length === 0, changes };
  },
  accountOf: (settings) => (typeof settings.tenantId === 'string' && settings.tenantId !== '' ? settings.tenantId.toLowerCase() : undefined),
};
