// The limits that depend on the variables (ids passed, page sizes) are checked with each request's variables, right
// after the document's own rules and before graphql-js's validation (limits-before-validation.ts): as validation rules they would
// be cached per document and miss `$ids` of 100,000 items, and after validation a hostile document would first cost
// its full validation (tens of milliseconds for thousands of fields). A refusal answers as a validation error does
// (HTTP 400) and runs nothing.
import { getOperationAST, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import type { Variables } from './argument-values.js';
import type { LimitSettings } from './limit-settings.js';
import { operationCost } from './operation-cost.js';
import { operationIds } from './operation-ids.js';
import { tooComplex } from './too-complex.js';

interface Measure {
  ids: number;
  cost: number;
}

/** Measures one request's operation: the refusal when it passes too many ids or would cost too much, else undefined. */
export type OperationBudget = (
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Variables,
) => GraphQLError | undefined;

export function createOperationBudget(limits: Pick<LimitSettings, 'maxCost' | 'maxIdsPerOperation' | 'assumedListSize'>): OperationBudget {
  // An operation without variables measures the same every time, and Yoga hands the same parsed document for the same
  // text: its measure is kept with the document (100 aliased lookups are a walk of about a millisecond).
  const measured = new WeakMap<DocumentNode, Map<string, Measure>>();
  return (schema, document, operationName, variables) => {
    const operation = getOperationAST(document, operationName);
    const cacheable = (operation?.variableDefinitions?.length ?? 0) === 0;
    const key = operationName ?? '';
    let measure = cacheable ? measured.get(document)?.get(key) : undefined;
    if (!measure) {
      measure = {
        ids: operationIds(schema, document, operationName, variables),
        cost: operationCost(schema, document, operationName, variables, limits.assumedListSize),
      };
      if (cacheable) {
        let byName = measured.get(document);
        if (!byName) measured.set(document, (byName = new Map()));
        byName.set(key, measure);
      }
    }
    const { ids, cost } = measure;
    if (ids > limits.maxIdsPerOperation) {
      return tooComplex(`the operation passes ${ids} ids over all its arguments`, {
        limit: 'maxIdsPerOperation',
        maximum: limits.maxIdsPerOperation,
        found: ids,
        beforeExecution: true,
      });
    }
    if (cost > limits.maxCost) {
      const found = Number.isFinite(cost) && cost < Number.MAX_SAFE_INTEGER ? Math.round(cost) : undefined;
      return tooComplex(`the answer would hold about ${found ?? 'more than 2^53'} values`, {
        limit: 'maxCost',
        maximum: limits.maxCost,
        found,
        beforeExecution: true,
      });
    }
    return undefined;
  };
}
