// Is this file a video? Decided from its first bytes (never the extension), reading only a
// little of it: videos are streamed, not loaded. An empty file with a video extension counts as
// a video so its error says "empty clip" rather than "not an image".
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import { sniffFormat } from '../sniff.js';

const VIDEO_EXTENSIONS = new Set(['.mp4', '.m4v', '.mov', '.webm', '.mkv', '.avi', '.3gp']);
const HEAD_BYTES = 512;

export interface FileKind {
  video: boolean;
  size: number;
  /** The whole file, when asked for with `readImageUpTo` and the file is an image within that size. */
  bytes?: Uint8Array;
}

export interface SniffOptions {
  /** Also read an image's bytes, through the same open file, when it is at most this many bytes. */
  readImageUpTo?: number;
}

/** Never throws: anything unreadable is left to the image path, which reports it. */
export async function sniffFileKind(file: string, opts: SniffOptions = {}): Promise<FileKind> {
  let fh;
  try {
    // Non-blocking open: a named pipe must not hang the check.
    fh = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch {
    return { video: false, size: 0 };
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return { video: false, size: 0 };
    if (st.size === 0) return { video: VIDEO_EXTENSIONS.has(path.extname(file).toLowerCase()), size: 0 };
    const head = new Uint8Array(Math.min(HEAD_BYTES, st.size));
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    const video = sniffFormat(head.subarray(0, bytesRead)) === 'video';
    const limit = opts.readImageUpTo;
    if (video || limit === undefined || st.size > limit) return { video, size: st.size };
    const bytes = await fh.readFile(); // the whole file: the read above gave a position, so none was consumed
    return bytes.length <= limit ? { video, size: st.size, bytes: ownBuffer(bytes) } : { video, size: st.size };
  } catch {
    return { video: false, size: 0 };
  } finally {
    await fh.close();
  }
}

/** The bytes in an ArrayBuffer of their own (a small Buffer may sit in Node's shared pool), so
 *  they can be transferred to a worker without detaching anything else. */
function ownBuffer(b: Uint8Array): Uint8Array {
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b);
}
