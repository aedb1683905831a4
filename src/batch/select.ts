// Which of the expanded inputs this run checks: those in its shard, minus those a resumed output
// already holds. A stream filter, so the walk stays lazy.
import { expandInputs, type InputItem, type WalkOptions } from './inputs.js';
import { inShard, type Shard } from './shard.js';
import type { FileSet } from './file-set.js';

export interface Selection {
  shard?: Shard;
  /** Resume: inputs that already have a line in the output. */
  skip?: FileSet;
  /** Resume: inputs taken by this run, so one listed twice is checked (and written) once. */
  taken?: FileSet;
}

export async function* selectInputs(items: AsyncIterable<InputItem>, s: Selection): AsyncGenerator<InputItem> {
  for await (const item of items) {
    if (!inShard(item, s.shard)) continue;
    if (s.skip?.has(item.file)) continue;
    if (s.taken && !s.taken.add(item.file)) continue;
    yield item;
  }
}

/**
 * How many inputs a run will check, from a second, counting-only walk (for the progress total).
 * Never consumes stdin: with `-` among the arguments the total is unknown (undefined).
 */
export async function countInputs(args: string[], walk: WalkOptions, s: Selection): Promise<number | undefined> {
  if (args.includes('-')) return undefined;
  let n = 0;
  for await (const item of expandInputs(args, walk)) {
    if (inShard(item, s.shard) && !s.skip?.has(item.file)) n++;
  }
  return n;
}
