// Xero's OAuth 2.0 scopes as the sandbox enforces them. Apps created since 2 March 2026 get only the granular scopes
// (accounting.invoices, accounting.payments, ...); older apps keep the broad accounting.transactions until September 2027
// and may already ask for the granular ones. An API call needs a scope of its endpoint's family (the `.read` variant is
// enough for a GET), else Xero answers 401 with `WWW-Authenticate: Bearer error="insufficient_scope"`.

/** Which scopes the sandbox's app may ask for: `granular` (created since March 2026) or `broad` (older: both kinds). */
export type XeroSandboxAppScopes = 'granular' | 'broad';

const IDENTITY_SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const BOTH_KINDS = ['accounting.settings', 'accounting.contacts', 'accounting.attachments', 'accounting.budgets.read', 'accounting.journals.read'];
const GRANULAR = [
  'accounting.invoices',
  'accounting.payments',
  'accounting.banktransactions',
  'accounting.manualjournals',
  'accounting.reports.aged.read',
  'accounting.reports.balancesheet.read',
  'accounting.reports.profitandloss.read',
  'accounting.reports.trialbalance.read',
];
const BROAD = ['accounting.transactions', 'accounting.reports.read'];

/** Each scope and its `.read` variant (a scope already ending in `.read` stays alone). */
const withRead = (scopes: string[]) => scopes.flatMap((s) => (s.endsWith('.read') ? [s] : [s, `${s}.read`]));

const ALLOWED: Record<XeroSandboxAppScopes, Set<string>> = {
  granular: new Set([...IDENTITY_SCOPES, ...withRead(BOTH_KINDS), ...withRead(GRANULAR)]),
  broad: new Set([...IDENTITY_SCOPES, ...withRead(BOTH_KINDS), ...withRead(GRANULAR), ...withRead(BROAD)]),
};

/** The scopes of `requested` the app may not ask for (empty when every one is allowed). */
export function disallowedScopes(requested: readonly string[], app: XeroSandboxAppScopes): string[] {
  return requested.filter((scope) => !ALLOWED[app].has(scope));
}

/** The endpoint families the sandbox checks, by the first path segment below `/api.xro/2.0`. */
const FAMILIES: Array<{ paths: RegExp; scopes: string[] }> = [
  { paths: /^(invoices|creditnotes|linkedtransactions|purchaseorders|quotes|repeatinginvoices)$/i, scopes: ['accounting.invoices', 'accounting.transactions'] },
  { paths: /^(payments|batchpayments|overpayments|prepayments)$/i, scopes: ['accounting.payments', 'accounting.transactions'] },
  { paths: /^(accounts|currencies|organisation|taxrates|trackingcategories|brandingthemes)$/i, scopes: ['accounting.settings'] },
  { paths: /^(contacts|contactgroups)$/i, scopes: ['accounting.contacts'] },
];

/**
 * True when `granted` lets `method` reach the API `path` (`/api.xro/2.0/Invoices/...`). Endpoints outside the families
 * above are not checked.
 */
export function scopeAllows(granted: ReadonlySet<string> | undefined, method: string, path: string): boolean {
  if (!granted) return true;
  const segment = /\/api\.xro\/2\.0\/([^/?]+)/i.exec(path)?.[1];
  const family = segment ? FAMILIES.find((f) => f.paths.test(segment)) : undefined;
  if (!family) return true;
  const read = method === 'GET';
  return family.scopes.some((scope) => granted.has(scope) || (read && granted.has(`${scope}.read`)));
}
