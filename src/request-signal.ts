// The abort signal of one GraphQL request. It aborts when the client goes away, the request's deadline passes or the
// answer has been sent, each time with a CallerAbort naming the cause, so an upstream call it stops is charged to that
// cause (the client, the deadline) and never to the provider.
import { CallerAbort, type AbortCause } from '../adapters/kit/errors.js';

export interface RequestSignal {
  signal: AbortSignal;
  /** Epoch ms of the deadline. */
  deadline: number;
  /** Aborts with `cause` (the answer was sent, a limit of the operation stopped it). */
  abort(cause: AbortCause, message?: string): void;
}

/** Every answered request ends with this abort: one instance, as capturing a stack per request shows in the profile. */
const RESPONSE_SENT = new CallerAbort('response-sent');

/** Creates the signal of a request whose client signal is `client` and whose deadline is `timeoutMs` away. */
export function createRequestSignal(client: AbortSignal | undefined, timeoutMs: number): RequestSignal {
  const controller = new AbortController();
  const deadline = Date.now() + timeoutMs;
  const abort = (cause: AbortCause, message?: string) => {
    if (controller.signal.aborted) return;
    clearTimeout(timer);
    client?.removeEventListener('abort', onClientAbort);
    controller.abort(cause === 'response-sent' && message === undefined ? RESPONSE_SENT : new CallerAbort(cause, message));
  };
  const onClientAbort = () => abort('client', 'the client went away');
  const timer = setTimeout(() => abort('deadline', 'the request deadline passed'), timeoutMs);
  // The timer must not keep a stopping process alive; the answer being sent clears it anyway.
  timer.unref();
  if (client?.aborted) onClientAbort();
  else client?.addEventListener('abort', onClientAbort, { once: true });
  return { signal: controller.signal, deadline, abort };
}
