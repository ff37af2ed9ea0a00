// The query GraphiQL opens with: real ids from the running sandboxes, so it works on the first click.
import type { RunningSandboxes } from './sandboxes.js';
import type { SourceRegistry } from './source-registry.js';

/**
 * Builds the example query from a few seeded ids of each sandbox (falls back to `sources` alone), with a first page of
 * listInvoices when a source can list invoices and a batch-payments page when a source can list them.
 */
export function buildExampleQuery(sandboxes: RunningSandboxes | undefined, registry: SourceRegistry): string {
  const ids = (sandboxes?.started ?? []).flatMap((s) =>
    (s.exampleInvoiceIds ?? []).slice(0, 2).map((remoteId) => `${s.settings.name as string}:Invoice:${remoteId}`),
  );
  const hasBatches = registry.list().some((source) => source.adapter.listBatchPayments);
  const invoices = ids.length
    ? `
  invoices(ids: [${ids.map((id) => JSON.stringify(id)).join(', ')}]) {
    id
    number
    status
    providerStatus
    total { amount currency minorUnits }
    amountDue { amount currency }
    payments { amount { amount currency } postedAt }
  }
  balanceSummary(invoiceIds: [${ids.map((id) => JSON.stringify(id)).join(', ')}]) {
    totals { currency net { expected { amount } remaining { amount } } }
    complete
  }`
    : '';
  const canList = registry.list().some((source) => source.adapter.listInvoices);
  // The first screen of most frontends: open invoices, newest first, across every source.
  const list = canList
    ? `
  listInvoices(first: 5, filter: { outstanding: true }) {
    totalCount
    incompleteSources
    pageInfo { hasNextPage endCursor }
    nodes { id source { name } number status issuedAt amountDue { amount currency } }
  }`
    : '';
  const batches = hasBatches
    ? `
  batchPayments(first: 3) {
    totalCount
    edges {
      node {
        reference
        date
        total { amount currency }
        payments { amount { amount } invoice { number status amountDue { amount currency } } }
      }
    }
  }`
    : '';
  return `# invoice-gateway: one GraphQL API over Fragment, Korint and Xero.
# Ids are <source>:<Type>:<remoteId>; money is exact (amount is a decimal string).
query Example {
  sources { name kind health { status } capabilities }${list}${invoices}${batches}
}
`;
}
