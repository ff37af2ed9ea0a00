// invoiceChanged: the event source and each event's scope live in src/events; these resolvers only hand over.
import type { InvoiceChangeEventResolvers, SubscriptionResolvers } from '../__generated__/resolvers.js';
import { userError } from '../errors.js';
import type { GatewayContext } from '../context.js';
import type { SubscriptionItem } from '../events/subscription-source.js';

export const Subscription: SubscriptionResolvers = {
  invoiceChanged: {
    subscribe: (_root, args, ctx) => {
      if (!ctx.events) throw userError('UNSUPPORTED', 'this gateway serves no change notifications');
      return ctx.events.subscribe(ctx, args) as never;
    },
    resolve: (item: unknown, _args: unknown, ctx: GatewayContext) => ctx.events!.enter(ctx, item as SubscriptionItem),
  },
};

export const InvoiceChangeEvent: InvoiceChangeEventResolvers = {
  // An invoice that could not be fetched answers its error here; the event itself stands.
  invoice: (event) => {
    if (event.invoiceError) throw event.invoiceError;
    return event.invoice;
  },
};
