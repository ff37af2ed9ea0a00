// Change detection for Korint, which sends no webhooks and whose invoices carry no modification time: the poller reads
// the newest pages every interval and every page at the slower sweep interval, and compares digests of the invoices.
import { invoiceVersion, type ChangeDetection } from '../kit/changes.js';

export const korintChangeDetection: ChangeDetection = {
  narrowing: 'newest',
  newestOrder: 'ISSUED_AT_DESC',
  versionOf: invoiceVersion,
};
