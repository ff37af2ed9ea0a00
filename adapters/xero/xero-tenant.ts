// Which Xero organisation a source reads, and whether its connection still grants it. Without XERO_TENANT_ID the
// source asks `GET /connections` and takes the connection's only ORGANISATION tenant; a configured tenant is checked
// against that list at start. A definite mismatch (none, several, or a tenant not granted) stops the start with the
// list of what is granted; Xero unreachable, or a consent already revoked, only makes this source answer errors until
// it recovers. Later, a 403 from the API (Xero's "AuthenticationUnsuccessful": the organisation was disconnected or the
// consent revoked) is checked against /connections once, so that the answer can say a reconnect is needed.
import { z } from 'zod';
import { SourceStartError } from '../kit/adapter.js';
import { AdapterError } from '../kit/errors.js';
import { createHttpClient, type CallContext, type HttpMiddleware } from '../kit/http.js';
import type { AdapterDependencies } from '../kit/adapter.js';
import type { ConnectionState } from '../kit/token-store.js';
import { parseWire } from '../kit/wire.js';
import type { XeroSettings } from './settings.js';

/** One entry of `GET /connections` (Xero's identity API): the fields read. */
const XeroConnectionSchema = z.looseObject({
  id: z.string(),
  tenantId: z.string(),
  tenantType: z.string(),
  tenantName: z.string().nullish(),
});
const XeroConnectionsSchema = z.array(XeroConnectionSchema);
export type XeroConnection = z.infer<typeof XeroConnectionSchema>;

export interface XeroTenant {
  /** The tenant's id once known. */
  current(): string | undefined;
  /** Sets `xero-tenant-id` (discovering the tenant first when needed) and checks a 403 against /connections. */
  readonly middleware: HttpMiddleware;
  /** The start-up check: a definite mismatch rejects with a SourceStartError. */
  start(): Promise<void>;
  /** `reconnect-required` while the connection no longer grants the tenant. */
  state(): ConnectionState | undefined;
}

const describeTenants = (list: XeroConnection[]) =>
  list.length === 0 ? 'none' : list.map((c) => `"${c.tenantName ?? '(unnamed)'}" (${c.tenantId}, ${c.tenantType})`).join(', ');

/** How long a failed discovery, or a lost tenant, is answered from memory before /connections is asked again. */
const RECHECK_MS = 30_000;

