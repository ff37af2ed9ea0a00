import type { CodegenConfig } from '@graphql-codegen/cli';
import { preset as clientPreset } from '@graphql-codegen/client-preset';

type OutputConfig = Extract<CodegenConfig['generates'][string], { preset?: unknown }>;

// A frontend's typed client over the gateway's schema (GraphQL Code Generator's client preset). Run from this folder:
// `npx graphql-codegen`. Point `schema` at the gateway's URL (`http://127.0.0.1:4000/graphql`) in a project of your own.
const config: CodegenConfig = {
  schema: '../../schema/*.graphql',
  documents: ['src/**/*.ts', '!src/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      // The preset itself rather than its name, which would resolve to the older copy the CLI bundles. The cast bridges
      // two copies of @graphql-codegen/plugin-helpers' types (the CLI's and the preset's); the objects are the same shape.
      preset: clientPreset as unknown as NonNullable<OutputConfig['preset']>,
      config: {
        // Money and dates travel as exact strings; `number` would lose digits and accept `amount: 42.5`.
        scalars: { Decimal: 'string', DateTime: 'string', Date: 'string' },
        enumsAsTypes: true,
        useTypeImports: true,
        documentMode: 'string',
        // ESM imports with .js extensions inside the generated folder (NodeNext); bundlers accept them too.
        importExtension: '.js',
      },
      presetConfig: {
        fragmentMasking: false,
        // Writes src/gql/persisted-documents.json (sha256 hash -> document): the manifest the gateway takes as
        // GATEWAY_PERSISTED_OPERATIONS_FILE, so production can accept these operations and nothing else.
        persistedDocuments: { hashAlgorithm: 'sha256' },
      },
    },
  },
};

export default config;
