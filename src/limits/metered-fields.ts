// The answer is metered object by object as it resolves, against the request's answer budget (answer-budget.ts): when
// a field of an object type resolves, it counts itself, each item of its list, and for each object the leaf fields
// selected on it (scalars, enums and `__typename`, aliases included: they will all be answered), with the bytes they
// add (keys, punctuation, and a value of known size: an id, an amount, a date, an enum). Those leaves are not wrapped one
// by one: each object is measured from its selection, computed once per selection of the parsed document. Only String
// fields, whose values may be of any length, are measured as they resolve. Object values also count against the
// objects budget (objects-resolved.ts). Once the answer budget is spent, every object still to resolve throws its
// refusal at once.
//
// Introspection's own types are left alone: their answers are bounded by the schema, and costed before execution by
// the schema's own sizes (introspection-sizes.ts). A context without a budget (a unit test's) is not metered.
import {
  defaultFieldResolver,
  getNamedType,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
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

/** A serialised value per scalar type, at about its size; a String's real length is counted as it resolves. */
const TYPICAL_BYTES: Record<string, number> = { ID: 48, String: 0, Int: 12, Float: 24, Boolean: 5, Decimal: 24, DateTime: 26, Date: 12 };
const typicalBytes = (type: GraphQLNamedType | undefined) => (type === undefined ? 32 : (TYPICAL_BYTES[type.name] ?? (isEnumType(type) ? 16 : 32)));

/** What each object a field resolves to answers besides its object fields: its leaf values, and their bytes. */
interface Shape {
  leaves: number;
  bytes: number;
}

// Kept with the field's node of the parsed document (cached by Yoga), which outlives every execution of it: the
// executor's arrays of field nodes are made anew for each execution. A field written twice (merged) is measured each time.
const shapes = new WeakMap<FieldNode, Shape>();

/**
 * The leaf fields selected on the objects of a field (merged by response key, under any type condition: an upper bound
 * for abstract types), from its field nodes and the fragments they spread.
 */
function shapeOf(info: GraphQLResolveInfo): Shape {
  const single = info.fieldNodes.length === 1 ? info.fieldNodes[0] : undefined;
  let shape = single && shapes.get(single);
  if (shape) return shape;
  const keys = new Map<string, number>();
  const seen = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, parent: GraphQLNamedType) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        if (selection.name.value === '__typename') {
          keys.set(key, key.length + 4 + 26);
          continue;
        }
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        const type = field && getNamedType(field.type);
        if (type && isCompositeType(type)) continue; // counted when it resolves
        keys.set(key, key.length + 4 + typicalBytes(type));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition && info.schema.getType(selection.typeCondition.name.value);
        walk(selection.selectionSet, condition ?? parent);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = info.fragments[selection.name.value];
        walk(fragment?.selectionSet, (fragment && info.schema.getType(fragment.typeCondition.name.value)) ?? parent);
      }
    }
  };
  const named = getNamedType(info.returnType);
  for (const node of info.fieldNodes) walk(node.selectionSet, named);
  let bytes = 0;
  for (const size of keys.values()) bytes += size;
  shape = { leaves: keys.size, bytes };
  if (single) shapes.set(single, shape);
  return shape;
}

function chargeComposite(budget: NonNullable<WithBudget['budget']>, info: GraphQLResolveInfo, value: unknown): unknown {
  budget.objects?.charge(value);
  const answer = budget.answer;
  if (!answer) return value;
  if (value === null || value === undefined || value instanceof Error) {
    answer.charge(1, keyBytes(info) + 4);
    return value;
  }
  const shape = shapeOf(info);
  if (Array.isArray(value)) {
    const items = value.length;
    answer.charge(1 + items * (1 + shape.leaves), keyBytes(info) + 2 + items * (3 + shape.bytes));
  } else {
    answer.charge(1 + shape.leaves, keyBytes(info) + 2 + shape.bytes);
  }
  return value;
}

/** A String leaf's bytes (a list of strings: each), counted once it is read. */
function chargeString(answer: AnswerBudget, value: unknown): unknown {
  if (typeof value === 'string') answer.charge(0, value.length + 2);
  else if (Array.isArray(value)) {
    let bytes = 2;
    for (const item of value) bytes += (typeof item === 'string' ? item.length + 2 : 4) + 1;
    answer.charge(value.length, bytes);
  }
  return value;
}

/** A String field: the length of what it answers, as it resolves. */
function meteredString(resolve: Resolver | undefined): Resolver {
  return (source, args, context, info) => {
    let value: unknown;
    if (resolve) value = resolve(source, args, context, info);
    else if (source !== null && (typeof source === 'object' || typeof source === 'function')) {
      // graphql-js's default resolution, done here so this call site stays monomorphic.
      const property = (source as Record<string, unknown>)[info.fieldName];
      value = typeof property === 'function' ? (property as (...a: unknown[]) => unknown).call(source, args, context, info) : property;
    }
    const answer = context?.budget?.answer;
    if (answer === undefined) return value;
    if (isThenable(value)) return value.then((resolved) => chargeString(answer, resolved));
    return chargeString(answer, value);
  };
}

/** True for a promise (or any thenable). */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}

/** An object or list of objects: counted against the answer and the objects budgets once resolved. */
function metered(resolve: Resolver): Resolver {
  return (source, args, context, info) => {
    const budget = context?.budget;
    if (budget === undefined) return resolve(source, args, context, info);
    if (budget.answer?.refusal) throw budget.answer.refusal;
    budget.objects?.assertOpen();
    const value = resolve(source, args, context, info);
    if (isThenable(value)) return value.then((resolved) => chargeComposite(budget, info, resolved));
    return chargeComposite(budget, info, value);
  };
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
    if (answer === undefined) return own ? own(value, context, info) : true;
    answer.tick();
    if (!answer.paused && !answer.refusal) return own ? own(value, context, info) : true;
    // A spent budget: the object is not built (its fields would only answer the refusal one by one).
    if (answer.refusal) throw answer.refusal;
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

/** Wraps (in place) the object fields and `isTypeOf` of the schema's own types to meter the answer as it grows. */
export function meterAnswer(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    if (type !== schema.getQueryType() && type !== schema.getMutationType()) type.isTypeOf = yielding(type.isTypeOf as IsTypeOf | undefined);
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      if (isCompositeType(named)) field.resolve = metered((field.resolve ?? defaultFieldResolver) as Resolver);
      else if (named.name === 'String') field.resolve = meteredString(field.resolve as Resolver | undefined);
    }
  }
  return schema;
}
