// Expanding command-line inputs into files, as a stream: files as given, directories walked
// recursively (sorted, so runs are reproducible), globs, and `-` for newline-separated paths on
// stdin. One directory is listed at a time, so memory does not grow with the size of the tree.
import { readdir, realpath, stat, lstat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import path from 'node:path';
import { isUtf8 } from 'node:buffer';

export const MEDIA_EXTENSIONS = new Set([
  '.jpg', '.jpeg', '.jpe', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif', '.heic', '.heif', '.bmp',
  '.mp4', '.m4v', '.mov', '.webm', '.mkv', '.avi',
]);

export interface InputItem {
  /** The path as the user gave it, or as found under a directory they gave. */
  file: string;
  /** The directory argument it was found under (for stable shard hashing), or '' for a file argument. */
  root: string;
  /** Set when the input cannot even be listed (missing path, unreadable folder, symlink loop). */
  problem?: { code: string; message: string };
}

export interface WalkOptions {
  followSymlinks?: boolean;
  stdin?: NodeJS.ReadableStream;
  /** Folders never walked into, by real path: where this run writes (--annotate DIR), so its own
   *  pictures are not fed back in as inputs. */
  excludeDirs?: ReadonlySet<string>;
}

export async function* expandInputs(args: string[], opts: WalkOptions = {}): AsyncGenerator<InputItem> {
  for (const arg of args) {
    if (arg === '-') {
      const rl = createInterface({ input: opts.stdin ?? process.stdin, crlfDelay: Infinity });
      for await (const line of rl) {
        const p = line.trim();
        if (p) yield* expandOne(p, opts);
      }
      continue;
    }
    yield* expandOne(arg, opts);
  }
}

async function* expandOne(arg: string, opts: WalkOptions): AsyncGenerator<InputItem> {
  let st;
  try {
    st = await stat(arg);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      // A path that does not exist may be a pattern. tinyglobby (with fdir and picomatch) is
      // loaded only then, so a run over files and folders starts without it.
      const { glob, isDynamicPattern } = await import('tinyglobby');
      if (isDynamicPattern(arg)) {
        // Matches are named the way the pattern was: tinyglobby makes them relative to the
        // working directory unless asked, which turned /data/*.jpg into ../../data/a.jpg.
        const matches = (
          await glob(arg, { onlyFiles: true, followSymbolicLinks: !!opts.followSymlinks, expandDirectories: false, absolute: path.isAbsolute(arg) })
        ).sort();
        if (matches.length === 0) yield { file: arg, root: '', problem: { code: 'not-found', message: `no file matches the pattern ${arg}` } };
        for (const m of matches) yield { file: m, root: '' };
        return;
      }
    }
    if (code === 'ELOOP') {
      yield { file: arg, root: '', problem: { code: 'unreadable', message: `${arg} is a symbolic link loop` } };
      return;
    }
    // Let the checker word the error for the file itself (not found, permission denied, …).
    yield { file: arg, root: '' };
    return;
  }
  if (!st.isDirectory()) {
    yield st.isFile() ? { file: arg, root: '' } : { file: arg, root: '', problem: notAFile(arg) };
    return;
  }
  yield* walkDir(arg, arg, opts, new Set([await realpath(arg)]));
}

function notUtf8(file: string): { code: string; message: string } {
  return {
    code: 'unreadable',
    message: `${file} has a name that is not valid UTF-8 (shown here with \ufffd), so it cannot be opened by name; rename it to UTF-8 (for example with convmv) and check it again`,
  };
}

function notAFile(file: string): { code: string; message: string } {
  return { code: 'not-a-file', message: `${file} is not a regular file (a pipe, device or socket); pass the image or video file itself` };
}

async function* walkDir(dir: string, root: string, opts: WalkOptions, seen: Set<string>): AsyncGenerator<InputItem> {
  let raw: Buffer[];
  try {
    // As bytes: Linux allows names that are not UTF-8, and a decoded copy of one (with U+FFFD)
    // names no file at all.
    raw = await readdir(dir, { encoding: 'buffer' });
  } catch (e) {
    yield { file: dir, root, problem: { code: 'unreadable', message: `cannot list the folder ${dir} (${(e as NodeJS.ErrnoException).code}); check its permissions` } };
    return;
  }
  const names = raw.map((b) => ({ name: b.toString('utf8'), utf8: isUtf8(b) })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const { name, utf8 } of names) {
    const full = path.join(dir, name);
    if (!utf8) {
      if (MEDIA_EXTENSIONS.has(path.extname(name).toLowerCase())) yield { file: full, root, problem: notUtf8(full) };
      continue;
    }
    let lst;
    try {
      lst = await lstat(full);
    } catch {
      continue; // vanished while walking
    }
    let isDir = lst.isDirectory();
    let isFile = lst.isFile();
    if (lst.isSymbolicLink()) {
      let target;
      try {
        target = await stat(full);
      } catch {
        yield { file: full, root, problem: { code: 'unreadable', message: `${full} is a broken or looping symbolic link` } };
        continue;
      }
      if (target.isDirectory()) {
        if (!opts.followSymlinks) continue; // not followed unless asked: avoids loops and escapes
        isDir = true;
      } else {
        isFile = target.isFile();
      }
    }
    if (isDir) {
      let real: string;
      try {
        real = await realpath(full);
      } catch {
        continue;
      }
      if (opts.excludeDirs?.has(real)) continue;
      if (seen.has(real)) {
        yield { file: full, root, problem: { code: 'unreadable', message: `${full} leads back into a folder already being walked (symlink loop); skipped` } };
        continue;
      }
      seen.add(real);
      yield* walkDir(full, root, opts, seen);
      seen.delete(real);
    } else if (MEDIA_EXTENSIONS.has(path.extname(name).toLowerCase())) {
      // A pipe, socket or device named like a capture is reported, not silently dropped (and
      // never opened: opening a pipe blocks, opening some devices has side effects).
      yield isFile ? { file: full, root } : { file: full, root, problem: notAFile(full) };
    }
  }
}
