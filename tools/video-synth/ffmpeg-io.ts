// Raw-frame plumbing for the video fixture tools: read RGB frames out of ffmpeg and write RGB
// frames into an ffmpeg encoder, both through pipes with argument arrays (no shell).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { inputArg } from '../../src/media/video/probe.js';

export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Frames of `file` as RGB at `width`×`height`, from `start` s, after the optional filter (e.g. "fps=25"). */
export async function* readFrames(
  ffmpeg: string,
  file: string,
  width: number,
  height: number,
  o: { filter?: string; seconds?: number; start?: number } = {},
): AsyncGenerator<RgbFrame> {
  const vf = [o.filter, `scale=${width}:${height}:flags=area`, 'setsar=1'].filter(Boolean).join(',');
  const args = ['-hide_banner', '-loglevel', 'error', '-nostdin'];
  // Input seeking (before -i) decodes from the key frame before `start` and drops up to it.
  if (o.start) args.push('-ss', String(o.start));
  args.push('-i', inputArg(file));
  if (o.seconds) args.push('-t', String(o.seconds));
  args.push('-map', '0:v:0', '-vf', vf, '-vsync', '0', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1');
  const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const closed = once(child, 'close');
  const size = width * height * 3;
  let buf = new Uint8Array(size);
  let fill = 0;
  for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(size - fill, chunk.length - off);
      buf.set(chunk.subarray(off, off + n), fill);
      fill += n;
      off += n;
      if (fill === size) {
        yield { width, height, data: buf };
        buf = new Uint8Array(size);
        fill = 0;
      }
    }
  }
  const [code] = (await closed) as [number | null];
  if (code !== 0) throw new Error(`ffmpeg could not read ${file}: ${err.trim().slice(-300)}`);
}

export interface EncoderOptions {
  fps: number;
  /** Extra output options before the file name (codec, metadata, filters). */
  output?: string[];
  /** Video filter applied before encoding (e.g. a select that drops frames). */
  filter?: string;
}

/** An H.264 (default) encoder fed with raw RGB frames. */
export class RawEncoder {
  private child: ChildProcessWithoutNullStreams;
  private err = '';

  constructor(ffmpeg: string, readonly width: number, readonly height: number, outFile: string, o: EncoderOptions) {
    const args = [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(o.fps), '-i', 'pipe:0',
      ...(o.filter ? ['-vf', o.filter] : []),
      ...(o.output ?? ['-c:v', 'libx264', '-preset', 'medium', '-crf', '26', '-pix_fmt', 'yuv420p', '-movflags', '+faststart']),
      outFile,
    ];
    this.child = spawn(ffmpeg, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (b: Buffer) => (this.err += b.toString()));
    this.child.stdout.resume();
  }

  async write(frame: Uint8Array): Promise<void> {
    if (!this.child.stdin.write(frame)) await once(this.child.stdin, 'drain');
  }

  async close(): Promise<void> {
    const closed = once(this.child, 'close');
    this.child.stdin.end();
    const [code] = (await closed) as [number | null];
    if (code !== 0) throw new Error(`ffmpeg encoder failed: ${this.err.trim().slice(-400)}`);
  }
}

/** Runs ffmpeg to completion with the given arguments (for lavfi-made files and remuxes). */
export async function runFfmpeg(ffmpeg: string, args: string[]): Promise<void> {
  const child = spawn(ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${err.trim().slice(-400)}`);
}
