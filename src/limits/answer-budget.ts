// The running budget of one answer: values and bytes, counted as fields resolve (metered-fields.ts), not read from the
// finished body. Past either maximum the execution is aborted (its signal, which the executor checks between fields,
// carries the refusal), the request's upstream calls are stopped, and the answer becomes one QUERY_TOO_COMPLEX: the
// partial data is dropped, never serialised. It also keeps the event loop turning: after `sliceMs` of resolving without
// the loop getting a turn, further fields are queued (`defer`) and resolved a slice at a time from setImmediate, in the
// order they were asked for, so a large answer is built in slices and a concurrent request is answered in between.
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
  /** The execution's signal: aborted, with the refusal as its reason, once the answer is over budget. */
  readonly signal: AbortSignal;
  /** The refusal, once the budget is spent. */
  readonly refusal: GraphQLError | undefined;
  /** True while fields must wait for the event loop's turn: they go through `defer`. */
  readonly paused: boolean;
  /** Runs `work` in a later slice, after the event loop has had its turn. */
  defer(work: () => void): void;
  /** Counts `values` more values and `bytes` more bytes; throws the refusal once past either maximum. */
  charge(values: number, bytes: number): void;
  /** Values and bytes counted so far. */
  spent(): { values: number; bytes: number };
}

/** How many values are counted between two looks at the clock. */
const CHECK_EVERY = 512;
/** How many queued objects a slice resumes between two looks at the clock. */
const DRAIN_BATCH = 16;

export function createAnswerBudget(options: AnswerBudgetOptions): AnswerBudget {
  const controller = new AbortController();
  const sliceMs = options.sliceMs ?? 10;
  let values = 0;
  let bytes = 0;
  let sinceCheck = 0;
  let refusal: GraphQLError | undefined;
  // `turned` is set by an immediate armed at the start of a slice: if it has not run when the slice is over, the loop
  // has had no turn since, and resolving must wait for one.
  let sliceStart = performance.now();
  let armed = false;
  let turned = true;
  let paused = false;
  let scheduled = false;
  let queue: Array<(() => void) | undefined> = [];
  let head = 0;

  // One slice: the queued objects a few at a time, each few followed by the microtasks that resolve their fields (the
  // executor continues an object in a promise reaction), until the slice's time is spent or the budget pauses again.
  const drain = async () => {
    paused = false;
    turned = false;
    sliceStart = performance.now();
    while (head < queue.length && !paused) {
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
    if (head < queue.length || paused) pauseForTurn();
  };

  const pauseForTurn = () => {
    paused = true;
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void drain());
  };

  const refuse = (error: GraphQLError) => {
    refusal = error;
    options.onExceeded?.(error.message);
    controller.abort(error);
    throw error;
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

  return {
    signal: controller.signal,
    get refusal() {
      return refusal;
    },
    get paused() {
      return paused;
    },
    defer(work) {
      queue.push(work);
      if (!paused) pauseForTurn();
    },
    charge(moreValues, moreBytes) {
      if (refusal) throw refusal;
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
    spent: () => ({ values, bytes }),
  };
}
