// The answer's running budget over a schema of our own making: values and bytes are counted as fields resolve, past a
// maximum the execution stops and the answer is one QUERY_TOO_COMPLEX without data; a long execution lets the event
// loop turn; and the serialised body is checked once more, for what an estimate cannot see (escapes).
import { makeExecutableSchema } from '@graphql-tools/schema';
import DataLoader from 'dataloader';
import { createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { createAnswerBudget } from '../../src/limits/answer-budget.js';
import { meterAnswer } from '../../src/limits/metered-fields.js';
import { useMaxResponseBytes } from '../../src/limits/response-bytes.js';
import { useAnswerBudget } from '../../src/limits/use-answer-budget.js';

/** `rows(n)`: n objects of two fields; `text(n)`: a string of n double quotes (twice as long once escaped). */
function createTestYoga(limits: { maxValues: number; maxBytes: number }, resolved: { count: number }, plugins: Plugin[] = []) {
  const schema = meterAnswer(
    makeExecutableSchema({
      typeDefs: `type Row { id: ID! name: String! } type Query { rows(n: Int!, nameLength: Int): [Row!]! text(n: Int!): String! }`,
      resolvers: {
        Query: {
          rows: (_: unknown, { n, nameLength }: { n: number; nameLength?: number }) =>
            Array.from({ length: n }, (_, i) => ({ id: String(i), name: nameLength ? 'x'.repeat(nameLength) : `row ${i}` })),
          text: (_: unknown, { n }: { n: number }) => '"'.repeat(n),
        },
        Row: {
          name: (row: { name: string }) => {
            resolved.count += 1;
            return row.name;
          },
        },
      },
    }),
  );
  return createYoga({
    schema,
    logging: false,
    context: () => ({ budget: { answer: createAnswerBudget(limits) } }),
    plugins: [useAnswerBudget(), ...plugins],
  });
}

async function post(yoga: ReturnType<typeof createTestYoga>, query: string) {
  const response = await yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } };
}

describe('the answer budget', () => {
  it('answers in full within the budget', async () => {
    const resolved = { count: 0 };
    const yoga = createTestYoga({ maxValues: 1_000, maxBytes: 100_000 }, resolved);
    const { body } = await post(yoga, `{ rows(n: 100) { id name } }`);
    expect(body.errors).toBeUndefined();
    expect((body.data as { rows: unknown[] }).rows).toHaveLength(100);
  });

  it('stops an answer past its values: one QUERY_TOO_COMPLEX, no data, and the fields after the limit never resolve', async () => {
    const resolved = { count: 0 };
    const yoga = createTestYoga({ maxValues: 1_000, maxBytes: 10_000_000 }, resolved);
    // 1 + 10,000 × 3 values.
    const { body } = await post(yoga, `{ rows(n: 10000) { id name } }`);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_COST', maximum: 1_000 }) }),
    ]);
    expect(resolved.count).toBeLessThan(1_000);
  });

  it('stops an answer past its bytes, counted as it grows', async () => {
    const resolved = { count: 0 };
    const yoga = createTestYoga({ maxValues: 1_000_000, maxBytes: 5_000 }, resolved);
    const { body } = await post(yoga, `{ rows(n: 10000) { id name } }`);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_RESPONSE_BYTES', maximum: 5_000 });
    // About 30 bytes a row: stopped within the first few hundred rows.
    expect(resolved.count).toBeLessThan(500);
  });

  it('measures the strings the answer really holds before it is serialised', async () => {
    const resolved = { count: 0 };
    const yoga = createTestYoga({ maxValues: 1_000_000, maxBytes: 20_000 }, resolved);
    // Estimated at about 100 bytes a row as it grows; 100 names of 1,000 characters are 100 KB.
    const { body } = await post(yoga, `{ rows(n: 100, nameLength: 1000) { id name } }`);
    expect(body.data ?? null).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_RESPONSE_BYTES', maximum: 20_000 }) }),
    ]);
    const fits = await post(yoga, `{ rows(n: 10, nameLength: 1000) { id name } }`);
    expect((fits.body.data as { rows: unknown[] }).rows).toHaveLength(10);
  });

  it('counts every alias of a field', async () => {
    const resolved = { count: 0 };
    const yoga = createTestYoga({ maxValues: 1_000, maxBytes: 10_000_000 }, resolved);
    const aliases = Array.from({ length: 20 }, (_, i) => `n${i}: name`).join(' ');
    const { body } = await post(yoga, `{ rows(n: 100) { ${aliases} } }`);
    expect(body.errors?.[0].extensions).toMatchObject({ limit: 'GATEWAY_MAX_COST' });
  });

  it('lets the event loop turn while it resolves a large answer', async () => {
    const resolved = { count: 0 };
    const yoga = createTestYoga({ maxValues: 10_000_000, maxBytes: 100_000_000 }, resolved);
    let countWhenTheLoopTurned: number | undefined;
    // Scheduled once the execution has started (the first name resolved): it runs only when the loop gets a turn.
    const started = new Promise<void>((resolve) => {
      const wait = () => (resolved.count > 0 ? resolve() : setTimeout(wait, 0));
      wait();
    });
    void started.then(() => setImmediate(() => (countWhenTheLoopTurned = resolved.count)));
    const { body } = await post(yoga, `{ rows(n: 50000) { id name } }`);
    expect((body.data as { rows: unknown[] }).rows).toHaveLength(50_000);
    expect(countWhenTheLoopTurned).toBeDefined();
    expect(countWhenTheLoopTurned!).toBeLessThan(50_000);
  });
});

