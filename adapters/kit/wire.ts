// Validating a provider's payload against its wire schema, with a clear error that names the source.
import type { z } from 'zod';
import { AdapterError } from './errors.js';

/** Parses `body` with `schema`; a mismatch is the provider's fault: UPSTREAM_BAD_RESPONSE, naming the first bad path. */
export function parseWire<T extends z.ZodType>(source: string, schema: T, body: unknown, what: string): z.output<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} sent a malformed ${what}${where}`, {
    source,
    cause: result.error,
  });
}

/** Runs a pure mapping and turns a money or shape error into UPSTREAM_BAD_RESPONSE for that item alone. */
export function mapOrError<T>(source: string, what: string, map: () => T): T | AdapterError {
  try {
    return map();
  } catch (error) {
    if (error instanceof AdapterError) return error;
    // The reason stays in `cause` for the logs: it may quote the provider's data, which never reaches a client.
    return new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} sent a ${what} the gateway cannot read`, {
      source,
      cause: error,
    });
  }
}

/**
 * The error a lazily built field throws when its value cannot be read (an amount in a currency nobody knows): the
 * resolver reading it reports UPSTREAM_BAD_RESPONSE at that field's path, and the rest of the item is served.
 */
export function nestedValueError(source: string, what: string, error: unknown): AdapterError {
  if (error instanceof AdapterError) return error;
  return new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} sent ${what} the gateway cannot read`, { source, cause: error });
}
