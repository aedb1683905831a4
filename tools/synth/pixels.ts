// Pixel plumbing for the synthesisers: sRGB <-> linear light, float images, separable blurs,
// crops, sharp round trips, and a "continue the scene" border extension.
import sharp, { type KernelEnum, type Sharp } from '../../src/media/sharp.js';
import type { RgbImage } from '../../src/media/raster.js';
import type { Box } from '../../src/types.js';
import { Rng } from './rng.js';

/** An RgbImage that also says where the face(s) ended up (empty when the face was removed). */
export interface SynthImage extends RgbImage {
  faces?: Box[];
}

/** Interleaved float image. Values are 0..1 linear light or 0..255 display, as the caller says. */
export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Severity is always 0 (mildest case that should still be reported) .. 1 (extreme). */
export function sev(s: number): number {
  if (!Number.isFinite(s)) throw new RangeError(`severity must be a number in 0..1, got ${s}`);
  return clamp01(s);
}

export function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

export function smoothstep(e0: number, e1: number, x: number): number {
  const t = clamp01((x - e0) / (e1 - e0));
  return t * t * (3 - 2 * t);
}

// ---------------------------------------------------------------- colour (IEC 61966-2-1 sRGB)

const DECODE = new Float32Array(256);
for (let i = 0; i < 256; i++) {
  const c = i / 255;
  DECODE[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}

/** 8-bit sRGB code value to linear light 0..1. */
export function srgb8ToLinear(v: number): number {
  return DECODE[v];
}

/** Linear light to sRGB in 0..1 (input clamped to 0..1). */
export function linearToSrgb(u: number): number {
  if (!(u > 0)) return 0;
  if (u >= 1) return 1;
  return u <= 0.0031308 ? 12.92 * u : 1.055 * Math.pow(u, 1 / 2.4) - 0.055;
}

const ENC_SIZE = 65536;
let ENCODE: Uint8Array | null = null;
function encodeLut(): Uint8Array {
  if (!ENCODE) {
    ENCODE = new Uint8Array(ENC_SIZE + 1);
    for (let i = 0; i <= ENC_SIZE; i++) ENCODE[i] = Math.round(255 * linearToSrgb(i / ENC_SIZE));
  }
  return ENCODE;
}

export function toLinear(img: RgbImage): FloatImage {
  const out = new Float32Array(img.data.length);
  for (let i = 0; i < out.length; i++) out[i] = DECODE[img.data[i]];
  return { width: img.width, height: img.height, channels: 3, data: out };
}

/** Linear light (clipped at 1, like a sensor/encoder) back to 8-bit sRGB. */
export function fromLinear(f: FloatImage, faces?: Box[]): SynthImage {
  const lut = encodeLut();
  const out = new Uint8Array(f.data.length);
  for (let i = 0; i < out.length; i++) {
    const u = f.data[i];
    out[i] = u <= 0 ? 0 : u >= 1 ? 255 : lut[Math.round(u * ENC_SIZE)];
  }
  return withFaces({ width: f.width, height: f.height, data: out }, faces);
}

export function toFloat(img: RgbImage): FloatImage {
  return { width: img.width, height: img.height, channels: 3, data: Float32Array.from(img.data) };
}

/** Display-domain float (0..255) back to 8 bits, rounded and clipped. */
export function fromFloat(f: FloatImage, faces?: Box[]): SynthImage {
  const out = new Uint8Array(f.data.length);
  for (let i = 0; i < out.length; i++) {
    const v = f.data[i];
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return withFaces({ width: f.width, height: f.height, data: out }, faces);
}

export function withFaces(img: RgbImage, faces?: Box[]): SynthImage {
  return faces ? { width: img.width, height: img.height, data: img.data, faces } : { width: img.width, height: img.height, data: img.data };
}

// ---------------------------------------------------------------- blurs

function blurKernel(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}

/** Convolve every line (rows when horizontal, else columns) with kernel k, replicating edges. */
function convolveLines(src: FloatImage, k: Float32Array, horizontal: boolean): FloatImage {
  const { width: w, height: h, channels: c } = src;
  const out = new Float32Array(src.data.length);
  const r = (k.length - 1) >> 1;
  const n = horizontal ? w : h;
  const lines = horizontal ? h : w;
  const step = horizontal ? c : w * c;
  const line = new Float32Array(n + 2 * r);
  for (let l = 0; l < lines; l++) {
    const base = horizontal ? l * w * c : l * c;
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < n + 2 * r; i++) {
        const j = i - r < 0 ? 0 : i - r >= n ? n - 1 : i - r;
        line[i] = src.data[base + j * step + ch];
      }
      for (let i = 0; i < n; i++) {
        let acc = 0;
        for (let t = 0; t < k.length; t++) acc += k[t] * line[i + t];
        out[base + i * step + ch] = acc;
      }
    }
  }
  return { width: w, height: h, channels: c, data: out };
}

