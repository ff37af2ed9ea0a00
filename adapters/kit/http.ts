// The one place that calls undici. Every adapter sends its requests through a client made here, so timeouts, error
// mapping, call accounting and (through middleware) rate limits and retries work the same for every provider.
import { request, type Dispatcher } from 'undici';
import { AdapterError, parseRetryAfter } from './errors.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What an adapter observes of one upstream call (for the per-response summary and metrics). */
export interface UpstreamCall {
  source: string;
  method: HttpMethod;
  path: string;
  status: number | null;
  durationMs: number;
  errorCode: string | null;
}

/** Per-call context an adapter receives from the gateway: the request's deadline and an observer. */
export interface CallContext {
  signal?: AbortSignal;
  /** Epoch ms by which the caller needs its answer: waits (retries, rate limits) must not pass it. */
  deadline?: number;
  onCall?: (call: UpstreamCall) => void;
  /**
   * Asked before each call (not before its retries) with the source's name: resolves when the caller's budget allows the
   * call, rejects with the refusal otherwise (the gateway's per-operation and per-client upstream budgets).
   */
  admit?: (source: string) => Promise<void>;
}

/** The call context out of a caller's options (which may carry more, such as a simulation context). */
export function callContextOf(options: CallContext): CallContext {
  return { signal: options.signal, deadline: options.deadline, onCall: options.onCall, admit: options.admit };
}

export interface HttpRequest extends CallContext {
  method: HttpMethod;
  /** Path below the client's base URL, starting with `/`. */
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  headers?: Record<string, string>;
  /** Statuses the adapter handles itself instead of getting an error (404 for a lookup, say). */
  acceptStatus?: readonly number[];
  /** True when sending the request twice does no harm (reads, or writes carrying an idempotency key). */
  idempotent?: boolean;
  /** A full URL to call instead of base URL + path (token endpoints on another host). */
  url?: string;
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
}

export interface HttpClient {
  readonly source: string;
  send: HttpSend;
}

const DEFAULT_TIMEOUTS: HttpTimeouts = { headersMs: 10_000, bodyMs: 10_000 };

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function buildUrl(baseUrl: string, req: HttpRequest): string {
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

/** Maps a non-2xx status to the public error code. */
export function errorForStatus(source: string, status: number, headers: Record<string, string>): AdapterError {
  const options = { source, status };
  if (status === 429) {
    return new AdapterError('UPSTREAM_RATE_LIMITED', `${source} is rate limiting requests`, {
      ...options,
      retryAfter: parseRetryAfter(headers['retry-after']),
    });
  }
  if (status === 401 || status === 403) {
    return new AdapterError('UPSTREAM_UNAUTHORIZED', `${source} refused the gateway's credentials`, options);
  }
  if (status === 408 || status === 504) {
    return new AdapterError('UPSTREAM_TIMEOUT', `${source} timed out`, options);
  }
  if (status >= 500) return new AdapterError('UPSTREAM_UNAVAILABLE', `${source} is unavailable (HTTP ${status})`, options);
  if (status === 404) return new AdapterError('NOT_FOUND', `${source} has no such resource`, options);
  if (status === 400 || status === 409 || status === 422) {
    return new AdapterError('BAD_USER_INPUT', `${source} rejected the request (HTTP ${status})`, options);
  }
  return new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} answered with unexpected HTTP ${status}`, options);
}

/** Thrown into a call whose headers or body took longer than the source's timeout. */
class CallTimeout extends Error {
  override name = 'CallTimeout';
}

/**
 * A per-call timer: one budget until the headers arrive, a fresh one for the body. undici has header and body timeouts
 * of its own, but its timers tick coarsely; this one is exact, and undici's stay as a backstop.
 */
function createCallTimer(timeouts: HttpTimeouts, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const arm = (ms: number, phase: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new CallTimeout(`no ${phase} within ${ms} ms`)), ms);
  };
  arm(timeouts.headersMs, 'headers');
  return {
    signal: outer ? AbortSignal.any([outer, controller.signal]) : controller.signal,
    timedOut: () => controller.signal.aborted,
    headersArrived: () => arm(timeouts.bodyMs, 'body'),
    stop: () => clearTimeout(timer),
  };
}

function transportError(source: string, error: unknown, signal: AbortSignal | undefined, timedOut: boolean): AdapterError {
  if (error instanceof AdapterError) return error;
  const code = (error as { code?: string } | null)?.code;
  if (timedOut) {
    return new AdapterError('UPSTREAM_TIMEOUT', `${source} did not answer in time`, { source, cause: error });
  }
  if (signal?.aborted) {
    return new AdapterError('UPSTREAM_TIMEOUT', `${source} did not answer before the request's deadline`, {
      source,
      cause: error,
    });
  }
  if (code && TIMEOUT_CODES.has(code)) {
    return new AdapterError('UPSTREAM_TIMEOUT', `${source} did not answer in time`, { source, cause: error });
  }
  return new AdapterError('UPSTREAM_UNAVAILABLE', `${source} could not be reached`, { source, cause: error });
}

async function readBody(source: string, contentType: string, text: string): Promise<unknown> {
  if (!/[/+]json\b/i.test(contentType)) return text;
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AdapterError('UPSTREAM_BAD_RESPONSE', `${source} answered with malformed JSON`, { source, cause: error });
  }
}

/** Creates the HTTP client of one source. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const { source, baseUrl, dispatcher } = options;
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };

  const sendOnce: HttpSend = async (req) => {
    const started = performance.now();
    let status: number | null = null;
    const headers: Record<string, string> = { ...options.headers, ...req.headers };
    let body: string | undefined;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] ??= 'application/json';
    } else if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    const timer = createCallTimer(timeouts, req.signal);
    try {
      const response = await request(buildUrl(baseUrl, req), {
        dispatcher,
        method: req.method,
        headers,
        body,
        signal: timer.signal,
        headersTimeout: timeouts.headersMs,
        bodyTimeout: timeouts.bodyMs,
      });
      timer.headersArrived();
      status = response.statusCode;
      const responseHeaders = flattenHeaders(response.headers);
      const text = await response.body.text();
      timer.stop();
      const ok = (status >= 200 && status < 300) || req.acceptStatus?.includes(status);
      if (!ok) throw errorForStatus(source, status, responseHeaders);
      const parsed = await readBody(source, responseHeaders['content-type'] ?? '', text);
      req.onCall?.({ source, method: req.method, path: req.path, status, durationMs: performance.now() - started, errorCode: null });
      return { status, headers: responseHeaders, body: parsed };
    } catch (error) {
      timer.stop();
      const mapped = transportError(source, error, req.signal, timer.timedOut());
      req.onCall?.({
        source,
        method: req.method,
        path: req.path,
        status,
        durationMs: performance.now() - started,
        errorCode: mapped.code,
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
