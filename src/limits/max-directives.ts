// Directives: how many directives an operation carries (GraphQL Armor's rule); thousands of `@include` cost validation
// and execution time while asking for nothing.
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import type { Plugin } from 'graphql-yoga';
import { armorRefusal } from './armor-refusal.js';

export function useMaxDirectives(maximum: number): Plugin {
  return maxDirectivesPlugin(armorRefusal('maxDirectives', maximum, 'directives')) as Plugin;
}
