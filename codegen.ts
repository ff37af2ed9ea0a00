import type { CodegenConfig } from '@graphql-codegen/cli';

// Resolver types generated from the public schema; src/__generated__ is committed and checked fresh by `npm test`.
const config: CodegenConfig = {
  schema: 'schema/*.graphql',
  generates: {
    'src/__generated__/resolvers.ts': {
      plugins: ['typescript', 'typescript-resolvers'],
      config: {
        useIndexSignature: false,
        enumsAsTypes: true,
        useTypeImports: true,
        mapperTypeSuffix: 'Model',
        contextType: '../context.js#GatewayContext',
        scalars: { Decimal: 'string', DateTime: 'string', Date: 'string' },
        mappers: {
          Invoice: '../model-refs.js#InvoiceRef',
          Payment: '../model-refs.js#PaymentRef',
          BatchPayment: '../model-refs.js#BatchPaymentRef',
          Money: '../../adapters/kit/money.js#Money',
          Balance: '../../adapters/kit/model.js#Balance',
          BalanceAmounts: '../../adapters/kit/model.js#BalanceAmounts',
          Charge: '../../adapters/kit/model.js#Charge',
          ChargeBreakdown: '../../adapters/kit/model.js#ChargeBreakdown',
          LineItem: '../../adapters/kit/model.js#LineItem',
          Party: '../../adapters/kit/model.js#Party',
          InvoiceComponent: '../../adapters/kit/model.js#InvoiceComponent',
          RelatedInvoice: '../model-refs.js#RelatedInvoiceRef',
          Source: '../model-refs.js#SourceRef',
          BalanceSummary: '../model-refs.js#BalanceSummaryRef',
          InvoiceConnection: '../listing/connection.js#InvoiceConnectionRef',
          InvoiceEdge: '../listing/connection.js#InvoiceEdgeRef',
          InvoiceChangeEvent: '../events/change-event.js#InvoiceChangeEventRef',
        },
      },
    },
  },
  hooks: { afterOneFileWrite: [] },
};

export default config;