describe('batches, in an answer built in slices', () => {
  it('still go one per level: the loads of every slice wait for the last one', async () => {
    const batches: number[] = [];
    const schema = meterAnswer(
      makeExecutableSchema({
        typeDefs: `type Owner { id: ID! } type Row { id: ID! owner: Owner } type Query { rows(n: Int!): [Row!]! }`,
        resolvers: {
          Query: { rows: (_: unknown, { n }: { n: number }) => Array.from({ length: n }, (_, i) => ({ id: String(i) })) },
          Row: { owner: (row: { id: string }, _: unknown, ctx: { owners: DataLoader<string, { id: string }> }) => ctx.owners.load(row.id) } ,
        },
      }),
    );
    const yoga = createYoga({
      schema,
      logging: false,
      context: () => {
        // A slice of no time at all: every object waits for a turn of the event loop.
        const answer = createAnswerBudget({ maxValues: 10_000_000, maxBytes: 100_000_000, sliceMs: 0 });
        const owners = new DataLoader<string, { id: string }>(
          async (ids) => {
            batches.push(ids.length);
            return ids.map((id) => ({ id: `owner-${id}` }));
          },
          { batchScheduleFn: answer.whenSettled },
        );
        return { budget: { answer }, owners };
      },
      plugins: [useAnswerBudget()],
    });
    const response = await yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ rows(n: 3000) { id owner { id } } }' }),
    });
    const body = (await response.json()) as { data: { rows: Array<{ owner: { id: string } }> } };
    expect(body.data.rows).toHaveLength(3000);
    expect(body.data.rows[2999].owner.id).toBe('owner-2999');
    expect(batches).toEqual([3000]);
  });
});

describe('the response size, checked on the serialised body', () => {
  it('refuses a body over the limit that the running estimate could not see (escapes double its strings)', async () => {
    const resolved = { count: 0 };
    // 3,000 quotes: counted as about 3,000 bytes, serialised as 6,000.
    const yoga = createTestYoga({ maxValues: 1_000, maxBytes: 4_500 }, resolved, [useMaxResponseBytes(4_500)]);
    const { body } = await post(yoga, `{ text(n: 3000) }`);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'GATEWAY_MAX_RESPONSE_BYTES', maximum: 4_500 });
    const fits = await post(yoga, `{ text(n: 2000) }`);
    expect(fits.body.data).toEqual({ text: '"'.repeat(2000) });
  });
});
