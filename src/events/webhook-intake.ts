// `POST /webhooks/<provider>` on the public port, outside client authentication and its rate limits (the provider is
// the caller, and its signature is the credential). The signature is checked on the raw body, in constant time, before
// anything is parsed; a bad one answers 401 and records nothing. A valid delivery is recorded in the event log first
// and answered 200 (empty, within the provider's 5 s) after: a crash after the answer loses nothing. The invoices it
// names are looked up afterwards, one batched lookup per source and delivery, and published once each.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { ProviderWebhook } from '../../adapters/kit/changes.js';
import { chunk, uniqueIds } from '../../adapters/kit/batching.js';
import type { Invoice } from '../../adapters/kit/model.js';
import { toGraphQLError } from '../errors.js';
import { createRequestSignal } from '../request-signal.js';
import type { SourceRegistry } from '../source-registry.js';
import type { EntityCache } from '../state/entity-cache.js';
import { entityCodecFor } from '../state/entity-codecs.js';
import type { EventLog, RecordedDelivery } from './event-log.js';
import type { EventPublisher, InvoiceChange } from './event-publisher.js';

/** A source whose provider sends webhooks, with the key they are signed with. */
export interface WebhookSource {
  source: string;
  kind: string;
  webhook: ProviderWebhook;
  settings: Record<string, unknown>;
  key: string;
}

export interface WebhookIntakeDependencies {
  sources: WebhookSource[];
  log: EventLog;
  publisher: EventPublisher;
  registry: SourceRegistry;
  cache: EntityCache;
  logger: Logger;
  /** The largest delivery accepted (GATEWAY_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** How long the lookup after a delivery may take. */
  timeoutMs: number;
}

export interface WebhookIntake {
  /** True for the paths this intake answers (`/webhooks/...`). */
  handles(path: string): boolean;
  handle(request: IncomingMessage, response: ServerResponse, path: string): void;
  /** Looks up and publishes one recorded delivery (the event log's delivery handler). */
  resolve(delivery: RecordedDelivery): Promise<void>;
}

/** An answer with no body and no cookies, as Xero asks of a webhook endpoint. */
function answer(response: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-length': '0', 'cache-control': 'no-store', ...headers });
  response.end();
}

