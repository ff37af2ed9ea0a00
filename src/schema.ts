// The executable schema: the SDL files under schema/ and the resolvers.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addResolversToSchema, makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchemaBase } from './federation.js';
import { resolvers } from './resolvers/index.js';

// schema/ beside src/ when run from the sources, two levels up when run from the compiled dist/src/.
const SCHEMA_DIR = [new URL('../schema/', import.meta.url), new URL('../../schema/', import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(dir))!;

/**
 * The public SDL, every file of schema/ in name order, files that extend a type (`extend type Query`) after the others:
 * every schema builder then meets the type before its extensions, and lists the fields in the same order.
 */
export function loadTypeDefs(): string {
  const files = readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(`${SCHEMA_DIR}${file}`, 'utf8'));
  const extending = (sdl: string) => /^extend\s/m.test(sdl);
  return [...files.filter((sdl) => !extending(sdl)), ...files.filter(extending)].join('\n');
}

export interface SchemaOptions {
  /**
   * Serve the schema as a Federation v2 subgraph too (`@key` on Invoice, Payment and BatchPayment, `_service`,
   * `_entities`). On by default: it only adds root fields and types, so plain queries answer exactly as without it, and a
   * router can use the same endpoint. `false` serves the plain schema (for deployments that want no federation fields).
   */
  federation?: boolean;
}

/** Builds the gateway's executable schema. */
export function createSchema(options: SchemaOptions = {}): GraphQLSchema {
  if (options.federation === false) {
    return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers: resolvers as never });
  }
  // The same resolvers, added the same way makeExecutableSchema adds them, over the subgraph's schema.
  return addResolversToSchema({ schema: buildFederatedSchemaBase(loadTypeDefs()), resolvers: resolvers as never });
}
