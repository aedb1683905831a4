// The pool's watchdog: analysis stuck in synchronous code (which no timer in its own thread can
// interrupt) becomes a `timeout` error result, the worker is replaced, and the files that shared
// the killed worker still get their real results.
import { describe, expect, it } from 'vitest';
import { poolRunner } from '../../src/batch/runner.js';
import { watchdogMs } from '../../src/pipeline/limits.js';
import type { CheckOptions } from '../../src/pipeline/check.js';

const workerUrl = new URL('./stall-worker.mjs', import.meta.url);
// The stand-in worker never reads the options; only the time limit matters here.
const opts = { timeoutMs: 400 } as CheckOptions;

describe('pool watchdog', () => {
  it('stops a worker stuck in synchronous code and keeps every other result', async () => {
    const runner = await poolRunner(opts, 1, { workerUrl });
    try {
      const started = performance.now();
      // One thread, two tasks per worker: ok-1 waits behind the stalled file and dies with it, then
      // is checked again on its own.
      const [stalled, sibling] = await Promise.all([runner.check('/in/stall.jpg'), runner.check('/in/ok-1.jpg')]);
      const waited = performance.now() - started;
      expect(stalled.verdict).toBe('error');
      expect(stalled.error?.code).toBe('timeout');
      expect(stalled.error?.message).toContain('/in/stall.jpg');
      expect(sibling).toMatchObject({ file: '/in/ok-1.jpg', verdict: 'pass' });
      // The stalled file was given a second chance alone (on a fresh worker that first starts up)
      // before it was declared at fault; start-up time is not charged to the file.
      expect(waited).toBeGreaterThanOrEqual(2 * (watchdogMs(400) + 1500) - 100);
      // The replacement worker takes new files.
      expect(await runner.check('/in/ok-2.jpg')).toMatchObject({ file: '/in/ok-2.jpg', verdict: 'pass' });
    } finally {
      await runner.close();
    }
  });

  it('is off when the time limit is infinite', () => {
    expect(watchdogMs(Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(watchdogMs(30_000)).toBe(45_000);
  });
});
