// Per-file limits shared by the checker (which enforces them) and the batch pool (which backs
// them up from outside the worker). Kept apart from check.ts so the main thread can read them
// without loading the models.

/** Default per-file time limit (`--timeout 30`). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * When the pool gives up on a worker that has not answered: the checker's own timeout plus a
 * margin. The checker reports a timeout itself whenever its event loop is free; the watchdog is
 * only for analysis stuck in synchronous code, which no in-thread timer can interrupt.
 */
export function watchdogMs(timeoutMs: number): number {
  return timeoutMs + Math.max(2_000, timeoutMs / 2);
}
