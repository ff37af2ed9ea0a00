// The payment writes against recorded Xero answers (undici MockAgent, net connect disabled): the bodies sent are checked
// against Xero's OpenAPI description (the extract's `Payments`, `BatchPayments` and `PaymentDelete` schemas, with no
// property the schema does not declare, none of its read-only ones) and against the shape of its request examples; the
// amounts are JSON numbers written from their exact text; the Idempotency-Key header is sent; and the spec's answers
// (a 200 carrying validation errors, the batch and deletion examples, a ValidationException) become the model or the
// errors a client is given.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { load, JSON_SCHEMA } from 'js-yaml';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../../adapters/kit/errors.js';
import { exactDecimal, stringifyExact } from '../../../adapters/kit/exact-json.js';
import type { UpstreamCall } from '../../../adapters/kit/http.js';
import { formatAmount } from '../../../adapters/kit/money.js';
import { xeroSettingsSchema } from '../../../adapters/xero/settings.js';
import { createXeroAdapter } from '../../../adapters/xero/xero-adapter.js';
import { recordRequest, type RecordedRequest } from '../../support/recorded-request.js';

const ORIGIN = 'https://api.xero.test';
const TENANT = '2f7e1d3c-5b4a-4c9d-8e7f-6a5b4c3d2e1f';
const INVOICE = 'c7c37b83-ac95-45ea-88ba-8ad83a5f22fe';
const KEY = 'igw-Qm9yZWFsaXMtMTIzNDU2Nzg5MDEyMzQ1Njc4OTAxMjM0NTY3ODkw';

type Json = Record<string, any>;
const spec = load(readFileSync(new URL('../../fixtures/xero/xero-openapi-extract.yaml', import.meta.url), 'utf8'), { schema: JSON_SCHEMA }) as Json;
const operation = (path: string, method: string) => spec.paths[path][method];
const responseExample = (path: string, method: string, status = '200'): Json =>
  structuredClone(operation(path, method).responses[status].content['application/json'].example);
const requestExample = (path: string, method: string): Json => operation(path, method).requestBody.content['application/json'].example;

/** The spec's component schemas, made strict: an object may carry only the properties its schema declares. */
function strictComponents(): Json {
  const copy = structuredClone(spec.components) as Json;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const schema = node as Json;
    if (schema.properties && schema.type === 'object' && schema.additionalProperties === undefined) schema.additionalProperties = false;
    Object.values(schema).forEach(walk);
  };
  walk(copy.schemas);
  return copy;
}

const ajv = new Ajv({
  strict: false,
  allErrors: true,
  validateSchema: false,
  formats: { uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, double: true, 'date-time': true },
});
ajv.addSchema({ $id: 'xero', components: strictComponents() });
const validator = (name: string): ValidateFunction => ajv.compile({ $ref: `xero#/components/schemas/${name}` });

/** The read-only properties (per the spec) present anywhere in `body`, as paths. */
function readOnlySent(body: unknown, schemaName: string): string[] {
  const found: string[] = [];
  const resolve = (schema: Json): Json => (schema.$ref ? resolve(spec.components.schemas[schema.$ref.split('/').pop()]) : schema);
  const walk = (value: unknown, schema: Json, path: string) => {
    const s = resolve(schema);
    if (Array.isArray(value) && s.items) value.forEach((v, i) => walk(v, s.items, `${path}[${i}]`));
    else if (value && typeof value === 'object' && s.properties) {
      for (const [key, v] of Object.entries(value)) {
        const property = s.properties[key];
        if (!property) continue;
        if (resolve(property).readOnly) found.push(`${path}.${key}`);
        walk(v, property, `${path}.${key}`);
      }
    }
  };
  walk(body, spec.components.schemas[schemaName], '$');
  return found;
}

