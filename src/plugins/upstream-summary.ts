// Adds `extensions.upstream` to every response: per source, the calls made, the time spent and the errors.
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';

export function useUpstreamSummary(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext;
      return {
        onExecuteDone({ result, setResult }) {
          if (!('data' in result) && !('errors' in result)) return;
          setResult({ ...result, extensions: { ...result.extensions, upstream: ctx.upstream.toJSON() } });
        },
      };
    },
  };
}
