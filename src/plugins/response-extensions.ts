// Adds what the gateway tells every client beside the data: `extensions.upstream` (per source, the calls made, the time
// spent and the errors) and, when cached copies stood in for a failing provider, `extensions.stale` (`[{ id, ageMs }]`,
// one per item, so the client knows which data may be out of date and by how much).
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';

export function useResponseExtensions(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext;
      return {
        onExecuteDone({ result, setResult }) {
          if (!('data' in result) && !('errors' in result)) return;
          const stale = ctx.stale?.list() ?? [];
          const extensions = { ...result.extensions, upstream: ctx.upstream.toJSON(), ...(stale.length > 0 ? { stale } : {}) };
          setResult({ ...result, extensions });
        },
      };
    },
  };
}
