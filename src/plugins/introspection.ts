// With GATEWAY_INTROSPECTION=0 the schema is not handed to strangers: `__schema` and `__type` are refused at validation,
// and error messages lose their "Did you mean …?" field suggestions, which would otherwise spell the schema out.
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import type { Plugin } from 'graphql-yoga';

export function useIntrospectionOff(): Plugin[] {
  return [useDisableIntrospection(), blockFieldSuggestionsPlugin({ mask: '' }) as Plugin];
}
