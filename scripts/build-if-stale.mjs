// `npm start`'s prestart: compiles the gateway to dist/ (tsc -p tsconfig.build.json) when dist is missing or older than
// any source, so production runs compiled JavaScript and `npm start` stays the one command.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.built');
const inputs = ['adapters', 'src', 'schema', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time under `path` (a file or a folder, recursively). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const sourcesAt = Math.max(...inputs.map((input) => join(root, input)).filter(existsSync).map(newest));
if (builtAt >= sourcesAt) process.exit(0);

console.log('building dist/ (tsc -p tsconfig.build.json) ...');
rmSync(join(root, 'dist'), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
  cwd: root,
  stdio: 'inherit',
});
if (tsc.status !== 0) {
  console.error('the build failed: see the errors above (npm run typecheck shows the same)');
  process.exit(tsc.status ?? 1);
}
writeFileSync(stamp, `${new Date().toISOString()}\n`);
