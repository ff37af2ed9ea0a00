// Deterministic seeded books for one sandbox tenant: contacts, invoices and bills in NZD, AUD, USD and JPY in every
// status, line items (some with 4-decimal unit prices), payments (partial ones too) and batch payments of about five
// payments each. Amounts are integers in minor units here; they become Xero's JSON numbers only when serialized.
import { createSeededRandom } from '../../kit/sandbox-server.js';
import { appendXeroSeedShapes } from './xero-seed-shapes.js';
import { appendXeroBusyDays } from './xero-seed-busy-days.js';

export type XeroSandboxInvoiceType = 'ACCREC' | 'ACCPAY';

export interface XeroSandboxContact {
  id: string;
  number: string;
  name: string;
  email: string;
}

export interface XeroSandboxLine {
  id: string;
  description: string;
  itemCode: string | null;
  /** Quantity in hundredths (150 = 1.5). */
  quantity100: number;
  /** Unit price in ten-thousandths of the major unit (125_000 = 12.5000). */
  unit4: number;
  /** Line total and its tax, in minor units. */
  lineAmount: number;
  taxAmount: number;
  accountCode: string;
}

export interface XeroSandboxInvoice {
  id: string;
  number: string;
  type: XeroSandboxInvoiceType;
  status: 'DRAFT' | 'SUBMITTED' | 'AUTHORISED' | 'PAID' | 'VOIDED' | 'DELETED';
  currency: string;
  scale: number;
  contact: XeroSandboxContact;
  reference: string;
  dateMs: number;
  dueMs: number;
  updatedMs: number;
  fullyPaidMs: number | null;
  lines: XeroSandboxLine[];
  /** Minor units. */
  subTotal: number;
  totalTax: number;
  total: number;
  amountPaid: number;
  amountCredited: number;
  amountDue: number;
  paymentIds: string[];
  /** How line amounts relate to tax; Exclusive unless said. */
  lineAmountTypes?: 'Exclusive' | 'Inclusive' | 'NoTax';
  /** Credit notes allocated to the invoice (their sum is in amountCredited), in minor units. */
  creditNotes?: Array<{ id: string; number: string; amount: number }>;
}

export interface XeroSandboxPayment {
  id: string;
  invoiceId: string;
  /** Minor units of the invoice's currency. */
  amount: number;
  dateMs: number;
  updatedMs: number;
  reference: string;
  status: 'AUTHORISED' | 'DELETED';
  batchId: string | null;
  reconciled: boolean;
  /** The account of a payment written through the API (xero-sandbox-payments.ts); seeded ones answer the default. */
  account?: XeroSandboxPaymentAccount;
}

/** The account a written payment was made from, and its amount in that account's currency. */
export interface XeroSandboxPaymentAccount {
  id: string;
  code: string;
  name: string;
  /** Minor units of the account's currency, `bankScale` decimals. */
  bankAmount: number;
  bankScale: number;
  /** Units of the invoice's currency per unit of the base currency, as exact decimal text (`"1"`, `"0.6"`). */
  currencyRate: string;
}

export interface XeroSandboxBatch {
  id: string;
  type: 'RECBATCH' | 'PAYBATCH';
  status: 'AUTHORISED' | 'DELETED';
  reference: string;
  dateMs: number;
  updatedMs: number;
  accountId: string;
  currency: string;
  paymentIds: string[];
  /** Minor units. */
  total: number;
  reconciled: boolean;
}

export interface XeroSandboxDataset {
  tenantId: string;
  contacts: XeroSandboxContact[];
  invoices: XeroSandboxInvoice[];
  payments: XeroSandboxPayment[];
  batches: XeroSandboxBatch[];
  invoiceById: Map<string, XeroSandboxInvoice>;
  paymentById: Map<string, XeroSandboxPayment>;
  batchById: Map<string, XeroSandboxBatch>;
}

/** Xero's GUIDs are case-insensitive (it answers either spelling): the sandbox's indexes are too. */
export class GuidMap<V> extends Map<string, V> {
  override get(key: string): V | undefined {
    return super.get(key.toLowerCase());
  }
  override has(key: string): boolean {
    return super.has(key.toLowerCase());
  }
  override set(key: string, value: V): this {
    return super.set(key.toLowerCase(), value);
  }
}

function guidMap<V extends { id: string }>(items: readonly V[]): GuidMap<V> {
  const map = new GuidMap<V>();
  for (const item of items) map.set(item.id, item);
  return map;
}

const CURRENCIES: ReadonlyArray<{ code: string; scale: number; taxPercent: number }> = [
  { code: 'NZD', scale: 2, taxPercent: 15 },
  { code: 'AUD', scale: 2, taxPercent: 10 },
  { code: 'USD', scale: 2, taxPercent: 0 },
  { code: 'JPY', scale: 0, taxPercent: 10 },
];

