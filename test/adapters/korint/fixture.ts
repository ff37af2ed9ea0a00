// Seed 003's example answer, with its placeholders replaced by realistic values.
import { readFileSync } from 'node:fs';

export function loadSeed003Page(): { data: Array<Record<string, any>>; [key: string]: unknown } {
  return JSON.parse(readFileSync(new URL('../../fixtures/korint/seed-003-invoices-by-ids.json', import.meta.url), 'utf8'));
}
