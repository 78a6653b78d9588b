/** How many expectations passed and failed so far (a script's share is the difference over its run). */
interface ExpectationTally {
  readonly passed: number;
  readonly failed: number;
}

/** One armed expectation: `cancel` drops its timer and subscriptions without a verdict. */
interface Armed {
  readonly cancel: () => void;
}

/**
The console's expectations (`expect`): those armed and waiting, and the tally of
verdicts. A lesson script waits for the pending ones before it ends, so its
verdicts are all in when it reports; dispose cancels the rest.
*/
export interface Expectations {
  /** Waiting for a verdict now. */
  readonly pending: number;
  readonly tally: ExpectationTally;
  /** Registers a waiting expectation; returns `settle`, to call once with its verdict. */
  arm(armed: Armed): (passed: boolean) => void;
  /** Cancels every waiting expectation (the console stops). */
  cancelAll(): void;
}

export function createExpectations(): Expectations {
  const waiting = new Set<Armed>();
  let passed = 0;
  let failed = 0;
  return {
    get pending() {
      return waiting.size;
    },
    get tally() {
      return { passed, failed };
    },
    arm(armed) {
      waiting.add(armed);
      let settled = false;
      return (ok) => {
        if (settled) return;
        settled = true;
        waiting.delete(armed);
        armed.cancel();
        if (ok) passed += 1;
        else failed += 1;
      };
    },
    cancelAll() {
      for (const armed of waiting) armed.cancel();
      waiting.clear();
    },
  };
}
