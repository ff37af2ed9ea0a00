// Hive Gateway for bench/peers: the composed supergraph, plus `invoice(id:)` resolved through Mesh's in-context SDK with
// a batch key, so 100 aliased lookups make one batch-get (as the other servers do).
import { defineConfig } from '@graphql-hive/gateway';
import { Kind, type SelectionSetNode } from 'graphql';

const field = (name: string, selectionSet?: SelectionSetNode) => ({ kind: Kind.FIELD, name: { kind: Kind.NAME, value: name }, selectionSet });

export const gatewayConfig = defineConfig({
  supergraph: './supergraph.graphql',
  logging: 'error',
  additionalTypeDefs: /* GraphQL */ `
    extend type Query {
      invoice(id: ID!): Invoice
    }
  `,
  additionalResolvers: {
    Query: {
      invoice: (root: unknown, args: { id: string }, context: any, info: unknown) =>
        context.Fragment.Query.batchGetInvoices({
          root,
          context,
          info,
          key: args.id,
          argsFromKeys: (ids: string[]) => ({ input: { ids } }),
          selectionSet: (subtree: SelectionSetNode): SelectionSetNode => ({
            kind: Kind.SELECTION_SET,
            selections: [
              field('data', {
                kind: Kind.SELECTION_SET,
                selections: [field('invoices', { kind: Kind.SELECTION_SET, selections: [field('id'), ...subtree.selections] } as SelectionSetNode)],
              } as SelectionSetNode),
            ],
          }) as SelectionSetNode,
          valuesFromResults: (result: any, keys: string[]) => {
            const byId = new Map((result?.data?.invoices ?? []).map((invoice: any) => [invoice.id, invoice]));
            return keys.map((id) => byId.get(id) ?? null);
          },
        }),
    },
  },
});
