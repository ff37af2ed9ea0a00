// The one order of listInvoices: each invoice's time for the order (epoch ms, null when it has none), then its global id.
import { createHash } from 'node:crypto';
import type { InvoiceListOrder } from '../../adapters/kit/listing.js';
import type { Invoice } from '../../adapters/kit/model.js';

/** Remote ids longer than this sort by their first characters and a digest (see tieIdOf). */
const MAX_TIE_ID = 64;

/**
 * The id an invoice sorts by among invoices of the same time: its remote id, or for one longer than 64 characters its
 * first 64 and a digest, so that a cursor, which carries it, stays small whatever the ids. The order is the ids' own,
 * except among long ids sharing their first 64 characters.
 */
export function tieIdOf(remoteId: string): string {
  if (remoteId.length <= MAX_TIE_ID) return remoteId;
  return `${remoteId.slice(0, MAX_TIE_ID)}~${createHash('sha256').update(remoteId).digest('base64url').slice(0, 16)}`;
}

/** An invoice's place in a listing: its time for the order and its global id (with its tie id, see tieIdOf). */
export interface SortPlace {
  key: number | null;
  id: string;
}

function ms(text: string | null): number | null {
  if (!text) return null;
  const value = Date.parse(text);
  return Number.isNaN(value) ? null : value;
}

/** The issue time, or the creation time where the provider has no issue date (Fragment, Korint drafts). */
export function issuedKey(invoice: Invoice): number | null {
  return ms(invoice.issuedAt ?? invoice.createdAt);
}

/** The modification time, or the issue time where the provider reports none (Korint). */
export function updatedKey(invoice: Invoice): number | null {
  return ms(invoice.updatedAt) ?? issuedKey(invoice);
}

/** The time an order sorts `invoice` by. */
export function sortKeyOf(invoice: Invoice, order: InvoiceListOrder): number | null {
  return order === 'UPDATED_AT_DESC' ? updatedKey(invoice) : issuedKey(invoice);
}

/** Compares two times in the order's direction; a missing time sorts last. */
export function compareKeys(a: number | null, b: number | null, order: InvoiceListOrder): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return order === 'ISSUED_AT_ASC' ? a - b : b - a;
}

/** Compares two places: the time in the order's direction, then the global id ascending. */
export function comparePlaces(a: SortPlace, b: SortPlace, order: InvoiceListOrder): number {
  return compareKeys(a.key, b.key, order) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
