// The Xero sandbox's listing as Xero behaves: `where` takes what Xero documents (numbers and dates compare every way,
// strings, GUIDs and booleans only with == and !=, string methods on text fields), GUIDs order as SQL Server orders a
// uniqueidentifier (not as text), and the seeded books hold busy days (more invoices of one date than one page of 100).
import { describe, expect, it } from 'vitest';
import { xeroBusyDays } from '../../../adapters/xero/sandbox/xero-seed-busy-days.js';
import { createXeroSandboxDataset } from '../../../adapters/xero/sandbox/xero-sandbox-data.js';
import { sortByOrder, sqlServerGuidKey } from '../../../adapters/xero/sandbox/xero-sandbox-order.js';
import { parseWhere, WhereParseError } from '../../../adapters/xero/sandbox/xero-where-parser.js';
import { dateTimeComparison } from '../../../adapters/xero/xero-where.js';
import { xeroKeyBound, xeroListWhere } from '../../../adapters/xero/xero-list.js';

const record = {
  InvoiceID: '0b4f4d8e-8c4c-4a3c-9f5e-0a1b2c3d4e5f',
  Reference: 'Ref 1001',
  Contact: { Name: 'Bayside Club' },
  Total: 115.5,
  Date: '/Date(1726099200000+0000)/',
  UpdatedDateUTC: '/Date(1726135200500+0000)/',
  HasAttachments: false,
};

describe("the sandbox's where", () => {
  it('compares numbers and dates every way, and reads DateTime with three or six parts', () => {
    expect(parseWhere('Total >= 100 AND Total < 116')(record)).toBe(true);
    expect(parseWhere('Date <= DateTime(2024, 09, 12)')(record)).toBe(true);
    expect(parseWhere('Date < DateTime(2024, 09, 12)')(record)).toBe(false);
    expect(parseWhere('UpdatedDateUTC < DateTime(2024, 09, 12, 10, 00, 01)')(record)).toBe(true);
    expect(parseWhere('UpdatedDateUTC < DateTime(2024, 09, 12, 10, 00, 00)')(record)).toBe(false);
  });

  it('compares strings, GUIDs and booleans only for equality, as Xero does', () => {
    expect(parseWhere('Reference == "Ref 1001" && HasAttachments == false')(record)).toBe(true);
    expect(parseWhere(`InvoiceID == Guid("${record.InvoiceID.toUpperCase()}")`)(record)).toBe(true);
    for (const where of [`InvoiceID > Guid("${record.InvoiceID}")`, 'Reference > "Ref"', 'HasAttachments < true']) {
      expect(() => parseWhere(where), where).toThrow(WhereParseError);
    }
  });

  it("has Xero's string methods on text fields, not on GUIDs", () => {
    expect(parseWhere('Contact.Name.Contains("Bay") AND Reference.StartsWith("Ref")')(record)).toBe(true);
    expect(parseWhere('Contact.Name.EndsWith("Bay")')(record)).toBe(false);
    expect(() => parseWhere('InvoiceID.Contains("0b4f")')).toThrow(WhereParseError);
  });

  it('accepts every bound the adapter sends', () => {
    const bound = xeroKeyBound('xero', 'ISSUED_AT_DESC', { key: Date.parse('2024-09-12T00:00:00Z') })!;
    expect(bound).toBe('Date <= DateTime(2024, 09, 12)');
    expect(xeroKeyBound('xero', 'ISSUED_AT_ASC', { key: Date.parse('2024-09-12T00:00:00Z') })).toBe('Date >= DateTime(2024, 09, 12)');
    // UpdatedDateUTC has milliseconds, DateTime whole seconds: just after the key's second.
    expect(xeroKeyBound('xero', 'UPDATED_AT_DESC', { key: Date.parse('2024-09-12T10:00:00.500Z') })).toBe('UpdatedDateUTC < DateTime(2024, 09, 12, 10, 00, 01)');
    expect(xeroKeyBound('xero', 'ISSUED_AT_DESC', undefined)).toBeUndefined();
    expect(dateTimeComparison('UpdatedDateUTC', '>=', Date.UTC(2025, 0, 2, 3, 4, 5))).toBe('UpdatedDateUTC >= DateTime(2025, 01, 02, 03, 04, 05)');
    const where = xeroListWhere('xero', { issuedFrom: '2024-01-01', currency: 'NZD', outstanding: true }, bound)!;
    expect(where).toBe('Date <= DateTime(2024, 09, 12) AND Date >= DateTime(2024, 01, 01) AND CurrencyCode=="NZD" AND AmountDue>0');
    expect(parseWhere(where)({ ...record, CurrencyCode: 'NZD', AmountDue: 10 })).toBe(true);
  });
});

describe("the sandbox's order", () => {
  it('orders GUIDs as SQL Server orders uniqueidentifiers: the last group first, then the fourth, then the others byte-swapped', () => {
    const a = '00000000-0000-0000-0000-000000000002';
    const b = 'ffffffff-0000-0000-0000-000000000001';
    // As text a < b; SQL Server compares the last group first.
    expect(sortByOrder([{ InvoiceID: a }, { InvoiceID: b }], 'InvoiceID ASC').map((r) => r.InvoiceID)).toEqual([b, a]);
    expect(sqlServerGuidKey('33221100-5544-7766-8899-aabbccddeeff')).toBe('aabbccddeeff' + '8899' + '6677' + '4455' + '00112233');
  });

  it('the seeded books hold busy days: more invoices of one date than a page of 100, their ids not in text order', () => {
    const data = createXeroSandboxDataset({ tenantId: 't', seed: 4000, invoiceCount: 300, batchCount: 25 });
    const byDay = new Map<number, string[]>();
    for (const invoice of data.invoices) byDay.set(invoice.dateMs, [...(byDay.get(invoice.dateMs) ?? []), invoice.id]);
    const sizes = [...byDay.values()].map((ids) => ids.length).sort((x, y) => y - x);
    // Seeded invoices may fall on a busy day too.
    expect(sizes[0]).toBeGreaterThanOrEqual(150);
    expect(sizes[1]).toBeGreaterThanOrEqual(40);
    expect(xeroBusyDays(300)).toHaveLength(2);
    const busiest = [...byDay.values()].find((ids) => ids.length === sizes[0])!;
    const asXero = sortByOrder(busiest.map((id) => ({ InvoiceID: id })), 'InvoiceID ASC').map((r) => r.InvoiceID);
    expect(asXero).not.toEqual([...busiest].sort());
  });
});
