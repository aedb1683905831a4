// Whole-clip builders for the fixture and evaluation tools: render the astronaut scene along a
// camera path, or re-encode an existing clip at a chosen frame rate, with an optional per-frame
// transform (flicker) in between.
import { fitWithin } from '../../src/media/video/frame-stream.js';
import { probeVideo } from '../../src/media/video/probe.js';
import type { FfmpegTools } from '../../src/media/video/ffmpeg-location.js';
import { RawEncoder, readFrames, type RgbFrame } from './ffmpeg-io.js';
import { renderFrame, rng, type CameraPath, type Photo } from './scene.js';

export type FrameHook = (frame: RgbFrame, index: number, t: number) => void;

export interface EncodeOptions {
  fps: number;
  /** Extra ffmpeg output options (codec etc.); default H.264 CRF 26, faststart MP4. */
  output?: string[];
  /** Filter applied while encoding, e.g. a select that drops frames. */
  filter?: string;
}

export async function renderSceneClip(
  tools: FfmpegTools,
  photo: Photo,
  path: CameraPath,
  out: string,
  o: EncodeOptions & { seconds: number; width: number; height: number; seed?: number; noise?: number; hook?: FrameHook; frameAt?: (k: number) => number; start?: number },
): Promise<void> {
  const enc = new RawEncoder(tools.ffmpeg, o.width, o.height, out, o);
  const n = Math.round(o.seconds * o.fps);
  for (let k = 0; k < n; k++) {
    // frameAt lets a clip repeat a frame (a freeze): the picture of frame frameAt(k) is shown at k,
    // noise included (seeded per source frame), so a repeat is identical as in a stalled stream.
    const src = o.frameAt ? o.frameAt(k) : k;
    const frame = renderFrame(photo, path((o.start ?? 0) + src / o.fps), o.width, o.height, o.noise ?? 1.5, rng((o.seed ?? 1) * 100003 + src));
    o.hook?.(frame, k, k / o.fps);
    await enc.write(frame.data);
  }
  await enc.close();
}

/** Re-encodes `source` at `fps` (frames resampled by ffmpeg), long side ≤ maxSide, `seconds` from `start`. */
export async function transformClip(
  tools: FfmpegTools,
  source: string,
  out: string,
  o: EncodeOptions & { maxSide: number; seconds?: number; start?: number; hook?: FrameHook },
): Promise<void> {
  const p = await probeVideo(tools, source);
  const g = fitWithin(p.width, p.height, o.maxSide);
  const width = g.width & ~1;
  const height = g.height & ~1;
  const enc = new RawEncoder(tools.ffmpeg, width, height, out, o);
  let k = 0;
  for await (const frame of readFrames(tools.ffmpeg, source, width, height, { filter: `fps=${o.fps}`, seconds: o.seconds, start: o.start })) {
    o.hook?.(frame, k, k / o.fps);
    await enc.write(frame.data);
    k++;
  }
  await enc.close();
}
