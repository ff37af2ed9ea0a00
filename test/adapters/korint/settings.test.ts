import { describe, expect, it } from 'vitest';
import { korintIdsPerRequest } from '../../../adapters/korint/korint-adapter.js';
import { korintSettingsFromEnv, korintSettingsSchema } from '../../../adapters/korint/settings.js';

describe('korint settings', () => {
  it('fills the documented defaults', () => {
    expect(korintSettingsSchema.parse({ baseUrl: 'https://api.korint.example', token: 't' })).toEqual({
      name: 'korint',
      baseUrl: 'https://api.korint.example',
      token: 't',
      invoicesPath: '/invoices',
      idsParam: 'ids',
      pageParam: 'page',
      pageSizeParam: 'pageSize',
      pageSize: 100,
      currency: 'EUR',
      currencyScales: {},
      maxIdsPerRequest: 100,
      concurrency: 4,
      listPath: '/invoices',
      listSortParam: 'sort',
      listOrders: { ISSUED_AT_DESC: '-issuedAt', ISSUED_AT_ASC: 'issuedAt', UPDATED_AT_DESC: '-issuedAt' },
    });
  });

  it('refuses a missing token, a bad URL, a page size over 100 and an unknown currency', () => {
    const bad = [
      { baseUrl: 'https://k.example' },
      { baseUrl: 'https://k.example', token: '' },
      { baseUrl: 'not a url', token: 't' },
      { baseUrl: 'https://k.example', token: 't', pageSize: 101 },
      { baseUrl: 'https://k.example', token: 't', currency: 'XYZQ' },
    ];
    for (const raw of bad) expect(korintSettingsSchema.safeParse(raw).success).toBe(false);
    expect(korintSettingsSchema.parse({ baseUrl: 'https://k.example', token: 't', currency: 'XYZQ', currencyScales: { XYZQ: 2 } }).currency).toBe('XYZQ');
  });

  it('reads KORINT_* variables, and nothing without a base URL', () => {
    expect(korintSettingsFromEnv({ KORINT_TOKEN: 't' })).toBeUndefined();
    const raw = korintSettingsFromEnv({ KORINT_BASE_URL: 'https://k.example', KORINT_TOKEN: 't', KORINT_PAGE_SIZE: '50', KORINT_CURRENCY: 'chf' });
    expect(korintSettingsSchema.parse(raw)).toMatchObject({ baseUrl: 'https://k.example', token: 't', pageSize: 50, currency: 'CHF' });
  });

  it('chunks ids by the largest multiple of the page size that fits one request', () => {
    expect(korintIdsPerRequest({ pageSize: 50, maxIdsPerRequest: 100 })).toBe(100);
    expect(korintIdsPerRequest({ pageSize: 30, maxIdsPerRequest: 100 })).toBe(90);
    expect(korintIdsPerRequest({ pageSize: 100, maxIdsPerRequest: 40 })).toBe(40);
  });
});
