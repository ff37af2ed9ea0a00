// Exact totals per currency across invoices of any source; a failing source is listed, never silently dropped.
// Ids are compared in their source's one spelling, so an invoice asked for twice (in two spellings) counts once. A draft
// asks for no money yet: it is named in `draftInvoiceIds` and left out of the totals, as `outstanding` leaves it out of
// a listing. An invoice whose amounts cannot be read is named in `unreadableInvoiceIds`, and the summary is incomplete.
import { isGraphQLError } from '../errors.js';
import type { Balance, BalanceAmounts } from '../../adapters/kit/model.js';
import { plainBalance } from '../../adapters/kit/model-plain.js';
import { addMoney } from '../../adapters/kit/money.js';
import type { BalanceSummaryResolvers, QueryResolvers } from '../__generated__/resolvers.js';
import { toGlobalId } from '../ids.js';
import { assertIdCount, loadNodes, parseNodeId } from '../lookups.js';
import type { InvoiceRef } from '../model-refs.js';

function addAmounts(a: BalanceAmounts, b: BalanceAmounts): BalanceAmounts {
  return {
    expected: addMoney(a.expected, b.expected),
    actual: addMoney(a.actual, b.actual),
    remaining: addMoney(a.remaining, b.remaining),
  };
}

function addBalance(a: Balance, b: Balance): Balance {
  return { currency: a.currency, net: addAmounts(a.net, b.net), payins: addAmounts(a.payins, b.payins), payouts: addAmounts(a.payouts, b.payouts) };
}

/** Sums balances per currency; the result is sorted by currency code. */
export function sumBalances(balances: Iterable<Balance>): Balance[] {
  const totals = new Map<string, Balance>();
  for (const balance of balances) {
    const seen = totals.get(balance.currency);
    totals.set(balance.currency, seen ? addBalance(seen, balance) : balance);
  }
  return [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** The invoice's balances read whole now, or the error that stopped one amount being read. */
function readBalances(invoice: InvoiceRef): Balance[] | Error {
  try {
    return invoice.balances.map(plainBalance);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export const balanceSummary: NonNullable<QueryResolvers['balanceSummary']> = async (_root, { invoiceIds }, ctx) => {
  assertIdCount(invoiceIds, ctx, 'balanceSummary(invoiceIds)');
  // A malformed id is the caller's error (BAD_USER_INPUT), thrown here before anything is looked up.
  const unique = [
    ...new Set(
      invoiceIds.map((id) => {
        const parsed = parseNodeId(ctx, id, 'Invoice');
        return toGlobalId(parsed.source, 'Invoice', parsed.remoteId);
      }),
    ),
  ];
  const answers = await loadNodes(ctx, unique, 'Invoice');
  const balances: Balance[] = [];
  let invoiceCount = 0;
  const missingInvoiceIds: string[] = [];
  const forbiddenInvoiceIds: string[] = [];
  const draftInvoiceIds: string[] = [];
  const unreadableInvoiceIds: string[] = [];
  const incompleteSources = new Set<string>();
  answers.forEach((answer, index) => {
    if (answer === null) missingInvoiceIds.push(unique[index]);
    else if (isGraphQLError(answer)) {
      if (answer.extensions.code === 'BAD_USER_INPUT') throw answer;
      // Outside the client's grants: named back to the caller, never counted.
      if (answer.extensions.code === 'FORBIDDEN') forbiddenInvoiceIds.push(unique[index]);
      else incompleteSources.add(String(answer.extensions.source ?? 'unknown'));
    } else {
      const invoice = answer as InvoiceRef;
      if (invoice.status === 'DRAFT') {
        draftInvoiceIds.push(unique[index]);
        return;
      }
      const read = readBalances(invoice);
      if (read instanceof Error) {
        ctx.onUpstreamError(invoice.sourceName, read);
        unreadableInvoiceIds.push(unique[index]);
        return;
      }
      balances.push(...read);
      invoiceCount += 1;
    }
  });
  return {
    totals: sumBalances(balances),
    invoiceCount,
    missingInvoiceIds,
    forbiddenInvoiceIds,
    draftInvoiceIds,
    unreadableInvoiceIds,
    incompleteSources: [...incompleteSources].sort(),
  };
};

export const BalanceSummary: BalanceSummaryResolvers = {
  complete: (summary) =>
    summary.missingInvoiceIds.length === 0 &&
    summary.incompleteSources.length === 0 &&
    summary.forbiddenInvoiceIds.length === 0 &&
    summary.unreadableInvoiceIds.length === 0,
};
