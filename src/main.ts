// `npm start`: reads the configuration, starts the sandboxes when no provider is configured, and serves GraphQL.
import { createServer } from 'node:http';
import pino from 'pino';
import { providers } from '../adapters/index.js';
import { ConfigError, loadConfig } from './config.js';
import { buildExampleQuery } from './example-query.js';
import { createGateway } from './gateway.js';
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
    limits: config.limits,
    rateLimit: config.rateLimit,
    logger,
    exampleQuery: (registry) => buildExampleQuery(sandboxes, registry),
  });
  const server = createServer(gateway.yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const where = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}/graphql`;
  logger.info({ sources: sources.map((s) => `${s.settings.name} (${s.provider.kind})`), sandbox: config.sandbox }, 'gateway ready');
  console.log(`invoice-gateway ready${config.sandbox ? ' (sandbox providers)' : ''}: GraphiQL at ${where}`);

  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const stop = async () => {
    server.close();
    server.closeAllConnections();
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
