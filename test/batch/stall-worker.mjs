// Stand-in for src/batch/worker.ts in the watchdog test: answers at once, except for files whose
// name contains "stall", where it spins in synchronous code the way a runaway analyzer would
// (no timer in this thread can fire, so only terminating the worker stops it).
export default async function check(file) {
  if (file.includes('stall')) {
    for (;;) {
      // deliberately never yields
    }
  }
  await new Promise((r) => setTimeout(r, 50));
  return { file, kind: 'image', verdict: 'pass', faces: [], causes: [], metrics: {} };
}
