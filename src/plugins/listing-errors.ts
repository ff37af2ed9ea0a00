// Adds the errors listInvoices kept (a failing or forbidden source) to the response, beside the served connection.
import type { Plugin } from 'graphql-yoga';
import { listingErrorsOf } from '../listing/listing-errors.js';

export function useListingErrors(): Plugin {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result, setResult }) {
          const errors = listingErrorsOf(args.contextValue as object);
          if (errors.length === 0 || !('data' in result)) return;
          setResult({ ...result, errors: [...(result.errors ?? []), ...errors] });
        },
      };
    },
  };
}
