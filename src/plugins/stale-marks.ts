// Adds `extensions.stale` to a response that served cached copies in place of a failing provider's answer:
// `[{ id, ageMs }]`, one per item, so the client knows which data may be out of date and by how much.
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';

export function useStaleMarks(): Plugin<GatewayContext> {
  return {
    onExecute({ args }) {
      const ctx = args.contextValue as GatewayContext;
      return {
        onExecuteDone({ result, setResult }) {
          if (!('data' in result) && !('errors' in result)) return;
          const stale = ctx.stale?.list() ?? [];
          if (stale.length > 0) setResult({ ...result, extensions: { ...result.extensions, stale } });
        },
      };
    },
  };
}
