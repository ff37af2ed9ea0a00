// `npm start`: reads the configuration, starts the sandboxes when no provider is configured, and serves GraphQL.
import { providers } from '../adapters/index.js';
import { ConfigError, loadConfig } from './config.js';
import { buildExampleQuery } from './example-query.js';
import { createGateway } from './gateway.js';
import { isLoopback } from './access/auth-config.js';
import { createGatewayServers, listen } from './http-server.js';
import { startSandboxes, type RunningSandboxes } from './sandboxes.js';
import { createSharedState } from './state/create-shared-state.js';
import { createLogger } from './telemetry/logger.js';
import { formatStartupSummary, publicUrl, type StartupSummary } from './telemetry/startup-summary.js';
import { startTracing } from './telemetry/tracing.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env, providers);
  const logger = createLogger({ level: config.logLevel });
  const tracing = startTracing({ env: process.env });
  let sandboxes: RunningSandboxes | undefined;
  let sources = config.sources;
  if (config.sandbox) {
    sandboxes = await startSandboxes(providers);
    sources = sandboxes.specs;
  }
  const state = createSharedState(config, logger);
  const gateway = createGateway({
    sources,
    state,
    rateLimitStore: state.rateLimits,
    cache: config.cache,
    requestTimeoutMs: config.requestTimeoutMs,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
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
  });
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
    sources: sources.map((s) => ({ name: s.settings.name, kind: s.provider.kind, url: publicUrl(s.settings.baseUrl) })),
    tracing: tracing.destination,
    logLevel: config.logLevel,
  };
  const access = { auth: config.auth.mode, graphiql: config.graphiql, introspection: config.introspection };
  if (process.stdout.isTTY) {
    console.log(formatStartupSummary(summary));
    console.log(`  who may call       GATEWAY_AUTH=${access.auth}, GraphiQL ${access.graphiql ? 'on' : 'off'}, introspection ${access.introspection ? 'on' : 'off'}`);
  } else logger.info({ ...summary, ...access }, 'gateway ready');

  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const stop = async () => {
    for (const s of [server, servers.admin]) {
      s?.close();
      s?.closeAllConnections();
    }
    await gateway.close();
    await state.close();
    await sandboxes?.close();
    await tracing.shutdown();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('invoice-gateway failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
