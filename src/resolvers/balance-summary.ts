// Exact totals per currency across invoices of any source; a failing source is listed, never silently dropped.
import { isGraphQLError } from '../errors.js';
import type { Balance, BalanceAmounts } from '../../adapters/kit/model.js';
import { addMoney } from '../../adapters/kit/money.js';
import type { BalanceSummaryResolvers, QueryResolvers } from '../__generated__/resolvers.js';
import { assertIdCount, loadNodes } from '../lookups.js';
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

export const balanceSummary: NonNullable<QueryResolvers['balanceSummary']> = async (_root, { invoiceIds }, ctx) => {
  assertIdCount(invoiceIds, ctx, 'balanceSummary(invoiceIds)');
  const unique = [...new Set(invoiceIds)];
  const answers = await loadNodes(ctx, unique, 'Invoice');
  const invoices: InvoiceRef[] = [];
  const missingInvoiceIds: string[] = [];
  const forbiddenInvoiceIds: string[] = [];
  const incompleteSources = new Set<string>();
  answers.forEach((answer, index) => {
    if (answer === null) missingInvoiceIds.push(unique[index]);
    else if (isGraphQLError(answer)) {
      // A bad id is the caller's error: report it rather than pretend the sum is merely incomplete.
      if (answer.extensions.code === 'BAD_USER_INPUT') throw answer;
      // Outside the client's grants: named back to the caller, never counted.
      if (answer.extensions.code === 'FORBIDDEN') forbiddenInvoiceIds.push(unique[index]);
      else incompleteSources.add(String(answer.extensions.source ?? 'unknown'));
    } else invoices.push(answer as InvoiceRef);
  });
  return {
    totals: sumBalances(invoices.flatMap((invoice) => invoice.balances)),
    invoiceCount: invoices.length,
    missingInvoiceIds,
    forbiddenInvoiceIds,
    incompleteSources: [...incompleteSources].sort(),
  };
};

export const BalanceSummary: BalanceSummaryResolvers = {
  complete: (summary) =>
    summary.missingInvoiceIds.length === 0 && summary.incompleteSources.length === 0 && summary.forbiddenInvoiceIds.length === 0,
};
