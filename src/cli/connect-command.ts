// `npm run connect -- <kind>`: connects a provider account by a person's consent. It prints the provider's authorize
// URL, takes the redirect on this machine (at the provider's loopback redirect URI), exchanges the code, stores the
// tokens under the connection's name in the token store the gateway reads (a running gateway picks them up without a
// restart), and lists what the consent grants. No token is ever printed.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent } from 'undici';
import type { ProviderDefinition } from '../../adapters/kit/adapter.js';
import { AdapterError } from '../../adapters/kit/errors.js';
import { createTokenStore, type GatewayTokenStore } from '../state/token-store.js';
import { describeTokenStore, tokenStoreSettingsFromEnv } from '../state/token-store-settings.js';

export interface ConnectOptions {
  /** The provider kind (`xero`). */
  kind: string | undefined;
  env: Record<string, string | undefined>;
  providers: ProviderDefinition<any>[];
  /** Where the lines for the person go (the terminal). */
  out(line: string): void;
  /** Told the authorize URL once the redirect is being listened for (tests play the browser with it). */
  onAuthorizeUrl?(url: string): void;
  /** How long to wait for the redirect (default 10 minutes). */
  timeoutMs?: number;
  /** A store to write to instead of the one the environment names (tests). */
  tokenStore?: GatewayTokenStore;
}

export interface ConnectResult {
  connection: string;
  granted: Array<{ id: string; name: string; type: string }>;
}

/** A problem the person must fix (settings, a refused consent): printed without a stack. */
export class ConnectError extends Error {
  override name = 'ConnectError';
}

const page = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body>`;

/** Listens on the redirect URI's loopback address (both of localhost's, when it says localhost). */
async function listenLoopback(redirect: URL, handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server[]> {
  const port = Number(redirect.port || 80);
  const hosts = redirect.hostname === 'localhost' ? ['127.0.0.1', '::1'] : [redirect.hostname.replace(/^\[|\]$/g, '')];
  const servers: Server[] = [];
  for (const [index, host] of hosts.entries()) {
    const server = createServer(handler);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      servers.push(server);
    } catch (error) {
      // localhost's second address (IPv6) may not exist on this machine; the first must listen.
      if (index === 0) throw new ConnectError(`cannot listen at ${redirect.origin} for the redirect (${(error as Error).message})`);
    }
  }
  return servers;
}

/** Runs the onboarding of one provider account; resolves once the tokens are stored. */
export async function runConnect(options: ConnectOptions): Promise<ConnectResult> {
  const connectable = options.providers.filter((p) => p.connect);
  const provider = connectable.find((p) => p.kind === options.kind);
  if (!provider?.connect) {
    throw new ConnectError(`usage: npm run connect -- <provider>, where <provider> is one of: ${connectable.map((p) => p.kind).join(', ')}`);
  }
  const problems: string[] = [];
  const storeSettings = tokenStoreSettingsFromEnv(options.env, problems);
  if (!options.tokenStore && !storeSettings.key && problems.length === 0) {
    problems.push('GATEWAY_TOKEN_KEY: is not set: the tokens are stored sealed under it (the gateway needs the same key); e.g. openssl rand -hex 32');
  }
  if (problems.length > 0) throw new ConnectError(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);

  const dispatcher = new Agent({ connect: { timeout: 10_000 } });
  const store = options.tokenStore ?? createTokenStore({ ...storeSettings, key: storeSettings.key! });
  let servers: Server[] = [];
  try {
    let flow;
    try {
      flow = await provider.connect.begin(options.env, { dispatcher });
    } catch (error) {
      throw new ConnectError(error instanceof Error ? error.message : String(error));
    }
    const redirect = new URL(flow.redirectUri);
    const result = await new Promise<ConnectResult>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ConnectError(`no redirect came back within ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s`)), options.timeoutMs ?? 600_000);
      let finishing = false;
      const handler = (req: IncomingMessage, res: ServerResponse) => {
        const url = new URL(req.url ?? '/', redirect.origin);
        const answer = (status: number, title: string, text: string) => {
          res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          res.end(page(title, text));
        };
        if (req.method !== 'GET' || url.pathname !== redirect.pathname) return answer(404, 'Not found', 'This is not the redirect address.');
        if (finishing) return answer(409, 'Already connecting', 'A redirect is already being handled; see the terminal.');
        finishing = true;
        flow
          .finish(url)
          .then(async ({ tokens, granted }) => {
            if (!options.tokenStore) await store.ready(5_000);
            await store.write(flow.connection, tokens);
            answer(200, 'Connected', 'The gateway can now use this account. You can close this tab.');
            clearTimeout(timer);
            resolve({ connection: flow.connection, granted });
          })
          .catch((error: unknown) => {
            // A redirect that does not answer this authorization (a stale tab) is refused, and the command keeps waiting.
            if (error instanceof AdapterError && error.code === 'BAD_USER_INPUT') {
              finishing = false;
              return answer(400, 'Not this authorization', 'This redirect does not answer the authorization the terminal started.');
            }
            answer(400, 'Not connected', 'The account was not connected; see the terminal.');
            clearTimeout(timer);
            reject(new ConnectError(`not connected: ${error instanceof Error ? error.message : String(error)}`));
          });
      };
      listenLoopback(redirect, handler).then(
        (listening) => {
          servers = listening;
          options.out(`Open this address in a browser, sign in to ${provider.kind} and allow access:`);
          options.out(`  ${flow.authorizeUrl}`);
          options.out(`Waiting for the redirect at ${flow.redirectUri} ...`);
          options.onAuthorizeUrl?.(flow.authorizeUrl);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
    options.out(`Connected "${result.connection}": its tokens are stored, sealed, in the token store (${options.tokenStore ? options.tokenStore.kind : describeTokenStore(storeSettings)}).`);
    options.out('The connection grants:');
    for (const tenant of result.granted) options.out(`  ${tenant.name}  ${tenant.id}  ${tenant.type}`);
    const organisations = result.granted.filter((t) => t.type === 'ORGANISATION');
    options.out(
      organisations.length === 1
        ? `Run the gateway with ${provider.kind.toUpperCase()}_CONNECTION=${result.connection} (its one organisation is found by itself); a running gateway picks the tokens up.`
        : `Run the gateway with ${provider.kind.toUpperCase()}_CONNECTION=${result.connection} and one source per organisation (${provider.kind.toUpperCase()}_TENANT_ID, or GATEWAY_SOURCES_FILE).`,
    );
    return result;
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    for (const s of servers) s.closeAllConnections();
    if (!options.tokenStore) await store.close();
    await dispatcher.close();
  }
}
