// Every example in README.md and in the reference pages under docs/ is checked against the sandboxes: each ```graphql
// block that holds an operation must be followed by a ```json block, its documented answer, and the real answer must
// equal it.
//
// Rules, so that an example stays a promise the code keeps:
// - Each example runs on a fresh gateway over fresh sandboxes (what `npm start` serves), so an example that changes
//   state (createInvoice) neither depends on nor disturbs another, and the README can list them in any order.
// - Before it, the gateway reads one listing page (WARM_UP), as `npm start`'s pollers do before a first query arrives:
//   the providers' tokens are fetched, so the documented upstream counts are what a reader sees on any request but a
//   process's very first (no example documents a token fetch).
// - Arguments are written inline (no variables); each operation is named (GraphQL Code Generator's client preset skips
//   anonymous ones, and the metrics and logs are kept per operation name).
// - The one value that legitimately varies is `timeMs` (the time an upstream call took): it is compared as "a
//   non-negative number", whatever the README shows. Everything else, `extensions.upstream` and error `locations`
//   included, must match exactly. An answer is never trimmed: a shorter example is a smaller query.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Kind, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { startTestGateway } from './support/gateway.js';

interface Block {
  lang: string;
  body: string;
  line: number;
  start: number;
  end: number;
}

interface Example {
  line: number;
  name: string | undefined;
  query: string;
  answer: string;
}

const ROOT = new URL('../', import.meta.url);
const README = readFileSync(new URL('README.md', ROOT), 'utf8');
const DOCS_DIR = new URL('docs/', ROOT);
/** The reference pages (`docs/*.md`), by file name. */
const DOCS: Array<{ file: string; markdown: string }> = existsSync(DOCS_DIR)
  ? readdirSync(DOCS_DIR)
      .filter((file) => file.endsWith('.md'))
      .sort()
      .map((file) => ({ file: `docs/${file}`, markdown: readFileSync(new URL(file, DOCS_DIR), 'utf8') }))
  : [];

function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  for (const match of markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```[ \t]*$/gm)) {
    const start = match.index;
    blocks.push({ lang: match[1], body: match[2], line: markdown.slice(0, start).split('\n').length, start, end: start + match[0].length });
  }
  return blocks;
}

function isOperation(source: string): boolean {
  try {
    return parse(source).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION);
  } catch {
    return false;
  }
}

/** Every ```graphql block holding an operation, with the ```json block that must follow it (or none). */
function readmeExamples(markdown: string): Array<Example | { line: number; missing: string }> {
  const blocks = fencedBlocks(markdown);
  return blocks.flatMap((block, i): Array<Example | { line: number; missing: string }> => {
    if (block.lang !== 'graphql' || !isOperation(block.body)) return [];
    const next = blocks[i + 1];
    if (!next || next.lang !== 'json' || markdown.slice(block.end, next.start).trim() !== '') {
      return [{ line: block.line, missing: 'no ```json answer right after it' }];
    }
    const operation = parse(block.body).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const name = operation && 'name' in operation ? operation.name?.value : undefined;
    return [{ line: block.line, name, query: block.body, answer: next.body }];
  });
}

/** `timeMs` becomes a marker when it is a non-negative number, so documented and real answers compare equal. */
function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, v]) => [key, key === 'timeMs' && typeof v === 'number' && v >= 0 ? '<ms>' : normalise(v)]),
    );
  }
  return value;
}

const examples = readmeExamples(README);

/** What `npm start`'s pollers have done by the time a first query arrives: read every source once. */
const WARM_UP = 'query WarmUp { listInvoices(first: 1) { nodes { id } } }';

async function answersAsDocumented(example: Example): Promise<void> {
  expect(example.name, 'documented examples are named operations').toBeDefined();
  let documented: unknown;
  expect(() => (documented = JSON.parse(example.answer)), 'the documented answer is JSON, untrimmed').not.toThrow();
  const gw = await startTestGateway();
  try {
    expect((await gw.query(WARM_UP)).errors).toBeUndefined();
    const real = await gw.query(example.query);
    expect(normalise(real)).toEqual(normalise(documented));
  } finally {
    await gw.close();
  }
}

describe('README examples', () => {
  it('are there, and every operation block has its answer', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    expect(examples.filter((e) => 'missing' in e)).toEqual([]);
  });

  for (const example of examples) {
    if ('missing' in example) continue;
    it(`${example.name ?? 'an anonymous operation'} (README.md line ${example.line}) answers as documented`, () => answersAsDocumented(example));
  }
});

describe('docs/ examples', () => {
  for (const { file, markdown } of DOCS) {
    const found = readmeExamples(markdown);
    it(`${file}: every operation block has its answer`, () => {
      expect(found.filter((e) => 'missing' in e)).toEqual([]);
    });
    for (const example of found) {
      if ('missing' in example) continue;
      it(`${example.name ?? 'an anonymous operation'} (${file} line ${example.line}) answers as documented`, () => answersAsDocumented(example));
    }
  }
});
