// Streams a video's frames out of one ffmpeg process, never holding the clip in memory:
//  * sampled frames: RGB at analysis resolution (≤ 800 px long side), at `sampleFps`, on stdout —
//    what the face detector and the image analyzers see;
//  * every frame: a small grey thumbnail on fd 3 — cheap material for the per-frame temporal
//    measures (flicker, camera shake, repeated frames).
// Frame times come from ffmpeg's `showinfo` filter on stderr (one line per frame, in order), so
// variable frame rates, dropped frames and timestamp gaps are seen as they are (passthrough sync:
// ffmpeg neither duplicates nor drops frames on the way out).
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { RgbImage } from '../raster.js';
import { MediaError } from '../media-error.js';
import type { FfmpegTools } from './ffmpeg-location.js';
import { describeFfmpegFailure, safeInputArgs, type VideoProbe } from './probe.js';

export interface FrameStreamOptions {
  /** Sampled frames per second for the RGB stream. */
  sampleFps: number;
  /** Long side of the sampled RGB frames (never upscaled). */
  analysisMaxSide: number;
  /** Long side of the every-frame grey thumbnails (never upscaled). */
  greyMaxSide: number;
  /** Decoder threads (1 keeps one video on one core; the batch parallelises across files). */
  threads?: number;
  signal?: AbortSignal;
}

export interface GreyFrame {
  /** 0-based index among all decoded frames. */
  index: number;
  /** Presentation time in seconds (NaN if ffmpeg did not report it). */
  time: number;
  width: number;
  height: number;
  /** 8-bit luma; only valid during the callback (the buffer is reused). */
  data: Uint8Array;
}

export interface SampledFrame {
  index: number;
  /** Presentation time in seconds (NaN if ffmpeg did not report it). */
  time: number;
  /** Valid until the next frame is asked for: the buffer is reused (copy it to keep it). */
  image: RgbImage;
}

export interface FrameStreamEnd {
  /** Presentation time (s) of every decoded frame, in output order. */
  frameTimes: number[];
  /** Presentation time (s) of every sampled frame. */
  sampleTimes: number[];
  /** ffmpeg's warnings and errors (last lines), for truncation checks. */
  diagnostics: string[];
}

export interface FrameGeometry {
  width: number;
  height: number;
}

/** Target size with the long side capped at `maxSide`, never upscaled, at least 2 px. */
export function fitWithin(width: number, height: number, maxSide: number): FrameGeometry {
  const k = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(2, Math.round(width * k)), height: Math.max(2, Math.round(height * k)) };
}

/** ffmpeg's command line: an argument array, the input passed as `file:<absolute path>` with
 *  only the file protocol and our containers allowed (safeInputArgs). */
export function frameStreamArgs(tools: FfmpegTools, file: string, sample: FrameGeometry, grey: FrameGeometry, o: FrameStreamOptions): string[] {
  const threads = String(Math.max(1, o.threads ?? 1));
  const graph =
    `[0:v:0]split=2[s][g];` +
    `[s]fps=${o.sampleFps},scale=${sample.width}:${sample.height}:flags=area,setsar=1,format=rgb24,showinfo@samp[so];` +
    `[g]scale=${grey.width}:${grey.height}:flags=area,format=gray,showinfo@full[go]`;
  // -vsync is global before ffmpeg 5.1 and replaced by the per-output -fps_mode after it.
  const passthrough = tools.major !== undefined && tools.major >= 5 ? ['-fps_mode', 'passthrough'] : [];
  return [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    '-threads', threads, ...safeInputArgs(file),
    '-filter_complex', graph, '-filter_complex_threads', '1',
    ...(passthrough.length ? [] : ['-vsync', '0']),
    '-map', '[so]', ...passthrough, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1',
    '-map', '[go]', ...passthrough, '-f', 'rawvideo', '-pix_fmt', 'gray', 'pipe:3',
  ];
}

const SHOWINFO = /showinfo@(full|samp)[^\]]*\]\s*n:\s*(\d+)\s+pts:\s*(-?\d+)\s+pts_time:(-?[0-9.eE+-]+)/;
const MAX_DIAGNOSTICS = 40;

