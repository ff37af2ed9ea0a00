// Money as the schema shows it: exact decimal text, minor units when whole, the currency's scale.
import { formatAmount, toMinorUnits } from '../../adapters/kit/money.js';
import type { MoneyResolvers } from '../__generated__/resolvers.js';

export const Money: MoneyResolvers = {
  amount: (money) => formatAmount(money),
  currency: (money) => money.currency,
  minorUnits: (money) => toMinorUnits(money),
  scale: (money) => money.currencyScale,
};