/** The key paths of a JSON value (object keys and array positions as `[]`), to compare shapes with the spec's examples. */
function shape(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => shape(v, `${path}[]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [`${path}.${k}`, ...shape(v, `${path}.${k}`)]);
  return [];
}

let agents: MockAgent[] = [];
afterEach(async () => {
  for (const agent of agents) await agent.close();
  agents = [];
});

function setup() {
  const agent = new MockAgent();
  agent.disableNetConnect();
  agents.push(agent);
  const requests: RecordedRequest[] = [];
  const settings = xeroSettingsSchema.parse({ baseUrl: `${ORIGIN}/api.xro/2.0`, tenantId: TENANT, accessToken: 'static-token' });
  const adapter = createXeroAdapter(settings, { dispatcher: agent });
  const api = agent.get(ORIGIN);
  const reply = (status: number, body: unknown) => (opts: { path: string; method?: string; headers?: unknown; body?: unknown }) => {
    requests.push(recordRequest(opts));
    return { statusCode: status, data: JSON.stringify(body), responseOptions: { headers: { 'content-type': 'application/json; charset=utf-8' } } };
  };
  return { api, adapter, requests, reply };
}

/** PUT /Payments' 200 example without the validation errors it carries (the spec shows a refused element). */
function acceptedPaymentExample(): Json {
  const example = responseExample('/Payments', 'put');
  const [payment] = example.Payments;
  payment.HasValidationErrors = false;
  delete payment.ValidationErrors;
  return example;
}

const record = { invoiceRemoteId: INVOICE, amount: '10.50', date: '2026-01-05', account: '970', reference: 'Order 42', idempotencyKey: KEY };

describe('recordPayment: PUT /Payments', () => {
  it('sends a body valid against the Payments schema, shaped as the spec example, amount written as 10.50, with the key', async () => {
    const { api, adapter, requests, reply } = setup();
    api.intercept({ path: '/api.xro/2.0/Payments', method: 'PUT' }).reply(reply(200, acceptedPaymentExample()));
    const calls: UpstreamCall[] = [];
    const payment = await adapter.recordPayment!(record, { onCall: (c) => calls.push(c) });

    expect(requests).toHaveLength(1);
    const [sent] = requests;
    expect(sent.headers['idempotency-key']).toBe(KEY);
    expect(sent.headers['xero-tenant-id']).toBe(TENANT);
    expect(sent.headers['content-type']).toBe('application/json');
    expect(sent.body).toBe(
      `{"Payments":[{"Invoice":{"InvoiceID":"${INVOICE}"},"Account":{"Code":"970"},"Date":"2026-01-05","Amount":10.50,"Reference":"Order 42"}]}`,
    );
    const body = JSON.parse(sent.body);
    const validate = validator('Payments');
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    // The check can fail: an amount as a string, or a property Xero does not declare, is refused.
    expect(validate({ Payments: [{ ...body.Payments[0], Amount: '10.50' }] })).toBe(false);
    expect(validate({ Payments: [{ ...body.Payments[0], AccountCode: '970' }] })).toBe(false);
    expect(readOnlySent(body, 'Payments')).toEqual([]);
    expect(readOnlySent({ Payments: [{ ...body.Payments[0], PaymentType: 'ACCRECPAYMENT' }] }, 'Payments')).toEqual(['$.Payments[0].PaymentType']);
    // The spec's example sends the same fields (it adds an empty LineItems to the invoice; we leave it out).
    const example = requestExample('/Payments', 'put');
    const ours = new Set(shape(body));
    expect(shape(example).filter((p) => !p.includes('LineItems') && !ours.has(p))).toEqual([]);
    expect([...ours].filter((p) => !shape(example).includes(p))).toEqual(['$.Payments[].Reference']);
    expect(calls).toEqual([expect.objectContaining({ method: 'PUT', path: '/Payments', status: 200 })]);

    // The answer, read as the read paths read payments.
    expect(payment).toMatchObject({
      remoteId: '61ed71fc-01bf-4eb8-8419-8a18789ff45f',
      direction: 'PAYIN',
      status: 'POSTED',
      providerStatus: 'AUTHORISED',
      invoiceRemoteId: INVOICE,
      postedAt: '2019-03-12T00:00:00.000Z',
    });
    expect(formatAmount(payment.amount)).toBe('1.00');
    expect(payment.amount.currency).toBe('NZD');
  });

  it('takes an AccountID (a GUID) as AccountID, anything else as Code', async () => {
    const { api, adapter, requests, reply } = setup();
    api.intercept({ path: '/api.xro/2.0/Payments', method: 'PUT' }).reply(reply(200, acceptedPaymentExample())).times(2);
    await adapter.recordPayment!({ ...record, account: '5690F1E8-1D02-4893-90C2-EE1A69EFF942' }, {});
    await adapter.recordPayment!({ ...record, account: 'SALES-01' }, {});
    expect(JSON.parse(requests[0].body).Payments[0].Account).toEqual({ AccountID: '5690f1e8-1d02-4893-90c2-ee1a69eff942' });
    expect(JSON.parse(requests[1].body).Payments[0].Account).toEqual({ Code: 'SALES-01' });
  });

  it("answers the spec's 200 example, which carries a validation error, as BAD_USER_INPUT with Xero's message", async () => {
    const { api, adapter, reply } = setup();
    api.intercept({ path: '/api.xro/2.0/Payments', method: 'PUT' }).reply(reply(200, responseExample('/Payments', 'put')));
    const error = await adapter.recordPayment!(record, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdapterError);
    expect(error).toMatchObject({
      code: 'BAD_USER_INPUT',
      source: 'xero',
      providerMessages: ['Payment amount exceeds the amount outstanding on this document'],
    });
  });

  it("answers a 400 ValidationException as BAD_USER_INPUT with its messages, never its body", async () => {
    const { api, adapter, reply } = setup();
    const body = { ...spec['x-error-examples'].ValidationException_PUT_Accounts_400 };
    api.intercept({ path: '/api.xro/2.0/Payments', method: 'PUT' }).reply(reply(400, body));
    const error = (await adapter.recordPayment!(record, {}).catch((e: unknown) => e)) as AdapterError;
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', status: 400, providerMessages: ['Please enter a unique Name.'] });
    expect(error.message).toBe('xero refused the payment (ValidationException)');
    expect(error.message).not.toContain('Foobar');
  });

  it('answers an answer lost after the request left as UPSTREAM_OUTCOME_UNKNOWN, safe to send again', async () => {
    const { api, adapter } = setup();
    api.intercept({ path: '/api.xro/2.0/Payments', method: 'PUT' }).replyWithError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    const error = await adapter.recordPayment!(record, {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_OUTCOME_UNKNOWN', retrySafe: true, source: 'xero' });
  });

  it('sends nothing for input it cannot send: a malformed amount, a key over 128 characters, an invoice id that is no GUID', async () => {
    const { adapter } = setup();
    for (const bad of [{ amount: '1e3' }, { amount: '-1.00' }, { amount: '0.00' }, { idempotencyKey: 'k'.repeat(129) }, { date: '2026-02-30' }]) {
      await expect(adapter.recordPayment!({ ...record, ...bad }, {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    }
    await expect(adapter.recordPayment!({ ...record, invoiceRemoteId: 'INV-0001' }, {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // Net connect is disabled and nothing is intercepted: any request would have failed differently.
  });
});

describe('createBatchPayment: PUT /BatchPayments', () => {
  it("sends a body valid against the BatchPayments schema and reads the spec's answer: a batch of 3 with an exact total", async () => {
    const { api, adapter, requests, reply } = setup();
    api.intercept({ path: '/api.xro/2.0/BatchPayments', method: 'PUT' }).reply(reply(200, responseExample('/BatchPayments', 'put')));
    const ids = ['3323652c-155e-433b-8a73-4dde7cfbf410', 'e4abafb4-1f5b-4d9f-80b3-9a7b815bc302', 'e6039672-b161-40cd-b07b-a0178e7186ad'];
    const batch = await adapter.createBatchPayment!(
      {
        account: '5ec2f302-cd60-4f8b-a915-9229dd45e6fa',
        date: '2019-02-22',
        reference: 'Foobar123',
        payments: ids.map((invoiceRemoteId) => ({ invoiceRemoteId, amount: '1.00' })),
        idempotencyKey: KEY,
      },
      {},
    );
    const [sent] = requests;
    expect(sent.headers['idempotency-key']).toBe(KEY);
    expect(sent.body).toContain('"Amount":1.00');
    const body = JSON.parse(sent.body);
    const validate = validator('BatchPayments');
    expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
    expect(readOnlySent(body, 'BatchPayments')).toEqual([]);
    // The spec's example repeats an account and a date on each payment; a batch's payments take the batch's.
    const example = new Set(shape(requestExample('/BatchPayments', 'put')));
    expect(shape(body).filter((p) => !example.has(p))).toEqual([]);

    expect(batch).toMatchObject({ remoteId: 'd318c343-208e-49fe-b04a-45642349bcf1', type: 'RECEIVABLE', status: 'AUTHORISED', date: '2019-02-22' });
    expect(formatAmount(batch.total)).toBe('3.00');
    expect(batch.payments.map((p) => [p.invoiceRemoteId, formatAmount(p.amount), p.batchPaymentRemoteId])).toEqual(
      ids.map((id) => [id, '1.00', 'd318c343-208e-49fe-b04a-45642349bcf1']),
    );
  });
});

describe('deletePayment: POST /Payments/{PaymentID}', () => {
  it("sends { Status: DELETED } (the PaymentDelete schema) with the key, and reads the spec's answer", async () => {
    const { api, adapter, requests, reply } = setup();
    const id = 'c94c996b-1ab3-4ff3-ad19-1cdc77f30817';
    api.intercept({ path: `/api.xro/2.0/Payments/${id}`, method: 'POST' }).reply(reply(200, responseExample('/Payments/{PaymentID}', 'post')));
    const payment = await adapter.deletePayment!({ paymentRemoteId: id.toUpperCase(), idempotencyKey: KEY }, {});
    const [sent] = requests;
    expect(sent.method).toBe('POST');
    expect(sent.headers['idempotency-key']).toBe(KEY);
    expect(sent.body).toBe('{"Status":"DELETED"}');
    const validate = validator('PaymentDelete');
    expect(validate(JSON.parse(sent.body)), JSON.stringify(validate.errors)).toBe(true);
    expect(payment).toMatchObject({ remoteId: id, status: 'DELETED', providerStatus: 'DELETED', direction: 'PAYIN' });
    expect(formatAmount(payment.amount)).toBe('2.00');
  });

  it('answers NOT_FOUND for a payment Xero does not have', async () => {
    const { api, adapter } = setup();
    const id = '00000000-0000-4000-8000-000000000000';
    api.intercept({ path: `/api.xro/2.0/Payments/${id}`, method: 'POST' }).reply(404, "The resource you're looking for cannot be found");
    await expect(adapter.deletePayment!({ paymentRemoteId: id, idempotencyKey: KEY }, {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('exact JSON numbers', () => {
  it('writes any decimal text as the same digits, where a float would not', () => {
    expect(JSON.stringify({ Amount: Number('1234567890123456.78') })).not.toBe('{"Amount":1234567890123456.78}');
    expect(stringifyExact({ Amount: exactDecimal('1234567890123456.78') })).toBe('{"Amount":1234567890123456.78}');
    const decimalText = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 0, max: 18 }))
      .map(([digits, places]) => {
        const text = digits.toString().padStart(places + 1, '0');
        return places === 0 ? text : `${text.slice(0, -places)}.${text.slice(-places)}`;
      });
    fc.assert(
      fc.property(decimalText, fc.string(), (text, reference) => {
        const json = stringifyExact({ Reference: reference, Payments: [{ Amount: exactDecimal(text) }] });
        expect(json).toBe(`{"Reference":${JSON.stringify(reference)},"Payments":[{"Amount":${text}}]}`);
        expect(JSON.parse(json).Reference).toBe(reference);
      }),
    );
  });
});
