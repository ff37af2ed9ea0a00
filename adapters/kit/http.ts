// The one place that calls undici. Every adapter sends its requests through a client made here, so timeouts, error
// mapping, call accounting and (through middleware) rate limits and retries work the same for every provider.
import { request, type Dispatcher } from 'undici';
import { AdapterError, CallAbortedError, callAbortedError, isAbandoned, parseRetryAfter } from './errors.js';
import { markInexactNumbers } from './inexact-numbers.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What an adapter observes of one upstream call (for the per-response summary and metrics). */
export interface UpstreamCall {
  source: string;
  method: HttpMethod;
  path: string;
  status: number | null;
  durationMs: number;
  errorCode: string | null;
  /** True when the request left and no answer came back (a write's effect is then unknown). */
  answerLost?: boolean;
  /** True when the call was stopped because nobody waits for its answer (the client went away, or it was answered). */
  abandoned?: boolean;
}

/** Per-call context an adapter receives from the gateway: the request's deadline and an observer. */
export interface CallContext {
  /** Aborted by the caller; abort it with a `CallerAbort` reason so the abort is charged to its cause. */
  signal?: AbortSignal;
  /** Epoch ms by which the caller needs its answer: waits (retries, rate limits) must not pass it. */
  deadline?: number;
  onCall?: (call: UpstreamCall) => void;
  /**
   * Asked before each call (not before its retries) with the source's name: resolves when the caller's budget allows the
   * call, rejects with the refusal otherwise (the gateway's per-operation and per-client upstream budgets).
   */
  admit?: (source: string) => Promise<void>;
  /** Who the call is for (the gateway's client key): a provider's rate limiter shares its waiting in turn by party. */
  party?: string;
}

/** The call context out of a caller's options (which may carry more, such as a simulation context). */
export function callContextOf(options: CallContext): CallContext {
  return { signal: options.signal, deadline: options.deadline, onCall: options.onCall, admit: options.admit, party: options.party };
}

export interface HttpRequest extends CallContext {
  method: HttpMethod;
  /** Path below the client's base URL, starting with `/`. */
  path: string;
  /** The path's template when it carries an id (`/invoices/{id}`), for traces; ids never become span names. */
  route?: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  /** A JSON body already serialised (exact decimals spliced in as numbers, see exact-json.ts); sent as it is. */
  jsonText?: string;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Statuses the adapter handles itself instead of getting an error (404 for a lookup, say). */
  acceptStatus?: readonly number[];
  /** True when sending the request twice does no harm (reads, or writes carrying an idempotency key). */
  idempotent?: boolean;
  /** A full URL to call instead of base URL + path (token endpoints on another host). */
  url?: string;
  /**
   * True when the request carries the caller's own input (a write): the provider's 400, 409 or 422 is then the caller's
   * `BAD_USER_INPUT`. Otherwise the request is the gateway's own (a read, a listing, a token or discovery call) and any
   * 4xx but 401, 403, 404, 408 and 429 is `UPSTREAM_REJECTED`: never the caller's fault.
   */
  callerInput?: boolean;
  /** Reads the provider's validation messages out of its refusal of the caller's input (`extensions.providerMessages`). */
  providerMessages?: (body: unknown) => readonly string[];
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the provider said JSON, else the text. */
  body: unknown;
}

export type HttpSend = (req: HttpRequest) => Promise<HttpResponse>;
/** Wraps a send: rate limiting, retries, circuit breaking, auth refresh. */
export type HttpMiddleware = (req: HttpRequest, next: HttpSend) => Promise<HttpResponse>;

export interface HttpTimeouts {
  /** Time allowed until the response headers arrive. */
  headersMs: number;
  /** Time allowed between body chunks. */
  bodyMs: number;
}

