// The refresh-token grant's refusals, mapped by what they mean (RFC 6749 section 5.2): a refused grant asks for a new
// consent, the app's own credentials refused is an authorization failure, any other error code is the server refusing
// a request the gateway composed. No secret or token goes into an error.
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/kit/errors.js';
import { createHttpClient } from '../../adapters/kit/http.js';
import { createOAuthClient } from '../../adapters/kit/oauth-grants.js';

const IDENTITY = 'http://127.0.0.1:9';
const JSON_HEADERS = { headers: { 'content-type': 'application/json' } };
let agent: MockAgent;
afterEach(() => agent?.close());

async function refusal(status: number, body: Record<string, string>, headers: Record<string, string> = {}): Promise<AdapterError> {
  agent = new MockAgent();
  agent.disableNetConnect();
  const sent: string[] = [];
  agent
    .get(IDENTITY)
    .intercept({ path: '/connect/token', method: 'POST' })
    .reply(status, (options) => (sent.push(String(options.body)), JSON.stringify(body)), { headers: { ...JSON_HEADERS.headers, ...headers } });
  const http = createHttpClient({ source: 'xero', baseUrl: IDENTITY, dispatcher: agent });
  const client = createOAuthClient({ source: 'xero', http, clientId: 'CLIENT-1', clientSecret: 'secret-1', tokenUrl: `${IDENTITY}/connect/token` });
  const error = await client.refresh('refresh-token-1').catch((e: unknown) => e);
  expect(sent).toHaveLength(1);
  expect(sent[0]).toContain('grant_type=refresh_token');
  expect(error).toBeInstanceOf(AdapterError);
  expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toMatch(/secret-1|refresh-token-1/);
  return error as AdapterError;
}

describe('refresh-token grant refusals', () => {
  it('answers a refused grant as UPSTREAM_UNAUTHORIZED that asks for a new consent', async () => {
    const error = await refusal(400, { error: 'invalid_grant' });
    expect([error.code, error.reconnect]).toEqual(['UPSTREAM_UNAUTHORIZED', true]);
  });

  it("answers the app's credentials refused as UPSTREAM_UNAUTHORIZED, without a new consent", async () => {
    for (const [status, body] of [[400, { error: 'invalid_client' }], [401, { error: 'invalid_client' }], [400, { error: 'unauthorized_client' }]] as const) {
      const error = await refusal(status, body);
      expect([error.code, error.reconnect ?? false]).toEqual(['UPSTREAM_UNAUTHORIZED', false]);
    }
    // RFC 6749 5.2: a 401 to a client that authenticated with Basic carries a WWW-Authenticate challenge.
    const challenged = await refusal(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="token"' });
    expect([challenged.code, challenged.reconnect ?? false]).toEqual(['UPSTREAM_UNAUTHORIZED', false]);
  });

  it('answers any other refusal as UPSTREAM_REJECTED, naming the error code', async () => {
    for (const code of ['unsupported_grant_type', 'invalid_request', 'invalid_scope']) {
      const error = await refusal(400, { error: code });
      expect(error.code).toBe('UPSTREAM_REJECTED');
      expect(error.message).toContain(code);
    }
  });
});
