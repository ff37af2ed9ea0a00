// `npm run docs:config`: writes docs/configuration.md from the settings schemas. With `--check` (`npm test` runs it)
// it writes nothing and fails when the page on disk differs from what the schemas say.
import { readFileSync, writeFileSync } from 'node:fs';
import { providers } from '../adapters/index.js';
import { renderConfigurationReference } from './configuration-reference.js';

const path = new URL('../docs/configuration.md', import.meta.url);
const fresh = renderConfigurationReference(providers);

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = '';
  }
  if (current !== fresh) {
    console.error('docs/configuration.md is stale: run `npm run docs:config` and commit it');
    process.exit(1);
  }
  console.log('docs/configuration.md is fresh');
} else {
  writeFileSync(path, fresh);
  console.log('wrote docs/configuration.md');
}
