// Aliases: how many aliased fields an operation has (GraphQL Armor's rule); each alias of a lookup is one more
// resolution, so 100,000 of them are refused before execution. Armor lets aliases of `__typename` through by default;
// here they count like any other (2,000 of them over a list of 1000 copies built a 3.8 GB answer).
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import type { ValidationRule } from 'graphql';
import { armorRefusal } from './armor-refusal.js';

export function maxAliases(maximum: number): ValidationRule {
  return maxAliasesRule({ ...armorRefusal('maxAliases', maximum, 'aliases'), allowList: [] }) as unknown as ValidationRule;
}
