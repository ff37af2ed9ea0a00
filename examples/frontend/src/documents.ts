// The operations this frontend sends. Each one is named: the client preset needs names, and the gateway's metrics and
// logs are kept per operation name.
import { graphql } from './gql/index.js';

export const InvoicesOverview = graphql(`
  query InvoicesOverview($ids: [ID!]!) {
    invoices(ids: $ids) {
      id
      number
      status
      dueAt
      total { amount currency minorUnits scale }
      amountDue { amount currency }
    }
  }
`);

export const CreateInvoice = graphql(`
  mutation CreateInvoice($input: CreateInvoiceInput!) {
    createInvoice(input: $input) {
      id
      status
      total { amount currency }
    }
  }
`);
