// The one question loaders and resolvers ask before a source is touched: may this request's client read from it, or
// create at it? A refusal is FORBIDDEN for that item alone, and nothing is sent upstream.
import type { GraphQLError } from 'graphql';
import { userError } from '../errors.js';
import type { RegisteredSource, SourceRegistry } from '../source-registry.js';
import { canCreate, canPay, canRead, type ClientIdentity, type GrantedOperation } from './client.js';

// The part of a request's context grants read (not GatewayContext itself: the loaders import this file, and the context
// imports the loaders).
interface WithClient {
  client: ClientIdentity;
}

/** The FORBIDDEN error for `client` asking `operation` of `source`. */
export function forbiddenError(client: ClientIdentity, source: string, operation: GrantedOperation): GraphQLError {
  const what = operation === 'read' ? 'read data of' : operation === 'pay' ? 'record payments at' : 'create invoices at';
  return userError('FORBIDDEN', `client "${client.name}" may not ${what} source "${source}"`, { source });
}

/** Throws FORBIDDEN unless the request's client may read `source`. */
export function assertCanRead(ctx: WithClient, source: string): void {
  if (!canRead(ctx.client, source)) throw forbiddenError(ctx.client, source, 'read');
}

/** Throws FORBIDDEN unless the request's client may create invoices at `source`. */
export function assertCanCreate(ctx: WithClient, source: string): void {
  if (!canCreate(ctx.client, source)) throw forbiddenError(ctx.client, source, 'create');
}

/** Throws FORBIDDEN unless the request's client may record and delete payments at `source`. */
export function assertCanPay(ctx: WithClient, source: string): void {
  if (!canPay(ctx.client, source)) throw forbiddenError(ctx.client, source, 'pay');
}

/** The configured sources the request's client may read, in registry order (for lists and `sources`). */
export function readableSources(ctx: WithClient & { registry: SourceRegistry }): RegisteredSource[] {
  return ctx.registry.list().filter((source) => canRead(ctx.client, source.name));
}
