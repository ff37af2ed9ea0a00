// The loopback HTTP server every provider simulator is built on: routing, call counting, in-flight tracking and
// fault injection (latency, error statuses, 429 with Retry-After, connection resets, answers lost after the request was
// served, malformed or truncated bodies).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SandboxRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON or form body; undefined when empty. */
  body: unknown;
  /** True when an injected `badItem` fault applies: the handler corrupts one item of its answer. */
  badItem: boolean;
}

export interface SandboxResponse {
  status: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

export interface SandboxRoute {
  /** A short name the call log counts by (`batch-get`, `token`, ...). */
  name: string;
  method: string;
  /** Matched against the path; capture groups are passed to the handler. */
  path: RegExp;
  handler: (req: SandboxRequest, params: string[]) => SandboxResponse | Promise<SandboxResponse>;
}

export interface SandboxCall {
  name: string;
  method: string;
  path: string;
  query: string;
  status: number;
  headers: Record<string, string>;
  /** The parsed request body (JSON or form), so tests can see what a POST asked for. */
  body?: unknown;
  /** For a `hugeBodyBytes` fault: how many bytes of the body were written before the answer ended or the client hung up. */
  bytesSent?: number;
}

/** A fault applied to the requests it matches, `times` times (or until cleared). */
export interface FaultPlan {
  /** Only requests whose route name is listed (all when omitted). */
  routes?: string[];
  latencyMs?: number;
  /** Answer this status instead of the real answer. */
  status?: number;
  /** With `status`: the share of requests that fail, 0..1, drawn from a seeded generator. */
  rate?: number;
  /** With status 429 or 503: the Retry-After header, in seconds. */
  retryAfter?: number;
  /** Destroy the connection without answering. */
  reset?: boolean;
  /** Serve the request (a write takes effect), then destroy the connection instead of answering: the answer is lost. */
  dropAnswer?: boolean;
  /** Never answer (until the client gives up). */
  hang?: boolean;
  /** Answer 200 with a body that is not JSON. */
  malformedJson?: boolean;
  /** Answer 200 with a Content-Length longer than the body, then close. */
  truncatedBody?: boolean;
  /** Let the handler corrupt one item of an otherwise good answer. */
  badItem?: boolean;
  /**
   * Answer 200 with a JSON body of this many bytes, streamed without Content-Length as fast as the client reads it (a
   * provider answering a list far larger than expected). The call log's `bytesSent` says how much went out.
   */
  hugeBodyBytes?: number;
  /**
   * Rewrite the first JSON number of this field in the real answer with digits past what a double carries
   * (`115.5` -> `115.500000000000000001`): what JSON.parse would round without a word.
   */
  inexactNumberField?: string;
  /** How many matching requests the fault applies to; unlimited when omitted. */
  times?: number;
}

export interface CallLog {
  /** Calls served, optionally only those of one route. */
  count(name?: string): number;
  list(): readonly SandboxCall[];
  /** The most requests that were ever in flight at once. */
  readonly maxInFlight: number;
  reset(): void;
}

export interface FaultControl {
  inject(plan: FaultPlan): void;
  clear(): void;
}

export interface SandboxHandle {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly calls: CallLog;
  readonly faults: FaultControl;
  close(): Promise<void>;
}

/** A small deterministic generator (mulberry32), so seeded data and fault rates repeat run after run. */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const piece of req) chunks.push(piece as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) flat[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The answer as JSON text with the first number of `field` given more digits than a double carries. */
function withInexactNumber(answer: SandboxResponse, field: string): SandboxResponse {
  if (answer.json === undefined) return answer;
  const escaped = field.replace(/[^A-Za-z0-9_]/g, '');
  const text = JSON.stringify(answer.json).replace(
    new RegExp(`("${escaped}":)(-?\\d+)(\\.\\d+)?`),
    (_match, key: string, whole: string, fraction = '.') => `${key}${whole}${fraction}00000000000000001`,
  );
  return { status: answer.status, text, headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers } };
}

/**
 * Streams a well-formed JSON body of `total` bytes without Content-Length, writing only when the client reads (so
 * the simulator itself holds little), and stops when the client hangs up.
 */
