import { makeExecutableSchema } from '@graphql-tools/schema';
import { normalizedExecutor } from '@graphql-tools/executor';
import { parse } from 'graphql';
import { createAnswerBudget } from '../src/limits/answer-budget.js';
import { meterAnswer } from '../src/limits/metered-fields.js';
const schema = meterAnswer(makeExecutableSchema({
  typeDefs: `type Row { id: ID! name: String! } type Query { rows(n: Int!): [Row!]! }`,
  resolvers: { Query: { rows: (_: unknown, { n }: { n: number }) => Array.from({ length: n }, (_, i) => ({ id: String(i), name: `row ${i}` })) } },
}));
const n = Number(process.argv[2]);
for (let i = 0; i < 2; i++) {
  const answer = createAnswerBudget({ maxValues: 1e8, maxBytes: 1e9, sliceMs: Number(process.env.SLICE ?? 10) });
  let turns = 0; const iv = setInterval(() => turns++, 1);
  const t = performance.now();
  const r: any = await normalizedExecutor({ schema, document: parse(`{ rows(n: ${n}) { id name } }`), contextValue: { budget: { answer } } });
  clearInterval(iv);
  console.log(n, (performance.now() - t).toFixed(0), 'ms', r.data.rows.length, 'turns', turns);
}