/** Creates the tenant of one Xero source; `auth` adds the bearer token to the /connections call. */
export function createXeroTenant(
  settings: XeroSettings,
  deps: Pick<AdapterDependencies, 'dispatcher' | 'timeouts' | 'tokenClock' | 'maxResponseBytes'>,
  auth: HttpMiddleware,
  connection: string | undefined,
  onStateChange: () => void = () => undefined,
): XeroTenant {
  const source = settings.name;
  const now = deps.tokenClock ?? Date.now;
  const identity = createHttpClient({
    source,
    baseUrl: settings.connectionsUrl,
    dispatcher: deps.dispatcher,
    timeouts: deps.timeouts,
    maxResponseBytes: deps.maxResponseBytes,
    headers: { accept: 'application/json' },
    middleware: [auth],
  });
  let tenant = settings.tenantId;
  let discovering: Promise<string> | undefined;
  let failed: { error: AdapterError; retryAt: number } | undefined;
  let lost: { since: number; checkedAt: number } | undefined;
  let checking: Promise<XeroConnection[]> | undefined;

  const listConnections = (context: Pick<CallContext, 'onCall' | 'signal'> = {}): Promise<XeroConnection[]> => {
    checking ??= identity
      .send({ method: 'GET', path: '/connections', url: settings.connectionsUrl, idempotent: true, onCall: context.onCall })
      .then((response) => parseWire(source, XeroConnectionsSchema, response.body, 'connections list'))
      .finally(() => {
        checking = undefined;
      });
    return checking;
  };

  /** The mismatch between the settings and what the connection grants, in words; undefined when they agree. */
  const mismatch = (list: XeroConnection[]): { message: string; reconnect: boolean } | undefined => {
    const organisations = list.filter((c) => c.tenantType === 'ORGANISATION');
    const granted = `the connection grants: ${describeTenants(list)}`;
    if (tenant) {
      if (list.some((c) => c.tenantId.toLowerCase() === tenant!.toLowerCase())) return undefined;
      return { message: `${source}: XERO_TENANT_ID ${tenant} is not granted by its connection; ${granted}`, reconnect: true };
    }
    if (organisations.length === 1) return undefined;
    if (organisations.length === 0) {
      return { message: `${source}: its connection grants no organisation (${granted}); reconnect it with npm run connect -- xero`, reconnect: true };
    }
    return {
      message: `${source}: its connection grants ${organisations.length} organisations; set XERO_TENANT_ID (or one source per tenant in GATEWAY_SOURCES_FILE) to one of ${describeTenants(organisations)}`,
      reconnect: false,
    };
  };

  const discover = (context: Pick<CallContext, 'onCall' | 'signal'>): Promise<string> => {
    if (tenant) return Promise.resolve(tenant);
    if (failed && now() < failed.retryAt) return Promise.reject(failed.error);
    discovering ??= listConnections(context)
      .then((list) => {
        const problem = mismatch(list);
        if (problem) {
          // The full list goes to the start-up error and the logs; a client is told what to do, not the tenants.
          throw new AdapterError('UPSTREAM_UNAUTHORIZED', `${source}: its Xero connection does not name one organisation to read (see the gateway's logs)`, {
            source,
            retryable: false,
            reconnect: problem.reconnect,
            cause: new Error(problem.message),
          });
        }
        tenant = list.find((c) => c.tenantType === 'ORGANISATION')!.tenantId;
        failed = undefined;
        return tenant;
      })
      .catch((error: unknown) => {
        const mapped = error instanceof AdapterError ? error : new AdapterError('UPSTREAM_BAD_RESPONSE', `${source}: unreadable connections list`, { source });
        failed = { error: new AdapterError(mapped.code, mapped.message, { source, retryable: false, reconnect: mapped.reconnect, cause: mapped }), retryAt: now() + RECHECK_MS };
        throw failed.error;
      })
      .finally(() => {
        discovering = undefined;
      });
    return discovering;
  };

  const lostError = () =>
    new AdapterError(
      'UPSTREAM_UNAUTHORIZED',
      `${source}: its Xero connection no longer grants this organisation (disconnected or revoked); reconnect it with npm run connect -- xero`,
      { source, retryable: false, reconnect: true },
    );

  /** After a 403: is the tenant still granted? Answers true when it is (or when that cannot be told right now). */
  const stillGranted = async (context: Pick<CallContext, 'onCall'>): Promise<boolean> => {
    try {
      const list = await listConnections(context);
      return list.some((c) => c.tenantId.toLowerCase() === tenant?.toLowerCase());
    } catch (error) {
      // A refused token (revoked consent) says the same as an empty list; an outage says nothing.
      return !(error instanceof AdapterError && error.code === 'UPSTREAM_UNAUTHORIZED');
    }
  };

  const middleware: HttpMiddleware = async (req, next) => {
    const id = await discover(req);
    if (lost) {
      if (now() - lost.checkedAt < RECHECK_MS) throw lostError();
      lost.checkedAt = now();
      if (!(await stillGranted(req))) throw lostError();
      lost = undefined;
      onStateChange();
    }
    try {
      return await next({ ...req, headers: { ...req.headers, 'xero-tenant-id': id } });
    } catch (error) {
      // Only a 403 (AuthenticationUnsuccessful) may mean the tenant was disconnected; with a static token nothing can be checked.
      if (!(error instanceof AdapterError) || error.status !== 403 || settings.accessToken) throw error;
      if (await stillGranted(req)) throw error;
      lost = { since: now(), checkedAt: now() };
      onStateChange();
      throw lostError();
    }
  };

  return {
    current: () => tenant,
    middleware,
    async start() {
      let list: XeroConnection[];
      try {
        list = await listConnections();
      } catch (error) {
        // Xero unreachable, or a consent already revoked: the source answers errors until it recovers.
        if (tenant) return;
        throw error;
      }
      if (list.length === 0) {
        // Nothing granted at all is what a revoked consent looks like: a reconnect fixes it without a restart.
        if (tenant) {
          lost = { since: now(), checkedAt: now() };
          onStateChange();
        }
        throw new Error(`${source}: its Xero connection grants no tenant (revoked?); reconnect it with npm run connect -- xero`);
      }
      const problem = mismatch(list);
      if (problem) throw new SourceStartError(source, problem.message);
      tenant ??= list.find((c) => c.tenantType === 'ORGANISATION')!.tenantId;
    },
    state: () =>
      lost
        ? { status: 'reconnect-required', connection: connection ?? source, since: lost.since, reason: 'the connection no longer grants its organisation' }
        : undefined,
  };
}