/** Invoice plans, cycled so every status (and partial payment, and credit) appears in any dozen invoices. */
type Plan = 'OPEN' | 'PAID' | 'PARTIAL' | 'DRAFT' | 'SUBMITTED' | 'CREDITED' | 'VOIDED' | 'DELETED';
const PLANS: readonly Plan[] = ['OPEN', 'PAID', 'PARTIAL', 'DRAFT', 'PAID', 'PARTIAL', 'SUBMITTED', 'CREDITED', 'VOIDED', 'OPEN', 'DELETED', 'PAID'];

const NAMES = ['Ridgeway University', 'Bayside Club', 'Marine Systems', 'Hamilton Smith', 'City Agency', 'Petrie McLoud',
  'Boom FM', 'Young Bros Transport', 'Port & Philip Freight', 'Basket Case', 'Gable Print', 'Central Copiers'];
const PRODUCTS = [
  { code: 'GB1-White', description: 'Golf balls - white single' },
  { code: 'DevD', description: 'Development work - developer day rate' },
  { code: null, description: 'Consulting, per hour' },
  { code: 'BOOK', description: 'Fish out of Water: Finding Your Brand' },
  { code: 'Train-MS', description: 'Half day training - Microsoft Office' },
];

const DAY_MS = 86_400_000;
/** 2024-01-01T00:00:00Z: seeded dates fall in 2024 and 2025. */
const BASE_MS = Date.UTC(2024, 0, 1);

/** A random (version 4) GUID in lower case. */
export function createGuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = ((Math.floor(random() * 4) + 8) as number).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Rounds `numerator / denominator` half away from zero, on integers. */
function roundDiv(numerator: bigint, denominator: bigint): number {
  const half = denominator / 2n;
  return Number(numerator >= 0n ? (numerator + half) / denominator : (numerator - half) / denominator);
}

/** A deterministic id for a tenant, from a seed. */
export function sandboxTenantId(seed: number, index: number): string {
  return createGuid(createSeededRandom(seed * 7919 + index * 104_729 + 17));
}

