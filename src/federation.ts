// Federation v2: the public schema served as a subgraph. The entity types get `@key(fields: "id")`, added here rather
// than in schema/*.graphql so the public SDL (and codegen) stays free of federation's imports; `_service` and `_entities`
// come from @apollo/subgraph, and entity references resolve through the request's DataLoaders like every other lookup.
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  Kind,
  parse,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { GatewayContext } from './context.js';
import { userError } from './errors.js';
import { NODE_TYPES, type NodeType } from './ids.js';
import { loadNode } from './lookups.js';

/** The Federation spec version the subgraph links; v2.3 is understood by every current router and gateway. */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.3';

/** Object types that are entities, keyed by their global id. */
export const ENTITY_TYPES: readonly NodeType[] = NODE_TYPES;

/** Value types other subgraphs commonly define too (the Relay page info), marked shareable so composition accepts both. */
const SHAREABLE_TYPES = new Set(['PageInfo']);

function directive(name: string, args: Record<string, string> = {}): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: { kind: Kind.NAME, value: name },
    arguments: Object.entries(args).map(([argName, value]) => ({
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: argName },
      value: { kind: Kind.STRING, value },
    })),
  };
}

/** The public SDL as a subgraph document: the `@link` to the federation spec, `@key` on entities, `@shareable` on PageInfo. */
export function subgraphTypeDefs(publicSdl: string): DocumentNode {
  const document = parse(publicSdl);
  const [link] = parse(`extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ["@key", "@shareable"])`).definitions;
  const definitions = document.definitions.map((definition) => {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) return definition;
    const name = definition.name.value;
    if ((ENTITY_TYPES as readonly string[]).includes(name)) {
      return { ...definition, directives: [...(definition.directives ?? []), directive('key', { fields: 'id' })] };
    }
    if (SHAREABLE_TYPES.has(name)) {
      return { ...definition, directives: [...(definition.directives ?? []), directive('shareable')] };
    }
    return definition;
  });
  return { ...document, definitions: [link, ...definitions] };
}

/**
 * Resolves an entity reference `{ __typename, id }` by its global id through the request's loaders, so a router's
 * fetch of many entities shares batches exactly like `invoices(ids:)`. Always asynchronous: @apollo/subgraph maps the
 * representations synchronously, and a synchronous throw would fail every entity of the fetch instead of this one.
 */
function resolveReference(type: NodeType) {
  return async (reference: { id?: unknown }, ctx: GatewayContext) => {
    if (typeof reference.id !== 'string') {
      throw userError('BAD_USER_INPUT', `a ${type} representation needs a string "id" (its global id)`);
    }
    return loadNode(ctx, reference.id, type);
  };
}

/** Why a representation cannot be resolved, or undefined when it can be tried: checked before any lookup starts. */
function representationProblem(representation: unknown): string | undefined {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    return 'an entity representation must be an object';
  }
  const { __typename: typename, id } = representation as { __typename?: unknown; id?: unknown };
  if (typeof typename !== 'string' || !(ENTITY_TYPES as readonly string[]).includes(typename)) {
    const named = typeof typename === 'string' ? `"${typename.slice(0, 60)}"` : 'a missing __typename';
    return `this subgraph has no entity type ${named} (entities: ${ENTITY_TYPES.join(', ')})`;
  }
  if (typeof id !== 'string') return `a ${typename} representation needs a string "id" (its global id)`;
  return undefined;
}

/**
 * Guards `_entities`: a fetch takes at most `maxEntities` representations (GATEWAY_MAX_ENTITIES, larger than
 * GATEWAY_MAX_IDS because routers do not split entity fetches), and a representation of an unknown type or without an
 * id fails alone with BAD_USER_INPUT. @apollo/subgraph throws synchronously on an unknown type, which would fail the
 * whole fetch and leave the lookups it had already started to reject unobserved; those never reach it here.
 */
function guardEntities(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  if (!field) return;
  const resolve = field.resolve as GraphQLFieldResolver<unknown, GatewayContext, { representations: unknown[] }>;
  field.resolve = (source, args, ctx, info) => {
    const { representations } = args;
    if (representations.length > ctx.limits.maxEntities) {
      throw userError(
        'BAD_USER_INPUT',
        `_entities(representations) takes at most ${ctx.limits.maxEntities} representations, got ${representations.length}`,
      );
    }
    const answers: unknown[] = new Array(representations.length);
    const valid: unknown[] = [];
    const validAt: number[] = [];
    representations.forEach((representation: unknown, index: number) => {
      const problem = representationProblem(representation);
      if (problem) answers[index] = userError('BAD_USER_INPUT', problem);
      else {
        valid.push(representation);
        validAt.push(index);
      }
    });
    if (valid.length > 0) {
      const resolved = resolve(source, { ...args, representations: valid }, ctx, info) as unknown[];
      resolved.forEach((answer, i) => {
        answers[validAt[i]] = answer;
      });
    }
    return answers;
  };
}

/**
 * The federation layer of the schema: `_service`, `_entities` and the entity types' reference resolvers, without the
 * public resolvers (the caller adds those, exactly as it does for the plain schema).
 */
export function buildFederatedSchemaBase(publicSdl: string): GraphQLSchema {
  const referenceResolvers = Object.fromEntries(
    ENTITY_TYPES.map((type) => [type, { __resolveReference: resolveReference(type) }]),
  );
  const schema = buildSubgraphSchema({ typeDefs: subgraphTypeDefs(publicSdl), resolvers: referenceResolvers as never });
  guardEntities(schema);
  return schema;
}
