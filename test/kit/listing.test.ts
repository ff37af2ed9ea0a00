// The list capability's pure parts: which provider page covers a window, and what each provider is sent for a filter.
import { describe, expect, it } from 'vitest';
import { coveringPage } from '../../adapters/kit/listing.js';
import { fragmentSearchFilter } from '../../adapters/fragment/fragment-list.js';
import { xeroListWhere, xeroModifiedSince, xeroStatusesFor } from '../../adapters/xero/xero-list.js';

describe('coveringPage', () => {
  it('finds the smallest page holding the items wanted', () => {
    for (const [offset, limit, max] of [[0, 20, 100], [7, 7, 100], [37, 20, 100], [93, 20, 100], [250, 100, 1000], [1234, 50, 100]]) {
      const { page, pageSize } = coveringPage(offset, limit, max);
      const start = (page - 1) * pageSize;
      expect(pageSize).toBeLessThanOrEqual(max);
      expect(start).toBeLessThanOrEqual(offset);
      expect(start + pageSize).toBeGreaterThanOrEqual(offset + limit);
    }
    expect(coveringPage(7, 7, 100)).toEqual({ page: 2, pageSize: 7 });
  });

  it('falls back to the largest page holding the offset when none covers the window', () => {
    expect(coveringPage(37, 100, 100)).toEqual({ page: 1, pageSize: 100 });
  });
});

describe('what the providers are sent', () => {
  it('Xero: statuses that can become the ones asked, a checked where, If-Modified-Since with an offset', () => {
    expect(xeroStatusesFor(['PAID'])).toEqual(['AUTHORISED', 'PAID']);
    expect(xeroStatusesFor(['DRAFT', 'VOID'])).toEqual(['DRAFT', 'SUBMITTED', 'VOIDED', 'DELETED']);
    expect(xeroStatusesFor(['DISPUTED'])).toEqual([]);
    expect(xeroListWhere('xero', { issuedFrom: '2024-02-29', currency: 'NZD', outstanding: true })).toBe(
      'Date >= DateTime(2024, 02, 29) AND CurrencyCode=="NZD" AND AmountDue>0',
    );
    expect(() => xeroListWhere('xero', { currency: 'US"D' })).toThrow(/three-letter/);
    expect(xeroModifiedSince('xero', '2020-02-06T20:17:43.202Z')).toBe('2020-02-06T20:17:43.202+00:00');
  });

  it('Fragment: status active only for statuses an active invoice can have, created bounds from the issue days', () => {
    expect(fragmentSearchFilter({ statuses: ['OPEN', 'PAID'], issuedFrom: '2024-01-10', issuedTo: '2024-01-10' })).toEqual({
      status: 'active',
      created: { after: '2024-01-09T23:59:59Z', before: '2024-01-11T00:00:00Z' },
    });
    expect(fragmentSearchFilter({ statuses: ['OPEN', 'VOID'] })).toEqual({});
  });
});
