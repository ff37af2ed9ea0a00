// `npm run bench:json`: what the scan for JSON numbers a double cannot carry (adapters/kit/inexact-numbers.ts) adds to
// parsing a provider's answer, on bodies of each sandbox's wire: JSON.parse alone against markInexactNumbers +
// JSON.parse, as a ratio in one run. Also the slow path (a body where a long digit run follows a `:` inside a string,
// which makes the scan walk the text) and a body that holds one inexact number (the walk and the rewrite).
import { performance } from 'node:perf_hooks';
import { generateSandboxInvoices } from '../adapters/fragment/sandbox/fragment-seed-data.js';
import { markInexactNumbers } from '../adapters/kit/inexact-numbers.js';
import { createKorintSeedInvoices } from '../adapters/korint/sandbox/seed-data.js';
import { createXeroSandboxDataset } from '../adapters/xero/sandbox/xero-sandbox-data.js';
import { invoiceJson } from '../adapters/xero/sandbox/xero-sandbox-json.js';

const xero = createXeroSandboxDataset({ tenantId: 't', seed: 4000, invoiceCount: 100, batchCount: 5 });
const bodies: Record<string, string> = {
  'Fragment batch-get, 200 invoices': JSON.stringify({ data: { invoices: generateSandboxInvoices(200, 42), not_found: [] } }),
  'Xero /Invoices page, 100 with lines': JSON.stringify({
    Invoices: xero.invoices.slice(0, 100).map((invoice) => invoiceJson(xero, invoice, { withLines: true, unitdp4: true })),
  }),
  'Korint page, 100 invoices': JSON.stringify({ data: createKorintSeedInvoices(100, 3), pageInfo: { first: true, last: false } }),
};
const fragment = bodies['Fragment batch-get, 200 invoices'];
// The walk without a rewrite: a note that looks like a long number after a colon, inside a string.
bodies['slow path: look-alike in a string (Fragment)'] = fragment.replace('"status":"active"', '"status":"active","note":"ref: 12345678901234567890"');
// The walk and one rewrite.
bodies['one inexact number (Xero)'] = bodies['Xero /Invoices page, 100 with lines'].replace(/"Total":(\d+(\.\d+)?)/, '"Total":$1000000000000000001');

function time(run: () => void, minMs = 400): number {
  for (let i = 0; i < 5; i += 1) run();
  let runs = 0;
  const started = performance.now();
  while (performance.now() - started < minMs) {
    run();
    runs += 1;
  }
  return (performance.now() - started) / runs;
}

const rows: string[] = [];
for (const [name, text] of Object.entries(bodies)) {
  const parse = time(() => JSON.parse(text));
  const scan = time(() => markInexactNumbers(text));
  const both = time(() => JSON.parse(markInexactNumbers(text)));
  rows.push(
    `${name.padEnd(46)} ${(text.length / 1024).toFixed(0).padStart(6)} KiB   parse ${parse.toFixed(3).padStart(7)} ms   scan ${scan.toFixed(3).padStart(7)} ms   scan+parse / parse ${(both / parse).toFixed(2)}`,
  );
}
console.log(rows.join('\n'));
