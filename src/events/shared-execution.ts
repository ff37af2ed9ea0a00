// One execution per event and selection, however many subscribers asked for it: subscribers of one replica that sent
// the same document with the same variables get the same result for an event. Safe because every subscriber an event
// reaches may read its source (the hub checks the grants before delivering), the event's invoice and everything nested
// in it come from that one source, and the event is resolved in its own scope (loaders, deadline, budgets), not in any
// subscriber's; each subscriber's own stream still runs its plugins (masking, extensions). Without this the delivery
// time of an event grows with the number of subscribers (bench:events).
import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import type { PreparedEvent } from './event-hub.js';
import { currentEventOf } from './subscription-results.js';
import type { SubscriptionItem } from './subscription-source.js';

type Shared = WeakMap<DocumentNode, Map<string, Promise<ExecutionResult>>>;

/** Maps each item of `source` through `map`, passing `return` on (the subscriber went away). */
function mapItems<T, R>(source: AsyncIterator<T>, map: (item: T) => Promise<R>): AsyncIterableIterator<R> {
  const iterator: AsyncIterableIterator<R> = {
    [Symbol.asyncIterator]: () => iterator,
    async next() {
      const step = await source.next();
      return step.done ? { value: undefined, done: true } : { value: await map(step.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error) {
      await source.return?.();
      throw error;
    },
  };
  return iterator;
}

export function useSharedEventExecution(): Plugin<GatewayContext> {
  const results = new WeakMap<PreparedEvent, Shared>();
  const executeShared = (args: ExecutionArgs, item: SubscriptionItem): Promise<ExecutionResult> => {
    // A subscriber's own last word (its token expired, it fell behind) is its own.
    if (!('id' in item)) {
      currentEventOf.delete(args.contextValue as object);
      return Promise.resolve(execute({ ...args, rootValue: item }));
    }
    currentEventOf.set(args.contextValue as object, item);
    let byDocument = results.get(item);
    if (!byDocument) results.set(item, (byDocument = new WeakMap()));
    let byVariables = byDocument.get(args.document);
    if (!byVariables) byDocument.set(args.document, (byVariables = new Map()));
    const key = `${args.operationName ?? ''}|${JSON.stringify(args.variableValues ?? {})}`;
    let result = byVariables.get(key);
    if (!result) {
      result = Promise.resolve(execute({ ...args, rootValue: item }));
      byVariables.set(key, result);
    }
    return result;
  };
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args) => {
        const stream = await createSourceEventStream(args);
        if (!isAsyncIterable(stream)) return stream;
        return mapItems(stream[Symbol.asyncIterator]() as AsyncIterator<SubscriptionItem>, (item) => executeShared(args, item));
      });
    },
  };
}
