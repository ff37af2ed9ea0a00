// Ends a request's upstream work once its answer is ready: a retry wait or a straggling chunk never outlives it.
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';

export function useRequestLifetime(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext;
      return { onExecuteDone: () => ctx.finish() };
    },
  };
}
