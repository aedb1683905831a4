// Stand-in for src/batch/worker.ts in the watchdog test. Like the real worker it takes a while
// to start (loading models) and says when it begins each file; it answers quickly, except for
// files whose name contains "stall", where it spins in synchronous code the way a runaway
// analyzer would (no timer in this thread can fire, so only terminating the worker stops it).
import { parentPort } from 'node:worker_threads';

await new Promise((r) => setTimeout(r, 1500)); // start-up must not count against the time limit

export default async function check({ id, file }) {
  parentPort.postMessage({ started: id });
  if (file.includes('stall')) {
    for (;;) {
      // deliberately never yields
    }
  }
  await new Promise((r) => setTimeout(r, 50));
  return { file, kind: 'image', verdict: 'pass', faces: [], causes: [], metrics: {} };
}
