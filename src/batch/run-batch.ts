// The batch loop: pulls inputs lazily from the walk, keeps a bounded number of checks in flight,
// and hands each result over the moment it is ready (completion order). Memory is flat: nothing
// grows with the number of inputs. On a stop request it takes no new input and waits for the
// checks in flight, so their results are still written.
import type { InputItem } from './inputs.js';
import type { CheckRunner } from './runner.js';
import type { StopSignal } from './interrupt.js';
import type { Result } from '../types.js';

export interface BatchOptions {
  items: AsyncIterable<InputItem>;
  runner: CheckRunner;
  /** Checks in flight at once (the runner's maxInFlight): bounded, so memory does not grow. */
  maxInFlight: number;
  stop?: Pick<StopSignal, 'requested'>;
  onResult(r: Result): void;
}

export interface BatchOutcome {
  /** True when a stop request ended the run before the inputs ran out. */
  stopped: boolean;
}

const STOP: unique symbol = Symbol('stop');

export async function runBatch(o: BatchOptions): Promise<BatchOutcome> {
  const inFlight = new Set<Promise<void>>();
  let failure: unknown;
  let stopRequested = false;
  const stopped: Promise<typeof STOP> = (o.stop?.requested ?? new Promise<never>(() => {})).then(() => {
    stopRequested = true;
    return STOP;
  });
  const it = o.items[Symbol.asyncIterator]();
  let exhausted = false;

  while (!stopRequested && failure === undefined) {
    if (inFlight.size >= o.maxInFlight) {
      await Promise.race([...inFlight, stopped]);
      continue;
    }
    const next = await Promise.race([it.next(), stopped]);
    if (next === STOP) break;
    if (next.done) {
      exhausted = true;
      break;
    }
    const item = next.value;
    if (item.problem) {
      o.onResult(listingErrorResult(item));
      continue;
    }
    const task: Promise<void> = o.runner
      .check(item.file)
      .then(o.onResult, (e) => {
        failure ??= e;
      })
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  }
  await Promise.all(inFlight);
  // Abandon the walk (a pending stdin read stays pending; the caller closes stdin).
  if (!exhausted) void it.return?.(undefined).catch(() => {});
  if (failure !== undefined) throw failure;
  return { stopped: stopRequested && !exhausted };
}

/** An input that could not even be listed (missing path, unreadable folder, symlink loop). Same
 *  shape as the checker's error results; built here so the main thread need not load the models. */
export function listingErrorResult(item: InputItem): Result {
  const problem = item.problem ?? { code: 'unreadable', message: `${item.file} cannot be read` };
  return { file: item.file, kind: 'image', verdict: 'error', error: { ...problem }, faces: [], causes: [], metrics: {} };
}
