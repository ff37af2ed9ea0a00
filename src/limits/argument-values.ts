// Reading the sizes an operation asks for from its arguments, literal or passed as variables, before execution.
import { Kind, type ArgumentNode, type GraphQLArgument, type ValueNode } from 'graphql';

export type Variables = Readonly<Record<string, unknown>> | null | undefined;

/** The value node of argument `name` of a field, if given. */
export function argumentNode(args: readonly ArgumentNode[] | undefined, name: string): ValueNode | undefined {
  return args?.find((arg) => arg.name.value === name)?.value;
}

/** How many items a list argument carries: a literal list's length, or the variable's; a single value counts one. */
export function listLength(value: ValueNode, variables: Variables): number {
  if (value.kind === Kind.LIST) return value.values.length;
  if (value.kind === Kind.NULL) return 0;
  if (value.kind === Kind.VARIABLE) {
    const passed = variables?.[value.name.value];
    if (Array.isArray(passed)) return passed.length;
    return passed === undefined || passed === null ? 0 : 1;
  }
  return 1;
}

/** An Int argument's value (literal or variable), else the argument's default, else undefined. */
export function intArgument(value: ValueNode | undefined, definition: GraphQLArgument | undefined, variables: Variables): number | undefined {
  if (value?.kind === Kind.INT) return Number(value.value);
  if (value?.kind === Kind.VARIABLE) {
    const passed = variables?.[value.name.value];
    if (typeof passed === 'number' && Number.isFinite(passed)) return passed;
  }
  return typeof definition?.defaultValue === 'number' ? definition.defaultValue : undefined;
}
