// The process's logger (pino, JSON lines). Nothing the gateway logs carries a credential by construction; redaction is a
// second line of defence for fields that would, should one ever be logged by mistake.
import pino, { type DestinationStream, type Logger } from 'pino';
import { createSecretRedactor } from './redact-secrets.js';

/** Fields redacted at the top level and one or two levels down (`headers.authorization`, `req.headers.cookie`). */
export const SECRET_FIELDS = ['authorization', 'cookie', 'x-api-key', 'clientSecret', 'accessToken', 'token', 'apiKey', 'password', 'secret'];

export interface LoggerOptions {
  level: string;
  /** Where lines go (stdout by default); tests capture them. */
  destination?: DestinationStream;
}

/** Creates the gateway's logger. */
export function createLogger(options: LoggerOptions): Logger {
  const redact = createSecretRedactor(SECRET_FIELDS);
  const settings: pino.LoggerOptions = {
    level: options.level,
    formatters: { log: redact },
    // pino serializes an error after the formatters (its inherited enumerable fields included): redacted after that.
    serializers: { err: (error: Error) => redact(pino.stdSerializers.err(error) as unknown as Record<string, unknown>) },
    hooks: {
      // Objects given as format arguments (`logger.info('%o', value)`) never reach the formatters.
      logMethod(args, method) {
        if (args.length > 1 && typeof args[0] === 'string') {
          const redacted = args.map((arg, n) => (n > 0 && arg !== null && typeof arg === 'object' ? redact(arg as Record<string, unknown>) : arg));
          return method.apply(this, redacted as Parameters<typeof method>);
        }
        return method.apply(this, args);
      },
    },
  };
  const logger = options.destination ? pino(settings, options.destination) : pino(settings);
  // A child's bindings skip the formatters; every child (and its children, which inherit this) redacts them here.
  const child = logger.child as unknown as (this: Logger, bindings: Record<string, unknown>, options?: unknown) => Logger;
  logger.child = function redactedChild(this: Logger, bindings: Record<string, unknown>, childOptions?: unknown) {
    return child.call(this, redact(bindings), childOptions);
  } as unknown as Logger['child'];
  return logger;
}