/** Running-sum box filter of radius r along lines, replicating edges. */
function boxLines(src: FloatImage, r: number, horizontal: boolean): FloatImage {
  const { width: w, height: h, channels: c } = src;
  const out = new Float32Array(src.data.length);
  const n = horizontal ? w : h;
  const lines = horizontal ? h : w;
  const step = horizontal ? c : w * c;
  const norm = 1 / (2 * r + 1);
  for (let l = 0; l < lines; l++) {
    const base = horizontal ? l * w * c : l * c;
    for (let ch = 0; ch < c; ch++) {
      const at = (j: number) => src.data[base + (j < 0 ? 0 : j >= n ? n - 1 : j) * step + ch];
      let acc = 0;
      for (let j = -r; j <= r; j++) acc += at(j);
      for (let i = 0; i < n; i++) {
        out[base + i * step + ch] = acc * norm;
        acc += at(i + r + 1) - at(i - r);
      }
    }
  }
  return { width: w, height: h, channels: c, data: out };
}

/** Gaussian blur (exact kernel up to sigma 6, three box passes beyond), edges replicated. */
export function gaussianBlur(f: FloatImage, sigma: number): FloatImage {
  if (!(sigma > 0.05)) return { ...f, data: f.data.slice() };
  if (sigma <= 6) {
    const k = blurKernel(sigma);
    return convolveLines(convolveLines(f, k, true), k, false);
  }
  // Three boxes of radius r have variance 3 * ((2r+1)^2 - 1) / 12 = r(r+1).
  const r = Math.max(1, Math.round((Math.sqrt(1 + 4 * sigma * sigma) - 1) / 2));
  let g = f;
  for (let i = 0; i < 3; i++) g = boxLines(g, r, true);
  for (let i = 0; i < 3; i++) g = boxLines(g, r, false);
  return g;
}

/** Single-channel plane blur (masks). */
export function blurPlane(data: Float32Array, width: number, height: number, sigma: number): Float32Array {
  return gaussianBlur({ width, height, channels: 1, data }, sigma).data;
}

// ---------------------------------------------------------------- geometry

export function cropImage(img: RgbImage, x: number, y: number, w: number, h: number): RgbImage {
  const x0 = Math.round(x);
  const y0 = Math.round(y);
  const cw = Math.round(x + w) - x0;
  const chh = Math.round(y + h) - y0;
  if (x0 < 0 || y0 < 0 || cw < 1 || chh < 1 || x0 + cw > img.width || y0 + chh > img.height) {
    throw new RangeError(`crop ${x0},${y0} ${cw}x${chh} outside ${img.width}x${img.height}`);
  }
  const out = new Uint8Array(cw * chh * 3);
  for (let r = 0; r < chh; r++) {
    const s = ((y0 + r) * img.width + x0) * 3;
    out.set(img.data.subarray(s, s + cw * 3), r * cw * 3);
  }
  return { width: cw, height: chh, data: out };
}

export function mapBox(b: Box, sx: number, sy: number, dx: number, dy: number): Box {
  return { x: b.x * sx + dx, y: b.y * sy + dy, width: b.width * sx, height: b.height * sy };
}

export function roundBox(b: Box): Box {
  const r = (v: number) => Math.round(v * 10) / 10;
  return { x: r(b.x), y: r(b.y), width: r(b.width), height: r(b.height) };
}

