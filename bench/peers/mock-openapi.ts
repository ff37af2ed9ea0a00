// The OpenAPI description of the bench mock's `POST /invoices/batch-get`, for GraphQL Mesh (Hive Gateway's peer).
// It names the fields the wire carries, as Fragment documents them; amounts are integer strings in minor units.

const amounts = { type: 'object', properties: { actual: { type: 'string' }, expected: { type: 'string' }, remaining: { type: 'string' } } };
const balance = {
  type: 'object',
  properties: { currency: { type: 'string' }, net: { $ref: '#/components/schemas/Amounts' }, payins: { $ref: '#/components/schemas/Amounts' }, payouts: { $ref: '#/components/schemas/Amounts' } },
};
const tag = { type: 'object', properties: { key: { type: 'string' }, value: { type: 'string' } } };

/** The OpenAPI 3.0 document, with `origin` as its server. */
export function mockOpenApi(origin: string): Record<string, unknown> {
  return {
    openapi: '3.0.3',
    info: { title: 'Fragment invoices (bench mock)', version: '1.0.0' },
    servers: [{ url: origin }],
    paths: {
      '/invoices/batch-get': {
        post: {
          operationId: 'batchGetInvoices',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { type: 'object', required: ['ids'], properties: { ids: { type: 'array', items: { type: 'string' } } } } } },
          },
          responses: {
            '200': {
              description: 'The invoices found, and the ids not found.',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      data: {
                        type: 'object',
                        properties: {
                          invoices: { type: 'array', items: { $ref: '#/components/schemas/Invoice' } },
                          not_found: { type: 'array', items: { type: 'string' } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Amounts: amounts,
        Balance: balance,
        Tag: tag,
        Invoice: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: { type: 'string' },
            created: { type: 'string' },
            modified: { type: 'string' },
            balances: { type: 'array', items: { $ref: '#/components/schemas/Balance' } },
            users: {
              type: 'array',
              items: { type: 'object', properties: { id: { type: 'string' }, external_id: { type: 'string' }, balances: { type: 'array', items: { $ref: '#/components/schemas/Balance' } } } },
            },
            line_items: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  id: { type: 'string' },
                  amount: { type: 'string' },
                  currency_code: { type: 'string' },
                  description: { type: 'string' },
                  product_id: { type: 'string' },
                  type: { type: 'string' },
                  user_id: { type: 'string' },
                },
              },
            },
            payments: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  amount: { type: 'string' },
                  currency: { type: 'string' },
                  posted: { type: 'string' },
                  type: { type: 'string' },
                  transaction: { type: 'object', properties: { id: { type: 'string' }, external_id: { type: 'string' }, tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } } } },
                },
              },
            },
            tags: { type: 'array', items: { $ref: '#/components/schemas/Tag' } },
          },
        },
      },
    },
  };
}
