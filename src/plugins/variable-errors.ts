// A variable the operation cannot take (the wrong type for `ID!`, a required one missing or null) is the caller's
// error: graphql-js refuses it before execution, with an uncoded error that wraps the scalar's own (and would be masked
// as INTERNAL_SERVER_ERROR and logged as ours). Each becomes BAD_USER_INPUT naming the variable, HTTP 400, unlogged.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { isGraphQLError } from '../errors.js';

const VARIABLE_ERROR = /^Variable "\$([^"]+)" /;

/** The caller's error for a variable graphql-js refused; undefined for any other error. */
export function variableError(error: unknown): GraphQLError | undefined {
  if (!isGraphQLError(error) || error.path !== undefined) return undefined;
  const name = VARIABLE_ERROR.exec(error.message)?.[1];
  if (name === undefined) return undefined;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    extensions: { code: 'BAD_USER_INPUT', variable: name, http: { status: 400 } },
  });
}

export function useVariableErrors(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          // Variables are refused before execution: the answer then has errors and no data at all.
          if (!('errors' in result) || !result.errors || 'data' in result) return;
          setResult({ ...result, errors: result.errors.map((error) => variableError(error) ?? error) });
        },
      };
    },
  };
}
