// `npm run bench:redis-pause`: how fast two replicas notice a Redis that hangs and that comes back. Both replicas
// answer Xero lookups in a steady loop (REDIS_PAUSE_CLIENTS per replica); Redis is frozen with SIGSTOP for
// REDIS_PAUSE_SECONDS (3), then let run again with SIGCONT, REDIS_PAUSE_ROUNDS times (3). Per round: the time until
// every replica's /ready says `degraded` after the freeze, the lookups answered and failed during it and the slowest,
// the time until every /ready says `connected` after SIGCONT and until the first lookup whose Xero call was logged in
// Redis again (the limits shared once more); at the end, once the loops stop, whether any slot was left held (the lease
// is 60 s here, so one would show). Target (issue 17): under 1 s to notice either way.
import { performance } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { createMemoryRateLimitStore } from '../src/state/rate-limit-store.js';
import { BENCH_RATE_LIMIT } from './support/bench-stack.js';
import { startRedisServer } from '../test/support/redis-server.js';
import { startReplicas, type Replicas } from '../test/support/replicas.js';

const ROUNDS = Number(process.env.REDIS_PAUSE_ROUNDS ?? 3);
const PAUSE_MS = Number(process.env.REDIS_PAUSE_SECONDS ?? 3) * 1000;
const CLIENTS = Number(process.env.REDIS_PAUSE_CLIENTS ?? 4);
const QUERY = `query ($ids: [ID!]!) { invoices(ids: $ids) { id number } }`;

interface Answer {
  at: number;
  ms: number;
  ok: boolean;
}

async function statuses(stack: Replicas): Promise<string[]> {
  return Promise.all(stack.replicas.map(async (replica) => JSON.parse(await replica.get('/ready')).sharedState.status as string));
}

/** Milliseconds from `since` until `condition` holds (polled every 5 ms), or Infinity after 20 s. */
async function timeUntil(since: number, condition: () => Promise<boolean>): Promise<number> {
  while (!(await condition())) {
    if (performance.now() - since > 20_000) return Infinity;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - since;
}

async function main(): Promise<void> {
  const redis = await startRedisServer();
  const prefix = `bench-pause-${Date.now()}:`;
  // The clients' budgets in memory and lifted (the loop is one anonymous client), so the lookups' first Redis command is
  // their Xero attempt; Xero's own limits
  // (5 in flight, 60 a minute) lifted to 10,000 a minute, so the loop measures Redis and not the quota.
  const stack = await startReplicas({
    count: 2,
    redisUrl: redis.url,
    keyPrefix: prefix,
    leaseMs: 60_000,
    xero: { perMinuteLimit: 10_000 },
    gateway: { rateLimitStore: createMemoryRateLimitStore(), rateLimit: BENCH_RATE_LIMIT },
  });
  stack.sandbox.limits.perMinute = 10_000;
  stack.sandbox.limits.appPerMinute = 10_000;
  stack.sandbox.latencyMs = 20;
  const inspect = new Redis(redis.url);
  const starts = `${prefix}limit:{xero:${stack.tenant}}:starts:${60_000 + 500}`;
  const leases = `${prefix}limit:{xero:${stack.tenant}}:leases`;
  const answers: Answer[] = [];
  let running = true;
  const loops = stack.replicas.flatMap((replica, r) =>
    Array.from({ length: CLIENTS }, async (_, c) => {
      for (let q = 0; running; q += 1) {
        const started = performance.now();
        const answer = await replica.query(QUERY, { ids: stack.invoiceIds(5, ((r * CLIENTS + c) * 7 + q * 5) % 150) });
        answers.push({ at: performance.now(), ms: performance.now() - started, ok: !answer.errors });
      }
    }),
  );
  console.log(`2 replicas x ${CLIENTS} clients looping Xero lookups; REDIS_COMMAND_TIMEOUT_MS 250; Redis frozen ${PAUSE_MS / 1000} s per round`);
  console.log(['round', 'noticed hung', 'during the pause: answered / failed / slowest', 'noticed back', 'shared again'].join('  '));
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    for (let round = 1; round <= ROUNDS; round += 1) {
      const frozenAt = performance.now();
      redis.pause();
      const noticed = await timeUntil(frozenAt, async () => (await statuses(stack)).every((s) => s === 'degraded'));
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, PAUSE_MS - (performance.now() - frozenAt))));
      const during = answers.filter((a) => a.at > frozenAt);
      const resumedAt = performance.now();
      redis.resume();
      const back = await timeUntil(resumedAt, async () => (await statuses(stack)).every((s) => s === 'connected'));
      const before = await inspect.zcard(starts);
      const shared = await timeUntil(resumedAt, async () => (await inspect.zcard(starts)) > before);
      const failed = during.filter((a) => !a.ok).length;
      console.log(
        [
          String(round).padStart(5),
          `${noticed.toFixed(0)} ms`.padStart(12),
          `${during.length - failed} / ${failed} / ${Math.max(0, ...during.map((a) => a.ms)).toFixed(0)} ms`.padStart(44),
          `${back.toFixed(0)} ms`.padStart(12),
          `${shared.toFixed(0)} ms`.padStart(12),
        ].join('  '),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    running = false;
    await Promise.allSettled(loops);
    const failed = answers.filter((a) => !a.ok).length;
    console.log(`lookups answered ${answers.length - failed}, failed ${failed}; Xero slots still held once every lookup ended: ${await inspect.zcard(leases)}`);
    inspect.disconnect();
    await stack.close();
    await redis.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
