// Depth: how deep selections nest (GraphQL Armor's rule), so a cycle such as payments → batch → payments … is refused
// before it is executed.
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import type { Plugin } from 'graphql-yoga';
import { armorRefusal } from './armor-refusal.js';

export function useMaxDepth(maximum: number): Plugin {
  return maxDepthPlugin({ ...armorRefusal('maxDepth', maximum, 'levels of nesting'), ignoreIntrospection: true }) as Plugin;
}
