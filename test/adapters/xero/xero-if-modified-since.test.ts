// If-Modified-Since as Xero's OpenAPI description declares it (`format: date-time`, RFC 3339 with a zone): what the
// adapter sends matches the parameter's format, the sandbox refuses a zone-less value as a spec-generated mock does,
// and a client's correct `modifiedSince` is never answered BAD_USER_INPUT because of our wire formatting.
import { readFileSync } from 'node:fs';
import { load, JSON_SCHEMA } from 'js-yaml';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startXeroSandbox, type XeroSandboxHandle } from '../../../adapters/xero/sandbox/xero-sandbox.js';
import { xeroSettingsSchema } from '../../../adapters/xero/settings.js';
import { createXeroAdapter } from '../../../adapters/xero/xero-adapter.js';
import { startTestGateway } from '../../support/gateway.js';

interface SpecParameter {
  in: string;
  name: string;
  example?: unknown;
  schema?: { type?: string; format?: string };
}

/** The If-Modified-Since parameter of the OpenAPI slice (JSON_SCHEMA keeps its example a string). */
function ifModifiedSinceParameter(): SpecParameter {
  const spec = load(readFileSync(new URL('../../fixtures/xero/xero-openapi-extract.yaml', import.meta.url), 'utf8'), {
    schema: JSON_SCHEMA,
  }) as { components: { parameters: Record<string, SpecParameter> } };
  const found = Object.values(spec.components.parameters).find((p) => p.name === 'If-Modified-Since');
  if (!found) throw new Error('the OpenAPI slice has no If-Modified-Since parameter');
  return found;
}

/** RFC 3339 section 5.6 `date-time`, the grammar OpenAPI's `format: date-time` names: full-date "T" full-time with an offset. */
const RFC3339_DATE_TIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

let sandbox: XeroSandboxHandle;
let dispatcher: Agent;
beforeAll(async () => {
  sandbox = await startXeroSandbox();
  dispatcher = new Agent();
});
afterAll(async () => {
  await dispatcher.close();
  await sandbox.close();
});
beforeEach(() => sandbox.calls.reset());

describe('If-Modified-Since', () => {
  const parameter = ifModifiedSinceParameter();

  it('is declared as an RFC 3339 date-time header, whose example carries its offset', () => {
    expect(parameter).toMatchObject({ in: 'header', schema: { type: 'string', format: 'date-time' } });
    expect(parameter.example).toBe('2020-02-06T12:17:43.202-08:00');
    expect(String(parameter.example)).toMatch(RFC3339_DATE_TIME);
  });

  it('is sent in that format, for the instant asked, whatever offset the client wrote', async () => {
    const settings = xeroSettingsSchema.parse({ baseUrl: sandbox.apiUrl, tenantId: sandbox.tenants[0], accessToken: sandbox.accessToken });
    const adapter = createXeroAdapter(settings, { dispatcher });
    try {
      for (const since of [String(parameter.example), '2024-05-01T00:00:00Z', '2024-05-01T09:30:00+09:30']) {
        sandbox.calls.reset();
        await adapter.listBatchPayments!({ modifiedSince: since }, {});
        const sent = sandbox.calls.list()[0].headers['if-modified-since'];
        expect(sent).toMatch(RFC3339_DATE_TIME);
        expect(Date.parse(sent)).toBe(Date.parse(since));
        expect(sandbox.calls.list()[0].status).toBe(200);
      }
    } finally {
      await adapter.close();
    }
  });

  it('is refused by the sandbox without a zone (as by a mock generated from the spec), accepted with one', async () => {
    const send = async (value: string) => {
      const response = await request(`${sandbox.apiUrl}/BatchPayments`, {
        dispatcher,
        headers: {
          authorization: `Bearer ${sandbox.accessToken}`,
          'xero-tenant-id': sandbox.tenants[0],
          accept: 'application/json',
          'if-modified-since': value,
        },
      });
      await response.body.text();
      return response.statusCode;
    };
    expect(await send('2020-02-06T12:17:43')).toBe(400);
    expect(await send('yesterday')).toBe(400);
    expect(await send(String(parameter.example))).toBe(200);
    expect(await send('2020-02-06T20:17:43.202Z')).toBe(200);
  });

  it('reaches Xero from a client query written correctly without a BAD_USER_INPUT', async () => {
    const gw = await startTestGateway(['xero']);
    try {
      const answer = await gw.query(`query($since: DateTime!) {
        batchPayments(first: 5, filter: { modifiedSince: $since }) { edges { node { id } } }
      }`, { since: '2020-02-06T12:17:43.202-08:00' });
      expect(answer.errors).toBeUndefined();
      expect(answer.data.batchPayments.edges.length).toBeGreaterThan(0);
      const call = gw.sandbox('xero').calls.list().find((c) => c.name === 'batch-payments');
      expect(call?.status).toBe(200);
      expect(call?.headers['if-modified-since']).toBe('2020-02-06T20:17:43.202Z');
    } finally {
      await gw.close();
    }
  });
});
