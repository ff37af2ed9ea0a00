// Errors with a public code reach the client as they are; anything else becomes `Unexpected error.` and is logged.
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import type { AdapterError } from '../../adapters/kit/errors.js';
import { isGraphQLError, isPublicError, locatedAdapterError } from '../errors.js';
import type { UpstreamFailureLog } from '../telemetry/upstream-failure-log.js';

/** Yoga refuses a body over `maxRequestBodySize` with its own code; to the client it is one more request limit. */
function bodyLimitError(error: GraphQLError): GraphQLError {
  return new GraphQLError('The request body is larger than GATEWAY_MAX_BODY_BYTES allows', {
    extensions: { code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_BODY_BYTES', http: { status: 413 } },
    originalError: error,
  });
}

/** Yoga's maskError option: keeps coded errors, masks and logs the rest; upstream failures go to `failures`. */
export function maskError(logger: Logger, failures?: UpstreamFailureLog) {
  return (error: unknown): Error => {
    if (isGraphQLError(error) && error.extensions?.code === 'REQUEST_ENTITY_TOO_LARGE') return bodyLimitError(error);
    if (isPublicError(error)) return error;
    const located = isGraphQLError(error) ? locatedAdapterError(error) : undefined;
    if (located) {
      const cause = (error as GraphQLError).originalError as AdapterError;
      if (failures) failures.record(logger, cause.source, cause);
      else logger.warn({ err: cause, path: located.path }, 'field failed upstream');
      return located;
    }
    const original = isGraphQLError(error) ? (error.originalError ?? error) : error;
    const path = isGraphQLError(error) ? error.path : undefined;
    logger.error({ err: original, path }, 'masked error');
    return new GraphQLError('Unexpected error.', {
      path,
      nodes: isGraphQLError(error) ? error.nodes : undefined,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  };
}
