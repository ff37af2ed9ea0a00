// Aliases: how many aliased fields an operation has (GraphQL Armor's rule); each alias of a lookup is one more
// resolution, so 100,000 of them are refused before execution.
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import type { Plugin } from 'graphql-yoga';
import { armorRefusal } from './armor-refusal.js';

export function useMaxAliases(maximum: number): Plugin {
  return maxAliasesPlugin(armorRefusal('maxAliases', maximum, 'aliases')) as Plugin;
}
