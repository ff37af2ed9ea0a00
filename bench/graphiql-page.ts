// `npm run bench:graphiql`: what serving the GraphiQL page costs. FETCHES (20) page loads over real loopback HTTP from
// this gateway (page built once, gzip once, ETag) beside the peer, Yoga's own GraphiQL rendering the same page per request
// (what the gateway did before): time per load, bytes on the wire, and RSS before and after each run (after a forced GC).
// Run with `node --expose-gc`; both servers run in this process, one after the other.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga } from 'graphql-yoga';
import { createGateway } from '../src/gateway.js';
import { createSchema } from '../src/schema.js';

const FETCHES = Number(process.env.FETCHES ?? 20);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rss = () => {
  globalThis.gc?.();
  return process.memoryUsage().rss;
};

async function measure(name: string, server: Server, headers: Record<string, string>) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const before = rss();
  let bytes = 0;
  let peak = before;
  const started = performance.now();
  for (let i = 0; i < FETCHES; i++) {
    const response = await fetch(url, { headers: { accept: 'text/html', ...headers } });
    const body = (await response.arrayBuffer()).byteLength;
    // On the wire: fetch() hands back the body decompressed, Content-Length says what was sent.
    bytes += Number(response.headers.get('content-length') ?? body);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = (performance.now() - started) / FETCHES;
  const after = rss();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  console.log(`${name.padEnd(34)} ${ms.toFixed(1).padStart(7)} ms/load  ${mb(bytes / FETCHES).padStart(6)}/load  RSS ${mb(before)} → peak ${mb(peak)} → ${mb(after)}`);
  return ms;
}

if (!globalThis.gc) console.log('(run with node --expose-gc for RSS after GC)');
const gateway = createGateway({ sources: [], exampleQuery: '{ sources { name } }' });
const ours = await measure('gateway (built once, gzip)', createServer(gateway.yoga), { 'accept-encoding': 'gzip' });
await measure('gateway (built once, identity)', createServer(gateway.yoga), { 'accept-encoding': 'identity' });
const peer = createYoga({
  schema: createSchema({}),
  logging: false,
  graphiql: { title: 'invoice-gateway', defaultQuery: '{ sources { name } }' },
  renderGraphiQL,
});
const theirs = await measure('peer: Yoga GraphiQL per request', createServer(peer), {});
console.log(`time per load, gateway / peer: ${(ours / theirs).toFixed(2)}`);
await gateway.close();
