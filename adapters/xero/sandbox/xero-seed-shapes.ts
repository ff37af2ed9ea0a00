// Shapes of real Xero books the main seed does not make, appended after it from a stream of their own (so the seeded
// invoices, their ids and every documented answer stay as they were). Dated December 2023, before the main seed.
// - GUIDs in upper case on the wire: Xero answers ids in either case, and a client may hold either spelling.
// - Bills (ACCPAY) partly paid and credited (a supplier credit note: AmountCredited), paid in a batch.
// - A sales invoice settled by a credit note alone.
// - Tax-inclusive and no-tax invoices, whose lines add up to Total by Xero's documented LineAmountTypes rules.
// - Numbers that do not add up, one of each kind: lines with tax against Total, AmountPaid + AmountCredited +
//   AmountDue against Total, and a batch whose payments do not make its TotalAmount.
// Amounts are integers in minor units, like the main seed's.
import { createSeededRandom } from '../../kit/sandbox-server.js';
import {
  createGuid,
  type XeroSandboxBatch,
  type XeroSandboxContact,
  type XeroSandboxInvoice,
  type XeroSandboxLine,
  type XeroSandboxPayment,
} from './xero-sandbox-data.js';

interface Books {
  seed: number;
  contacts: readonly XeroSandboxContact[];
  invoices: XeroSandboxInvoice[];
  payments: XeroSandboxPayment[];
  batches: XeroSandboxBatch[];
}

const SCALES: Record<string, number> = { NZD: 2, AUD: 2, USD: 2 };
const day = (d: number) => Date.UTC(2023, 11, d);

/** The numbers of the shape invoices, for tests and the reference pages. */
export const XERO_SHAPE_NUMBERS = {
  billPartlyPaidAndCredited: 'BILL-S01',
  billPaidInBatch: 'BILL-S02',
  invoiceSettledByCreditNote: 'INV-S01',
  taxInclusive: 'INV-S02',
  noTax: 'INV-S03',
  linesDoNotAddUp: 'INV-S04',
  settlementDoesNotAddUp: 'INV-S05',
} as const;

/** The reference of the batch whose payments do not add up to its total. */
export const XERO_SHAPE_BATCH_REFERENCE = 'Batch S01';