/** Builds one tenant's books. */
export function createXeroSandboxDataset(options: { tenantId: string; seed: number; invoiceCount: number; batchCount: number }): XeroSandboxDataset {
  const random = createSeededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const between = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));

  const contacts: XeroSandboxContact[] = NAMES.map((name, i) => ({
    id: createGuid(random),
    number: `C-${String(i + 1).padStart(4, '0')}`,
    name,
    email: `accounts@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
  }));

  const invoices: XeroSandboxInvoice[] = [];
  const payments: XeroSandboxPayment[] = [];
  const counters = { ACCREC: 0, ACCPAY: 0 };

  for (let i = 0; i < options.invoiceCount; i += 1) {
    const plan = PLANS[i % PLANS.length];
    const currency = CURRENCIES[(i + Math.floor(i / PLANS.length)) % CURRENCIES.length];
    const type: XeroSandboxInvoiceType = random() < 0.65 ? 'ACCREC' : 'ACCPAY';
    counters[type] += 1;
    const dateMs = BASE_MS + between(0, 540) * DAY_MS;
    const lines: XeroSandboxLine[] = Array.from({ length: between(1, 3) }, (_, lineIndex) => {
      const product = pick(PRODUCTS);
      const whole = currency.scale === 0;
      // Every fourth line of a 2-decimal currency has a 4-decimal unit price; JPY prices and quantities are whole.
      const unit4 = whole ? between(1, 500) * 100 * 10_000 : lineIndex % 4 === 3 || i % 9 === 4 ? between(10_000, 9_999_999) : between(100, 99_999) * 100;
      const quantity100 = whole ? between(1, 12) * 100 : pick([100, 150, 200, 225, 300, 1000, 50]);
      // quantity100 * unit4 is in millionths; the line total is in minor units of the currency.
      const lineAmount = roundDiv(BigInt(quantity100) * BigInt(unit4), 10n ** BigInt(6 - currency.scale));
      const taxAmount = roundDiv(BigInt(lineAmount) * BigInt(currency.taxPercent), 100n);
      return {
        id: createGuid(random),
        description: product.description,
        itemCode: product.code,
        quantity100,
        unit4,
        lineAmount,
        taxAmount,
        accountCode: type === 'ACCREC' ? '200' : '400',
      };
    });
    const subTotal = lines.reduce((sum, line) => sum + line.lineAmount, 0);
    const totalTax = lines.reduce((sum, line) => sum + line.taxAmount, 0);
    const total = subTotal + totalTax;
    const status: XeroSandboxInvoice['status'] =
      plan === 'DRAFT' || plan === 'SUBMITTED' || plan === 'VOIDED' || plan === 'DELETED' ? plan : plan === 'OPEN' || plan === 'PARTIAL' ? 'AUTHORISED' : 'PAID';
    const amountCredited = plan === 'CREDITED' ? Math.max(1, Math.floor(total / 5)) : 0;
    const invoice: XeroSandboxInvoice = {
      id: createGuid(random),
      number: type === 'ACCREC' ? `INV-${String(counters.ACCREC).padStart(4, '0')}` : `BILL-${String(counters.ACCPAY).padStart(4, '0')}`,
      type,
      status,
      currency: currency.code,
      scale: currency.scale,
      contact: pick(contacts),
      reference: i % 3 === 0 ? '' : `Ref ${1000 + i}`,
      dateMs,
      dueMs: dateMs + pick([7, 14, 20, 30]) * DAY_MS,
      updatedMs: dateMs + between(1, 86_399) * 1000,
      fullyPaidMs: null,
      lines,
      subTotal,
      totalTax,
      total,
      amountPaid: 0,
      amountCredited,
      amountDue: total,
      paymentIds: [],
    };
    invoices.push(invoice);

    const toPay = plan === 'PAID' || plan === 'CREDITED' ? total - amountCredited : plan === 'PARTIAL' ? Math.max(1, Math.floor((total * between(20, 80)) / 100)) : 0;
    const parts = plan === 'PAID' && toPay > 1 && random() < 0.6 ? [Math.floor(toPay / 2), toPay - Math.floor(toPay / 2)] : toPay > 0 ? [toPay] : [];
    for (const [n, amount] of parts.entries()) {
      const paymentDate = dateMs + between(1, 45) * DAY_MS;
      payments.push({
        id: createGuid(random),
        invoiceId: invoice.id,
        amount,
        dateMs: paymentDate,
        updatedMs: paymentDate + between(1, 86_399) * 1000,
        reference: n === 0 ? `Payment ${invoice.number}` : '',
        status: 'AUTHORISED',
        batchId: null,
        reconciled: random() < 0.5,
      });
    }
  }

  const invoiceById = guidMap(invoices);

  // Batches: about five unbatched payments of one invoice type and currency, dated on the latest of their dates.
  const batches: XeroSandboxBatch[] = [];
  const pools = new Map<string, XeroSandboxPayment[]>();
  for (const payment of payments) {
    const inv = invoiceById.get(payment.invoiceId)!;
    const key = `${inv.type}:${inv.currency}`;
    pools.set(key, [...(pools.get(key) ?? []), payment]);
  }
  const poolKeys = [...pools.keys()].sort();
  // Pools take turns (both types, every currency); a pool with fewer than four payments left sits out.
  for (let b = 0, cursor = 0; b < options.batchCount; ) {
    const key = poolKeys.map((_, i) => poolKeys[(cursor + i) % poolKeys.length]).find((k) => pools.get(k)!.length >= 4);
    if (key === undefined) break;
    cursor = poolKeys.indexOf(key) + 1;
    const pool = pools.get(key)!;
    const members = pool.splice(0, Math.min(pool.length, between(4, 6)));
    const [type, currency] = key.split(':');
    const dateMs = Math.max(...members.map((p) => p.dateMs));
    const deleted = b % 6 === 5;
    const batch: XeroSandboxBatch = {
      id: createGuid(random),
      type: type === 'ACCREC' ? 'RECBATCH' : 'PAYBATCH',
      status: deleted ? 'DELETED' : 'AUTHORISED',
      reference: `Batch ${String(b + 1).padStart(3, '0')}`,
      dateMs,
      updatedMs: dateMs + between(1, 30) * DAY_MS,
      accountId: createGuid(random),
      currency,
      paymentIds: members.map((p) => p.id),
      total: members.reduce((sum, p) => sum + p.amount, 0),
      reconciled: !deleted && b % 3 === 0,
    };
    for (const payment of members) {
      payment.batchId = batch.id;
      payment.dateMs = dateMs;
      payment.updatedMs = Math.max(payment.updatedMs, batch.updatedMs);
      payment.reconciled = batch.reconciled;
      if (deleted) payment.status = 'DELETED';
    }
    batches.push(batch);
    b += 1;
  }

  // Invoice amounts follow from the payments that stand (a deleted batch takes its payments back).
  for (const payment of payments) {
    const inv = invoiceById.get(payment.invoiceId)!;
    inv.paymentIds.push(payment.id);
    if (payment.status !== 'AUTHORISED') continue;
    inv.amountPaid += payment.amount;
    inv.updatedMs = Math.max(inv.updatedMs, payment.updatedMs);
  }
  for (const inv of invoices) {
    if (inv.status === 'VOIDED' || inv.status === 'DELETED') {
      inv.amountDue = 0;
      continue;
    }
    inv.amountDue = inv.total - inv.amountPaid - inv.amountCredited;
    if (inv.status === 'PAID' || inv.status === 'AUTHORISED') {
      inv.status = inv.amountDue === 0 ? 'PAID' : 'AUTHORISED';
      if (inv.status === 'PAID') {
        const standing = payments.filter((p) => p.invoiceId === inv.id && p.status === 'AUTHORISED');
        inv.fullyPaidMs = Math.max(inv.dateMs, ...standing.map((p) => p.dateMs));
      }
    }
  }

  // Shapes real books have (bills, credit notes, upper-case GUIDs, numbers that do not add up), from their own stream.
  appendXeroSeedShapes({ seed: options.seed, contacts, invoices, payments, batches });
  appendXeroBusyDays({ contacts, invoices, invoiceById }, options);
  return {
    tenantId: options.tenantId,
    contacts,
    invoices,
    payments,
    batches,
    invoiceById: guidMap(invoices),
    paymentById: guidMap(payments),
    batchById: guidMap(batches),
  };
}
