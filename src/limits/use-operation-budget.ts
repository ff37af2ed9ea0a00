// The limits that depend on the variables (ids passed, page sizes) are checked just before execution, where the
// variables are known: as validation rules they would be cached per document and miss `$ids` of 100,000 items.
// A refusal answers like a validation error (HTTP 400) and runs no resolver.
import { getOperationAST, type DocumentNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Variables } from './argument-values.js';
import type { LimitSettings } from './limit-settings.js';
import { operationCost } from './operation-cost.js';
import { operationIds } from './operation-ids.js';
import { tooComplex } from './too-complex.js';

interface Measure {
  ids: number;
  cost: number;
}

export function useOperationBudget(limits: Pick<LimitSettings, 'maxCost' | 'maxIdsPerOperation' | 'assumedListSize'>): Plugin {
  // An operation without variables measures the same every time, and Yoga hands the same parsed document for the same
  // text: its measure is kept with the document (100 aliased lookups are a walk of about a millisecond).
  const measured = new WeakMap<DocumentNode, Map<string, Measure>>();
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const variables = args.variableValues as Variables;
      const operation = getOperationAST(args.document, args.operationName);
      const cacheable = (operation?.variableDefinitions?.length ?? 0) === 0;
      const key = args.operationName ?? '';
      let measure = cacheable ? measured.get(args.document)?.get(key) : undefined;
      if (!measure) {
        measure = {
          ids: operationIds(args.schema, args.document, args.operationName, variables),
          cost: operationCost(args.schema, args.document, args.operationName, variables, limits.assumedListSize),
        };
        if (cacheable) {
          let byName = measured.get(args.document);
          if (!byName) measured.set(args.document, (byName = new Map()));
          byName.set(key, measure);
        }
      }
      const { ids, cost } = measure;
      if (ids > limits.maxIdsPerOperation) {
        const error = tooComplex(`the operation passes ${ids} ids over all its arguments`, {
          limit: 'maxIdsPerOperation',
          maximum: limits.maxIdsPerOperation,
          found: ids,
          beforeExecution: true,
        });
        setResultAndStopExecution({ errors: [error] });
        return;
      }
      if (cost > limits.maxCost) {
        const found = Number.isFinite(cost) && cost < Number.MAX_SAFE_INTEGER ? Math.round(cost) : undefined;
        const error = tooComplex(`the answer would hold about ${found ?? 'more than 2^53'} values`, {
          limit: 'maxCost',
          maximum: limits.maxCost,
          found,
          beforeExecution: true,
        });
        setResultAndStopExecution({ errors: [error] });
      }
    },
  };
}