async function readRaw(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return 'too-large';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const piece of request) {
    size += (piece as Buffer).length;
    if (size > limit) return 'too-large';
    chunks.push(piece as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Creates the intake over the webhook sources. */
export function createWebhookIntake(deps: WebhookIntakeDependencies): WebhookIntake {
  const byKind = new Map<string, WebhookSource[]>();
  for (const source of deps.sources) byKind.set(source.kind, [...(byKind.get(source.kind) ?? []), source]);

  const receive = async (request: IncomingMessage, response: ServerResponse, kind: string) => {
    const sources = byKind.get(kind);
    if (!sources) return answer(response, 404);
    if (request.method !== 'POST') return answer(response, 405, { allow: 'POST' });
    const raw = await readRaw(request, deps.maxBodyBytes);
    if (raw === 'too-large') return answer(response, 413, { connection: 'close' });
    const header = (name: string) => {
      const value = request.headers[name.toLowerCase()];
      return Array.isArray(value) ? (value[0] ?? null) : (value ?? null);
    };
    // Every source of a kind shares the app's key; the first that verifies is enough.
    const { webhook, key } = sources[0];
    if (!webhook.verify(raw, header, key)) {
      deps.logger.warn({ kind }, 'webhook refused: bad signature');
      return answer(response, 401);
    }
    const delivery = webhook.read(raw);
    if (delivery instanceof Error) {
      // Signed by the provider yet unreadable: retrying would not help, so it is answered and logged.
      deps.logger.warn({ kind, reason: delivery.message }, 'webhook delivery unreadable, ignored');
      return answer(response, 200);
    }
    const recorded: RecordedDelivery[] = [];
    for (const source of sources) {
      // The account the adapter serves now (a Xero tenant discovered from /connections), else the configured one.
      const account = deps.registry.get(source.source)?.adapter.webhookAccount?.() ?? source.webhook.accountOf(source.settings);
      const changes = delivery.changes
        .filter((change) => change.account === account)
        .map(({ remoteId, kind: changeKind, occurredAt, key: changeKey }) => ({ remoteId, kind: changeKind, occurredAt, key: `${source.source}|${changeKey}` }));
      if (changes.length > 0) recorded.push({ source: source.source, changes });
    }
    const unknown = delivery.changes.length - recorded.reduce((n, d) => n + d.changes.length, 0);
    if (unknown > 0) deps.logger.info({ kind, events: unknown }, 'webhook events for an account no source serves, ignored');
    try {
      const added = await deps.log.recordDeliveries(recorded);
      deps.logger.debug({ kind, events: delivery.changes.length, recorded: added }, 'webhook delivery recorded');
    } catch (error) {
      // Not recorded, so not answered 200: the provider delivers it again.
      deps.logger.error({ kind, err: error }, 'webhook delivery could not be recorded; the provider will retry');
      return answer(response, 503, { 'retry-after': '5' });
    }
    answer(response, 200);
  };

  const lookup = async (source: string, ids: string[]): Promise<{ found: Map<string, Invoice | null | Error>; failure?: unknown }> => {
    const adapter = deps.registry.get(source)?.adapter;
    const found = new Map<string, Invoice | null | Error>();
    if (!adapter) return { found, failure: new Error(`no source ${source}`) };
    const call = createRequestSignal(undefined, deps.timeoutMs);
    try {
      // One batched lookup: the provider's batch form, chunked to its limit, the chunks side by side.
      await Promise.all(
        chunk(ids, adapter.loadInvoices.maxBatchSize).map(async (part) => {
          const answers = await adapter.loadInvoices(part, { signal: call.signal, deadline: call.deadline });
          part.forEach((id, i) => found.set(id, answers[i] ?? null));
        }),
      );
      return { found };
    } catch (failure) {
      return { found, failure };
    } finally {
      call.abort('response-sent');
    }
  };

  return {
    handles: (path) => path.startsWith('/webhooks/'),
    handle(request, response, path) {
      const kind = path.slice('/webhooks/'.length).replace(/\/+$/, '');
      receive(request, response, kind).catch((error: unknown) => {
        deps.logger.error({ err: error }, 'webhook intake failed');
        answer(response, 500);
      });
    },
    async resolve(delivery) {
      const ids = uniqueIds(delivery.changes.map((change) => change.remoteId));
      const { found, failure } = await lookup(delivery.source, ids);
      // The provider failing: a cached copy within GATEWAY_STALE_IF_ERROR_MS stands in, marked stale.
      const adapter = deps.registry.get(delivery.source)?.adapter;
      const cached =
        failure && adapter && deps.cache.enabled
          ? await deps.cache.lookup<Invoice>({ source: delivery.source, type: 'Invoice', simulation: '', codec: entityCodecFor(adapter, 'Invoice') }, ids)
          : new Map();
      const failed = failure ? toGraphQLError(failure) : undefined;
      const changes: InvoiceChange[] = delivery.changes.map((change) => {
        const base = { source: delivery.source, remoteId: change.remoteId, kind: change.kind, occurredAt: change.occurredAt, key: change.key };
        const answer = found.get(change.remoteId);
        if (answer instanceof Error) {
          const mapped = toGraphQLError(answer);
          return { ...base, invoice: undefined, error: { code: String(mapped.extensions?.code ?? 'UPSTREAM_BAD_RESPONSE'), message: mapped.message } };
        }
        // Keyed by what the invoice is now, so a change this gateway wrote and Xero then announced is published once.
        if (answer !== undefined) return { ...base, key: undefined, invoice: answer };
        const copy = cached.get(change.remoteId);
        if (copy) return { ...base, invoice: copy.value, staleMs: copy.ageMs };
        return { ...base, invoice: undefined, error: { code: String(failed?.extensions?.code ?? 'UPSTREAM_UNAVAILABLE'), message: failed?.message ?? 'the lookup failed' } };
      });
      await deps.publisher.publish(changes);
    },
  };
}
