// The sizes of introspection's lists, read from the schema itself, so that introspection is costed like any other
// query and by what it really answers (499 aliased `__schema { types { fields { name } } }` are refused before they run,
// GraphiQL's introspection query passes). Two tables per schema: the average per parent (a `__Type` listed by
// `__schema { types }` is one of all of them, and averages multiply out to the schema's exact totals) and the largest
// (any other `__Type` may be the biggest one).
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

export type IntrospectionScope = 'average' | 'largest';

type Sizes = Record<string, number>;

interface Tables {
  average: Sizes;
  largest: Sizes;
}

const tables = new WeakMap<GraphQLSchema, Tables>();

function listsOf(type: GraphQLNamedType, schema: GraphQLSchema): Record<string, number> {
  const fields = isObjectType(type) || isInterfaceType(type) ? Object.values(type.getFields()) : [];
  return {
    fields: fields.length,
    interfaces: isObjectType(type) || isInterfaceType(type) ? type.getInterfaces().length : 0,
    possibleTypes: isUnionType(type) || isInterfaceType(type) ? schema.getPossibleTypes(type).length : 0,
    enumValues: isEnumType(type) ? type.getValues().length : 0,
    inputFields: isInputObjectType(type) ? Object.keys(type.getFields()).length : 0,
  };
}

function measure(schema: GraphQLSchema): Tables {
  const types = Object.values(schema.getTypeMap());
  const directives = schema.getDirectives();
  const totals: Record<string, number> = {};
  const largest: Sizes = {};
  const add = (key: string, count: number) => {
    totals[key] = (totals[key] ?? 0) + count;
    largest[key] = Math.max(largest[key] ?? 0, count);
  };
  let fieldCount = 0;
  for (const type of types) {
    for (const [list, count] of Object.entries(listsOf(type, schema))) add(`__Type.${list}`, count);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        fieldCount += 1;
        add('__Field.args', field.args.length);
      }
    }
  }
  for (const directive of directives) {
    add('__Directive.args', directive.args.length);
    add('__Directive.locations', directive.locations.length);
  }
  const per = (total: number, parents: number) => (parents === 0 ? 0 : Math.ceil(total / parents));
  const average: Sizes = { '__Schema.types': types.length, '__Schema.directives': directives.length };
  for (const [key, total] of Object.entries(totals)) {
    const parents = key.startsWith('__Type.') ? types.length : key.startsWith('__Field.') ? fieldCount : directives.length;
    average[key] = per(total, parents);
  }
  return { average, largest: { ...largest, '__Schema.types': types.length, '__Schema.directives': directives.length } };
}

/** The size assumed for list `field` of introspection type `parent` (`__Type`, `fields`) in `scope`. */
export function introspectionListSize(schema: GraphQLSchema, parent: string, field: string, scope: IntrospectionScope): number {
  let measured = tables.get(schema);
  if (!measured) tables.set(schema, (measured = measure(schema)));
  return measured[scope][`${parent}.${field}`] ?? 0;
}
