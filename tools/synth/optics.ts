// Device failures: defocus, camera shake, sensor noise, heavily downscaled uploads. Blur sizes are
// relative to the face width so a severity means the same thing on a 90 px and a 900 px face.
import type { RgbImage } from '../../src/media/raster.js';
import type { Box } from '../../src/types.js';
import {
  fromLinear,
  gaussianBlur,
  jpegRoundTrip,
  lerp,
  mapBox,
  resize,
  sev,
  toLinear,
  withFaces,
  type FloatImage,
  type SynthImage,
} from './pixels.js';
import { Rng } from './rng.js';

// ---------------------------------------------------------------- defocus

export interface DefocusParams {
  /** Blur radius (disc) or 2·sigma (gaussian), in face widths. */
  radiusFrac: number;
  /** Disc = the lens's circle of confusion; gaussian = a softer, smeared-lens look. */
  kernel: 'disc' | 'gaussian';
}

export function defocusParams(severity: number, seed = 1): DefocusParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  return { radiusFrac: 0.025 + 0.075 * s, kernel: rng.next() < 0.7 ? 'disc' : 'gaussian' };
}

/** Uniform-disc convolution of radius r (pixels) in linear light, edges replicated. */
function discBlur(f: FloatImage, r: number): FloatImage {
  const { width: w, height: h } = f;
  const R = Math.floor(r);
  const half: number[] = [];
  for (let dy = -R; dy <= R; dy++) half.push(Math.round(Math.sqrt(Math.max(0, r * r - dy * dy))));
  let count = 0;
  for (const hw of half) count += 2 * hw + 1;
  const out = new Float32Array(f.data.length);
  const prefix = new Float64Array((w + 1) * h);
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < h; y++) {
      let acc = 0;
      const row = y * (w + 1);
      prefix[row] = 0;
      for (let x = 0; x < w; x++) {
        acc += f.data[(y * w + x) * 3 + c];
        prefix[row + x + 1] = acc;
      }
    }
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let acc = 0;
        for (let k = 0; k < half.length; k++) {
          const yy = Math.min(h - 1, Math.max(0, y + k - R));
          const hw = half[k];
          const row = yy * (w + 1);
          const lo = x - hw;
          const hi = x + hw;
          const a = lo < 0 ? 0 : lo;
          const b = hi > w - 1 ? w - 1 : hi;
          acc += prefix[row + b + 1] - prefix[row + a];
          if (lo < 0) acc += -lo * f.data[yy * w * 3 + c];
          if (hi > w - 1) acc += (hi - (w - 1)) * f.data[(yy * w + w - 1) * 3 + c];
        }
        out[(y * w + x) * 3 + c] = acc / count;
      }
    }
  }
  return { width: w, height: h, channels: 3, data: out };
}

/** Out-of-focus lens: disc (or gaussian) point-spread function sized relative to the face. */
export function defocusBlur(img: RgbImage, face: Box, p: number | DefocusParams, seed = 1): SynthImage {
  const P = typeof p === 'number' ? defocusParams(p, seed) : p;
  const r = P.radiusFrac * face.width;
  const lin = toLinear(img);
  if (r < 0.5) return fromLinear(lin, [face]);
  const blurred = P.kernel === 'disc' ? discBlur(lin, r) : gaussianBlur(lin, r / 2);
  return fromLinear(blurred, [face]);
}

// ---------------------------------------------------------------- motion

export interface MotionParams {
  /** Length of the shake trace, in face widths. */
  lengthFrac: number;
  /** Direction of the shake, degrees from the x axis. */
  angleDeg: number;
}

export function motionParams(severity: number, seed = 1): MotionParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  return { lengthFrac: 0.05 + 0.2 * s, angleDeg: Math.round(rng.uniform(0, 180)) };
}

/** Camera shake during the exposure: a straight line kernel at an angle, integrated in linear light. */
export function motionBlur(img: RgbImage, face: Box, p: number | MotionParams, seed = 1): SynthImage {
  const P = typeof p === 'number' ? motionParams(p, seed) : p;
  const L = P.lengthFrac * face.width;
  const lin = toLinear(img);
  if (L < 1) return fromLinear(lin, [face]);
  const { width: w, height: h } = img;
  const n = Math.ceil(L) + 1;
  const ca = Math.cos((P.angleDeg * Math.PI) / 180);
  const sa = Math.sin((P.angleDeg * Math.PI) / 180);
  const taps: Array<{ ix: number; iy: number; fx: number; fy: number }> = [];
  for (let k = 0; k < n; k++) {
    const t = -L / 2 + (L * k) / (n - 1);
    const dx = t * ca;
    const dy = t * sa;
    const ix = Math.floor(dx);
    const iy = Math.floor(dy);
    taps.push({ ix, iy, fx: dx - ix, fy: dy - iy });
  }
  const src = lin.data;
  const out = new Float32Array(src.length);
  const cx = (x: number) => (x < 0 ? 0 : x >= w ? w - 1 : x);
  const cy = (y: number) => (y < 0 ? 0 : y >= h ? h - 1 : y);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const t of taps) {
        const x0 = cx(x + t.ix);
        const x1 = cx(x + t.ix + 1);
        const y0 = cy(y + t.iy);
        const y1 = cy(y + t.iy + 1);
        const w00 = (1 - t.fx) * (1 - t.fy);
        const w10 = t.fx * (1 - t.fy);
        const w01 = (1 - t.fx) * t.fy;
        const w11 = t.fx * t.fy;
        const i00 = (y0 * w + x0) * 3;
        const i10 = (y0 * w + x1) * 3;
        const i01 = (y1 * w + x0) * 3;
        const i11 = (y1 * w + x1) * 3;
        r += w00 * src[i00] + w10 * src[i10] + w01 * src[i01] + w11 * src[i11];
        g += w00 * src[i00 + 1] + w10 * src[i10 + 1] + w01 * src[i01 + 1] + w11 * src[i11 + 1];
        b += w00 * src[i00 + 2] + w10 * src[i10 + 2] + w01 * src[i01 + 2] + w11 * src[i11 + 2];
      }
      const o = (y * w + x) * 3;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
    }
  }
  return fromLinear({ width: w, height: h, channels: 3, data: out }, [face]);
}

