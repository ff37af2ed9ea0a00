// One walk over the operation a request executes, summing a number per field (a cost, a count of ids). Fragments are
// folded once and their sum reused wherever they are spread, so a document of fragments spreading each other twice
// over costs a walk of its text, not of its exponential expansion. Runs before graphql-js's validation, after the
// depth limit: a fragment that spreads itself (refused by validation later) counts nothing rather than recursing.
import {
  getNamedType,
  getOperationAST,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** The number of one field, given the sum of its selections (0 for a leaf). */
export type FieldFold = (field: FieldNode, definition: GraphQLField<unknown, unknown>, parent: GraphQLCompositeType, children: number) => number;

/** Sums `fold` over every field of the operation named `operationName` (or the only one). */
export function foldOperation(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, fold: FieldFold): number {
  const operation = getOperationAST(document, operationName);
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const folded = new Map<string, number>();

  const typeNamed = (name: string | undefined, fallback: GraphQLCompositeType): GraphQLCompositeType | undefined => {
    if (!name) return fallback;
    const type = schema.getType(name);
    return type && isCompositeType(type) ? type : undefined;
  };

  const selections = (set: SelectionSetNode, parent: GraphQLCompositeType): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        // Only object and interface types have fields beyond `__typename`; meta fields (introspection) cost nothing here.
        const definition = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        if (!definition) continue;
        const named = getNamedType(definition.type);
        const children = selection.selectionSet && isCompositeType(named) ? selections(selection.selectionSet, named) : 0;
        total += fold(selection, definition, parent, children);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = typeNamed(selection.typeCondition?.name.value, parent);
        if (type) total += selections(selection.selectionSet, type);
      } else {
        const name = selection.name.value;
        let sum = folded.get(name);
        if (sum === undefined) {
          const fragment = fragments.get(name);
          const type = fragment && typeNamed(fragment.typeCondition.name.value, parent);
          folded.set(name, 0);
          sum = fragment && type ? selections(fragment.selectionSet, type) : 0;
          folded.set(name, sum);
        }
        total += sum;
      }
    }
    return total;
  };

  return selections(operation.selectionSet, root);
}
