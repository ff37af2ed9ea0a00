// What each subscription result carries beside its data: `extensions.eventId` (the id to resume from, whatever the
// client selected) and `extensions.stale` when the invoice is a cached copy standing in for a failing provider. Over
// SSE every event also gets an `id:` line, so EventSource and other SSE clients resume with `Last-Event-ID`.
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import type { PreparedEvent } from './event-hub.js';

/** The event each subscription context is resolving now (set before its execution, read after it). */
export const currentEventOf = new WeakMap<object, PreparedEvent>();

const NEXT = /^event: next\n/;
const EVENT_ID = /"eventId":"(\d{1,16}-\d{1,16})"/g;

/** Adds `id: <eventId>` to every `next` event of an SSE body (messages are split on blank lines, as SSE defines). */
function withEventIds(body: ReadableStream<Uint8Array>, fetchAPI: { TextEncoder: typeof TextEncoder; TextDecoder: typeof TextDecoder }): ReadableStream<Uint8Array> {
  const decoder = new fetchAPI.TextDecoder();
  const encoder = new fetchAPI.TextEncoder();
  let pending = '';
  const rewrite = (message: string): string => {
    if (!NEXT.test(message)) return message;
    let id: string | undefined;
    for (const match of message.matchAll(EVENT_ID)) id = match[1];
    return id ? message.replace(NEXT, `event: next\nid: ${id}\n`) : message;
  };
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        pending += decoder.decode(chunk, { stream: true });
        let end = pending.indexOf('\n\n');
        while (end >= 0) {
          controller.enqueue(encoder.encode(`${rewrite(pending.slice(0, end))}\n\n`));
          pending = pending.slice(end + 2);
          end = pending.indexOf('\n\n');
        }
      },
      flush(controller) {
        if (pending) controller.enqueue(encoder.encode(pending));
      },
    }),
  );
}

export function useSubscriptionResults(): Plugin<GatewayContext> {
  return {
    onSubscribe({ args }) {
      const ctx = args.contextValue as GatewayContext;
      return {
        onSubscribeResult() {
          return {
            onNext({ result, setResult }) {
              const event = currentEventOf.get(ctx);
              const eventId = event?.id;
              const stale = event?.stale ? [event.stale] : [];
              if (!eventId && stale.length === 0) return;
              setResult({ ...result, extensions: { ...result.extensions, ...(eventId ? { eventId } : {}), ...(stale.length > 0 ? { stale } : {}) } });
            },
          };
        },
      };
    },
    onResultProcess({ request, result, resultProcessor, setResultProcessor }) {
      if (!resultProcessor || !isAsyncIterable(result) || !(request.headers.get('accept') ?? '').includes('text/event-stream')) return;
      const inner = resultProcessor;
      setResultProcessor(async (value, fetchAPI, mediaType) => {
        const response = await inner(value, fetchAPI, mediaType);
        if (!response.body || !(response.headers.get('content-type') ?? '').startsWith('text/event-stream')) return response;
        return new fetchAPI.Response(withEventIds(response.body, fetchAPI), { status: response.status, headers: response.headers });
      }, 'text/event-stream');
    },
  };
}
