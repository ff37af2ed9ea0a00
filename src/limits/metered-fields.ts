// Every field of the schema's own types is metered as it resolves: one value per field and per list item, and an
// estimate of the bytes it adds to the serialised answer (its key, its value, braces and commas), against the request's
// answer budget (answer-budget.ts); object values also count against the objects budget (objects-resolved.ts).
// `__typename` has no resolver of ours (graphql-js answers it), so the object holding it pays for it when it resolves.
// Introspection's own types are left alone: their answers are bounded by the schema, and costed before execution by the
// schema's own sizes (introspection-sizes.ts). A context without a budget (a unit test's) is not metered.
import {
  defaultFieldResolver,
  getNamedType,
  isCompositeType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { AnswerBudget } from './answer-budget.js';
import type { ObjectBudget } from './objects-resolved.js';

interface WithBudget {
  budget?: { objects?: ObjectBudget; answer?: AnswerBudget };
}

type Resolver = GraphQLFieldResolver<unknown, WithBudget>;

/** Bytes of `"key":` and the comma after it. */
const keyBytes = (info: GraphQLResolveInfo) => (typeof info.path.key === 'string' ? info.path.key.length + 4 : 1);

/** What a `__typename` adds: its key, and a type name's length at most. */
const TYPENAME_BYTES = '"__typename":"",'.length + 24;

/** An estimate of a scalar's serialised size; a string's exact unless it needs escapes. */
function scalarBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2;
    case 'number':
    case 'bigint':
      return 16;
    case 'boolean':
      return 5;
    case 'undefined':
      return 4;
    default:
      if (value === null) return 4;
      if (Array.isArray(value)) {
        let total = 2;
        for (const item of value) total += scalarBytes(item) + 1;
        return total;
      }
      return 32;
  }
}

/** `__typename` fields selected directly on the objects a field resolves to (any type condition: an upper bound). */
const typenames = new WeakMap<readonly FieldNode[], number>();

function countTypenames(info: GraphQLResolveInfo): number {
  let count = typenames.get(info.fieldNodes);
  if (count !== undefined) return count;
  count = 0;
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value === '__typename') count! += 1;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        walk(info.fragments[selection.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet);
  typenames.set(info.fieldNodes, count);
  return count;
}

function chargeLeaf(answer: AnswerBudget, info: GraphQLResolveInfo, value: unknown): unknown {
  answer.charge(Array.isArray(value) ? 1 + value.length : 1, keyBytes(info) + scalarBytes(value));
  return value;
}

function chargeComposite(budget: NonNullable<WithBudget['budget']>, info: GraphQLResolveInfo, value: unknown): unknown {
  budget.objects?.charge(value);
  const answer = budget.answer;
  if (!answer) return value;
  if (value === null || value === undefined || value instanceof Error) {
    answer.charge(1, keyBytes(info) + 4);
    return value;
  }
  const perObject = countTypenames(info);
  if (Array.isArray(value)) {
    const items = value.length;
    answer.charge(1 + items * (1 + perObject), keyBytes(info) + 2 + items * (3 + perObject * TYPENAME_BYTES));
  } else {
    answer.charge(1 + perObject, keyBytes(info) + 2 + perObject * TYPENAME_BYTES);
  }
  return value;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

function metered(resolve: Resolver, composite: boolean): Resolver {
  const run: Resolver = (source, args, context, info) => {
    const budget = context?.budget;
    const answer = budget?.answer;
    if (!budget || (!answer && !composite)) return resolve(source, args, context, info);
    if (composite) budget.objects?.assertOpen();
    const value = resolve(source, args, context, info);
    if (composite) {
      if (isThenable(value)) return value.then((resolved) => chargeComposite(budget, info, resolved));
      return chargeComposite(budget, info, value);
    }
    if (isThenable(value)) return value.then((resolved) => chargeLeaf(answer!, info, resolved));
    return chargeLeaf(answer!, info, value);
  };
  return run;
}

type IsTypeOf = NonNullable<GraphQLObjectType<unknown, WithBudget>['isTypeOf']>;

/**
 * The executor asks an object type's `isTypeOf` before it resolves an object's fields, and waits when it answers a
 * promise: while the answer budget is paused for the event loop's turn, the object's fields wait for a later slice.
 * Every abstract type here resolves by `__typename` (the loaders tag each object), so `isTypeOf` only ever confirms.
 */
function yielding(own: IsTypeOf | undefined): IsTypeOf {
  return (value, context, info) => {
    const answer = context?.budget?.answer;
    if (!answer?.paused) return own ? own(value, context, info) : true;
    return new Promise((resolve, reject) =>
      answer.defer(() => {
        try {
          resolve(own ? own(value, context, info) : true);
        } catch (error) {
          reject(error);
        }
      }),
    );
  };
}

/** Wraps the resolver of every field of the schema's own object types (in place) to meter the answer as it grows. */
export function meterAnswer(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    if (type !== schema.getQueryType() && type !== schema.getMutationType()) type.isTypeOf = yielding(type.isTypeOf as IsTypeOf | undefined);
    for (const field of Object.values(type.getFields())) {
      field.resolve = metered((field.resolve ?? defaultFieldResolver) as Resolver, isCompositeType(getNamedType(field.type)));
    }
  }
  return schema;
}
