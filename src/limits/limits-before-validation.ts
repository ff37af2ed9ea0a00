// The limits a document meets before graphql-js validates it: its own (depth, aliases, directives: GraphQL Armor's
// rules), then the operation's ids and cost with the request's variables (use-operation-budget.ts). They are cheap
// walks, while the full validation of a hostile document of thousands of fields takes tens to a hundred milliseconds
// of the event loop: a document they refuse is not validated further, one they let through is validated as usual.
// Their verdicts are kept with the parsed document (Yoga caches it by its text; the cost only when the operation has
// no variables), so an ordinary query pays map lookups.
import { validate, type DocumentNode, type GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { LimitSettings } from './limit-settings.js';
import { maxAliases } from './max-aliases.js';
import { maxDepth } from './max-depth.js';
import { maxDirectives } from './max-directives.js';
import { createOperationBudget } from './use-operation-budget.js';
import type { Variables } from './argument-values.js';

export function useLimitsBeforeValidation(limits: LimitSettings): Plugin {
  const rules: ValidationRule[] = [maxDepth(limits.maxDepth), maxAliases(limits.maxAliases), maxDirectives(limits.maxDirectives)];
  const verdicts = new WeakMap<DocumentNode, WeakMap<GraphQLSchema, readonly GraphQLError[]>>();
  const operationBudget = createOperationBudget(limits);
  return {
    onValidate({ context, params, setResult }) {
      let bySchema = verdicts.get(params.documentAST);
      if (!bySchema) verdicts.set(params.documentAST, (bySchema = new WeakMap()));
      let errors = bySchema.get(params.schema);
      if (!errors) bySchema.set(params.schema, (errors = validate(params.schema, params.documentAST, rules)));
      if (errors.length > 0) {
        setResult(errors);
        return;
      }
      // Yoga's context at validation holds the request's parameters. This verdict depends on them: thrown, not set as the
      // validation's result, which Yoga caches with the document.
      const request = (context as { params?: { variables?: Variables; operationName?: string | null } }).params;
      const refusal = operationBudget(params.schema, params.documentAST, request?.operationName ?? undefined, request?.variables);
      if (refusal) throw refusal;
    },
  };
}
