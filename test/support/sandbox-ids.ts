// Seeded invoice ids of each sandbox, and the route each one serves invoice lookups on (for fault injection).
import type { XeroSandboxHandle } from '../../adapters/xero/sandbox/xero-sandbox.js';
import type { TestGateway } from './gateway.js';

/** The call-log name of each sandbox's invoice lookup route. */
export const INVOICE_ROUTES: Record<string, string> = { fragment: 'batch-get', korint: 'invoices', xero: 'invoices' };

/** `count` global ids of seeded invoices of `kind`'s sandbox. */
export function sandboxInvoiceIds(gw: TestGateway, kind: string, count: number, offset = 0): string[] {
  const pad = (n: number) => String(n).padStart(4, '0');
  const remote = Array.from({ length: count }, (_, i) => i + 1 + offset).map((n) => {
    if (kind === 'fragment') return `inv_${pad(n)}`;
    if (kind === 'korint') return `kor_inv_${pad(n)}`;
    return gw.sandbox<XeroSandboxHandle>('xero').dataset().invoices[n - 1].id;
  });
  return remote.map((id) => `${kind}:Invoice:${id}`);
}
