// The ids an operation passes, over every ID argument of every field (a list counts its items, literal or variable; a
// single id counts one), so 100 aliases of 1000 ids are 100,000 ids whatever the per-list maximum. `_entities`
// representations are not ids (their type is `_Any`) and have a maximum of their own.
import { getNamedType, getNullableType, GraphQLID, isListType, type DocumentNode, type GraphQLSchema } from 'graphql';
import { argumentNode, listLength, type Variables } from './argument-values.js';
import { foldOperation } from './fold-operation.js';

export function operationIds(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Variables): number {
  return foldOperation(schema, document, operationName, (field, definition, _parent, children) => {
    let ids = children;
    for (const arg of definition.args) {
      if (getNamedType(arg.type).name !== GraphQLID.name) continue;
      const value = argumentNode(field.arguments, arg.name);
      if (!value) continue;
      ids += isListType(getNullableType(arg.type)) ? listLength(value, variables) : 1;
    }
    return ids;
  });
}