/** Appends the shapes to one tenant's books (called once, after the main seed is complete). */
export function appendXeroSeedShapes(books: Books): void {
  const random = createSeededRandom(books.seed * 7 + 1_000_003);
  const guid = () => createGuid(random).toUpperCase();
  const contact = (i: number) => books.contacts[i % books.contacts.length];

  const line = (description: string, lineAmount: number, taxAmount: number, accountCode: string): XeroSandboxLine => ({
    id: guid(),
    description,
    itemCode: null,
    quantity100: 100,
    // One unit at the line's amount, in ten-thousandths of the major unit.
    unit4: lineAmount * 100,
    lineAmount,
    taxAmount,
    accountCode,
  });

  const invoice = (
    fields: Pick<XeroSandboxInvoice, 'number' | 'type' | 'status' | 'currency' | 'lines' | 'total' | 'amountPaid' | 'amountCredited' | 'amountDue'> &
      Partial<XeroSandboxInvoice> & { dateDay: number },
  ): XeroSandboxInvoice => {
    const { dateDay, ...rest } = fields;
    const dateMs = day(dateDay);
    const created: XeroSandboxInvoice = {
      id: guid(),
      scale: SCALES[rest.currency],
      contact: contact(books.invoices.length),
      reference: `Shape ${rest.number}`,
      dateMs,
      dueMs: dateMs + 30 * 86_400_000,
      updatedMs: dateMs + 3_600_000,
      fullyPaidMs: rest.status === 'PAID' ? dateMs + 5 * 86_400_000 : null,
      subTotal: rest.lines.reduce((sum, l) => sum + l.lineAmount, 0),
      totalTax: rest.lines.reduce((sum, l) => sum + l.taxAmount, 0),
      paymentIds: [],
      ...rest,
    };
    books.invoices.push(created);
    return created;
  };

  const pay = (target: XeroSandboxInvoice, amount: number, batchId: string | null = null): XeroSandboxPayment => {
    const payment: XeroSandboxPayment = {
      id: guid(),
      invoiceId: target.id,
      amount,
      dateMs: target.dateMs + 2 * 86_400_000,
      updatedMs: target.dateMs + 2 * 86_400_000 + 60_000,
      reference: `Payment ${target.number}`,
      status: 'AUTHORISED',
      batchId,
      reconciled: batchId !== null,
    };
    books.payments.push(payment);
    target.paymentIds.push(payment.id);
    return payment;
  };

  // A bill of 1,150.00 NZD: 400.00 paid (in the batch below), 150.00 credited by a supplier credit note, 600.00 due.
  const batchId = guid();
  const bill = invoice({
    number: XERO_SHAPE_NUMBERS.billPartlyPaidAndCredited,
    type: 'ACCPAY',
    status: 'AUTHORISED',
    currency: 'NZD',
    dateDay: 4,
    lines: [line('Office fit-out, stage 1', 60_000, 9_000, '400'), line('Office fit-out, materials', 40_000, 6_000, '400')],
    total: 115_000,
    amountPaid: 40_000,
    amountCredited: 15_000,
    amountDue: 60_000,
    creditNotes: [{ id: guid(), number: 'SCN-S01', amount: 15_000 }],
  });
  const billPayment = pay(bill, 40_000, batchId);
  // A bill of 250.00 NZD paid in full, in the same batch.
  const paidBill = invoice({
    number: XERO_SHAPE_NUMBERS.billPaidInBatch,
    type: 'ACCPAY',
    status: 'PAID',
    currency: 'NZD',
    dateDay: 5,
    lines: [line('Courier services', 21_739, 3_261, '400')],
    total: 25_000,
    amountPaid: 25_000,
    amountCredited: 0,
    amountDue: 0,
  });
  const paidBillPayment = pay(paidBill, 25_000, batchId);
  // The batch's payments make 650.00; its TotalAmount says 650.01.
  books.batches.push({
    id: batchId,
    type: 'PAYBATCH',
    status: 'AUTHORISED',
    reference: XERO_SHAPE_BATCH_REFERENCE,
    dateMs: day(7),
    updatedMs: day(7) + 3_600_000,
    accountId: guid(),
    currency: 'NZD',
    paymentIds: [billPayment.id, paidBillPayment.id],
    total: 65_001,
    reconciled: true,
  });

  // A sales invoice of 230.00 NZD settled by a credit note alone: nothing paid, 230.00 credited, nothing due.
  invoice({
    number: XERO_SHAPE_NUMBERS.invoiceSettledByCreditNote,
    type: 'ACCREC',
    status: 'PAID',
    currency: 'NZD',
    dateDay: 8,
    lines: [line('Event catering (cancelled)', 20_000, 3_000, '200')],
    total: 23_000,
    amountPaid: 0,
    amountCredited: 23_000,
    amountDue: 0,
    creditNotes: [{ id: guid(), number: 'CN-S01', amount: 23_000 }],
  });

  // Tax inclusive: the lines hold their tax and add up to Total (165.00 AUD, of which 15.00 tax).
  invoice({
    number: XERO_SHAPE_NUMBERS.taxInclusive,
    type: 'ACCREC',
    status: 'AUTHORISED',
    currency: 'AUD',
    dateDay: 11,
    lineAmountTypes: 'Inclusive',
    lines: [line('Workshop seats (GST inclusive)', 11_000, 1_000, '200'), line('Workbook (GST inclusive)', 5_500, 500, '200')],
    subTotal: 15_000,
    totalTax: 1_500,
    total: 16_500,
    amountPaid: 0,
    amountCredited: 0,
    amountDue: 16_500,
  });

  // No tax: the lines add up to Total (190.00 USD).
  invoice({
    number: XERO_SHAPE_NUMBERS.noTax,
    type: 'ACCREC',
    status: 'AUTHORISED',
    currency: 'USD',
    dateDay: 12,
    lineAmountTypes: 'NoTax',
    lines: [line('Export consulting', 12_345, 0, '200'), line('Export documentation', 6_655, 0, '200')],
    total: 19_000,
    amountPaid: 0,
    amountCredited: 0,
    amountDue: 19_000,
  });

  // Lines of 100.00 NZD with 15.00 tax, tax exclusive, make 115.00; Total says 115.01.
  invoice({
    number: XERO_SHAPE_NUMBERS.linesDoNotAddUp,
    type: 'ACCREC',
    status: 'AUTHORISED',
    currency: 'NZD',
    dateDay: 14,
    lines: [line('Design retainer', 10_000, 1_500, '200')],
    total: 11_501,
    amountPaid: 0,
    amountCredited: 0,
    amountDue: 11_501,
  });

  // Total 115.00 NZD, 50.00 paid, 60.00 due: paid + credited + due make 110.00.
  const settlement = invoice({
    number: XERO_SHAPE_NUMBERS.settlementDoesNotAddUp,
    type: 'ACCREC',
    status: 'AUTHORISED',
    currency: 'NZD',
    dateDay: 15,
    lines: [line('Design retainer', 10_000, 1_500, '200')],
    total: 11_500,
    amountPaid: 5_000,
    amountCredited: 0,
    amountDue: 6_000,
  });
  pay(settlement, 5_000);
}
