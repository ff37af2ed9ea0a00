// Change detection for a Xero source polled instead of told (no XERO_WEBHOOK_KEY): Xero's listing takes
// If-Modified-Since, so each poll reads only what changed, and UpdatedDateUTC moves with every change.
import { invoiceVersion, type ChangeDetection } from '../kit/changes.js';

export const xeroChangeDetection: ChangeDetection = {
  narrowing: 'updatedSince',
  newestOrder: 'UPDATED_AT_DESC',
  versionOf: invoiceVersion,
};
