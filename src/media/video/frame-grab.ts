// One picture out of a clip at a given time, for the reports (worst-frames strip, card picture):
// made only when a report asks for it, never during analysis. ffmpeg seeks to the time (fast
// seek to the keyframe before it, then decodes up to it), scales and returns raw RGB; the same
// safe input handling as the analysis (file protocol and our containers only).
import { spawn } from 'node:child_process';
import type { RgbImage } from '../raster.js';
import type { FfmpegTools } from './ffmpeg-location.js';
import { safeInputArgs } from './probe.js';

export interface GrabOptions {
  /** Output size (the caller keeps the display aspect ratio). */
  width: number;
  height: number;
  /** Kill ffmpeg after this long (ms). */
  timeoutMs?: number;
}

export function grabFrameArgs(file: string, seconds: number, o: GrabOptions): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-threads', '1',
    '-ss', Math.max(0, seconds).toFixed(3), ...safeInputArgs(file),
    '-frames:v', '1', '-an', '-sn',
    '-vf', `scale=${o.width}:${o.height}:flags=area,setsar=1,format=rgb24`,
    '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
  ];
}

/** The frame shown at `seconds` (the last one if the clip is shorter), or undefined if ffmpeg
 *  gives none (time past the end of a damaged clip, decoder failure, timeout). */
export function grabFrame(tools: FfmpegTools, file: string, seconds: number, o: GrabOptions): Promise<RgbImage | undefined> {
  const size = o.width * o.height * 3;
  return new Promise((resolve) => {
    const child = spawn(tools.ffmpeg, grabFrameArgs(file, seconds, o), { stdio: ['ignore', 'pipe', 'ignore'], shell: false, windowsHide: true });
    const data = new Uint8Array(size);
    let fill = 0;
    child.stdout.on('data', (b: Buffer) => {
      const n = Math.min(size - fill, b.length);
      data.set(b.subarray(0, n), fill);
      fill += n;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 20_000);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve(fill === size ? { width: o.width, height: o.height, data } : undefined);
    });
  });
}
