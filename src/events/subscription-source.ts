// The event source of one `invoiceChanged` subscription: its arguments checked against the client's grants, a slot
// taken, then the events after `after` (or Last-Event-ID) replayed from the log in order, then the live ones, without a
// gap or a repeat at the seam. The subscription ends when the client goes away, when its token expires (with a last
// UNAUTHENTICATED error), or when it falls too far behind.
import type { GraphQLError } from 'graphql';
import type { InvoiceStatus } from '../../adapters/kit/model.js';
import { canRead } from '../access/client.js';
import { forbiddenError } from '../access/grants.js';
import type { GatewayContext } from '../context.js';
import { userError } from '../errors.js';
import { parseGlobalId } from '../ids.js';
import { describeCaller, rateLimitKey } from '../limits/client-key.js';
import { compareEventIds, isEventId } from './change-event.js';
import type { EventLog } from './event-log.js';
import { matches, type EventHub, type PreparedEvent, type SubscriberFilter } from './event-hub.js';
import type { SubscriptionSlots } from './subscription-limits.js';

export interface InvoiceChangedArgs {
  filter?: { sources?: readonly string[] | null; ids?: readonly string[] | null; statuses?: readonly InvoiceStatus[] | null } | null;
  after?: string | null;
}

/** What the subscription yields: an event, or a last error before it ends. */
export type SubscriptionItem = PreparedEvent | { end: GraphQLError };

export interface SubscriptionDependencies {
  log: EventLog;
  hub: EventHub;
  slots: SubscriptionSlots;
  maxIds: number;
  /** Events a subscriber may have waiting before it is ended as too slow. */
  maxBacklog?: number;
}

const REPLAY_PAGE = 500;

/** The filter of the arguments, checked: unknown sources and malformed ids are BAD_USER_INPUT, ungranted ones FORBIDDEN. */
export function readChangeFilter(ctx: GatewayContext, args: InvoiceChangedArgs, maxIds: number): SubscriberFilter {
  if (!ctx.client.operations.includes('read')) throw forbiddenError(ctx.client, ctx.registry.list()[0]?.name ?? 'any', 'read');
  const filter: SubscriberFilter = {};
  const given = args.filter ?? {};
  if (given.sources && given.sources.length > 0) {
    for (const source of given.sources) {
      if (!ctx.registry.get(source)) throw userError('BAD_USER_INPUT', `unknown source "${source.slice(0, 60)}"`);
      if (!canRead(ctx.client, source)) throw forbiddenError(ctx.client, source, 'read');
    }
    filter.sources = new Set(given.sources);
  }
  if (given.ids && given.ids.length > 0) {
    if (given.ids.length > maxIds) throw userError('BAD_USER_INPUT', `filter.ids holds ${given.ids.length} ids; at most ${maxIds}`);
    for (const id of given.ids) {
      const parsed = parseGlobalId(id, ctx.registry.names, 'Invoice');
      if (!canRead(ctx.client, parsed.source)) throw forbiddenError(ctx.client, parsed.source, 'read');
    }
    filter.ids = new Set(given.ids);
  }
  if (given.statuses && given.statuses.length > 0) filter.statuses = new Set(given.statuses);
  return filter;
}

/** Opens the event source of one subscription. */
export async function openChangeSubscription(
  ctx: GatewayContext,
  args: InvoiceChangedArgs,
  deps: SubscriptionDependencies,
): Promise<AsyncIterableIterator<SubscriptionItem>> {
  const filter = readChangeFilter(ctx, args, deps.maxIds);
  const after = args.after ?? ctx.lastEventId ?? undefined;
  if (after !== undefined && !isEventId(after)) {
    throw userError('BAD_USER_INPUT', `after "${after.slice(0, 40)}" is not an event id (an InvoiceChangeEvent.id, like 1735689600000-0)`);
  }
  if (ctx.client.expiresAt !== undefined && ctx.client.expiresAt <= Date.now()) throw userError('UNAUTHENTICATED', 'the token has expired');
  const address = ctx.budget?.clientKey ?? rateLimitKey(ctx.client, 'local');
  const release = await deps.slots.acquire(address, ctx.budget?.caller ?? describeCaller(ctx.client, 'local'));

  const maxBacklog = deps.maxBacklog ?? 10_000;
  const queue: SubscriptionItem[] = [];
  let waiting: ((result: IteratorResult<SubscriptionItem>) => void) | undefined;
  let done = false;
  let live = false;
  const early: PreparedEvent[] = [];
  let lastId = after;
  let expiry: NodeJS.Timeout | undefined;

  const finish = () => {
    if (done) return;
    done = true;
    remove();
    release();
    if (expiry) clearTimeout(expiry);
    if (queue.length === 0 && waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  };
  const emit = (item: SubscriptionItem) => {
    if (done) return;
    if ('id' in item) {
      // Replay and live overlap at the seam (and Redis readers lag): each event once, in log order.
      if (lastId !== undefined && compareEventIds(item.id, lastId) <= 0) return;
      lastId = item.id;
    }
    if (waiting) {
      const resolve = waiting;
      waiting = undefined;
      resolve({ value: item, done: false });
      if ('end' in item) finish();
      return;
    }
    queue.push(item);
    if (queue.length > maxBacklog) {
      queue.length = 0;
      queue.push({ end: userError('RATE_LIMITED', `the subscriber fell more than ${maxBacklog} events behind; subscribe again with after: "${lastId}"`) });
    }
  };
  const endWith = (error: GraphQLError) => {
    emit({ end: error });
  };

  const remove = deps.hub.add({
    client: ctx.client,
    filter,
    deliver: (event) => (live ? emit(event) : early.push(event)),
    close: () => finish(),
  });
  if (ctx.client.expiresAt !== undefined) {
    expiry = setTimeout(() => endWith(userError('UNAUTHENTICATED', 'the token has expired: subscribe again with a new one')), Math.min(ctx.client.expiresAt - Date.now(), 2 ** 31 - 1));
    expiry.unref();
  }

  try {
    if (after !== undefined) {
      let cursor = after;
      for (;;) {
        const page = await deps.log.readAfter(cursor, REPLAY_PAGE);
        for (const logged of page) {
          const prepared = deps.hub.prepare(logged);
          if (matches({ client: ctx.client, filter }, prepared)) emit(prepared);
          cursor = logged.id;
        }
        if (page.length < REPLAY_PAGE || done) break;
      }
    }
  } catch (error) {
    finish();
    throw userError('UPSTREAM_UNAVAILABLE', 'the event log could not be read to replay missed events; subscribe again', { cause: String(error) });
  }
  for (const event of early.splice(0)) emit(event);
  live = true;

  const iterator: AsyncIterableIterator<SubscriptionItem> = {
    [Symbol.asyncIterator]() {
      return iterator;
    },
    async next() {
      const item = queue.shift();
      if (item) {
        // The error is shown, then the subscription ends.
        if ('end' in item) finish();
        return { value: item, done: false };
      }
      if (done) return { value: undefined, done: true };
      return new Promise((resolve) => (waiting = resolve));
    },
    async return() {
      finish();
      queue.length = 0;
      return { value: undefined, done: true };
    },
    async throw(error) {
      finish();
      throw error;
    },
  };
  return iterator;
}
