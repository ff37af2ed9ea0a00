// The errors adapters raise. The gateway turns them into GraphQL errors in one place; nothing here is sent to a client
// except `code`, `source`, `retryAfter` and a message written by us (never an upstream body, header or token).

/** The codes an adapter error can carry; the same list as the public error codes. */
export type AdapterErrorCode =
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_UNAUTHORIZED'
  | 'UPSTREAM_BAD_RESPONSE'
  | 'UNSUPPORTED'
  // Refusals of the gateway's own budgets (src/limits): no call was made, and the provider is not at fault.
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED';

export interface AdapterErrorOptions {
  source: string;
  /** Seconds to wait before trying again (rate limits). */
  retryAfter?: number;
  /** The upstream HTTP status, for logs and retry decisions. */
  status?: number;
  /** The underlying error, for logs only. */
  cause?: unknown;
  /** False when another attempt is pointless, or an inner layer already made its retries. */
  retryable?: boolean;
}

/** An error tied to one source, with a public code. */
export class AdapterError extends Error {
  override name = 'AdapterError';
  readonly code: AdapterErrorCode;
  readonly source: string;
  readonly retryAfter?: number;
  readonly status?: number;
  readonly retryable: boolean;

  constructor(code: AdapterErrorCode, message: string, options: AdapterErrorOptions) {
    super(message, { cause: options.cause });
    this.code = code;
    this.source = options.source;
    this.retryAfter = options.retryAfter;
    this.status = options.status;
    this.retryable = options.retryable ?? true;
  }
}

/** True for errors worth retrying on a read: the provider may answer next time. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof AdapterError &&
    error.retryable &&
    (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_RATE_LIMITED' || error.code === 'UPSTREAM_TIMEOUT')
  );
}

/** Parses a Retry-After header (seconds or an HTTP date) into whole seconds, or undefined. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed));
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
