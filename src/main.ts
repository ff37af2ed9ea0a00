// `npm start`: reads the configuration, starts the sandboxes when no provider is configured, and serves GraphQL.
import pino from 'pino';
import { providers } from '../adapters/index.js';
import { ConfigError, loadConfig } from './config.js';
import { buildExampleQuery } from './example-query.js';
import { createGateway } from './gateway.js';
import { isLoopback } from './access/auth-config.js';
import { createGatewayServers, listen } from './http-server.js';
import { startSandboxes, type RunningSandboxes } from './sandboxes.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env, providers);
  const logger = pino({ level: config.logLevel });
  let sandboxes: RunningSandboxes | undefined;
  let sources = config.sources;
  if (config.sandbox) {
    sandboxes = await startSandboxes(providers);
    sources = sandboxes.specs;
    logger.info({ sandboxes: sandboxes.started.map((s) => ({ kind: s.kind, url: s.handle.url })) }, 'sandboxes started');
  }
  const gateway = createGateway({
    sources,
    requestTimeoutMs: config.requestTimeoutMs,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    connectTimeoutMs: config.connectTimeoutMs,
    maxIds: config.maxIds,
    maxEntities: config.maxEntities,
    circuit: config.circuit,
    logger,
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
  await listen(server, config.port, config.host);
  if (servers.admin) {
    const adminPort = await listen(servers.admin, config.adminPort!, config.host);
    logger.info({ port: adminPort }, 'admin endpoints (/health, /ready, /metrics) on their own port');
  }
  if (config.auth.mode === 'none' && !isLoopback(config.host)) {
    logger.warn({ host: config.host }, 'GATEWAY_AUTH=none on a non-loopback address: anyone who reaches it reads and creates invoices');
  }
  const where = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}/graphql`;
  logger.info(
    { sources: sources.map((s) => `${s.settings.name} (${s.provider.kind})`), sandbox: config.sandbox, auth: config.auth.mode },
    'gateway ready',
  );
  console.log(`invoice-gateway ready${config.sandbox ? ' (sandbox providers)' : ''}: ${config.graphiql ? 'GraphiQL' : 'GraphQL'} at ${where}`);

  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const stop = async () => {
    for (const s of [server, servers.admin]) {
      s?.close();
      s?.closeAllConnections();
    }
    await gateway.close();
    await sandboxes?.close();
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
