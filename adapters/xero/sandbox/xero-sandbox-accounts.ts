// The sandbox organisation's chart of accounts, as far as payments use it: bank accounts in the base currency (NZD) and
// in foreign currencies, an equity account with "Enable payments to this account" ticked, and a revenue account that
// takes no payments. The same in every tenant, so examples and tests can name them by code.

export interface XeroSandboxAccount {
  id: string;
  code: string;
  name: string;
  /** Xero's account type: BANK, EQUITY, REVENUE, ... */
  type: string;
  /** A bank account's currency; other accounts are in the base currency. */
  currency: string;
  /** Xero's EnablePaymentsToAccount: lets a non-bank account take payments (a bank account always can). */
  enablePaymentsToAccount: boolean;
  status: 'ACTIVE' | 'ARCHIVED';
}

/** The organisation's base currency. */
export const SANDBOX_BASE_CURRENCY = 'NZD';

export const SANDBOX_ACCOUNTS: readonly XeroSandboxAccount[] = Object.freeze([
  // The id Xero's own examples use for the account payments are made from (the read paths answer it too).
  { id: '5690f1e8-1d02-4893-90c2-ee1a69eff942', code: '090', name: 'Business Bank Account', type: 'BANK', currency: 'NZD', enablePaymentsToAccount: false, status: 'ACTIVE' },
  { id: '6f7594f2-f059-4d56-9e67-47ac9733bfe9', code: '091', name: 'USD Bank Account', type: 'BANK', currency: 'USD', enablePaymentsToAccount: false, status: 'ACTIVE' },
  { id: '3d09fd49-434d-4c18-a57b-831663ab70d2', code: '092', name: 'AUD Bank Account', type: 'BANK', currency: 'AUD', enablePaymentsToAccount: false, status: 'ACTIVE' },
  { id: '0d4a8b7e-2f7c-4d51-a0b8-1a1f1c2b9e33', code: '093', name: 'JPY Bank Account', type: 'BANK', currency: 'JPY', enablePaymentsToAccount: false, status: 'ACTIVE' },
  { id: 'ceef66a5-a545-413b-9312-78a53caadbc4', code: '880', name: 'Owner A Funds Introduced', type: 'EQUITY', currency: 'NZD', enablePaymentsToAccount: true, status: 'ACTIVE' },
  { id: '7d05a53d-613d-4eb2-a2fc-dcb6adb80b80', code: '200', name: 'Sales', type: 'REVENUE', currency: 'NZD', enablePaymentsToAccount: false, status: 'ACTIVE' },
  { id: 'b1e1d3a4-8c3e-4f0a-9d6b-2c5e7f8a9b01', code: '094', name: 'Old Savings Account', type: 'BANK', currency: 'NZD', enablePaymentsToAccount: false, status: 'ARCHIVED' },
]);

/** The account a payment names by `{ AccountID }` or `{ Code }`, or undefined. */
export function findSandboxAccount(reference: { AccountID?: unknown; Code?: unknown } | undefined): XeroSandboxAccount | undefined {
  if (!reference || typeof reference !== 'object') return undefined;
  if (typeof reference.AccountID === 'string' && reference.AccountID !== '') {
    const id = reference.AccountID.toLowerCase();
    return SANDBOX_ACCOUNTS.find((account) => account.id === id);
  }
  if (typeof reference.Code === 'string' && reference.Code !== '') {
    const code = reference.Code;
    return SANDBOX_ACCOUNTS.find((account) => account.code.toLowerCase() === code.toLowerCase());
  }
  return undefined;
}

/** True when payments may be made to or from the account: a bank account, or one with payments enabled. */
export function takesPayments(account: XeroSandboxAccount): boolean {
  return account.type === 'BANK' || account.enablePaymentsToAccount;
}

/**
 * The sandbox's fixed exchange rates: units of a currency per unit of the base currency (Xero's `CurrencyRate` on a
 * payment of a foreign-currency invoice from a base-currency account), as exact fractions.
 */
export const SANDBOX_RATES: Readonly<Record<string, { numerator: bigint; denominator: bigint }>> = Object.freeze({
  NZD: { numerator: 1n, denominator: 1n },
  AUD: { numerator: 92n, denominator: 100n },
  USD: { numerator: 60n, denominator: 100n },
  JPY: { numerator: 90n, denominator: 1n },
});