function streamHugeBody(res: ServerResponse, call: SandboxCall, total: number): void {
  const head = Buffer.from('{"data":{"invoices":[],"padding":"');
  const tail = Buffer.from('"}}');
  const filler = Buffer.alloc(64 * 1024, 0x78);
  let sent = 0;
  const write = (bytes: Buffer): boolean => {
    sent += bytes.length;
    call.bytesSent = sent;
    return res.write(bytes);
  };
  res.writeHead(200, { 'content-type': 'application/json' });
  write(head);
  const pump = (): void => {
    while (!res.destroyed) {
      const left = total - sent - tail.length;
      if (left <= 0) {
        res.end(tail, () => void (call.bytesSent = sent + tail.length));
        return;
      }
      if (!write(left >= filler.length ? filler : filler.subarray(0, left))) {
        res.once('drain', pump);
        return;
      }
    }
  };
  pump();
}

/** Starts a simulator on 127.0.0.1 (a random port unless one is given). */
export async function startSandboxServer(
  routes: SandboxRoute[],
  options: { port?: number; seed?: number } = {},
): Promise<SandboxHandle> {
  let calls: SandboxCall[] = [];
  let plans: FaultPlan[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const random = createSeededRandom(options.seed ?? 1);
  const hanging = new Set<ServerResponse>();

  const takeFault = (routeName: string): FaultPlan | undefined => {
    for (const plan of plans) {
      if (plan.routes && !plan.routes.includes(routeName)) continue;
      if (plan.rate !== undefined && random() >= plan.rate) continue;
      if (plan.times !== undefined) {
        plan.times -= 1;
        if (plan.times <= 0) plans = plans.filter((p) => p !== plan);
      }
      return plan;
    }
    return undefined;
  };

  const send = (res: ServerResponse, answer: SandboxResponse): void => {
    const headers = { ...answer.headers };
    let payload = answer.text ?? '';
    if (answer.json !== undefined) {
      payload = JSON.stringify(answer.json);
      headers['content-type'] ??= 'application/json; charset=utf-8';
    } else {
      headers['content-type'] ??= 'text/plain; charset=utf-8';
    }
    res.writeHead(answer.status, { ...headers, 'content-length': Buffer.byteLength(payload) });
    res.end(payload);
  };

  const server = createServer(async (req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
      hanging.delete(res);
    });
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const route = routes.find((r) => r.method === req.method && r.path.test(url.pathname));
    const name = route?.name ?? 'unknown';
    const call: SandboxCall = {
      name,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      status: 0,
      headers: flatHeaders(req),
    };
    calls.push(call);
    try {
      const body = await readBody(req);
      call.body = body;
      const fault = takeFault(name);
      if (fault?.latencyMs) await sleep(fault.latencyMs);
      if (fault?.hang) {
        hanging.add(res);
        return;
      }
      if (fault?.reset) {
        req.socket.destroy();
        return;
      }
      if (fault?.status) {
        call.status = fault.status;
        const headers: Record<string, string> = {};
        if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
        return send(res, { status: fault.status, text: 'injected fault', headers });
      }
      if (fault?.malformedJson) {
        call.status = 200;
        return send(res, { status: 200, text: '{"data": [ this is not json', headers: { 'content-type': 'application/json' } });
      }
      if (fault?.hugeBodyBytes) {
        call.status = 200;
        streamHugeBody(res, call, fault.hugeBodyBytes);
        return;
      }
      if (fault?.truncatedBody) {
        call.status = 200;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 4096 });
        res.write('{"data": {"invoices": [');
        res.socket?.destroySoon();
        return;
      }
      if (!route) {
        call.status = 404;
        return send(res, { status: 404, json: { error: 'not_found', message: `no route for ${req.method} ${url.pathname}` } });
      }
      const params = route.path.exec(url.pathname)?.slice(1).map((p) => decodeURIComponent(p)) ?? [];
      let answer = await route.handler(
        { method: call.method, path: url.pathname, query: url.searchParams, headers: call.headers, body, badItem: fault?.badItem === true },
        params,
      );
      if (fault?.inexactNumberField) answer = withInexactNumber(answer, fault.inexactNumberField);
      call.status = answer.status;
      if (fault?.dropAnswer) {
        req.socket.destroy();
        return;
      }
      send(res, answer);
    } catch (error) {
      call.status = 500;
      send(res, { status: 500, json: { error: 'internal', message: error instanceof Error ? error.message : 'error' } });
    }
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    calls: {
      count: (routeName) => (routeName ? calls.filter((c) => c.name === routeName).length : calls.length),
      list: () => calls,
      get maxInFlight() {
        return maxInFlight;
      },
      reset() {
        calls = [];
        maxInFlight = inFlight;
      },
    },
    faults: {
      inject: (plan) => {
        plans.push({ ...plan });
      },
      clear: () => {
        plans = [];
      },
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