export function boxCenter(b: Box): { x: number; y: number } {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

// ---------------------------------------------------------------- sharp bridges

export function toSharp(img: RgbImage): Sharp {
  const buf = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  return sharp(buf, { raw: { width: img.width, height: img.height, channels: 3 } });
}

export async function fromSharp(s: Sharp): Promise<RgbImage> {
  const { data, info } = await s.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** Read any image sharp can decode, EXIF-rotated, as 8-bit RGB. */
export async function readRgb(file: string): Promise<RgbImage> {
  return fromSharp(sharp(file).rotate());
}

export async function resize(
  img: RgbImage,
  width: number,
  height: number,
  kernel: keyof KernelEnum = 'lanczos3',
): Promise<RgbImage> {
  const w = Math.max(1, Math.round(width));
  const h = Math.max(1, Math.round(height));
  if (w === img.width && h === img.height) return { width: w, height: h, data: img.data.slice() };
  return fromSharp(toSharp(img).resize(w, h, { fit: 'fill', kernel }));
}

/** Encode to JPEG at the given quality and decode again (what an upload pipeline does). */
export async function jpegRoundTrip(img: RgbImage, quality: number): Promise<RgbImage> {
  const jpg = await toSharp(img).jpeg({ quality: Math.round(quality), chromaSubsampling: '4:2:0' }).toBuffer();
  return fromSharp(sharp(jpg));
}

// ---------------------------------------------------------------- scene continuation

export interface Pad {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/**
 * Grow the canvas by `pad` pixels on each side and fill the new area by continuing the photo:
 * edge pixels are carried outward ("smear") or reflected ("mirror"), then defocused more the
 * farther they are from the original frame (like an out-of-focus background), with a little grain
 * so the extension is not suspiciously smooth. The original pixels are untouched. Reflections of
 * the `protect` boxes (faces, in source coordinates) always get the strongest defocus, so a mirror
 * never adds a recognisable second face.
 */
export function extendScene(
  img: RgbImage,
  pad: Pad,
  opts: { mode?: 'smear' | 'mirror'; seed?: number; protect?: Box[] } = {},
): RgbImage {
  const mode = opts.mode ?? 'mirror';
  const L = Math.max(0, Math.round(pad.left));
  const T = Math.max(0, Math.round(pad.top));
  const R = Math.max(0, Math.round(pad.right));
  const B = Math.max(0, Math.round(pad.bottom));
  const { width: w, height: h } = img;
  const W = w + L + R;
  const H = h + T + B;
  if (L + T + R + B === 0) return { width: w, height: h, data: img.data.slice() };
  const idx = (i: number, n: number) => {
    if (mode === 'smear' || n === 1) return i < 0 ? 0 : i >= n ? n - 1 : i;
    const p = 2 * (n - 1);
    let j = ((i % p) + p) % p;
    if (j >= n) j = p - j;
    return j;
  };
  const protect = opts.protect ?? [];
  const guard = new Float32Array(W * H);
  const base = new Float32Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    const sy = idx(y - T, h);
    for (let x = 0; x < W; x++) {
      const sx = idx(x - L, w);
      for (const b of protect) {
        const m = 0.35 * Math.max(b.width, b.height);
        const ddx = Math.max(b.x - sx, 0, sx - (b.x + b.width));
        const ddy = Math.max(b.y - sy, 0, sy - (b.y + b.height));
        guard[y * W + x] = Math.max(guard[y * W + x], 1 - smoothstep(0, m, Math.hypot(ddx, ddy)));
      }
      const s = (sy * w + sx) * 3;
      const d = (y * W + x) * 3;
      base[d] = img.data[s];
      base[d + 1] = img.data[s + 1];
      base[d + 2] = img.data[s + 2];
    }
  }
  const f: FloatImage = { width: W, height: H, channels: 3, data: base };
  const D = Math.max(W, H);
  const near = gaussianBlur(f, 1 + 0.01 * D);
  const far = gaussianBlur(f, 0.07 * D);
  const reach = 0.1 * D;
  const rng = new Rng(opts.seed ?? 1);
  const out = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    const dy = y < T ? T - y : y >= T + h ? y - (T + h - 1) : 0;
    for (let x = 0; x < W; x++) {
      const dx = x < L ? L - x : x >= L + w ? x - (L + w - 1) : 0;
      const p = (y * W + x) * 3;
      if (dx === 0 && dy === 0) {
        const s = ((y - T) * w + (x - L)) * 3;
        out[p] = img.data[s];
        out[p + 1] = img.data[s + 1];
        out[p + 2] = img.data[s + 2];
        continue;
      }
      const t = Math.max(clamp01(Math.hypot(dx, dy) / reach), guard[y * W + x]);
      const grain = 1.5 * Math.min(1, Math.hypot(dx, dy) / 4) * rng.normal();
      for (let c = 0; c < 3; c++) {
        const v0 = lerp(base[p + c], near.data[p + c], smoothstep(0, 0.25, t));
        const v = lerp(v0, far.data[p + c], smoothstep(0.2, 1, t)) + grain;
        out[p + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  }
  return { width: W, height: H, data: out };
}

/**
 * Aperiodic texture for an invented surround: zero-mean noise whose amplitude falls as 1/f like
 * a natural scene's (octaves of Gaussian-blurred white noise, the coarsest blurred by 1/16 of the
 * long side), normalised to unit standard deviation. Blurred white noise is isotropic and has no
 * lattice (value noise on a grid has one, and its rows line up), so the texture adds neither
 * rows that span the frame nor a period — unlike a mirrored copy of the photo.
 */
export function aperiodicTexture(width: number, height: number, seed: number): Float32Array {
  const out = new Float32Array(width * height);
  const rng = new Rng(seed);
  const D = Math.max(width, height);
  for (let sigma = D / 16; sigma >= 1; sigma /= 2) {
    const octave = blurPlane(rng.normals(width * height), width, height, sigma);
    let sq = 0;
    for (const v of octave) sq += v * v;
    const k = sigma / Math.sqrt(sq / octave.length || 1);
    for (let i = 0; i < out.length; i++) out[i] += k * octave[i];
  }
  let sum = 0;
  let sq = 0;
  for (const v of out) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / out.length;
  const sd = Math.sqrt(Math.max(1e-12, sq / out.length - mean * mean));
  for (let i = 0; i < out.length; i++) out[i] = (out[i] - mean) / sd;
  return out;
}

/**
 * Set `img` at (ox, oy) into a W×H canvas and fill the rest smoothly from it (push-pull: a
 * weighted image pyramid, holes filled from coarser levels), then soften the fill further from
 * the photo: the photo's colours bleed outward and settle to its average, with no streaks and no
 * copies — nothing in the fill is coherent along rows or columns. The photo's pixels are kept.
 */
export function fillAround(img: RgbImage, W: number, H: number, ox: number, oy: number): RgbImage {
  type Level = { w: number; h: number; val: Float32Array; wt: Float32Array };
  const base: Level = { w: W, h: H, val: new Float32Array(W * H * 3), wt: new Float32Array(W * H) };
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const d = (y + oy) * W + (x + ox);
      base.wt[d] = 1;
      for (let c = 0; c < 3; c++) base.val[d * 3 + c] = img.data[(y * img.width + x) * 3 + c];
    }
  }
  const levels = [base];
  while (levels[levels.length - 1].w > 1 || levels[levels.length - 1].h > 1) {
    const f = levels[levels.length - 1];
    const w = Math.ceil(f.w / 2);
    const h = Math.ceil(f.h / 2);
    const val = new Float32Array(w * h * 3);
    const wt = new Float32Array(w * h);
    for (let y = 0; y < f.h; y++) {
      for (let x = 0; x < f.w; x++) {
        const s = y * f.w + x;
        const d = (y >> 1) * w + (x >> 1);
        wt[d] += f.wt[s];
        for (let c = 0; c < 3; c++) val[d * 3 + c] += f.wt[s] * f.val[s * 3 + c];
      }
    }
    for (let i = 0; i < w * h; i++) {
      if (wt[i] > 0) for (let c = 0; c < 3; c++) val[i * 3 + c] /= wt[i];
      wt[i] = Math.min(1, wt[i]);
    }
    levels.push({ w, h, val, wt });
  }
  // Pull: every level takes what it lacks from the (bilinearly sampled) level above it.
  for (let l = levels.length - 2; l >= 0; l--) {
    const f = levels[l];
    const g = levels[l + 1];
    for (let y = 0; y < f.h; y++) {
      const gy = clamp((y + 0.5) / 2 - 0.5, 0, g.h - 1);
      const y0 = Math.floor(gy);
      const y1 = Math.min(g.h - 1, y0 + 1);
      const ty = gy - y0;
      for (let x = 0; x < f.w; x++) {
        const i = y * f.w + x;
        if (f.wt[i] >= 1) continue;
        const gx = clamp((x + 0.5) / 2 - 0.5, 0, g.w - 1);
        const x0 = Math.floor(gx);
        const x1 = Math.min(g.w - 1, x0 + 1);
        const tx = gx - x0;
        for (let c = 0; c < 3; c++) {
          const top = lerp(g.val[(y0 * g.w + x0) * 3 + c], g.val[(y0 * g.w + x1) * 3 + c], tx);
          const bottom = lerp(g.val[(y1 * g.w + x0) * 3 + c], g.val[(y1 * g.w + x1) * 3 + c], tx);
          f.val[i * 3 + c] = f.wt[i] * f.val[i * 3 + c] + (1 - f.wt[i]) * lerp(top, bottom, ty);
        }
        f.wt[i] = 1;
      }
    }
  }
  const D = Math.max(W, H);
  const soft = gaussianBlur({ width: W, height: H, channels: 3, data: base.val }, 0.03 * D).data;
  const out = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    const dy = Math.max(oy - y, 0, y - (oy + img.height - 1));
    for (let x = 0; x < W; x++) {
      const dx = Math.max(ox - x, 0, x - (ox + img.width - 1));
      const t = smoothstep(0, 0.05 * D, Math.hypot(dx, dy));
      for (let c = 0, p = (y * W + x) * 3; c < 3; c++, p++) {
        const v = dx === 0 && dy === 0 ? base.val[p] : lerp(base.val[p], soft[p], t);
        out[p] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  }
  return { width: W, height: H, data: out };
}
