// `npm start`: reads the configuration, starts the sandboxes when no provider is configured, and serves GraphQL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { providers } from '../adapters/index.js';
import { ConfigError, loadConfig } from './config.js';
import { buildExampleQuery } from './example-query.js';
import { createGateway } from './gateway.js';
import { startSandboxes, type RunningSandboxes } from './sandboxes.js';
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
    listing: { cursorSecret: config.cursorSecret },
    logger,
    tracer: tracing.tracer,
    exampleQuery: (registry) => buildExampleQuery(sandboxes, registry),
  });
  const server = createServer(gateway.yoga);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const summary: StartupSummary = {
    mode: config.sandbox ? 'sandbox' : 'providers',
    graphql: `${origin}/graphql`,
    health: `${origin}/health`,
    ready: `${origin}/ready`,
    metrics: `${origin}/metrics`,
    sources: sources.map((s) => ({ name: s.settings.name, kind: s.provider.kind, url: publicUrl(s.settings.baseUrl) })),
    tracing: tracing.destination,
    logLevel: config.logLevel,
  };
  if (process.stdout.isTTY) console.log(formatStartupSummary(summary));
  else logger.info(summary, 'gateway ready');

  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  const stop = async () => {
    server.close();
    server.closeAllConnections();
    await gateway.close();
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
