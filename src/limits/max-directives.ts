// Directives: how many directives an operation carries (GraphQL Armor's rule); thousands of `@include` cost validation
// and execution time while asking for nothing.
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import type { ValidationRule } from 'graphql';
import { armorRefusal } from './armor-refusal.js';

export function maxDirectives(maximum: number): ValidationRule {
  return maxDirectivesRule(armorRefusal('maxDirectives', maximum, 'directives')) as unknown as ValidationRule;
}