export interface HttpClientOptions {
  source: string;
  baseUrl: string;
  dispatcher: Dispatcher;
  timeouts?: Partial<HttpTimeouts>;
  /** Headers added to every request (auth goes through middleware so it can refresh). */
  headers?: Record<string, string>;
  /** Outermost first. */
  middleware?: HttpMiddleware[];
  /** The most bytes one answer's body may have (GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES); DEFAULT_MAX_RESPONSE_BYTES unless given. */
  maxResponseBytes?: number;
  /**
   * Whether JSON numbers a double cannot carry are marked before parsing (inexact-numbers.ts), so an amount read from
   * one fails instead of being rounded. On unless `false`: a provider whose amounts are never JSON numbers (Fragment's
   * are strings of minor units) may skip the scan.
   */
  markInexactNumbers?: boolean;
}

/** The default bound on one upstream answer's body: 32 MiB. */
export const DEFAULT_MAX_RESPONSE_BYTES = 33_554_432;

export interface HttpClient {
  readonly source: string;
  send: HttpSend;
}

const DEFAULT_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, bodyMs: 10_000 };
/** How much later than our own timer undici's header and body timeouts fire. */
const BACKSTOP_MARGIN_MS = 1_000;

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);
/** Failures before the request left: the provider cannot have seen it. */
const NOT_SENT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The URL a request is sent to: base URL + path (or its own `url`), with its query. */
export function buildUrl(baseUrl: string, req: HttpRequest): string {
  const url = new URL(req.url ?? `${baseUrl.replace(/\/+$/, '')}${req.path}`);
  for (const [key, value] of Object.entries(req.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url.toString();
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value !== undefined) flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** How the provider's refusal of the caller's input is reported: at most this many messages, each at most this long. */
const MAX_PROVIDER_MESSAGES = 20;
const MAX_PROVIDER_MESSAGE_LENGTH = 500;

/** The status answers a refusal of the caller's own input (callerInput requests). */
const CALLER_INPUT_STATUSES = new Set([400, 409, 422]);

/**
 * Maps a non-2xx status to the public error code. `callerInput` says the request carried the caller's own input, so a
 * 400, 409 or 422 is theirs to fix (BAD_USER_INPUT, with `providerMessages` when given); any other 4xx but 401, 403,
 * 404, 408 and 429 is UPSTREAM_REJECTED, the provider refusing a request the gateway composed.
 */
export function errorForStatus(
  source: string,
  status: number,
  headers: Record<string, string>,
  refusal: { callerInput?: boolean; providerMessages?: readonly string[] } = {},
): AdapterError {
  const options = { source, status };
  if (status === 429) {
    return new AdapterError('UPSTREAM_RATE_LIMITED', `${source} is rate limiting requests`, {
      ...options,
      retryAfter: parseRetryAfter(headers['retry-after']),
    });
  }
  if (status === 401 || status === 403) {
    const challenge = /\berror="?([a-z_]+)/i.exec(headers['www-authenticate'] ?? '')?.[1];
    return new AdapterError('UPSTREAM_UNAUTHORIZED', `${source} refused the gateway's credentials`, { ...options, challenge });
  }
  if (status === 408 || status === 504) {
    return new AdapterError('UPSTREAM_TIMEOUT', `${source} timed out`, options);
  }
  if (status >= 500) return new AdapterError('UPSTREAM_UNAVAILABLE', `${source} is unavailable (HTTP ${status})`, options);
  if (status === 404) return new AdapterError('NOT_FOUND', `${source} has no such resource`, options);
  if (refusal.callerInput && CALLER_INPUT_STATUSES.has(status)) {
    const providerMessages = refusal.providerMessages?.length ? refusal.providerMessages : undefined;
    return new AdapterError('BAD_USER_INPUT', `${source} rejected the input (HTTP ${status})`, { ...options, providerMessages });
  }
  if (status >= 400) return new AdapterError('UPSTREAM_REJECTED', `${source} refused the gateway's request (HTTP ${status})`, options);
  return new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} answered with unexpected HTTP ${status}`, options);
}

/** The provider's messages out of its refusal of the caller's input, bounded; none when the body cannot be read. */
function providerMessagesOf(req: HttpRequest, contentType: string, text: string): readonly string[] | undefined {
  if (!req.providerMessages || !/[/+]json\b/i.test(contentType)) return undefined;
  try {
    return req
      .providerMessages(JSON.parse(text))
      .filter((message) => typeof message === 'string' && message.length > 0)
      .slice(0, MAX_PROVIDER_MESSAGES)
      .map((message) => message.slice(0, MAX_PROVIDER_MESSAGE_LENGTH));
  } catch {
    return undefined;
  }
}

/** Thrown into a call whose headers or body took longer than allowed; `byDeadline` when the caller's deadline set the limit. */
class CallTimeout extends Error {
  override name = 'CallTimeout';
  constructor(
    message: string,
    readonly byDeadline: boolean,
  ) {
    super(message);
  }
}

/**
 * A per-call timer: one budget until the headers arrive, a fresh one for the body, each cut to what is left before the
 * caller's deadline. undici has header and body timeouts of its own, but its timers tick coarsely; this one is exact,
 * and undici's stay as a backstop. A timer cut short by the deadline is the deadline's doing, not the provider's.
 */
function createCallTimer(timeouts: HttpTimeouts, outer: AbortSignal | undefined, deadline: number | undefined) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  // Bumped whenever the timer is re-armed or stopped, so a firing deferred past that does nothing.
  let generation = 0;
  const arm = (ms: number, phase: string) => {
    clearTimeout(timer);
    const armed = ++generation;
    const left = deadline === undefined ? Infinity : Math.max(0, deadline - Date.now());
    const byDeadline = left < ms;
    const wait = Math.min(ms, left);
    // Fired, the timer first lets the event loop read what already arrived: when this process stalled past the timeout,
    // an answer waiting in the socket is the provider's answer in time, and our own stall must not be charged to it.
    // Two turns of setImmediate put a whole poll phase (where sockets are read) in between, whichever phase we are in.
    timer = setTimeout(() => {
      setImmediate(() =>
        setImmediate(() => {
          if (armed === generation) controller.abort(new CallTimeout(`no ${phase} within ${wait} ms`, byDeadline));
        }),
      );
    }, wait);
  };
  arm(timeouts.headersMs, 'headers');
  const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
  return {
    signal,
    /** Whichever stopped the call first: our timer (a CallTimeout), the caller (its reason), or nothing. */
    stoppedBy: (): unknown => (signal.aborted ? signal.reason : undefined),
    headersArrived: () => arm(timeouts.bodyMs, 'body'),
    stop: () => {
      generation += 1;
      clearTimeout(timer);
    },
  };
}

function transportError(source: string, error: unknown, signal: AbortSignal | undefined, stoppedBy: unknown): AdapterError {
  if (error instanceof AdapterError) return error;
  const code = (error as { code?: string } | null)?.code;
  const answerLost = !(code && NOT_SENT_CODES.has(code));
  if (stoppedBy instanceof CallTimeout) {
    // Cut short by the caller's deadline: the request's budget ran out, the provider was not given its own.
    if (stoppedBy.byDeadline) return new CallAbortedError(source, 'deadline', { cause: error, answerLost });
    return new AdapterError('UPSTREAM_TIMEOUT', `${source} did not answer in time`, { source, cause: error, answerLost });
  }
  if (signal?.aborted) return callAbortedError(source, signal, answerLost);
  if (code && TIMEOUT_CODES.has(code)) {
    return new AdapterError('UPSTREAM_TIMEOUT', `${source} did not answer in time`, { source, cause: error, answerLost });
  }
  return new AdapterError('UPSTREAM_UNAVAILABLE', `${source} could not be reached`, { source, cause: error, answerLost });
}

/** The error of an answer cut for its size: the provider's doing, and sending the call again would bring the same. */
function tooLarge(source: string, maxBytes: number, status: number): AdapterError {
  return new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} answered with more than ${maxBytes} bytes (GATEWAY_MAX_UPSTREAM_RESPONSE_BYTES)`, {
    source,
    status,
    retryable: false,
  });
}

