// Checks on what the command line asks us to write, made before anything is opened for writing:
// results must never be written over a customer's capture (opening --output truncates it).
import { closeSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { MEDIA_EXTENSIONS } from '../batch/inputs.js';
import { sniffFormat } from '../media/sniff.js';
import { UsageError } from './exit-codes.js';

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/** Where `p` really points: symlinks and `..` resolved, also for a file that does not exist yet. */
function realTarget(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    const dir = path.dirname(path.resolve(p));
    let realDir = dir;
    try {
      realDir = realpathSync(dir);
    } catch {
      // a missing folder: opening the output will fail with its own message
    }
    return path.join(realDir, path.basename(p));
  }
}

function isInside(child: string, dir: string): boolean {
  const rel = path.relative(dir, child);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/** Does the file start like an image or a video? Reads 64 bytes; unreadable means no. */
function looksLikeMedia(file: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const head = new Uint8Array(64);
    const n = readSync(fd, head, 0, head.length, 0);
    return sniffFormat(head.subarray(0, n)) !== 'unknown';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Refuses an --output that is, or could become, one of the inputs: the same file as an input
 * argument (also through a symlink or hard link), a media-named file inside a folder being checked
 * (the walk would read it, or it is a capture), or an existing file whose bytes are an image or a
 * video (covers inputs from globs and stdin, which are not known in advance).
 */
export function assertOutputIsNotAnInput(output: string, inputs: readonly string[]): void {
  const outStat = statOrUndefined(output);
  if (outStat && !outStat.isFile()) return; // a folder or device: opening it reports the problem
  const outReal = realTarget(output);
  const mediaName = MEDIA_EXTENSIONS.has(path.extname(output).toLowerCase());
  const refuse = (why: string) => {
    throw new UsageError(`--output ${output} ${why}; write the results to another file (e.g. results.ndjson)`);
  };
  for (const input of inputs) {
    if (input === '-') continue;
    const st = statOrUndefined(input);
    if (!st) continue; // a glob or a missing path: covered by the content check below
    if (st.isFile() && outStat && st.dev === outStat.dev && st.ino === outStat.ino) refuse(`is the input ${input}`);
    if (st.isDirectory() && mediaName && isInside(outReal, realTarget(input))) refuse(`is inside the folder ${input} being checked, and named like a capture`);
  }
  if (outStat && looksLikeMedia(output)) refuse('already holds an image or a video, which would be overwritten');
}
