// Change detection for Fragment, which sends no webhooks: its search filters on creation time only, so the poller reads
// the newest pages every interval (new invoices, and changes to recent ones) and sweeps every page at the slower sweep
// interval. An invoice's `modified` (to the second) and `version` move with every change; the digest covers the rest.
import { invoiceVersion, type ChangeDetection } from '../kit/changes.js';

export const fragmentChangeDetection: ChangeDetection = {
  narrowing: 'newest',
  newestOrder: 'ISSUED_AT_DESC',
  versionOf: invoiceVersion,
};
