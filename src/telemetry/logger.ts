// The process's logger (pino, JSON lines). Nothing the gateway logs carries a credential by construction; redaction is a
// second line of defence for fields that would, should one ever be logged by mistake.
import pino, { type DestinationStream, type Logger } from 'pino';

const SECRET_FIELDS = ['authorization', 'cookie', 'x-api-key', 'clientSecret', 'accessToken', 'token', 'apiKey', 'password', 'secret'];

/** Paths pino redacts, at the top level and one or two levels down (`headers.authorization`, `req.headers.cookie`). */
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => {
  const key = /^[A-Za-z_]\w*$/.test(field) ? `.${field}` : `["${field}"]`;
  return [key.replace(/^\./, ''), `*${key}`, `*.*${key}`];
});

export interface LoggerOptions {
  level: string;
  /** Where lines go (stdout by default); tests capture them. */
  destination?: DestinationStream;
}

/** Creates the gateway's logger. */
export function createLogger(options: LoggerOptions): Logger {
  const settings = { level: options.level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
