// The cost of an operation before it runs: an estimate of the values its answer holds. Every field counts one (leaf or
// object, `__typename` and introspection included), and a list field counts one more per item, each item with its own
// fields, so a field costs as many times as the lists above it multiply it. A list's size is the longest list argument
// of its field (the ids passed, literal or variable: repeats count, as they are answered once per copy), the page size
// `first` on a connection's `edges` / `nodes`, the schema's own sizes for introspection (introspection-sizes.ts), or
// `assumedListSize` for lists whose length the document does not say (an invoice's payments, a batch's payments). A field
// that reads ids without listing them (`balanceSummary(invoiceIds:)`) counts one more per id. Fragments are costed once
// per spread context and their cost reused, so a document of fragments spreading each other costs a walk of its text.
// GraphQL Armor's cost-limit knows neither list arguments nor variables, so this is our own rule.
import {
  getNamedType,
  getNullableType,
  getOperationAST,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { argumentNode, intArgument, listLength, type Variables } from './argument-values.js';
import { introspectionListSize, type IntrospectionScope } from './introspection-sizes.js';

/** Fields listing one page of their connection: sized by the connection's `first`. */
const PAGE_FIELDS = new Set(['edges', 'nodes']);

interface Walk {
  schema: GraphQLSchema;
  variables: Variables;
  assumedListSize: number;
  fragments: Map<string, FragmentDefinitionNode>;
  /** Cost of a fragment's selections, by fragment name and spread context. */
  folded: Map<string, number>;
}

/** The context a selection set is costed in: the page size its connection set, and how introspection lists are sized. */
interface Scope {
  pageSize?: number;
  introspection: IntrospectionScope;
}

function fieldDefinition(walk: Walk, parent: GraphQLCompositeType, node: FieldNode): GraphQLField<unknown, unknown> | undefined {
  const name = node.name.value;
  if (parent === walk.schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function typeNamed(walk: Walk, name: string | undefined, fallback: GraphQLCompositeType): GraphQLCompositeType | undefined {
  if (!name) return fallback;
  const type = walk.schema.getType(name);
  return type && isCompositeType(type) ? type : undefined;
}

/** The longest list argument a field is given (its ids, or representations), if any. */
function listedBy(walk: Walk, node: FieldNode, definition: GraphQLField<unknown, unknown>): number | undefined {
  let listed: number | undefined;
  for (const arg of definition.args) {
    if (!isListType(getNullableType(arg.type))) continue;
    const value = argumentNode(node.arguments, arg.name);
    if (value) listed = Math.max(listed ?? 0, listLength(value, walk.variables));
  }
  return listed;
}

function fieldCost(walk: Walk, node: FieldNode, parent: GraphQLCompositeType, scope: Scope): number {
  if (node.name.value === '__typename') return 1;
  const definition = fieldDefinition(walk, parent, node);
  if (!definition) return 1;
  const named = getNamedType(definition.type);
  const listed = listedBy(walk, node, definition);
  const firstDefinition = definition.args.find((arg) => arg.name === 'first');
  const first = firstDefinition
    ? (intArgument(argumentNode(node.arguments, 'first'), firstDefinition, walk.variables) ?? walk.assumedListSize)
    : undefined;
  const isList = isListType(getNullableType(definition.type));
  let children = 0;
  if (node.selectionSet && isCompositeType(named)) {
    const childScope: Scope = {
      // A non-list field given `first` is a connection: its edges and nodes hold `first` items.
      pageSize: !isList && first !== undefined ? Math.max(0, first) : undefined,
      introspection: introspectionScopeOf(parent.name, definition.name, named.name, scope.introspection),
    };
    children = selections(walk, node.selectionSet, named, childScope);
  }
  if (!isList) return 1 + children + (listed ?? 0);
  let size: number;
  if (parent.name.startsWith('__')) size = introspectionListSize(walk.schema, parent.name, definition.name, scope.introspection);
  else if (listed !== undefined) size = listed;
  else if (first !== undefined) size = first;
  else if (scope.pageSize !== undefined && PAGE_FIELDS.has(definition.name)) size = scope.pageSize;
  else size = walk.assumedListSize;
  return 1 + Math.max(0, size) * (1 + children);
}

/**
 * A `__Type` listed by `__schema { types }` is one of all the types, so its lists are sized by the schema's average
 * (which multiplies out to the exact totals over the whole schema); any other `__Type` (`__type(name:)`, a field's
 * `type`, `ofType`) may be the largest one, so its lists are sized by the schema's largest.
 */
function introspectionScopeOf(parent: string, field: string, child: string, current: IntrospectionScope): IntrospectionScope {
  if (parent === '__Schema' && (field === 'types' || field === 'directives')) return 'average';
  if (child === '__Type') return 'largest';
  return current;
}

function selections(walk: Walk, set: SelectionSetNode, parent: GraphQLCompositeType, scope: Scope): number {
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      total += fieldCost(walk, selection, parent, scope);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = typeNamed(walk, selection.typeCondition?.name.value, parent);
      if (type) total += selections(walk, selection.selectionSet, type, scope);
    } else {
      const name = selection.name.value;
      const key = `${name}|${scope.pageSize ?? ''}|${scope.introspection}`;
      let sum = walk.folded.get(key);
      if (sum === undefined) {
        const fragment = walk.fragments.get(name);
        const type = fragment && typeNamed(walk, fragment.typeCondition.name.value, parent);
        // Marked before the walk: a cycle (refused by validation anyway) costs nothing rather than recursing.
        walk.folded.set(key, 0);
        sum = fragment && type ? selections(walk, fragment.selectionSet, type, scope) : 0;
        walk.folded.set(key, sum);
      }
      total += sum;
    }
  }
  return total;
}

/** The estimated values of the answer to operation `operationName` (or the only one) of `document`. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  assumedListSize: number,
): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const walk: Walk = { schema, variables, assumedListSize, fragments, folded: new Map() };
  return selections(walk, operation.selectionSet, root, { introspection: 'largest' });
}
