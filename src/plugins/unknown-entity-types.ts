// A supergraph may still name an entity type this gateway no longer has (composed before the type was dropped). A
// router's `_entities` fetch then selects `... on DroppedType { … }`, and graphql-js's validation refuses the whole
// document (`Unknown type "DroppedType"`): every entity of the fetch comes back null, those of known types too (Hive
// Gateway merges the entity fetches of one request into one document). Before validation, the selections of `_entities`
// on types the schema does not have are taken out; each representation of such a type then answers BAD_USER_INPUT alone
// (src/federation.ts), and the others are served.
import {
  Kind,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type SelectionNode,
  type Source,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

type ParseFn = (source: string | Source, options?: ParseOptions) => DocumentNode;

const TYPENAME: SelectionNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/** The document without the `_entities` selections on types `schema` lacks (the same document when there are none). */
export function withoutUnknownEntityTypes(document: DocumentNode, schema: GraphQLSchema): DocumentNode {
  const known = (name: string | undefined) => name === undefined || schema.getType(name) !== undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const dropped = new Set<string>();
  const keep = (selection: SelectionNode): boolean => {
    if (selection.kind === Kind.INLINE_FRAGMENT) return known(selection.typeCondition?.name.value);
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (!fragment || known(fragment.typeCondition.name.value)) return true;
      dropped.add(fragment.name.value);
      return false;
    }
    return true;
  };

  let changed = false;
  const definitions = document.definitions.map((definition) => {
    if (definition.kind !== Kind.OPERATION_DEFINITION || definition.operation !== 'query') return definition;
    const selections = definition.selectionSet.selections.map((selection) => {
      if (selection.kind !== Kind.FIELD || selection.name.value !== '_entities' || !selection.selectionSet) return selection;
      const kept = selection.selectionSet.selections.filter(keep);
      if (kept.length === selection.selectionSet.selections.length) return selection;
      changed = true;
      // A selection set is never empty: with every type unknown, each representation still answers its own error.
      return { ...selection, selectionSet: { ...selection.selectionSet, selections: kept.length > 0 ? kept : [TYPENAME] } };
    });
    return { ...definition, selectionSet: { ...definition.selectionSet, selections } } as OperationDefinitionNode;
  });
  if (!changed) return document;
  // A fragment on an unknown type is dropped once nothing else spreads it (validation would refuse it too).
  const isDropped = (d: DefinitionNode) => d.kind === Kind.FRAGMENT_DEFINITION && dropped.has(d.name.value);
  const spread = new Set<string>();
  visit({ ...document, definitions: definitions.filter((d) => !isDropped(d)) }, { FragmentSpread: (node) => void spread.add(node.name.value) });
  return { ...document, definitions: definitions.filter((d) => !isDropped(d) || spread.has((d as FragmentDefinitionNode).name.value)) };
}

export function useUnknownEntityTypes(): Plugin {
  let schema: GraphQLSchema | undefined;
  return {
    onSchemaChange({ schema: next }) {
      schema = next;
    },
    onParse({ parseFn, setParseFn }) {
      const parse = parseFn as ParseFn;
      setParseFn((source: string | Source, options?: ParseOptions) => {
        const document = parse(source, options);
        const text = typeof source === 'string' ? source : source.body;
        // Only a router's entity fetch can need it: every other document is passed through untouched.
        return schema && text.includes('_entities') ? withoutUnknownEntityTypes(document, schema) : document;
      });
    },
  };
}
