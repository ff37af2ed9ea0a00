import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Node (and so `npm start`) loads graphql-js's CommonJS build everywhere; without this alias Vite would hand our
    // files its ES module build while libraries keep the CommonJS one, and schemas would come from two "realms".
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Any unhandled promise rejection fails the run.
    setupFiles: ['test/support/fail-on-unhandled-rejection.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
