// Per-file limits shared by the checker (which enforces them) and the watchdogs (which back them
// up from outside the thread doing the analysis). Kept apart from check.ts so the main thread can
// read them without loading the models.

/** Images larger than this are refused before reading: no capture is this big. */
export const MAX_IMAGE_BYTES = 64 * 1024 * 1024;

/** Default per-file time limit (`--timeout 30`). */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * When a watchdog (the pool's, or for a single input the main thread's, src/batch/stall-watchdog.ts)
 * gives up on a check that has not answered: the checker's own timeout plus a margin. The checker
 * reports a timeout itself whenever its event loop is free; the watchdog is only for analysis
 * stuck in synchronous code, which no in-thread timer can interrupt.
 */
export function watchdogMs(timeoutMs: number): number {
  return timeoutMs + Math.max(2_000, timeoutMs / 2);
}

/**
 * Test hook, the only one of its kind: with FACEDOCTOR_TEST_STALL set, analysis of a file whose
 * path contains its value spins in synchronous code forever, the way a runaway analyzer would. The
 * hardening tests use it to prove that the time limit holds even then (in-process and in the
 * pool). Unset, it costs one environment lookup per file.
 */
export function stallIfAskedByTests(file: string): void {
  const marker = process.env.FACEDOCTOR_TEST_STALL;
  if (!marker || !file.includes(marker)) return;
  for (;;) {
    // deliberately never yields
  }
}
