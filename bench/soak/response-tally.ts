// Reads every soak answer: its outcome, each error's code and source, and anything the design forbids a client to see
// (a masked error, an error without a code or with a code outside the list, an upstream error without its source, a
// rate limit without its Retry-After, a provider's body text). Keeps a few examples of each anomaly so a report can be acted on.
import { PUBLIC_ERROR_CODES } from '../../src/errors.js';
import { EXPECTED_CLIENT_CODES } from './query-mix.js';

interface GraphQLErrorJson {
  message?: unknown;
  path?: unknown;
  extensions?: Record<string, unknown>;
}

interface AnswerJson {
  data?: Record<string, unknown> | null;
  errors?: GraphQLErrorJson[];
  extensions?: { upstream?: Record<string, { calls?: number; failedCalls?: number; errors?: Array<{ code: string; count: number }> }> };
}

export type Anomaly =
  | 'masked'
  | 'uncoded'
  | 'unknownCode'
  | 'upstreamWithoutSource'
  | 'rateLimitedWithoutRetryAfter'
  | 'leak'
  | 'unexpectedClientCode'
  | 'notGraphQL';

export interface AnomalyExample {
  anomaly: Anomaly;
  kind: string;
  status: number;
  error?: GraphQLErrorJson;
  body?: string;
}

// Text only a provider's raw answer (or our credentials) would carry: the sandboxes' fault bodies among them.
const LEAK = /injected fault|this is not json|bearer|client_secret|access_token/i;
const EXAMPLES_PER_ANOMALY = 5;

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** Creates an empty tally. */
export function createResponseTally() {
  const byOutcome: Record<string, number> = {};
  const byStatus: Record<string, number> = {};
  const byKind: Record<string, Record<string, number>> = {};
  const codes: Record<string, Record<string, number>> = {};
  const codesByKind: Record<string, Record<string, number>> = {};
  const anomalies: Record<Anomaly, number> = {
    masked: 0, uncoded: 0, unknownCode: 0, upstreamWithoutSource: 0, rateLimitedWithoutRetryAfter: 0, leak: 0, unexpectedClientCode: 0, notGraphQL: 0,
  };
  const examples: AnomalyExample[] = [];
  const upstream: Record<string, { calls: number; failedCalls: number; errors: number }> = {};
  let responses = 0;
  let errorCount = 0;

  const flag = (anomaly: Anomaly, example: Omit<AnomalyExample, 'anomaly'>) => {
    anomalies[anomaly] += 1;
    if (examples.filter((e) => e.anomaly === anomaly).length < EXAMPLES_PER_ANOMALY) examples.push({ anomaly, ...example });
  };

  const outcomeOf = (answer: AnswerJson): string => {
    const errors = answer.errors ?? [];
    if (errors.length === 0) return 'ok';
    const data = answer.data;
    const anyData = data != null && Object.values(data).some((value) => value !== null);
    return anyData ? 'partial' : 'error';
  };

  return {
    /** Records one answer of `kind` with HTTP `status`. */
    record(kind: string, status: number, body: string): void {
      responses += 1;
      bump(byStatus, String(status));
      let answer: AnswerJson;
      try {
        answer = JSON.parse(body) as AnswerJson;
        if (answer === null || typeof answer !== 'object' || (!('data' in answer) && !('errors' in answer))) throw new Error('not a GraphQL answer');
      } catch {
        bump(byOutcome, 'not-graphql');
        bump((byKind[kind] ??= {}), 'not-graphql');
        flag('notGraphQL', { kind, status, body: body.slice(0, 300) });
        return;
      }
      const outcome = outcomeOf(answer);
      bump(byOutcome, outcome);
      bump((byKind[kind] ??= {}), outcome);
      for (const [source, s] of Object.entries(answer.extensions?.upstream ?? {})) {
        const total = (upstream[source] ??= { calls: 0, failedCalls: 0, errors: 0 });
        total.calls += s.calls ?? 0;
        total.failedCalls += s.failedCalls ?? 0;
        total.errors += (s.errors ?? []).reduce((sum, e) => sum + e.count, 0);
      }
      for (const error of answer.errors ?? []) {
        errorCount += 1;
        const code = error.extensions?.code;
        const source = error.extensions?.source;
        bump((codes[typeof code === 'string' ? code : '(no code)'] ??= {}), typeof source === 'string' ? source : '(none)');
        bump((codesByKind[kind] ??= {}), typeof code === 'string' ? code : '(no code)');
        const example = { kind, status, error };
        if (error.message === 'Unexpected error.' || code === 'INTERNAL_SERVER_ERROR') flag('masked', example);
        if (typeof code !== 'string') flag('uncoded', example);
        else if (!PUBLIC_ERROR_CODES.has(code)) flag('unknownCode', example);
        else if (code.startsWith('UPSTREAM_') && typeof source !== 'string') flag('upstreamWithoutSource', example);
        if (code === 'UPSTREAM_RATE_LIMITED' && !(typeof error.extensions?.retryAfter === 'number' && error.extensions.retryAfter > 0)) {
          flag('rateLimitedWithoutRetryAfter', example);
        }
        // Client codes (a bad id, a missing object) only where the request asked for them.
        if ((code === 'BAD_USER_INPUT' || code === 'NOT_FOUND') && !EXPECTED_CLIENT_CODES[kind]?.includes(code)) {
          flag('unexpectedClientCode', example);
        }
        if (LEAK.test(String(error.message)) || LEAK.test(JSON.stringify(error.extensions ?? {}))) flag('leak', example);
      }
    },
    summary() {
      return { responses, byOutcome, byStatus, byKind, errors: errorCount, codes, codesByKind, anomalies, examples, upstream };
    },
  };
}

export type ResponseTally = ReturnType<typeof createResponseTally>;
