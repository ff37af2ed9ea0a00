// Aliases: how many aliased fields an operation has (GraphQL Armor's rule); each alias of a lookup is one more
// resolution, so 100,000 of them are refused before execution. Armor lets aliases of `__typename` through by default;
// here they count like any other (2,000 of them over a list of 1000 copies built a 3.8 GB answer).
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import type { Plugin } from 'graphql-yoga';
import { armorRefusal } from './armor-refusal.js';

export function useMaxAliases(maximum: number): Plugin {
  return maxAliasesPlugin({ ...armorRefusal('maxAliases', maximum, 'aliases'), allowList: [] }) as Plugin;
}
