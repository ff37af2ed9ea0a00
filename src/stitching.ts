// Schema stitching: the gateway as a remote subschema of @graphql-tools/stitch, with Invoice, Payment and BatchPayment
// merged on their global ids through the batched list lookups. Imports only types from graphql-tools: a stitching
// gateway brings its own @graphql-tools/stitch, and the gateway server never loads this file.
import type { MergedTypeConfig, SubschemaConfig } from '@graphql-tools/delegate';
import type { Executor } from '@graphql-tools/utils';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { NodeType } from './ids.js';
import { loadTypeDefs } from './schema.js';

/** The list lookup each entity type merges through: one call answers many ids, in order, null where not found. */
export const MERGE_LOOKUPS: Readonly<Record<NodeType, string>> = {
  Invoice: 'invoices',
  Payment: 'payments',
  BatchPayment: 'batchPaymentsByIds',
};

/** The gateway's default `maxIds`: the most ids one list argument takes. */
const DEFAULT_MAX_IDS = 1000;

export interface InvoiceGatewaySubschemaOptions {
  /**
   * The gateway's schema. Defaults to the public SDL of this checkout (no request at start); pass an introspected one
   * (`schemaFromExecutor` of @graphql-tools/wrap) to follow a deployed gateway of another version.
   */
  schema?: GraphQLSchema;
  /** Merge the root fields delegated in one tick into one request (default true): many entities, one call to us. */
  batch?: boolean;
  /** The gateway's `maxIds`: merged lookups are split into list arguments of at most this many ids (default 1000). */
  maxIds?: number;
  /** A name for the subschema in stitching errors and logs. */
  name?: string;
}

/** The type-merging config of the three entity types: key `id`, looked up through the batched list fields. */
export function invoiceGatewayMergeConfig(maxIds = DEFAULT_MAX_IDS): Record<NodeType, MergedTypeConfig> {
  const entry = (fieldName: string): MergedTypeConfig<string> => ({
    selectionSet: '{ id }',
    fieldName,
    key: (entity: { id: string }) => entity.id,
    argsFromKeys: (ids) => ({ ids }),
    // The gateway's descriptions and field definitions win in the stitched schema.
    canonical: true,
    dataLoaderOptions: { maxBatchSize: maxIds },
  });
  return {
    Invoice: entry(MERGE_LOOKUPS.Invoice),
    Payment: entry(MERGE_LOOKUPS.Payment),
    BatchPayment: entry(MERGE_LOOKUPS.BatchPayment),
  };
}

/**
 * The gateway as a subschema for `stitchSchemas({ subschemas: [...] })`, reached through `executor` (e.g.
 * `buildHTTPExecutor({ endpoint })` of @graphql-tools/executor-http). Other subschemas that return objects with an
 * `id` of one of the entity types get every other field of it from us, many entities in one request.
 */
export function invoiceGatewaySubschema(
  executor: Executor,
  options: InvoiceGatewaySubschemaOptions = {},
): SubschemaConfig {
  return {
    name: options.name ?? 'invoice-gateway',
    // Built by graphql-tools rather than graphql's buildSchema, so it uses the same graphql-js copy as stitching does even
    // where a bundler hands this file graphql's ESM build and node_modules its CommonJS one (vitest).
    schema: options.schema ?? makeExecutableSchema({ typeDefs: loadTypeDefs() }),
    executor,
    batch: options.batch ?? true,
    merge: invoiceGatewayMergeConfig(options.maxIds),
  };
}
