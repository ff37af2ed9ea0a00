// The one shape of a limit's refusal: QUERY_TOO_COMPLEX naming the limit, its maximum and what was found.
import type { GraphQLError } from 'graphql';
import { userError } from '../errors.js';
import { LIMIT_VARIABLES, type LimitSettings } from './limit-settings.js';

export interface TooComplexDetails {
  limit: keyof LimitSettings;
  maximum: number;
  /** What the operation has (omitted when only "more than the maximum" is known). */
  found?: number;
  /** True when the refusal comes before execution: the whole request is refused with HTTP 400, like a validation error. */
  beforeExecution?: boolean;
  extensions?: Record<string, unknown>;
}

/** A QUERY_TOO_COMPLEX error; `message` says what was counted, the rest is added here. */
export function tooComplex(message: string, details: TooComplexDetails): GraphQLError {
  const variable = LIMIT_VARIABLES[details.limit];
  return userError('QUERY_TOO_COMPLEX', `${message} (limit ${details.maximum}, ${variable})`, {
    ...details.extensions,
    limit: variable,
    maximum: details.maximum,
    ...(details.found !== undefined ? { found: details.found } : {}),
    // Like a validation error: 400 for application/graphql-response+json, 200 for plain application/json (GraphQL over HTTP).
    ...(details.beforeExecution ? { http: { status: 400, spec: true } } : {}),
  });
}
