// Runs each execution under its request's answer budget (answer-budget.ts): once the budget is spent, every object
// still to resolve throws the refusal at once (metered-fields.ts), so the execution winds down without building
// anything more, and the answer is then one QUERY_TOO_COMPLEX error with `data: null` (an ordinary GraphQL result: the
// request log and the metrics see its code); whatever was built before is dropped, never serialised. (The executor's
// own abort signal would stop it too, but costs two checks per field of every answer; the refusal costs nothing until
// it is thrown.)
import type { Plugin } from 'graphql-yoga';
import type { AnswerBudget } from './answer-budget.js';

interface WithAnswerBudget {
  budget?: { answer?: AnswerBudget };
}

export function useAnswerBudget(): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const answer = (args.contextValue as WithAnswerBudget | undefined)?.budget?.answer;
      if (!answer) return;
      const refused = () => ({ data: null, errors: [answer.refusal!] });
      setExecuteFn(async (executionArgs) => {
        try {
          const result = await executeFn(executionArgs);
          return answer.refusal ? refused() : result;
        } catch (error) {
          if (answer.refusal) return refused();
          throw error;
        }
      });
    },
  };
}
