// A configured source: its kind, health and capabilities, read from the registry.
import type { SourceResolvers } from '../__generated__/resolvers.js';
import { capabilitiesOf } from '../source-registry.js';
import type { GatewayContext } from '../context.js';

function registered(name: string, ctx: GatewayContext) {
  const source = ctx.registry.get(name);
  if (!source) throw new Error(`source ${name} vanished from the registry`);
  return source;
}

export const Source: SourceResolvers = {
  name: (source) => source.name,
  kind: (source, _args, ctx) => registered(source.name, ctx).kind.toUpperCase() as 'FRAGMENT' | 'KORINT' | 'XERO',
  health: (source, _args, ctx) => registered(source.name, ctx).health.current(),
  capabilities: (source, _args, ctx) => capabilitiesOf(registered(source.name, ctx).adapter),
};
