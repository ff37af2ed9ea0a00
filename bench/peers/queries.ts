// The three queries of bench/peers, as each server spells them, and the answer check that compares their amounts.
import { formatAmount, moneyFromMinorUnits } from '../../adapters/kit/money.js';
import { mockInvoiceIds } from './mock-invoices.js';

export type ServerKind = 'gateway' | 'hive' | 'yoga';
export interface BenchQuery {
  name: string;
  /** Invoices the query asks for. */
  ids: string[];
  /** The request body per server, as JSON text. */
  body: Record<ServerKind, string>;
}

// What an invoice list shows: status, totals and what is due, per currency.
const SELECTION = `id status providerStatus currency total { amount currency } amountDue { amount currency }
  balances { currency net { expected { amount } remaining { amount } } }`;
// Mesh serves the wire as it is: amounts in minor units, status as Fragment says it.
const HIVE_SELECTION = 'id status balances { currency net { expected remaining } }';

const globalId = (id: string) => `fragment:Invoice:${id}`;
const json = (query: string, variables?: Record<string, unknown>) => JSON.stringify(variables ? { query, variables } : { query });

function listQuery(name: string, ids: string[]): BenchQuery {
  const ours = json(`query List($ids: [ID!]!) { invoices(ids: $ids) { ${SELECTION} } }`, { ids: ids.map(globalId) });
  return {
    name,
    ids,
    body: {
      gateway: ours,
      yoga: ours,
      hive: json(`query List($ids: [String]!) { batchGetInvoices(input: { ids: $ids }) { data { invoices { ${HIVE_SELECTION} } } } }`, { ids }),
    },
  };
}

function aliasQuery(name: string, ids: string[]): BenchQuery {
  const aliases = (selection: string, id: (remote: string) => string) =>
    ids.map((remote, i) => `i${i}: invoice(id: "${id(remote)}") { ${selection} }`).join('\n');
  const ours = json(`query Aliases {\n${aliases(SELECTION, globalId)}\n}`);
  return { name, ids, body: { gateway: ours, yoga: ours, hive: json(`query Aliases {\n${aliases(HIVE_SELECTION, (r) => r)}\n}`) } };
}

export const BENCH_QUERIES: BenchQuery[] = [
  listQuery('100 invoices by one list argument', mockInvoiceIds(100)),
  aliasQuery('100 aliased invoice(id:)', mockInvoiceIds(100)),
  listQuery('1000 invoices in one list', mockInvoiceIds(1000)),
];

/** Per invoice id: its balances' currency, expected and remaining amounts in major units, as text. */
export type AmountsById = Map<string, string>;

interface OurInvoice {
  id: string;
  balances: Array<{ currency: string; net: { expected: { amount: string }; remaining: { amount: string } } }>;
  total: { amount: string } | null;
  amountDue: { amount: string } | null;
}
interface HiveInvoice {
  id: string;
  balances: Array<{ currency: string; net: { expected: string; remaining: string } }>;
}

/** The amounts of one answer, whichever server gave it; throws on GraphQL errors or a missing invoice. */
export function amountsOf(kind: ServerKind, query: BenchQuery, answer: any): AmountsById {
  if (answer.errors?.length) throw new Error(`${kind} answered errors for "${query.name}": ${JSON.stringify(answer.errors[0])}`);
  const out: AmountsById = new Map();
  if (kind === 'hive') {
    const invoices: HiveInvoice[] = answer.data.batchGetInvoices ? answer.data.batchGetInvoices.data.invoices : Object.values(answer.data);
    for (const invoice of invoices) {
      const text = (minor: string, currency: string) => formatAmount(moneyFromMinorUnits(minor, currency));
      const balances = invoice.balances.map((b) => `${b.currency} ${text(b.net.expected, b.currency)} ${text(b.net.remaining, b.currency)}`);
      const single = invoice.balances.length === 1 ? invoice.balances[0] : null;
      const totals = single ? `${text(single.net.expected, single.currency)}/${text(single.net.remaining, single.currency)}` : 'none';
      out.set(invoice.id, `${balances.join(';')} ${totals}`);
    }
  } else {
    const invoices: OurInvoice[] = answer.data.invoices ?? Object.values(answer.data);
    for (const invoice of invoices) {
      const balances = invoice.balances.map((b) => `${b.currency} ${b.net.expected.amount} ${b.net.remaining.amount}`);
      const totals = invoice.total && invoice.amountDue ? `${invoice.total.amount}/${invoice.amountDue.amount}` : 'none';
      out.set(invoice.id.replace('fragment:Invoice:', ''), `${balances.join(';')} ${totals}`);
    }
  }
  for (const id of query.ids) if (!out.has(id)) throw new Error(`${kind} did not answer ${id} for "${query.name}"`);
  return out;
}

/** Every difference between two answers' amounts, value by value. */
export function differences(a: AmountsById, b: AmountsById): string[] {
  const out: string[] = [];
  for (const [id, text] of a) if (b.get(id) !== text) out.push(`${id}: ${text} != ${b.get(id)}`);
  return out;
}
