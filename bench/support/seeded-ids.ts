// Global ids of the sandboxes' seeded objects, and the routes each sandbox serves data on.
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import type { BenchStack } from './bench-stack.js';

export const PROVIDER_KINDS = ['fragment', 'korint', 'xero'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** The call-log names of each sandbox's data routes (token endpoints excluded). */
export const DATA_ROUTES: Record<ProviderKind, string[]> = {
  fragment: ['batch-get', 'create', 'get', 'search'],
  korint: ['invoices'],
  xero: ['invoices', 'invoice', 'payments', 'payment', 'batch-payments', 'batch-payment'],
};

/** `count` global ids of seeded invoices of `kind`'s sandbox, from the `offset`-th on. */
export function seededInvoiceIds(stack: BenchStack, kind: ProviderKind, count: number, offset = 0): string[] {
  const pad = (n: number) => String(n).padStart(4, '0');
  const xero = kind === 'xero' ? stack.sandbox<XeroSandboxHandle>('xero').dataset().invoices : [];
  if (kind === 'xero' && offset + count > xero.length) throw new Error(`the Xero sandbox holds ${xero.length} invoices`);
  return Array.from({ length: count }, (_, i) => i + 1 + offset).map((n) => {
    if (kind === 'fragment') return `fragment:Invoice:inv_${pad(n)}`;
    if (kind === 'korint') return `korint:Invoice:kor_inv_${pad(n)}`;
    return `xero:Invoice:${xero[n - 1].id}`;
  });
}
