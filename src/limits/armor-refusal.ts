// GraphQL Armor's rules throw an uncoded "Syntax Error: ..." by default. Ours report a QUERY_TOO_COMPLEX validation
// error instead: the rule runs with propagateOnRejection off and this callback reports our error in its place.
import type { GraphQLError, ValidationContext } from 'graphql';
import type { LimitSettings } from './limit-settings.js';
import { tooComplex } from './too-complex.js';

/** The callbacks an Armor rule takes so that a refusal reads as our QUERY_TOO_COMPLEX; `what` names what was counted. */
export function armorRefusal(limit: keyof LimitSettings, maximum: number, what: string) {
  return {
    n: maximum,
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        const found = /found (\d+)/.exec(error.message)?.[1];
        const count = found === undefined ? undefined : Number(found);
        const message = count === undefined ? `the operation has too many ${what}` : `the operation has ${count} ${what}`;
        context?.reportError(tooComplex(message, { limit, maximum, found: count, beforeExecution: true }));
      },
    ],
  };
}
