// Worker-thread entry for the batch pool (piscina). Each worker loads the models once, through
// createChecker, and then checks one file per task. Piscina waits for the exported promise, so a
// worker takes tasks only once its models are loaded.
import { parentPort } from 'node:worker_threads';
import { workerData } from 'piscina';
import { createChecker } from '../pipeline/check.js';
import type { Result } from '../types.js';
import type { WorkerSetup, WorkerReply, WorkerStarted, WorkerTask } from './runner.js';

async function init(): Promise<(task: WorkerTask) => Promise<WorkerReply>> {
  try {
    const checker = await createChecker(workerData as WorkerSetup);
    return async ({ id, file, bytes, header }: WorkerTask): Promise<Result> => {
      parentPort?.postMessage({ started: id } satisfies WorkerStarted); // starts the pool's watchdog
      return checker.check(file, bytes ? { bytes, header } : undefined);
    };
  } catch (e) {
    // A model that fails to load fails every task the same way; the main thread turns this into
    // one clear message and exit code 2 (an Error's own name does not survive the thread hop).
    const failure = { initError: { name: (e as Error)?.name ?? 'Error', message: (e as Error)?.message ?? String(e) } };
    return async () => failure;
  }
}

export default init();
