// What `npm start` says once it listens: readable lines on a terminal, one JSON log line otherwise (for log shippers).
// URLs are shown without user info or query, so a credential in a configured URL is never printed.

export interface StartupSummary {
  mode: 'sandbox' | 'providers';
  graphql: string;
  health: string;
  ready: string;
  metrics: string;
  /** `auth`: how the source gets its credentials (a token never renewed, a refresh token of a connection, ...). */
  sources: Array<{ name: string; kind: string; url: string; auth?: string }>;
  tracing: string;
  logLevel: string;
  /** What about this start would surprise (src/telemetry/start-notices.ts): each one sentence. */
  notices: string[];
}

/** A URL without user info, query or fragment. */
export function publicUrl(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

/** The summary as lines for a person at a terminal. */
export function formatStartupSummary(summary: StartupSummary): string {
  const width = Math.max(...summary.sources.map((s) => `${s.name} (${s.kind})`.length), 0);
  return [
    `invoice-gateway ready${summary.mode === 'sandbox' ? ' (built-in sandbox providers)' : ''}`,
    `  GraphQL, GraphiQL  ${summary.graphql}`,
    `  health, ready      ${summary.health}  ${summary.ready}`,
    `  metrics            ${summary.metrics}`,
    `  tracing            ${summary.tracing}`,
    `  log level          ${summary.logLevel}`,
    `  sources`,
    ...summary.sources.map((s) => `    ${`${s.name} (${s.kind})`.padEnd(width)}  ${s.url}${s.auth ? `  (${s.auth})` : ''}`),
    ...(summary.notices.length > 0 ? ['  notices', ...summary.notices.map((notice) => `    ! ${notice}`)] : []),
  ].join('\n');
}
