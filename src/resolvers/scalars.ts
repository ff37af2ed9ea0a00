// Scalars: Decimal is ours (an exact decimal string); DateTime and Date come from graphql-scalars.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeISOResolver, LocalDateResolver } from 'graphql-scalars';

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/**
 * The scalar's codec alone: graphql-tools copies every own property of a resolver scalar over the SDL's type, so a
 * description or specifiedByURL here (even undefined) would replace the ones schema/scalars.graphql documents.
 */
function codecOnly(scalar: GraphQLScalarType): GraphQLScalarType {
  const fields = scalar as unknown as Record<string, unknown>;
  delete fields.description;
  delete fields.specifiedByURL;
  return scalar;
}

function parseDecimal(value: unknown): string {
  if (typeof value !== 'string' || !DECIMAL.test(value)) {
    throw new GraphQLError(`Decimal must be a string like "12.34", got ${JSON.stringify(value)?.slice(0, 40)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

export const DecimalScalar = codecOnly(new GraphQLScalarType<string, string>({
  name: 'Decimal',
  serialize: (value) => parseDecimal(value),
  parseValue: (value) => parseDecimal(value),
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new GraphQLError('Decimal must be written as a string, e.g. "12.34", never as a number', {
        nodes: ast,
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return parseDecimal(ast.value);
  },
}));

const dateTime = DateTimeISOResolver.toConfig();
const asIsoText = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value));

/** graphql-scalars' ISO DateTime, handing resolvers ISO text (an instant, in UTC) rather than a Date object. */
export const DateTimeScalar = codecOnly(new GraphQLScalarType<string, string>({
  name: 'DateTime',
  serialize: (value) => dateTime.serialize(value) as string,
  parseValue: (value) => asIsoText(dateTime.parseValue(value)),
  parseLiteral: (ast, variables) => asIsoText(dateTime.parseLiteral(ast, variables)),
}));
export const DateScalar = codecOnly(new GraphQLScalarType({ ...LocalDateResolver.toConfig(), name: 'Date' }));
