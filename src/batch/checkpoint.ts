// `--resume`: the NDJSON output file is the checkpoint. Every complete line is a finished input;
// a torn last line (a run killed mid-write) is cut off and its input redone; a trailing summary
// line from an earlier finished run is cut off too, so the file ends up with exactly one line per
// input and, with --summary, one summary at the end.
import { existsSync, truncateSync } from 'node:fs';
import { FileSet } from './file-set.js';
import { readNdjson, type NdjsonTail } from './ndjson-file.js';
import type { Result } from '../types.js';

export class CheckpointError extends Error {
  override name = 'CheckpointError';
}

export interface Checkpoint {
  /** Inputs that already have a complete line: skipped by the resumed run. */
  done: FileSet;
  /** How many result lines were kept. */
  kept: number;
  /** Bytes of a torn last line that were cut off (0 if the file ended cleanly). */
  tornBytes: number;
  /** True when a trailing summary line was cut off (it is rewritten at the end). */
  droppedSummary: boolean;
}

/**
 * Reads FILE (if it exists), hands each kept result to `onResult` (to rebuild the summary), and
 * truncates the file after its last complete result line, ready to be appended to.
 */
export async function openCheckpoint(file: string, onResult: (r: Result) => void): Promise<Checkpoint> {
  const done = new FileSet();
  const cp: Checkpoint = { done, kept: 0, tornBytes: 0, droppedSummary: false };
  if (!existsSync(file)) return cp;

  let keepBytes = 0; // end of the last result line
  let summaryAfter = false;
  const lines = readNdjson(file);
  let tail: NdjsonTail;
  try {
    for (;;) {
      const next = await lines.next();
      if (next.done) {
        tail = next.value;
        break;
      }
      const rec = next.value;
      if (rec.kind === 'bad') {
        throw new CheckpointError(
          `${file} line ${rec.lineNo} is not a facedoctor result ("${rec.text}"); --resume continues an NDJSON output of facedoctor check, so choose another --output or remove the file`,
        );
      }
      if (rec.kind === 'summary') {
        summaryAfter = true;
        continue;
      }
      if (summaryAfter) {
        throw new CheckpointError(`${file} has results after a summary line (line ${rec.lineNo}); it was not written by one facedoctor run, so it cannot be resumed safely`);
      }
      keepBytes = rec.end;
      // A file listed twice keeps its first line; both runs then agree on one line per input.
      if (done.add(rec.result.file)) {
        cp.kept++;
        onResult(rec.result);
      }
    }
  } catch (e) {
    if (e instanceof CheckpointError) throw e;
    throw new CheckpointError(`cannot read ${file} to resume (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  cp.tornBytes = tail.tornBytes;
  cp.droppedSummary = summaryAfter;
  if (keepBytes !== tail.completeBytes + tail.tornBytes) truncateSync(file, keepBytes);
  return cp;
}
