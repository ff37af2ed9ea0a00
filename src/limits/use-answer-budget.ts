// Runs each execution under its request's answer budget (answer-budget.ts): the executor gets the budget's signal, so
// it stops between fields once the budget is spent, and the answer is then one QUERY_TOO_COMPLEX error with `data: null`
// (an ordinary GraphQL result: the request log and the metrics see its code), whatever was built before is dropped.
import type { ExecutionArgs } from 'graphql';
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
      (args as ExecutionArgs & { signal?: AbortSignal }).signal = answer.signal;
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
