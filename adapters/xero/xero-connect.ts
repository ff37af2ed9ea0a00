// `npm run connect -- xero`: a standard Xero app's onboarding. The authorization-code flow with PKCE (S256) in the
// person's browser, the redirect taken on this machine at XERO_REDIRECT_URI (Xero matches it exactly against the app's
// list), `state` checked, the code exchanged, and the tenants the consent grants listed from /connections.
import { z } from 'zod';
import type { ConnectFlow, ProviderConnect } from '../kit/adapter.js';
import { AdapterError } from '../kit/errors.js';
import { createHttpClient } from '../kit/http.js';
import { createOAuthClient, createPkce } from '../kit/oauth-grants.js';
import { parseWire } from '../kit/wire.js';
import { connectSettingsFromEnv, XERO_CONNECT_VARIABLES, xeroConnectSettingsSchema } from './settings.js';

const ConnectionsSchema = z.array(z.looseObject({ tenantId: z.string(), tenantType: z.string(), tenantName: z.string().nullish() }));

/** Problems of the connect settings, one line each, named by their variables. */
export class XeroConnectSettingsError extends Error {
  override name = 'XeroConnectSettingsError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export const xeroConnect: ProviderConnect = {
  settingsSchema: xeroConnectSettingsSchema,
  envVariables: XERO_CONNECT_VARIABLES,
  async begin(env, deps): Promise<ConnectFlow> {
    const parsed = xeroConnectSettingsSchema.safeParse(connectSettingsFromEnv(env));
    if (!parsed.success) {
      throw new XeroConnectSettingsError(
        parsed.error.issues.map((issue) => {
          const variable = XERO_CONNECT_VARIABLES[String(issue.path[0])] ?? String(issue.path[0]);
          return `${variable}: ${issue.code === 'invalid_type' ? 'is not set' : issue.message}`;
        }),
      );
    }
    const settings = parsed.data;
    const source = `xero connection "${settings.connection}"`;
    const http = createHttpClient({ source, baseUrl: settings.tokenUrl, dispatcher: deps.dispatcher });
    const oauth = createOAuthClient({
      source,
      http,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      tokenUrl: settings.tokenUrl,
      authorizeUrl: settings.authorizeUrl,
    });
    const pkce = await createPkce();
    const now = deps.now ?? Date.now;
    return {
      authorizeUrl: oauth.authorizationUrl({ redirectUri: settings.redirectUri, scope: settings.scopes, state: pkce.state, codeChallenge: pkce.challenge }),
      redirectUri: settings.redirectUri,
      connection: settings.connection,
      async finish(callback) {
        const answer = await oauth.exchangeCode(callback, { redirectUri: settings.redirectUri, state: pkce.state, codeVerifier: pkce.verifier });
        if (!answer.refreshToken) {
          throw new AdapterError('UPSTREAM_UNAUTHORIZED', 'Xero issued no refresh token: XERO_SCOPES must include offline_access', { source, retryable: false });
        }
        const at = now();
        const listed = await http.send({
          method: 'GET',
          path: '/connections',
          url: settings.connectionsUrl,
          headers: { authorization: `Bearer ${answer.accessToken}`, accept: 'application/json' },
          idempotent: true,
        });
        const granted = parseWire(source, ConnectionsSchema, listed.body, 'connections list');
        return {
          tokens: {
            refreshToken: answer.refreshToken,
            accessToken: answer.accessToken,
            accessTokenExpiresAt: at + answer.expiresInSeconds * 1000,
            accessTokenLifetimeMs: answer.expiresInSeconds * 1000,
            updatedAt: at,
            writtenBy: 'connect',
          },
          granted: granted.map((c) => ({ id: c.tenantId, name: c.tenantName ?? '(unnamed)', type: c.tenantType })),
        };
      },
    };
  },
};
