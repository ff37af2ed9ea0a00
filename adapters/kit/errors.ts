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
  | 'UPSTREAM_OUTCOME_UNKNOWN'
  | 'UNSUPPORTED'
  // The provider refused a request the gateway composed itself (a 4xx to a read, a listing, a token or discovery call).
  | 'UPSTREAM_REJECTED'
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
  /** True when the request left for the provider and no answer came back (its effect, for a write, is unknown). */
  answerLost?: boolean;
  /** For UPSTREAM_OUTCOME_UNKNOWN: true when re-sending the same input cannot duplicate the write. */
  retrySafe?: boolean;
  /** The provider's own messages about the caller's input (validation errors), never its raw body. */
  providerMessages?: readonly string[];
  /** For UPSTREAM_UNAUTHORIZED: true when only a new consent helps (the connection's refresh token was refused). */
  reconnect?: boolean;
  /** The `error` of a 401/403's `WWW-Authenticate: Bearer` challenge (`invalid_token`, `insufficient_scope`). */
  challenge?: string;
}

/** An error tied to one source, with a public code. */
export class AdapterError extends Error {
  override name = 'AdapterError';
  readonly code: AdapterErrorCode;
  readonly source: string;
  readonly retryAfter?: number;
  readonly status?: number;
  readonly retryable: boolean;
  readonly answerLost: boolean;
  readonly retrySafe?: boolean;
  readonly providerMessages?: readonly string[];
  readonly reconnect?: boolean;
  readonly challenge?: string;

  constructor(code: AdapterErrorCode, message: string, options: AdapterErrorOptions) {
    super(message, { cause: options.cause });
    this.code = code;
    this.source = options.source;
    this.retryAfter = options.retryAfter;
    this.status = options.status;
    this.retryable = options.retryable ?? true;
    this.answerLost = options.answerLost ?? false;
    this.retrySafe = options.retrySafe;
    this.providerMessages = options.providerMessages;
    this.reconnect = options.reconnect;
    this.challenge = options.challenge;
  }
}

/** Who stopped waiting for a call: the client went away, the request's deadline passed, its answer was sent, or a limit. */
export type AbortCause = 'client' | 'deadline' | 'response-sent' | 'limit';

/**
 * The reason a caller aborts its signal with, so the HTTP helper can charge the abort to its cause. A signal aborted
 * with anything else counts as the client's doing.
 */
export class CallerAbort extends Error {
  override name = 'CallerAbort';
  constructor(
    readonly by: AbortCause,
    message: string = `stopped: ${by}`,
  ) {
    super(message);
  }
}

/**
 * A call the caller stopped before the provider answered. Never the provider's fault: circuit breakers do not count
 * it and retries do not repeat it. Its code is QUERY_TOO_COMPLEX ("stopped during execution"): only a deadline or a
 * limit makes it reach a client, since a client that went away reads no answer.
 */
export class CallAbortedError extends AdapterError {
  override name = 'CallAbortedError';
  readonly by: AbortCause;

  constructor(source: string, by: AbortCause, options: { cause?: unknown; answerLost?: boolean; message?: string } = {}) {
    super('QUERY_TOO_COMPLEX', options.message ?? abortMessage(source, by), {
      source,
      cause: options.cause,
      retryable: false,
      answerLost: options.answerLost,
    });
    this.by = by;
  }
}

function abortMessage(source: string, by: AbortCause): string {
  switch (by) {
    case 'deadline':
      return `the request's deadline passed before ${source} answered (stopped during execution)`;
    case 'limit':
      return `a limit of this operation stopped the call to ${source}`;
    case 'response-sent':
      return `the answer was sent before ${source} answered`;
    default:
      return `the client went away before ${source} answered`;
  }
}

/** The abort of `signal` as a CallAbortedError of `source`, charged to the cause the signal's reason names. */
export function callAbortedError(source: string, signal: AbortSignal | undefined, answerLost = false): CallAbortedError {
  const reason: unknown = signal?.reason;
  if (reason instanceof CallAbortedError) return reason;
  const by = reason instanceof CallerAbort ? reason.by : 'client';
  const message = reason instanceof CallerAbort && by === 'limit' ? reason.message : undefined;
  return new CallAbortedError(source, by, { cause: reason, answerLost, message });
}

/**
 * True for a call stopped because nobody waits for its answer any more (the client went away, or the answer was already
 * sent): neither the provider's failure nor an error any client reads, so it is counted as neither.
 */
export function isAbandoned(error: unknown): boolean {
  return error instanceof CallAbortedError && (error.by === 'client' || error.by === 'response-sent');
}

/** True for errors worth retrying on a read: the provider may answer next time. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof AdapterError &&
    error.retryable &&
    (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_RATE_LIMITED' || error.code === 'UPSTREAM_TIMEOUT')
  );
}

/** True for a provider that stayed silent for a call's whole timeout (no status, the request had left). */
export function isSilence(error: unknown): boolean {
  return error instanceof AdapterError && error.code === 'UPSTREAM_TIMEOUT' && error.status === undefined && error.answerLost;
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
