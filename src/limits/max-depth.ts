// Depth: how deep selections nest (GraphQL Armor's rule), so a cycle such as payments → batch → payments … is refused
// before it is executed. A fragment adds no level of its own: its fields count at the depth where it is spread
// (`flattenFragments`), so a depth-2 query written through a chain of fragments is depth 2. `__schema` is left to the
// cost rule, which sizes introspection by the schema (operation-cost.ts).
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { ValidationRule } from 'graphql';
import { armorRefusal } from './armor-refusal.js';

export function maxDepth(maximum: number): ValidationRule {
  return maxDepthRule({ ...armorRefusal('maxDepth', maximum, 'levels of nesting'), ignoreIntrospection: true, flattenFragments: true }) as unknown as ValidationRule;
}
