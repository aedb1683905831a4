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
}

/** Never throws: anything unreadable is left to the image path, which reports it. */
export async function sniffFileKind(file: string): Promise<FileKind> {
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
    return { video: sniffFormat(head.subarray(0, bytesRead)) === 'video', size: st.size };
  } catch {
    return { video: false, size: 0 };
  } finally {
    await fh.close();
  }
}
