// Objects resolved during execution: every object-typed field value and every list item counts one. Past the maximum,
// each further object field answers QUERY_TOO_COMPLEX instead of resolving, so nothing more is fetched and the rest of
// the response stands. Counted by the same field wrapper as the answer's values and bytes (metered-fields.ts).
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { tooComplex } from './too-complex.js';

/** How every refusal of the objects budget begins, the stopped calls' included (their message is the budget's). */
const OBJECTS_MESSAGE = 'the operation resolved more than';

export interface ObjectBudget {
  /** True once the operation resolved more objects than allowed. */
  readonly exceeded: boolean;
  /** Counts what a field resolved to (a list counts its items); throws once past the maximum. Answers `value`. */
  charge<T>(value: T): T;
  /** Throws when the budget is already spent, before a field starts resolving. */
  assertOpen(): void;
}

/** The object budget of one operation; `onExceeded` is called once, when it is spent (to stop its upstream calls). */
export function createObjectBudget(maximum: number, onExceeded: (message: string) => void = () => {}): ObjectBudget {
  let resolved = 0;
  let exceeded = false;
  const message = `${OBJECTS_MESSAGE} ${maximum} objects: this field and the ones after it were not resolved`;
  const refusal = (): GraphQLError => tooComplex(message, { limit: 'maxObjects', maximum });
  return {
    get exceeded() {
      return exceeded;
    },
    charge(value) {
      resolved += Array.isArray(value) ? value.length : value === null || value === undefined || value instanceof Error ? 0 : 1;
      if (resolved > maximum) {
        if (!exceeded) onExceeded(`${message} (limit ${maximum}, GATEWAY_MAX_OBJECTS)`);
        exceeded = true;
        throw refusal();
      }
      return value;
    },
    assertOpen() {
      if (exceeded) throw refusal();
    },
  };
}

interface WithObjectBudget {
  budget?: { objects?: ObjectBudget };
}

/**
 * Once the budget is spent, every object field still pending answers the error, and so does every lookup whose call
 * was stopped: keep the first of each (per source for the stopped calls) and drop the rest, so the refusal of a huge
 * operation is a few errors, not one per unresolved field.
 */
export function useObjectBudgetErrors(): Plugin {
  return {
    onExecute({ args }) {
      const budget = (args.contextValue as WithObjectBudget).budget?.objects;
      return {
        onExecuteDone({ result, setResult }) {
          if (!budget?.exceeded || !('errors' in result) || !result.errors) return;
          const kept = new Set<string>();
          const errors = result.errors.filter((error) => {
            // Errors at the root stay: they are why `data` may be null.
            if (!error.message.startsWith(OBJECTS_MESSAGE) || (error.path?.length ?? 0) <= 1) return true;
            const key = String(error.extensions?.source ?? '');
            if (kept.has(key)) return false;
            kept.add(key);
            return true;
          });
          setResult({ ...result, errors });
        },
      };
    },
  };
}