/** ffmpeg's warnings and errors, without its stream listing and progress lines. */
function isDiagnostic(line: string): boolean {
  return !!line && !line.includes('showinfo@') && !/^\s/.test(line) && !/^(frame=|video:|Input #|Output #|Stream mapping|Press \[q\])/.test(line);
}

/**
 * Decodes `file`: calls `onGrey` for every frame (synchronously, in order) and yields the sampled
 * RGB frames; the generator's return value carries the frame times. Stopping the iteration early
 * or aborting the signal kills ffmpeg.
 */
export async function* streamFrames(
  tools: FfmpegTools,
  file: string,
  probe: VideoProbe,
  o: FrameStreamOptions,
  onGrey: (f: GreyFrame) => void,
): AsyncGenerator<SampledFrame, FrameStreamEnd, undefined> {
  const sample = fitWithin(probe.width, probe.height, o.analysisMaxSide);
  const grey = fitWithin(probe.width, probe.height, o.greyMaxSide);
  const child = spawn(tools.ffmpeg, frameStreamArgs(tools, file, sample, grey, o), {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    shell: false,
    windowsHide: true,
  });
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  o.signal?.addEventListener('abort', kill, { once: true });

  const frameTimes: number[] = [];
  const sampleTimes: number[] = [];
  const diagnostics: string[] = [];
  let spawnError: Error | undefined;
  let callbackError: unknown;
  child.on('error', (e) => (spawnError = e));
  let exited = false;
  const closed = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      exited = true;
      flushGrey(true);
      wakeSampleWaiter();
      resolve(code);
    }),
  );

  // Grey frames wait (copied) until ffmpeg has logged their time; almost always it already has.
  const greySize = grey.width * grey.height;
  const greyBuf = new Uint8Array(greySize);
  const greyQueue: Array<{ index: number; data: Uint8Array }> = [];
  const deliverGrey = (index: number, data: Uint8Array) => {
    if (callbackError !== undefined) return;
    try {
      onGrey({ index, time: frameTimes[index] ?? NaN, width: grey.width, height: grey.height, data });
    } catch (e) {
      callbackError = e;
      kill();
    }
  };
  function flushGrey(final = false) {
    while (greyQueue.length && (final || frameTimes[greyQueue[0].index] !== undefined)) {
      const q = greyQueue.shift()!;
      deliverGrey(q.index, q.data);
    }
  }
  let sampleWaiter: (() => void) | undefined;
  function wakeSampleWaiter() {
    const w = sampleWaiter;
    sampleWaiter = undefined;
    w?.();
  }

  // stderr: showinfo timestamps plus the last warnings.
  let pending = '';
  const stderr = child.stderr as Readable;
  stderr.setEncoding('utf8');
  stderr.on('data', (s: string) => {
    pending += s;
    const lines = pending.split(/\r?\n|\r/);
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const m = SHOWINFO.exec(line);
      if (m) (m[1] === 'full' ? frameTimes : sampleTimes)[Number(m[2])] = Number(m[4]);
      else if (isDiagnostic(line)) {
        diagnostics.push(line);
        if (diagnostics.length > MAX_DIAGNOSTICS) diagnostics.shift();
      }
    }
    flushGrey();
    wakeSampleWaiter();
  });

  // fd 3: every frame as a grey thumbnail.
  let greyFill = 0;
  let greyIndex = 0;
  const greyPipe = child.stdio[3] as Readable;
  greyPipe.on('data', (chunk: Buffer) => {
    let off = 0;
    while (off < chunk.length) {
      const n = Math.min(greySize - greyFill, chunk.length - off);
      greyBuf.set(chunk.subarray(off, off + n), greyFill);
      greyFill += n;
      off += n;
      if (greyFill === greySize) {
        const index = greyIndex++;
        if (greyQueue.length === 0 && frameTimes[index] !== undefined) deliverGrey(index, greyBuf);
        else greyQueue.push({ index, data: greyBuf.slice() });
        greyFill = 0;
      }
    }
  });
  const greyEnded = new Promise<void>((resolve) => {
    greyPipe.on('end', resolve);
    greyPipe.on('close', resolve);
    greyPipe.on('error', () => resolve());
  });
  const sampleTime = async (index: number): Promise<number> => {
    while (sampleTimes[index] === undefined && !exited) await new Promise<void>((r) => (sampleWaiter = r));
    return sampleTimes[index] ?? NaN;
  };

  // stdout: sampled RGB frames, pulled by the consumer (backpressure reaches ffmpeg).
  // One buffer for all sampled frames (≈ 1 MB each at 800×450): the consumer is done with a
  // frame when it asks for the next.
  const frameSize = sample.width * sample.height * 3;
  const frame = new Uint8Array(frameSize);
  let fill = 0;
  let index = 0;
  let finished = false;
  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      let off = 0;
      while (off < chunk.length) {
        const n = Math.min(frameSize - fill, chunk.length - off);
        frame.set(chunk.subarray(off, off + n), fill);
        fill += n;
        off += n;
        if (fill === frameSize) {
          const image: RgbImage = { width: sample.width, height: sample.height, data: frame };
          const time = await sampleTime(index);
          yield { index: index++, time, image };
          fill = 0;
        }
      }
    }
    const code = await closed;
    await greyEnded;
    flushGrey(true);
    finished = true;
    if (callbackError !== undefined) throw callbackError;
    if (o.signal?.aborted) throw new MediaError('timeout', `${file}: stopped before the video was fully analyzed`);
    if (spawnError) throw new MediaError('decoder-missing', `${file}: cannot run ffmpeg (${spawnError.message})`);
    if (code !== 0) throw describeFfmpegFailure(file, diagnostics.join('\n'));
    return { frameTimes, sampleTimes, diagnostics };
  } finally {
    o.signal?.removeEventListener('abort', kill);
    if (!finished) kill();
  }
}
