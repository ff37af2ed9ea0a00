// The one place adapter errors become GraphQL errors, and the mask for everything else.
import { GraphQLError } from 'graphql';
import { AdapterError } from '../adapters/kit/errors.js';

/** The codes a client may see; anything else is masked. */
export const PUBLIC_ERROR_CODES = new Set([
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_UNAUTHORIZED',
  'UPSTREAM_BAD_RESPONSE',
  'UNSUPPORTED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'QUERY_TOO_COMPLEX',
  'RATE_LIMITED',
  'UPSTREAM_OUTCOME_UNKNOWN',
  'UPSTREAM_REJECTED',
  // Yoga's own codes for malformed GraphQL documents and variables, and for HTTP requests it refuses (a mutation over GET,
  // a request a browser could forge cross-site). A body over GATEWAY_MAX_BODY_BYTES becomes QUERY_TOO_COMPLEX (mask-error).
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  // Trusted documents (GATEWAY_PERSISTED_OPERATIONS_FILE): an unknown hash, or a raw document where only trusted ones run.
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_ONLY',
]);

/**
 * True for a GraphQLError of any copy of graphql-js: libraries may load its CommonJS build while we load its ES module
 * build, and `instanceof` fails across the two.
 */
export function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError || (error instanceof Error && error.name === 'GraphQLError' && 'extensions' in error);
}

/** The code an error carries: an adapter's, a GraphQL error's `extensions.code`, else INTERNAL_SERVER_ERROR. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof AdapterError) return error.code;
  const code = isGraphQLError(error) ? error.extensions?.code : undefined;
  return typeof code === 'string' ? code : 'INTERNAL_SERVER_ERROR';
}

/** Turns what a loader or adapter threw into a GraphQLError with the public code and the source. */
export function toGraphQLError(error: unknown): GraphQLError {
  if (isGraphQLError(error)) return error;
  if (error instanceof AdapterError) {
    const extensions: Record<string, unknown> = { code: error.code, source: error.source };
    if (error.retryAfter !== undefined) extensions.retryAfter = error.retryAfter;
    if (error.retrySafe !== undefined) extensions.retrySafe = error.retrySafe;
    if (error.providerMessages !== undefined) extensions.providerMessages = [...error.providerMessages];
    if (error.reconnect) extensions.reconnect = true;
    return new GraphQLError(error.message, { extensions });
  }
  return new GraphQLError('Unexpected error.', { originalError: error instanceof Error ? error : undefined });
}

/**
 * A field's error whose cause is an adapter's (a nested value of a lazily built model that could not be read): the
 * adapter's code and source at that field's path. Undefined for any other error.
 */
export function locatedAdapterError(error: GraphQLError): GraphQLError | undefined {
  if (!(error.originalError instanceof AdapterError)) return undefined;
  const mapped = toGraphQLError(error.originalError);
  return new GraphQLError(mapped.message, { nodes: error.nodes, path: error.path, extensions: mapped.extensions });
}

/** Creates a GraphQL error with a public code. */
export function userError(code: string, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/** True when the error may reach the client as it is. */
export function isPublicError(error: unknown): error is GraphQLError {
  if (!isGraphQLError(error)) return false;
  const code = error.extensions?.code;
  if (typeof code === 'string' && PUBLIC_ERROR_CODES.has(code)) return true;
  // Parse and validation errors carry no original error and no code of ours.
  return error.originalError === undefined || error.originalError === null;
}
