/** Runs a function after a delay; injected so tests can step time instead of waiting. */
export interface Timers {
  after(delayMs: number, run: () => void): { cancel(): void };
}

/** The longest delay setTimeout holds; longer waits are chained. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/** Node's timers, unref'd: monitoring never keeps a process alive on its own. */
export const realTimers: Timers = {
  after(delayMs, run) {
    let handle: NodeJS.Timeout | undefined;
    const arm = (remainingMs: number) => {
      const stepMs = Math.min(Math.max(0, remainingMs), MAX_DELAY_MS);
      handle = setTimeout(() => {
        if (remainingMs > MAX_DELAY_MS) arm(remainingMs - MAX_DELAY_MS);
        else run();
      }, stepMs);
      handle.unref();
    };
    arm(delayMs);
    return {
      cancel: () => {
        if (handle !== undefined) clearTimeout(handle);
      },
    };
  },
};

/** Calls `run` every `everyMs` until cancelled. */
export function every(timers: Timers, everyMs: number, run: () => void): { cancel(): void } {
  let current: { cancel(): void } | undefined;
  let cancelled = false;
  const arm = () => {
    current = timers.after(everyMs, () => {
      if (cancelled) return;
      arm();
      run();
    });
  };
  arm();
  return {
    cancel: () => {
      cancelled = true;
      current?.cancel();
    },
  };
}
