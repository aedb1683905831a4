// The per-file time limit for a file checked in the main thread (a run with a single input).
// The checker's own timer fires only when the event loop is free, so analysis stuck in synchronous
// code would hang the run forever. A small watchdog thread keeps the deadline instead; when the
// main thread is still busy with the file past it, the watchdog has V8 abandon the JavaScript the
// main thread is running (the inspector's Runtime.terminateExecution, through an in-process
// session: no port is opened) and the run carries on: the file gets a `timeout` error result,
// written by the normal output path in the requested format, and the exit code is 3.
//
// Abandoning JavaScript mid-flight is only safe where it lands in the stuck check, so the two
// threads agree through one shared integer who ends a check (see the states below): a check that
// finishes just as the watchdog fires waits for the interruption in a known place, and the result
// is handed over only after the interruption has landed.
import { isMainThread, Worker } from 'node:worker_threads';
import { printable } from '../report/printable.js';
import { readdirSync } from 'node:fs';
import os from 'node:os';

/** state[0]: IDLE, a check's positive sequence number while it runs, its negative once the
 *  watchdog has claimed it, TERMINATED once the main thread's JavaScript has been abandoned. */
const IDLE = 0;
const TERMINATED = -0x7fffffff;

/**
 * Grace after the termination request before the watchdog concludes that the main thread is stuck
 * in native code (where V8 cannot interrupt it) and kills the process: the only way left not to
 * hang. Native work in the pipeline (decoding, inference) runs briefly or on other threads, so
 * this is a last resort.
 */
const NATIVE_GRACE_MS = 10_000;

export interface StallWatchdog {
  /**
   * Runs `work`. If the main thread is still busy with it `limitMs` after it began, its JavaScript
   * is abandoned and the promise resolves with `onStuck()` instead. Not re-entrant: one at a time.
   */
  watch<T>(file: string, work: () => Promise<T>, limitMs: number, onStuck: () => T): Promise<T>;
  close(): void;
}

interface WatchdogData {
  state: Int32Array;
  graceMs: number;
  terminated: number;
}

/** Runs in the watchdog thread; stringified (eval'd as CommonJS), so it may use only `require`. */
function watchdogThread(): void {
  const { parentPort, workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { state, graceMs, terminated } = workerData as WatchdogData;
  const port = parentPort!;
  port.on('message', (m: Arm) => {
    setTimeout(() => fire(m), Math.max(0, m.deadline - Date.now()));
  });

  function fire({ arm: id, file }: Arm): void {
    if (Atomics.compareExchange(state, 0, id, -id) !== id) return; // finished in time
    try {
      // Throws in a Node built without the inspector.
      const inspector = require('node:inspector') as typeof import('node:inspector');
      const session = new inspector.Session();
      session.connectToMainThread();
      lastResort(id, file, graceMs);
      session.post('Runtime.terminateExecution', () => {
        // Answered from the main thread, whose current JavaScript is abandoned from here on;
        // only now may it hand over the timeout result (a message it handles once free again).
        Atomics.compareExchange(state, 0, -id, terminated);
        session.disconnect();
        port.postMessage({ stuck: id });
      });
    } catch {
      // Nothing can interrupt the main thread: give the check back, keep only the last resort.
      Atomics.compareExchange(state, 0, -id, id);
      lastResort(id, file, 1_000);
    }
  }

  /** Still not handed over after `ms`: stuck in native code, where V8 cannot interrupt it. Killing
   *  the process is the only way left not to hang. */
  function lastResort(id: number, file: string, ms: number): void {
    setTimeout(() => {
      const s = Atomics.load(state, 0);
      if (s !== id && s !== -id && s !== terminated) return;
      require('node:fs').writeSync(2, `facedoctor: ${file}: analysis is stuck past the time limit in code that cannot be interrupted; stopping the process\n`);
      process.kill(process.pid, 'SIGKILL');
    }, ms);
  }
}

interface Arm {
  arm: number;
  /** Date.now() by which the check must be over (an absolute time: the thread may start late). */
  deadline: number;
  /** For the last-resort message, control characters escaped. */
  file: string;
}

/** Undefined off the main thread: the inspector can only interrupt the process's main thread
 *  (a pool worker needs none: the pool watches it from outside). */
export function startStallWatchdog(): StallWatchdog | undefined {
  if (!isMainThread) return undefined;
  const state = new Int32Array(new SharedArrayBuffer(4));
  const before = threadIds();
  const worker = new Worker(`(${watchdogThread.toString()})()`, {
    eval: true,
    workerData: { state, graceMs: NATIVE_GRACE_MS, terminated: TERMINATED } satisfies WatchdogData,
  });
  worker.unref(); // never what keeps the process alive
  worker.on('error', () => {}); // a failed watchdog must not fail the check it watches
  lowerPriority(threadIds().filter((t) => !before.includes(t)));
  const onStuck = new Map<number, () => void>();
  worker.on('message', (m: { stuck: number }) => {
    Atomics.compareExchange(state, 0, TERMINATED, IDLE);
    onStuck.get(m.stuck)?.();
  });
  let seq = 0;

  /** After a check settled, before its result is used: makes sure no interruption is still on
   *  its way to this thread. */
  function release(id: number): void {
    const until = Date.now() + 2 * NATIVE_GRACE_MS;
    for (;;) {
      if (Atomics.compareExchange(state, 0, id, IDLE) === id) return;
      // The interruption landed elsewhere first (the check then ended through the checker's own
      // timer, which is a timeout result too).
      if (Atomics.compareExchange(state, 0, TERMINATED, IDLE) === TERMINATED) return;
      // Already handed over through the `stuck` message.
      if (Atomics.load(state, 0) !== -id || Date.now() > until) return;
      // Claimed by the watchdog a moment before it finished: the interruption is on its way. Wait
      // for it here, where abandoning this function loses nothing; the `stuck` message then
      // gives the result.
      Atomics.wait(state, 0, -id, 50);
    }
  }

  return {
    watch(file, work, limitMs, stuckResult) {
      if (!Number.isFinite(limitMs)) return work();
      const id = ++seq;
      Atomics.store(state, 0, id);
      worker.postMessage({ arm: id, deadline: Date.now() + limitMs, file: printable(file) } satisfies Arm);
      return new Promise((resolve, reject) => {
        onStuck.set(id, () => resolve(stuckResult()));
        const settle = (done: () => void) => {
          release(id);
          onStuck.delete(id);
          done();
        };
        work().then(
          (v) => settle(() => resolve(v)),
          (e) => settle(() => reject(e)),
        );
      });
    },
    close() {
      void worker.terminate();
    },
  };
}

/** The process's thread ids (Linux); empty elsewhere. */
function threadIds(): number[] {
  try {
    return readdirSync('/proc/self/task').map(Number);
  } catch {
    return [];
  }
}

/**
 * The watchdog thread's start-up (a Node environment: some 40-60 ms of CPU) only has to be done by
 * the deadline. At the lowest priority it takes a spare core, or, on a single busy core, runs
 * after the check instead of slowing the first result (measured on one core: 30-50 ms of its CPU
 * before the result at normal priority, 0-10 ms at nice 19; docs/SECURITY.md). Linux applies nice
 * per thread; only when exactly one thread appeared is it surely the watchdog's.
 */
function lowerPriority(newThreads: number[]): void {
  if (newThreads.length !== 1) return;
  try {
    os.setPriority(newThreads[0]!, 19);
  } catch {
    // not permitted or not Linux: normal priority is only slower, not wrong
  }
}
