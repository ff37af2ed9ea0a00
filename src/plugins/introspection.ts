// With GATEWAY_INTROSPECTION=0 the schema is not handed to strangers: `__schema` and `__type` are refused at validation,
// so is the subgraph's `_service { sdl }` (the same schema in another form), and error messages lose their
// "Did you mean …?" field suggestions, which would otherwise spell the schema out.
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { GraphQLError, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const NoServiceSdlRule: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '_service' && context.getParentType()?.name === context.getSchema().getQueryType()?.name) {
      context.reportError(
        new GraphQLError('GraphQL introspection is not allowed, and neither is `_service` (the schema as a subgraph SDL).', { nodes: node }),
      );
    }
  },
});

export function useIntrospectionOff(): Plugin[] {
  return [
    useDisableIntrospection(),
    { onValidate: ({ addValidationRule }) => addValidationRule(NoServiceSdlRule) },
    blockFieldSuggestionsPlugin({ mask: '' }) as Plugin,
  ];
}
