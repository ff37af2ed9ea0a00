// `npm run connect -- <provider>` (compiled like the gateway: it runs from the production build). See connect-command.ts.
import { providers } from '../../adapters/index.js';
import { ConnectError, runConnect } from './connect-command.js';

runConnect({ kind: process.argv[2], env: process.env, providers, out: (line) => console.log(line) }).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof ConnectError ? error.message : `connect failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