/**
 * The body as text, read chunk by chunk up to `maxBytes`: past it (or when Content-Length announces more) the body is
 * destroyed, which closes the connection, so a huge answer costs at most `maxBytes` of memory and is never read whole.
 */
async function readText(source: string, body: Dispatcher.ResponseData['body'], length: string | undefined, maxBytes: number, status: number): Promise<string> {
  if (length !== undefined && Number(length) > maxBytes) {
    body.destroy();
    throw tooLarge(source, maxBytes, status);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLarge(source, maxBytes, status);
    }
    chunks.push(chunk);
  }
  return chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks, size).toString('utf8');
}

async function readBody(source: string, contentType: string, text: string, exactNumbers: boolean): Promise<unknown> {
  if (!/[/+]json\b/i.test(contentType)) return text;
  if (text === '') return null;
  try {
    // A number a double cannot carry becomes a marker no amount schema accepts, instead of being rounded.
    return JSON.parse(exactNumbers ? markInexactNumbers(text) : text) as unknown;
  } catch (error) {
    throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} answered with malformed JSON`, { source, cause: error });
  }
}

/** Creates the HTTP client of one source. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { source, baseUrl, dispatcher } = options;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const exactNumbers = options.markInexactNumbers !== false;

  const sendOnce: HttpSend = async (req) => {
    const started = performance.now();
    let status: number | null = null;
    const headers: Record<string, string> = { ...options.headers, ...req.headers };
    let body: string | undefined;
    if (req.jsonText !== undefined) {
      body = req.jsonText;
      headers['content-type'] ??= 'application/json';
    } else if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    } else if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    if (req.signal?.aborted) throw callAbortedError(source, req.signal);
    const timer = createCallTimer(timeouts, req.signal, req.deadline);
    try {
      const response = await request(buildUrl(baseUrl, req), {
        dispatcher,
        method: req.method,
        headers,
        body,
        signal: timer.signal,
        // A backstop only: later than our own timer, so it never races it (nor our stall check).
        headersTimeout: timeouts.headersMs + BACKSTOP_MARGIN_MS,
        bodyTimeout: timeouts.bodyMs + BACKSTOP_MARGIN_MS,
      });
      timer.headersArrived();
      status = response.statusCode;
      const responseHeaders = flattenHeaders(response.headers);
      const text = await readText(source, response.body, responseHeaders['content-length'], maxResponseBytes, status);
      timer.stop();
      const ok = (status >= 200 && status < 300) || req.acceptStatus?.includes(status);
      if (!ok) {
        const callerInput = req.callerInput === true && CALLER_INPUT_STATUSES.has(status);
        const providerMessages = callerInput ? providerMessagesOf(req, responseHeaders['content-type'] ?? '', text) : undefined;
        throw errorForStatus(source, status, responseHeaders, { callerInput: req.callerInput, providerMessages });
      }
      const parsed = await readBody(source, responseHeaders['content-type'] ?? '', text, exactNumbers);
      req.onCall?.({ source, method: req.method, path: req.path, status, durationMs: performance.now() - started, errorCode: null });
      return { status, headers: responseHeaders, body: parsed };
    } catch (error) {
      timer.stop();
      const mapped = transportError(source, error, req.signal, timer.stoppedBy());
      req.onCall?.({
        source,
        method: req.method,
        path: req.path,
        status,
        durationMs: performance.now() - started,
        errorCode: mapped.code,
        answerLost: mapped.answerLost,
        ...(isAbandoned(mapped) ? { abandoned: true } : {}),
      });
      throw mapped;
    }
  };

  const send = (options.middleware ?? []).reduceRight<HttpSend>(
    (next, middleware) => (req) => middleware(req, next),
    sendOnce,
  );
  return { source, send };
}
