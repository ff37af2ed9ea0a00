// The cost of an operation before it runs: an estimate of the objects it resolves. Each object-typed field costs one per
// object, times the size of its list: the ids passed in a list argument (literal or variable), the page size `first`,
// or `assumedListSize` for lists whose length the document does not say (an invoice's payments, a batch's payments).
// Scalars cost nothing. GraphQL Armor's cost-limit knows neither list arguments nor variables, so this is our own rule.
import { getNamedType, getNullableType, isCompositeType, isListType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { argumentNode, intArgument, listLength, type Variables } from './argument-values.js';
import { foldOperation } from './fold-operation.js';

/** Fields listing one page of their connection: the page size was counted on the connection itself. */
const PAGE_FIELDS = new Set(['edges', 'nodes']);

export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Variables,
  assumedListSize: number,
): number {
  return foldOperation(schema, document, operationName, (field, definition, parent, children) => {
    if (!isCompositeType(getNamedType(definition.type))) return 0;
    // The longest list argument: the ids (or representations) this field looks up.
    let listed: number | undefined;
    for (const arg of definition.args) {
      if (!isListType(getNullableType(arg.type))) continue;
      const value = argumentNode(field.arguments, arg.name);
      if (value) listed = Math.max(listed ?? 0, listLength(value, variables));
    }
    const firstDefinition = definition.args.find((arg) => arg.name === 'first');
    const first = firstDefinition ? (intArgument(argumentNode(field.arguments, 'first'), firstDefinition, variables) ?? assumedListSize) : undefined;
    if (isListType(getNullableType(definition.type))) {
      const size = listed ?? first ?? (parent.name.endsWith('Connection') && PAGE_FIELDS.has(definition.name) ? 1 : assumedListSize);
      return Math.max(0, size) * (1 + children);
    }
    // One object (a connection is one object per item of its page); ids it reads count one lookup each.
    return Math.max(1, first ?? 1) * (1 + children) + (listed ?? 0);
  });
}
