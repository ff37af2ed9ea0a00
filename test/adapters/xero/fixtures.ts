// Recorded Xero answers: the OpenAPI slice's examples (loaded with JSON_SCHEMA so DateString stays a string), the
// GET /BatchPayments seed, and a hand-recorded page of invoices covering NZD millions, JPY and an unknown status.
import { readFileSync } from 'node:fs';
import { load, JSON_SCHEMA } from 'js-yaml';

const fixture = (name: string) => new URL(`../../fixtures/xero/${name}`, import.meta.url);

export interface SpecExample {
  path: string;
  method: string;
  status: string;
  example: Record<string, unknown>;
}

/** Every JSON response example of the OpenAPI slice. */
export function specExamples(): SpecExample[] {
  const spec = load(readFileSync(fixture('xero-openapi-extract.yaml'), 'utf8'), { schema: JSON_SCHEMA }) as {
    paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { example?: unknown }> }> }>>;
  };
  const examples: SpecExample[] = [];
  for (const [path, operations] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      for (const [status, response] of Object.entries(operation?.responses ?? {})) {
        const example = response.content?.['application/json']?.example;
        if (example && typeof example === 'object') examples.push({ path, method, status, example: example as Record<string, unknown> });
      }
    }
  }
  return examples;
}

/** The seed's GET /BatchPayments answer. */
export function seedBatchPayments(): Record<string, unknown> {
  const seed = JSON.parse(readFileSync(fixture('seed-004-get-batch-payments.txt'), 'utf8')) as {
    responseExamples: Array<{ example: Record<string, unknown> }>;
  };
  return seed.responseExamples[0].example;
}

/** A page of three invoices: 1234567.89 NZD partly paid, a paid JPY bill, a USD invoice with an unknown status. */
export function mixedInvoices(): { Invoices: Array<Record<string, unknown>> } & Record<string, unknown> {
  return JSON.parse(readFileSync(fixture('invoices-mixed.json'), 'utf8'));
}
