// GraphQL Mesh composition for bench/peers: the bench mock's OpenAPI as one subgraph (its batch-get as a query field).
// MOCK_URL is the mock's origin; `mesh-compose -o supergraph.graphql` is run by bench/peers.ts.
import { defineConfig } from '@graphql-mesh/compose-cli';
import { loadOpenAPISubgraph } from '@omnigraph/openapi';

const mock = process.env.MOCK_URL ?? 'http://127.0.0.1:4010';

export const composeConfig = defineConfig({
  subgraphs: [
    {
      sourceHandler: loadOpenAPISubgraph('Fragment', {
        source: `${mock}/openapi.json`,
        endpoint: mock,
        operationHeaders: { authorization: 'Bearer bench-token' },
        selectQueryOrMutationField: [{ type: 'query', fieldName: 'batchGetInvoices' }],
      }),
    },
  ],
});
