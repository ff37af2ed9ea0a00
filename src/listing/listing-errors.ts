// Errors a listInvoices page reports beside its data (a failing or forbidden source): the connection itself is served,
// so the errors cannot be thrown; they are kept per request and added to the response by useListingErrors.
import type { GraphQLError } from 'graphql';

const byRequest = new WeakMap<object, GraphQLError[]>();

/** Keeps an error to report with the response of the request whose context is `ctx`. */
export function reportListingError(ctx: object, error: GraphQLError): void {
  const errors = byRequest.get(ctx);
  if (errors) errors.push(error);
  else byRequest.set(ctx, [error]);
}

/** The errors kept for the request whose context is `ctx`. */
export function listingErrorsOf(ctx: object): readonly GraphQLError[] {
  return byRequest.get(ctx) ?? [];
}
