// createInvoice: validated here, created at a source that can (Fragment), idempotent on the caller's invoiceId.
import type { MutationResolvers } from '../__generated__/resolvers.js';
import { defaultCurrencies } from '../../adapters/kit/currencies.js';
import { toGraphQLError, userError } from '../errors.js';
import type { GatewayContext } from '../context.js';
import { fromSource } from '../model-refs.js';
import { canCreate } from '../access/client.js';
import { assertCanCreate, forbiddenError } from '../access/grants.js';

const MAX_INVOICE_ID = 128;

function pickSource(ctx: GatewayContext, requested: string | null | undefined) {
  if (requested) {
    const source = ctx.registry.get(requested);
    if (!source) throw userError('BAD_USER_INPUT', `unknown source "${requested.slice(0, 60)}"`);
    // Grants first: a client learns nothing of a source it may not create at, not even what it can do.
    assertCanCreate(ctx, source.name);
    if (!source.adapter.createInvoice) {
      throw userError('UNSUPPORTED', `source "${requested}" cannot create invoices`, { source: requested });
    }
    return source;
  }
  const all = ctx.registry.list().filter((s) => s.adapter.createInvoice);
  if (all.length === 0) throw userError('UNSUPPORTED', 'no configured source can create invoices');
  // Without a named source, only the sources this client may create at are candidates.
  const able = all.filter((s) => canCreate(ctx.client, s.name));
  if (able.length === 1) return able[0];
  if (able.length === 0) throw forbiddenError(ctx.client, all[0].name, 'create');
  throw userError('BAD_USER_INPUT', `several sources can create invoices (${able.map((s) => s.name).join(', ')}): name one with "source"`);
}

export const createInvoice: NonNullable<MutationResolvers['createInvoice']> = async (_root, { input }, ctx) => {
  const invoiceId = input.invoiceId.trim();
  if (invoiceId === '' || invoiceId.length > MAX_INVOICE_ID) {
    throw userError('BAD_USER_INPUT', `invoiceId must be 1 to ${MAX_INVOICE_ID} characters`);
  }
  if (input.lineItems.length === 0) throw userError('BAD_USER_INPUT', 'an invoice needs at least one line item');
  input.lineItems.forEach((line, index) => {
    if (defaultCurrencies.scaleOf(line.currency) === undefined) {
      throw userError('BAD_USER_INPUT', `lineItems[${index}].currency "${line.currency.slice(0, 12)}" is not a known currency`);
    }
  });
  const source = pickSource(ctx, input.source);
  try {
    const invoice = await source.adapter.createInvoice!(
      {
        invoiceId,
        lineItems: input.lineItems.map((line) => ({
          amount: line.amount,
          currency: line.currency.toUpperCase(),
          description: line.description,
          productId: line.productId,
          direction: line.type,
          userId: line.userId,
        })),
      },
      { signal: ctx.signal, deadline: ctx.deadline, onCall: (call) => ctx.upstream.record(call), admit: ctx.budget?.admitUpstream, party: ctx.budget?.clientKey },
    );
    // Written through to the entity cache: a read right after the create costs no provider call.
    await ctx.loaders.remember(source.name, invoice);
    ctx.writes?.invoicesWritten({
      source: source.name,
      invoiceRemoteIds: [invoice.remoteId],
      kind: 'CREATED',
      operation: 'createInvoice',
      client: ctx.client.name,
      at: new Date().toISOString(),
    });
    // Subscribers hear of it at once, whichever replica they are on (src/events).
    await ctx.events?.publishInvoiceChange(source.name, invoice, 'CREATED');
    return fromSource(source.name, invoice);
  } catch (error) {
    ctx.onUpstreamError(source.name, error);
    throw toGraphQLError(error);
  }
};
