// CI: the production install of docs/deployment.md, literally, in a clean copy of HEAD:
//   npm ci && npm run build && npm prune --omit=dev && npm start
// then one GraphQL query to the started gateway (over its sandboxes), then SIGTERM. Exits 1 on any failure.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'invoice-gateway-production-'));
const copy = join(work, 'gateway');
const QUERY = '{ sources { name } invoices(ids: ["fragment:Invoice:inv_0003"]) { id status } }';

const run = (command, args) => {
  console.log(`$ ${command} ${args.join(' ')}`);
  execFileSync(command, args, { cwd: copy, stdio: 'inherit', env: { ...process.env, CI: '1' } });
};

/** Starts `npm start` in its own process group; resolves with the child and the summary line's GraphQL URL. */
function start() {
  const child = spawn('npm', ['start'], {
    cwd: copy,
    detached: true,
    // No provider and no terminal: the sandboxes, and the start summary as one JSON line on stdout.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the gateway did not report "gateway ready" within 60 s')), 60_000);
    child.once('exit', (code) => reject(new Error(`npm start exited with ${code} before it was ready`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('{')) return console.log(line);
      const entry = JSON.parse(line);
      if (entry.msg !== 'gateway ready') return;
      clearTimeout(timer);
      resolve({ child, graphql: entry.graphql });
    });
  });
}

let child;
try {
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', root, copy], { stdio: 'inherit' });
  run('npm', ['ci', '--no-audit', '--no-fund']);
  run('npm', ['run', 'build']);
  run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund']);
  if (existsSync(join(copy, 'node_modules', 'typescript'))) throw new Error('npm prune --omit=dev left typescript installed');
  const started = await start();
  child = started.child;
  const response = await fetch(started.graphql, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: QUERY }),
  });
  const answer = await response.json();
  const names = answer.data?.sources?.map((s) => s.name);
  const invoice = answer.data?.invoices?.[0];
  if (response.status !== 200 || answer.errors || names?.join() !== 'fragment,korint,xero' || invoice?.id !== 'fragment:Invoice:inv_0003') {
    throw new Error(`unexpected answer (HTTP ${response.status}): ${JSON.stringify(answer).slice(0, 500)}`);
  }
  console.log(`production install: npm start answered ${JSON.stringify(answer.data)}`);
} catch (error) {
  console.error(`production install failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  }
  rmSync(work, { recursive: true, force: true });
}
