// Vitest setup file: any promise rejection nobody handled during a test fails that test (and one after the last test
// fails the file), so a lookup left to reject unobserved, as @apollo/subgraph's `_entities` once did, cannot hide.
import { afterAll, afterEach } from 'vitest';

const unhandled: unknown[] = [];
const record = (reason: unknown) => void unhandled.push(reason);
process.on('unhandledRejection', record);

function failOnUnhandled(when: string): void {
  if (unhandled.length === 0) return;
  const reasons = unhandled.splice(0).map((reason) => (reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)));
  throw new Error(`${reasons.length} unhandled promise rejection(s) ${when}:\n${reasons.join('\n---\n')}`);
}

afterEach(async () => {
  // Rejections are reported after the microtask queue drains: give the event loop one turn.
  await new Promise((resolve) => setImmediate(resolve));
  failOnUnhandled('during this test');
});

afterAll(async () => {
  await new Promise((resolve) => setImmediate(resolve));
  process.off('unhandledRejection', record);
  failOnUnhandled('after the last test of this file');
});
