// Builds the gateway to dist/ (tsc -p tsconfig.build.json) and stamps it (dist/.built), so a production install runs
// compiled JavaScript and needs no dev dependency at run time:
//   npm ci && npm run build && npm prune --omit=dev && npm start
// `npm run build` (`--always`) compiles whatever the stamp says; `npm start`'s prestart compiles only when dist/ is
// missing or older than any source, and without TypeScript (dev dependencies pruned) says what to run in one line.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.built');
const entry = join(root, 'dist', 'src', 'main.js');
const tscPath = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const inputs = ['adapters', 'src', 'schema', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];
const always = process.argv.includes('--always');

/** The newest modification time under `path` (a file or a folder, recursively). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

/** Prints one line to stderr and stops: no stack trace for a situation the user fixes with a command. */
function fail(message) {
  console.error(`invoice-gateway: ${message}`);
  process.exit(1);
}

const built = existsSync(stamp) && existsSync(entry);
if (!always) {
  const builtAt = built ? statSync(stamp).mtimeMs : 0;
  const sourcesAt = Math.max(...inputs.map((input) => join(root, input)).filter(existsSync).map(newest));
  if (builtAt >= sourcesAt) process.exit(0);
}

if (!existsSync(tscPath)) {
  const state = built ? 'dist/ is older than the sources' : 'dist/ is not built';
  fail(
    `${state} and TypeScript is not installed (an install without dev dependencies): build before pruning, ` +
      '`npm ci && npm run build && npm prune --omit=dev`, then `npm start`',
  );
}

console.log('building dist/ (tsc -p tsconfig.build.json) ...');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [tscPath, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) fail('the build failed: see the errors above (`npm run typecheck` shows the same)');
writeFileSync(stamp, `${new Date().toISOString()}\n`);
