// `npm start`: reads the configuration, starts the sandboxes when no provider is configured, and serves GraphQL.
import { providers } from '../adapters/index.js';
import { ConfigError, knownVariables, loadConfig } from './config.js';
import { buildExampleQuery } from './example-query.js';
import { createGateway } from './gateway.js';
import { isLoopback } from './access/auth-config.js';
import { createGatewayServers, listen } from './http-server.js';
import { startSandboxes, type RunningSandboxes } from './sandboxes.js';
import { createGracefulShutdown } from './shutdown.js';
import { createSharedState } from './state/create-shared-state.js';
import { GatewayStartError } from './source-connections.js';
import { createTokenStore } from './state/token-store.js';
import { describeTokenStore } from './state/token-store-settings.js';
import { createLogger } from './telemetry/logger.js';
import { startNotices } from './telemetry/start-notices.js';
import { formatStartupSummary, publicUrl, type StartupSummary } from './telemetry/startup-summary.js';
import { startTracing } from './telemetry/tracing.js';
import { sandboxWebhookKey, startSandboxActivity, wireSandboxWebhooks } from './events/sandbox-wiring.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env, providers);
  const logger = createLogger({ level: config.logLevel });
  const tracing = startTracing({ env: process.env, logger });
  let sandboxes: RunningSandboxes | undefined;
  let sources = config.sources;
  if (config.sandbox) {
    sandboxes = await startSandboxes(providers);
    sources = sandboxes.specs;
  }
  const state = createSharedState(config, logger);
  // Rotating refresh tokens live in the token store (sealed under GATEWAY_TOKEN_KEY, which the config requires then).
  const { connections, key } = config.tokens;
  const tokenStore = connections.length > 0 && key ? createTokenStore({ ...config.tokens, key }, logger) : undefined;
  if (tokenStore) {
    logger.info({ store: describeTokenStore(config.tokens), connections }, 'connection tokens kept in the token store');
    await tokenStore.ready(5_000);
  }
  // Over the sandboxes, Xero's webhook is wired to this gateway with a key of the run's own unless one is given.
  const events = { ...config.events, poll: true, ...(config.sandbox && !config.events.xeroWebhookKey ? { xeroWebhookKey: sandboxWebhookKey() } : {}) };
  const gateway = createGateway({
    sources,
    state,
    rateLimitStore: state.rateLimits,
    cache: config.cache,
    requestTimeoutMs: config.requestTimeoutMs,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    maxUpstreamResponseBytes: config.maxUpstreamResponseBytes,
    maxIds: config.maxIds,
    maxEntities: config.maxEntities,
    circuit: config.circuit,
    limits: config.limits,
    rateLimit: config.rateLimit,
    perAddress: config.perAddress,
    listing: { cursorSecret: config.cursorSecret },
    logger,
    tracer: tracing.tracer,
    exampleQuery: (registry) => buildExampleQuery(sandboxes, registry),
    auth: config.auth,
    corsOrigins: config.corsOrigins,
    graphiql: config.graphiql,
    introspection: config.introspection,
    trustedDocuments: config.trustedDocuments,
    maxBodyBytes: config.maxBodyBytes,
    tokenStore,
    connections,
    events,
    adminPort: config.adminPort !== undefined,
  });
  await gateway.start();
  const servers = createGatewayServers(gateway, { admin: config.adminPort !== undefined, limits: config.http });
  const server = servers.public;
  const port = await listen(server, config.port, config.host);
  const adminPort = servers.admin ? await listen(servers.admin, config.adminPort!, config.host) : undefined;
  if (config.auth.mode === 'none' && !isLoopback(config.host)) {
    logger.warn({ host: config.host }, 'GATEWAY_AUTH=none on a non-loopback address: anyone who reaches it reads and creates invoices');
  }
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const origin = `http://${host}:${port}`;
  // With GATEWAY_ADMIN_PORT the operational endpoints are served there only.
  const adminOrigin = adminPort === undefined ? origin : `http://${host}:${adminPort}`;
  const summary: StartupSummary = {
    mode: config.sandbox ? 'sandbox' : 'providers',
    graphql: `${origin}/graphql`,
    health: `${adminOrigin}/health`,
    ready: `${adminOrigin}/ready`,
    metrics: `${adminOrigin}/metrics`,
    sources: sources.map((s) => ({
      name: s.settings.name,
      kind: s.provider.kind,
      url: publicUrl(s.settings.baseUrl),
      auth: config.sandbox ? undefined : s.provider.describeAuth?.(s.settings),
    })),
    tracing: tracing.destination,
    logLevel: config.logLevel,
    notices: startNotices(process.env, providers, {
      sandbox: config.sandbox,
      cursorSecret: config.cursorSecret,
      replicas: config.sharedState.redisUrl !== undefined,
      knownVariables: knownVariables(providers),
    }),
  };
  const access = { auth: config.auth.mode, graphiql: config.graphiql, introspection: config.introspection };
  if (process.stdout.isTTY) {
    console.log(formatStartupSummary(summary));
    console.log(`  who may call       GATEWAY_AUTH=${access.auth}, GraphiQL ${access.graphiql ? 'on' : 'off'}, introspection ${access.introspection ? 'on' : 'off'}`);
  } else {
    // Each notice also at warn, on its own line, where log alerts look.
    for (const notice of summary.notices) logger.warn({ notice }, 'start notice');
    logger.info({ ...summary, ...access }, 'gateway ready');
  }
  let stopActivity = () => undefined as void;
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const shutdown = createGracefulShutdown({
    servers: [server, ...(servers.admin ? [servers.admin] : [])],
    ...config.shutdown,
    markClosing: () => {
      stopActivity();
      gateway.drain();
    },
    endStreams: () => gateway.endSubscriptions(),
    release: async () => {
      await gateway.close();
      await state.close();
      await tokenStore?.close();
      await sandboxes?.close();
      await tracing.shutdown();
    },
    logger,
  });
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // A second signal while shutting down: stop now.
    if (stopping) process.exit(1);
    stopping = true;
    if (process.stdout.isTTY && config.shutdown.drainMs > 0) {
      console.log(`stopping: /ready answers 503 for ${config.shutdown.drainMs} ms first (GATEWAY_SHUTDOWN_DRAIN_MS); again to stop now`);
    }
    // Once everything is closed the process ends by itself, after the log's last writes (an exit now would write the
    // log's buffer before the write in flight, out of order); a handle left open cannot hold it more than 2 s.
    void shutdown(signal).then(() => setTimeout(() => process.exit(0), 2_000).unref());
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  // After the summary and the signal handlers (a stop during the wait below is a graceful one): the sandboxes' webhook,
  // its intent-to-receive check included, and their activity.
  if (sandboxes) {
    await wireSandboxWebhooks(sandboxes, origin, events.xeroWebhookKey!, logger);
    if (!stopping) stopActivity = startSandboxActivity(sandboxes, config.events.sandboxActivityMs, logger);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof GatewayStartError) console.error(error.message);
  else console.error('invoice-gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
