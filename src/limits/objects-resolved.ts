// Objects resolved during execution: every object-typed field value and every list item counts one. Past the maximum,
// each further object field answers QUERY_TOO_COMPLEX instead of resolving, so nothing more is fetched or built and the
// response stays bounded whatever the estimate before execution said. Only object-typed fields are wrapped: scalars,
// the bulk of the fields, keep graphql-js's direct path.
import {
  defaultFieldResolver,
  getNamedType,
  isCompositeType,
  isObjectType,
  type GraphQLError,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
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

function counted(resolve: GraphQLFieldResolver<unknown, WithObjectBudget>): GraphQLFieldResolver<unknown, WithObjectBudget> {
  return (source, args, context, info) => {
    const budget = context?.budget?.objects;
    if (!budget) return resolve(source, args, context, info);
    budget.assertOpen();
    const value = resolve(source, args, context, info);
    if (value instanceof Promise) return value.then((resolved) => budget.charge(resolved));
    return budget.charge(value);
  };
}

/** Wraps the resolver of every object-typed field of `schema` (in place) to count against the request's object budget. */
export function countObjectsResolved(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isCompositeType(getNamedType(field.type))) continue;
      field.resolve = counted((field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, WithObjectBudget>);
    }
  }
  return schema;
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
