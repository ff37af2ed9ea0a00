// Recorded Fragment answers: seed 001's retrieve example, a batch-get answer built from seed 000's field list, and a
// create answer shaped like seed 002's (no balances).
import { readFileSync } from 'node:fs';

function load(name: string): any {
  return JSON.parse(readFileSync(new URL(`../../fixtures/fragment/${name}`, import.meta.url), 'utf8'));
}

/** Seed 001, verbatim: camelCase `workspaceId`, `lineItems`, `currencyCode` beside snake `product_id`, `user_id`. */
export const loadRetrieveSeed = (): { data: Record<string, any> } => load('retrieve-inv_1234567890.json');
export const loadBatchGet = (): { request: { ids: string[] }; response: { data: { invoices: any[]; not_found: string[] } } } =>
  load('batch-get.json');
export const loadCreateAnswer = (): { data: Record<string, any> } => load('create-answer.json');
export const loadRetrieveCreated = (): { data: Record<string, any> } => load('retrieve-invoice_2024_001.json');
