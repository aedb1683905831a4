// A "camera" looking at fixtures/astronaut.png (public domain, NASA): each frame is a window of the
// photo resampled to the output size, so a path of window centres and zooms over time becomes a
// clip with pan, zoom, hand shake or the face leaving the frame. Light sensor noise is added so
// consecutive frames are never bit-identical, as with a real camera.
import sharp from '../../src/media/sharp.js';
import type { RgbFrame } from './ffmpeg-io.js';

export interface Photo {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Where the camera looks at time t: window centre in photo pixels and zoom (1 = base window). */
export interface CameraPose {
  cx: number;
  cy: number;
  zoom: number;
}

export type CameraPath = (t: number) => CameraPose;

export async function loadPhoto(file: string): Promise<Photo> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** The astronaut's face box in the 512×512 photo (brows to chin), checked by eye. */
export const ASTRONAUT_FACE = { x: 178, y: 76, width: 100, height: 112 };

/** Base window (photo pixels) for a 4:3 frame: face about a quarter of the frame width. */
export const BASE_WINDOW = { width: 384, height: 288 };

/** mulberry32: deterministic noise, same pixels on every machine. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Renders the frame seen at `pose` (bilinear), plus Gaussian-ish noise of `noiseSigma` levels. */
export function renderFrame(photo: Photo, pose: CameraPose, width: number, height: number, noiseSigma: number, rand: () => number): RgbFrame {
  const ww = BASE_WINDOW.width / pose.zoom;
  const wh = BASE_WINDOW.height / pose.zoom;
  const x0 = pose.cx - ww / 2;
  const y0 = pose.cy - wh / 2;
  const sx = ww / width;
  const sy = wh / height;
  const out = new Uint8Array(width * height * 3);
  const pw = photo.width, ph = photo.height, src = photo.data;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(ph - 1.001, Math.max(0, y0 + (y + 0.5) * sy - 0.5));
    const iy = fy | 0;
    const wy = fy - iy;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(pw - 1.001, Math.max(0, x0 + (x + 0.5) * sx - 0.5));
      const ix = fx | 0;
      const wx = fx - ix;
      const a = (iy * pw + ix) * 3;
      const b = a + 3;
      const c = a + pw * 3;
      const d = c + 3;
      // Sum of three uniforms ≈ Gaussian, σ = noiseSigma.
      const n = noiseSigma * 2 * (rand() + rand() + rand() - 1.5);
      for (let ch = 0; ch < 3; ch++) {
        const top = src[a + ch] + (src[b + ch] - src[a + ch]) * wx;
        const bot = src[c + ch] + (src[d + ch] - src[c + ch]) * wx;
        const v = top + (bot - top) * wy + n;
        out[(y * width + x) * 3 + ch] = v < 0 ? 0 : v > 255 ? 255 : v + 0.5;
      }
    }
  }
  return { width, height, data: out };
}

/** A slow, natural hand-free drift: the clean clip. */
export const calmPath: CameraPath = (t) => ({
  cx: 222 + 6 * Math.sin(2 * Math.PI * 0.13 * t) + 3 * Math.sin(2 * Math.PI * 0.31 * t + 0.7),
  cy: 150 + 4 * Math.sin(2 * Math.PI * 0.17 * t + 1),
  zoom: 1 + 0.03 * Math.sin(2 * Math.PI * 0.1 * t),
});

/** Hand-held shake on top of the calm path: tremor-band (4–9 Hz) jitter of `amplitude` photo px. */
export function shakyPath(amplitude: number, seed = 7): CameraPath {
  const r = rng(seed);
  const parts = Array.from({ length: 6 }, () => ({ f: 4 + 5 * r(), px: 2 * Math.PI * r(), py: 2 * Math.PI * r(), ax: 0.5 + r(), ay: 0.5 + r() }));
  const norm = Math.sqrt(parts.reduce((s, p) => s + (p.ax * p.ax + p.ay * p.ay) / 4, 0) / parts.length);
  return (t) => {
    const base = calmPath(t);
    let dx = 0, dy = 0;
    for (const p of parts) {
      dx += p.ax * Math.sin(2 * Math.PI * p.f * t + p.px);
      dy += p.ay * Math.sin(2 * Math.PI * p.f * t + p.py);
    }
    const k = amplitude / (norm * Math.sqrt(parts.length));
    return { cx: base.cx + k * dx, cy: base.cy + k * dy, zoom: base.zoom };
  };
}

/** The camera tilts down to the suit between `away` and `back` seconds: the face leaves the frame. */
export function faceLostPath(away: number, back: number, ramp = 0.4): CameraPath {
  const smooth = (u: number) => (u <= 0 ? 0 : u >= 1 ? 1 : u * u * (3 - 2 * u));
  return (t) => {
    const base = calmPath(t);
    const k = smooth((t - away) / ramp) * (1 - smooth((t - back) / ramp));
    return { ...base, cy: base.cy + k * (366 - base.cy) };
  };
}