// ---------------------------------------------------------------- noise

export interface NoiseParams {
  /** Noise standard deviation at mid-grey (code value 128), 8-bit units. */
  sigma: number;
  /** Share of the variance that grows with the signal (shot noise); the rest is constant (read noise). */
  shotShare: number;
  /** Chroma (per-channel) noise amplitude relative to luminance noise. */
  chroma: number;
  /** Spatial correlation of the chroma noise (demosaicing makes it blotchy), pixels. */
  grain: number;
}

export function noiseParams(severity: number): NoiseParams {
  const s = sev(severity);
  return { sigma: 4 + 14 * s, shotShare: 0.6, chroma: lerp(0.5, 0.9, s), grain: 0.7 };
}

function unitNoiseField(rng: Rng, w: number, h: number, grain: number): Float32Array {
  const n = rng.normals(w * h);
  if (grain <= 0.05) return n;
  const b = gaussianBlur({ width: w, height: h, channels: 1, data: n }, grain).data;
  let ss = 0;
  for (let i = 0; i < b.length; i++) ss += b[i] * b[i];
  const k = 1 / Math.sqrt(ss / b.length || 1);
  for (let i = 0; i < b.length; i++) b[i] *= k;
  return b;
}

/**
 * High-ISO sensor noise in the encoded image: a luminance part common to R, G and B plus blotchy
 * per-channel chroma, with a Poisson-like level that grows with the signal (variance ∝ value for
 * the shot share, constant for the rest).
 */
export function addNoise(img: RgbImage, p: number | NoiseParams, seed = 1, face?: Box): SynthImage {
  const P = typeof p === 'number' ? noiseParams(p) : p;
  const { width: w, height: h } = img;
  const rng = new Rng(seed);
  const lum = rng.normals(w * h);
  const chroma = [0, 1, 2].map(() => unitNoiseField(rng, w, h, P.grain));
  const norm = 1 / Math.sqrt(1 + P.chroma * P.chroma);
  const out = new Uint8Array(img.data.length);
  for (let px = 0, i = 0; px < w * h; px++, i += 3) {
    for (let c = 0; c < 3; c++) {
      const v = img.data[i + c];
      const sd = P.sigma * Math.sqrt(P.shotShare * (v / 128) + (1 - P.shotShare));
      const nv = v + sd * norm * (lum[px] + P.chroma * chroma[c][px]);
      out[i + c] = nv <= 0 ? 0 : nv >= 255 ? 255 : Math.round(nv);
    }
  }
  return withFaces({ width: w, height: h, data: out }, face ? [face] : undefined);
}

// ---------------------------------------------------------------- downscale

export interface DownscaleParams {
  /** Face width after downscaling, pixels. */
  faceWidthPx: number;
  /** JPEG quality of the small upload. */
  jpegQuality: number;
  /** Scale back up to the original size (as a viewer or a server would), or keep it small. */
  restore: boolean;
}

export function downscaleParams(severity: number, seed = 1): DownscaleParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  return { faceWidthPx: Math.round(lerp(48, 14, s)), jpegQuality: Math.round(lerp(85, 60, s)), restore: rng.next() < 0.6 };
}

/** A heavily downscaled, recompressed upload, optionally scaled back up (bicubic) to its original size. */
export async function downscale(img: RgbImage, face: Box, p: number | DownscaleParams, seed = 1): Promise<SynthImage> {
  const P = typeof p === 'number' ? downscaleParams(p, seed) : p;
  const { width: w, height: h } = img;
  const scale = Math.min(1, Math.max(P.faceWidthPx / face.width, 8 / Math.min(w, h)));
  const sw = Math.max(1, Math.round(w * scale));
  const shh = Math.max(1, Math.round(h * scale));
  const small = await jpegRoundTrip(await resize(img, sw, shh, 'lanczos3'), P.jpegQuality);
  if (!P.restore) return withFaces(small, [mapBox(face, sw / w, shh / h, 0, 0)]);
  const back = await resize(small, w, h, 'cubic');
  return withFaces(back, [face]);
}
