// Busy days: Xero's invoice dates are whole days, and a business raising its repeating invoices on the 1st holds many
// invoices of one day (more than one page of 100 on some). Two busy days per 300 seeded invoices, of 150 and 40
// invoices in turn, appended after the seeded books from a random stream of their own, so the seeded invoices (their ids
// and every documented answer about them) stay as they were. No payments: open, draft, submitted and voided invoices.
import { createSeededRandom } from '../../kit/sandbox-server.js';
import type { XeroSandboxDataset, XeroSandboxInvoice, XeroSandboxLine } from './xero-sandbox-data.js';

const DAY_MS = 86_400_000;
/** The seeded dates (xero-sandbox-data.ts): 2024-01-01 plus 0 to 540 days. */
const BASE_MS = Date.UTC(2024, 0, 1);
const SPAN_DAYS = 540;
const SIZES = [150, 40] as const;
const STATUSES: ReadonlyArray<XeroSandboxInvoice['status']> = ['AUTHORISED', 'DRAFT', 'AUTHORISED', 'SUBMITTED', 'AUTHORISED', 'VOIDED'];
const CURRENCIES = [
  { code: 'NZD', scale: 2, taxPercent: 15 },
  { code: 'AUD', scale: 2, taxPercent: 10 },
] as const;

function guid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = (Math.floor(random() * 4) + 8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** The busy days of a tenant with `invoiceCount` seeded invoices: day offsets from 2024-01-01 and sizes. */
export function xeroBusyDays(invoiceCount: number): Array<{ day: number; size: number }> {
  if (invoiceCount < 100) return [];
  const count = Math.max(2, Math.round((2 * invoiceCount) / 300));
  return Array.from({ length: count }, (_, k) => ({ day: Math.floor((SPAN_DAYS * (k + 0.4)) / count), size: SIZES[k % SIZES.length] }));
}

/** Appends the busy days of a tenant with `invoiceCount` seeded invoices to `data`. */
export function appendXeroBusyDays(
  data: Pick<XeroSandboxDataset, 'contacts' | 'invoices' | 'invoiceById'>,
  options: { seed: number; invoiceCount: number },
): void {
  const random = createSeededRandom(options.seed ^ 0xb5d4);
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  let number = 0;
  for (const { day, size } of xeroBusyDays(options.invoiceCount)) {
    const dateMs = BASE_MS + day * DAY_MS;
    for (let i = 0; i < size; i += 1) {
      const currency = CURRENCIES[i % CURRENCIES.length];
      const lines: XeroSandboxLine[] = Array.from({ length: between(1, 2) }, () => {
        const quantity100 = 100 * between(1, 4);
        const unit4 = between(100, 9_999) * 100;
        const lineAmount = Math.round((quantity100 * unit4) / 10 ** (6 - currency.scale));
        return {
          id: guid(random),
          description: 'Monthly retainer',
          itemCode: 'RETAINER',
          quantity100,
          unit4,
          lineAmount,
          taxAmount: Math.round((lineAmount * currency.taxPercent) / 100),
          accountCode: '200',
        };
      });
      const subTotal = lines.reduce((sum, line) => sum + line.lineAmount, 0);
      const totalTax = lines.reduce((sum, line) => sum + line.taxAmount, 0);
      const status = STATUSES[i % STATUSES.length];
      number += 1;
      const invoice: XeroSandboxInvoice = {
        id: guid(random),
        number: `RPT-${String(number).padStart(4, '0')}`,
        type: 'ACCREC',
        status,
        currency: currency.code,
        scale: currency.scale,
        contact: data.contacts[between(0, data.contacts.length - 1)],
        reference: 'Repeating',
        dateMs,
        dueMs: dateMs + 20 * DAY_MS,
        updatedMs: dateMs + between(1, 86_399) * 1000,
        fullyPaidMs: null,
        lines,
        subTotal,
        totalTax,
        total: subTotal + totalTax,
        amountPaid: 0,
        amountCredited: 0,
        amountDue: status === 'VOIDED' ? 0 : subTotal + totalTax,
        paymentIds: [],
      };
      data.invoices.push(invoice);
      data.invoiceById.set(invoice.id, invoice);
    }
  }
}
