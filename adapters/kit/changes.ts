// How the gateway learns that invoices changed at a provider: the webhooks it sends (verified and read here, per
// provider), or, for a provider without them, polling its listing and comparing what each invoice looks like now with
// what it looked like before (its change detection).
import { createHash } from 'node:crypto';
import type { Invoice } from './model.js';
import { plainInvoice } from './model-plain.js';
import { wireItemOf } from './wire-item.js';

export type ChangeKind = 'CREATED' | 'UPDATED';

/** One change a provider announced in a webhook delivery. */
export interface AnnouncedChange {
  /** Which of the provider's accounts it happened in (Xero: the tenant id), matched to a source's settings. */
  account: string;
  remoteId: string;
  kind: ChangeKind;
  /** ISO instant the provider says it happened. */
  occurredAt: string;
  /** The same text for the same change however often it is delivered (re-deliveries carry the same key). */
  key: string;
}

/** What a verified delivery holds. */
export interface WebhookDelivery {
  /** True for the provider's check of the endpoint (no events, nothing to do but answer). */
  probe: boolean;
  changes: AnnouncedChange[];
}

/** A provider's webhooks, as the gateway's endpoint `POST /webhooks/<kind>` receives them. */
export interface ProviderWebhook {
  /** True when `rawBody` carries a valid signature under `key`; checked in constant time, before anything is parsed. */
  verify(rawBody: Uint8Array, header: (name: string) => string | null, key: string): boolean;
  /** Reads a verified delivery; an Error when it is not what the provider sends. */
  read(rawBody: Uint8Array): WebhookDelivery | Error;
  /** The account (tenant) whose deliveries belong to a source with `settings`; undefined when not known (yet). */
  accountOf(settings: Record<string, unknown>): string | undefined;
}

/** How a provider without webhooks is polled: how to read only what may have changed, and how to tell a change. */
export interface ChangeDetection {
  /**
   * `updatedSince`: the listing's modification-time filter finds every change. `newest`: the provider has none, so the
   * newest pages (in `newestOrder`) are read every interval and every page at the slower sweep interval.
   */
  readonly narrowing: 'updatedSince' | 'newest';
  readonly newestOrder?: 'ISSUED_AT_DESC' | 'UPDATED_AT_DESC';
  /** A short text that differs whenever the invoice differs (invoiceVersion: modification time and digest). */
  versionOf(invoice: Invoice): string;
}

const asText = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));

/**
 * A digest of the invoice as the model reads it: the same for the same data whichever call answered it (a listing
 * page, a lookup, a create's answer). An invoice with a part that cannot be read is digested by its provider item.
 */
export function invoiceDigest(invoice: Invoice): string {
  let text: string;
  try {
    text = asText(plainInvoice(invoice));
  } catch {
    text = asText(wireItemOf(invoice) ?? null);
  }
  return createHash('sha256').update(text).digest('base64url').slice(0, 22);
}

/** The version of an invoice: its modification time where the provider keeps one, and its digest. */
export function invoiceVersion(invoice: Invoice): string {
  return `${invoice.updatedAt ?? ''}|${invoiceDigest(invoice)}`;
}
