// The running budget of one answer: its values and bytes, counted as its objects resolve (metered-fields.ts), not read
// from the finished body. Past either maximum, every field and object still to resolve throws the refusal at once
// (use-answer-budget.ts), the request's upstream calls are stopped, and the answer becomes one QUERY_TOO_COMPLEX: the
// partial data is dropped, never serialised. The bytes are counted as the answer grows: a value of known size by its
// type, a string by its length once read, so no body far over the limit is ever built (the body is checked once more
// for what escapes add: response-bytes.ts).
//
// It also keeps the event loop turning: after `sliceMs` of resolving without the loop getting a turn, further objects
// are queued (`defer`, from each type's isTypeOf) and resolved a slice at a time from setImmediate, in the order they
// were asked for, so a large answer is built in slices and a concurrent request is answered in between.
import type { GraphQLError } from 'graphql';
import { tooComplex } from './too-complex.js';

export interface AnswerBudgetOptions {
  /** Values the answer may hold (GATEWAY_MAX_COST, the same unit as the estimate before execution). */
  maxValues: number;
  /** Bytes the serialised answer may take (GATEWAY_MAX_RESPONSE_BYTES). */
  maxBytes: number;
  /** Called once when the budget is spent (stops the request's upstream calls). */
  onExceeded?: (message: string) => void;
  /** Longest stretch of resolving without giving the event loop a turn. */
  sliceMs?: number;
}

export interface AnswerBudget {
  /** The refusal, once the budget is spent (a plain field: it is read once per object). */
  readonly refusal: GraphQLError | undefined;
  /** True while objects must wait for the event loop's turn: they go through `defer`. */
  readonly paused: boolean;
  /** Runs `work` in a later slice, after the event loop has had its turn. */
  defer(work: () => void): void;
  /** Counts `values` more values and `bytes` more bytes; throws the refusal once past either maximum. */
  charge(values: number, bytes: number): void;
  /** Counts one object about to be built, for the look at the clock that decides whether to pause. */
  tick(): void;
  /**
   * Calls `dispatch` once every object asked for so far has been resolved (at once when nothing waits for a slice), as
   * DataLoader's batchScheduleFn: the loads of all the slices of one level of the answer go in one batch.
   */
  whenSettled(dispatch: () => void): void;
  /** Values and bytes counted so far. */
  spent(): { values: number; bytes: number };
}

/** How many values are counted between two looks at the clock. */
const CHECK_EVERY = 512;
/** How many queued objects a slice resumes between two looks at the clock. */
const DRAIN_BATCH = 16;

export function createAnswerBudget(options: AnswerBudgetOptions): AnswerBudget {
  const sliceMs = options.sliceMs ?? 10;
  let values = 0;
  let bytes = 0;
  let sinceCheck = 0;
  // `turned` is set by an immediate armed at the start of a slice: if it has not run when the slice is over, the loop
  // has had no turn since, and resolving must wait for one.
  let sliceStart = performance.now();
  let armed = false;
  let turned = true;
  let scheduled = false;
  let queue: Array<(() => void) | undefined> = [];
  let head = 0;
  let settled: Array<() => void> = [];

  // As DataLoader's own schedule: after the promise jobs of this tick, so every load of the tick is in the batch.
  const afterThisTick = (work: () => void) => void Promise.resolve().then(() => process.nextTick(work));
  const dispatchIfSettled = () => {
    if (budget.paused || head < queue.length || settled.length === 0) return;
    const ready = settled;
    settled = [];
    for (const dispatch of ready) dispatch();
  };

  const refuse = (error: GraphQLError): never => {
    budget.refusal = error;
    options.onExceeded?.(error.message);
    throw error;
  };

  // One slice: the queued objects a few at a time, each few followed by the microtasks that resolve their fields (the
  // executor continues an object in a promise reaction), until the slice's time is spent or the budget pauses again.
  const drain = async () => {
    budget.paused = false;
    turned = false;
    sliceStart = performance.now();
    while (head < queue.length && !budget.paused) {
      const end = Math.min(queue.length, head + DRAIN_BATCH);
      while (head < end) {
        const work = queue[head]!;
        queue[head++] = undefined;
        work();
      }
      await null;
      if (performance.now() - sliceStart >= sliceMs) break;
    }
    if (head >= queue.length) {
      queue = [];
      head = 0;
    }
    scheduled = false;
    if (head < queue.length || budget.paused) pauseForTurn();
    // The last slice's objects have asked for what they need: the batches held for them may go.
    else afterThisTick(() => afterThisTick(dispatchIfSettled));
  };

  const pauseForTurn = () => {
    budget.paused = true;
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void drain());
  };

  const look = () => {
    sinceCheck = 0;
    const now = performance.now();
    if (turned) {
      turned = false;
      sliceStart = now;
      if (!armed) {
        armed = true;
        setImmediate(() => {
          armed = false;
          turned = true;
        });
      }
      return;
    }
    if (now - sliceStart >= sliceMs) pauseForTurn();
  };

  const budget = {
    refusal: undefined as GraphQLError | undefined,
    paused: false,
    defer(work: () => void) {
      queue.push(work);
      if (!budget.paused) pauseForTurn();
    },
    charge(moreValues: number, moreBytes: number) {
      if (budget.refusal) throw budget.refusal;
      values += moreValues;
      bytes += moreBytes;
      if (values > options.maxValues) {
        refuse(
          tooComplex(`the answer grew past ${options.maxValues} values while it was built: execution was stopped`, {
            limit: 'maxCost',
            maximum: options.maxValues,
          }),
        );
      }
      if (bytes > options.maxBytes) {
        refuse(
          tooComplex(`the answer grew past ${options.maxBytes} bytes while it was built: execution was stopped`, {
            limit: 'maxResponseBytes',
            maximum: options.maxBytes,
          }),
        );
      }
      sinceCheck += moreValues;
      if (sinceCheck >= CHECK_EVERY) look();
    },
    tick() {
      if (++sinceCheck >= CHECK_EVERY) look();
    },
    whenSettled(dispatch: () => void) {
      afterThisTick(() => {
        if (!budget.paused && head >= queue.length) dispatch();
        else settled.push(dispatch);
      });
    },
    spent: () => ({ values, bytes }),
  };
  return budget;
}
