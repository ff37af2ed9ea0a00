// With GATEWAY_INTROSPECTION=0 the schema is not handed to strangers: `__schema` and `__type` are refused at validation,
// so is the subgraph's `_service { sdl }` (the same schema in another form), and error messages lose their
// "Did you mean …?" field suggestions, which would otherwise spell the schema out. A client granted `compose` (a composing
// router) may still read `_service { sdl }`; introspection itself stays refused to everyone.
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

/** `mayCompose` says whether the request's client is granted `compose` (it may read `_service { sdl }`). */
export function useIntrospectionOff(mayCompose: (request: Request) => boolean = () => false): Plugin[] {
  return [
    useDisableIntrospection(),
    {
      onValidate: ({ addValidationRule, context }) => {
        const request = (context as { request?: Request }).request;
        if (!request || !mayCompose(request)) addValidationRule(NoServiceSdlRule);
      },
    },
    blockFieldSuggestionsPlugin({ mask: '' }) as Plugin,
  ];
}
