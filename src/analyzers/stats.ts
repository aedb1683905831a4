// Small numeric helpers shared by analyzers: histograms over masks, percentiles, clamping.
import type { Plane } from '../media/raster.js';
import type { Box } from '../types.js';

/** A 256-bin luma histogram with the number of samples, for percentile and share queries. */
export interface Histogram {
  bins: Uint32Array;
  count: number;
}

export function emptyHistogram(): Histogram {
  return { bins: new Uint32Array(256), count: 0 };
}

/** Histogram of the plane's values (clamped to 0..255) for pixels where `include(x, y)` holds. */
export function histogramWhere(plane: Plane, include?: (x: number, y: number) => boolean, bounds?: Box): Histogram {
  const h = emptyHistogram();
  const x0 = bounds ? Math.max(0, Math.floor(bounds.x)) : 0;
  const y0 = bounds ? Math.max(0, Math.floor(bounds.y)) : 0;
  const x1 = bounds ? Math.min(plane.width, Math.ceil(bounds.x + bounds.width)) : plane.width;
  const y1 = bounds ? Math.min(plane.height, Math.ceil(bounds.y + bounds.height)) : plane.height;
  const { data, width } = plane;
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    for (let x = x0; x < x1; x++) {
      if (include && !include(x, y)) continue;
      const v = data[row + x];
      h.bins[v <= 0 ? 0 : v >= 255 ? 255 : v | 0]++;
      h.count++;
    }
  }
  return h;
}

/** Histogram over an axis-aligned rectangle (clipped to the plane). */
export function histogramRect(plane: Plane, b: Box): Histogram {
  return histogramSpans(plane, Math.floor(b.y), Math.ceil(b.y + b.height), b.x, b.x + b.width);
}

/** Histogram over an ellipse given by centre and radii (clipped to the plane). */
export function histogramEllipse(plane: Plane, cx: number, cy: number, rx: number, ry: number): Histogram {
  return histogramSpans(plane, Math.floor(cy - ry), Math.ceil(cy + ry), 0, 0, { cx, cy, rx, ry });
}

interface Ellipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
}

/**
 * Row-span rasteriser behind the shape histograms: one span per row, no per-pixel callbacks.
 * Each row spans [left, right), or the ellipse's chord when one is given. (Plain parameters, not
 * a span callback: a closure made per call is compiled anew by V8 after every garbage collection.)
 */
function histogramSpans(plane: Plane, y0: number, y1: number, left: number, right: number, ellipse?: Ellipse): Histogram {
  const h = emptyHistogram();
  const sub = new Uint32Array(4 * 256);
  const { data, width } = plane;
  for (let y = Math.max(0, y0); y < Math.min(plane.height, y1); y++) {
    let a = left;
    let b = right;
    if (ellipse) {
      const v = (y + 0.5 - ellipse.cy) / ellipse.ry;
      const half = v * v >= 1 ? -1 : ellipse.rx * Math.sqrt(1 - v * v);
      a = ellipse.cx - half;
      b = ellipse.cx + half;
    }
    const xa = Math.max(0, Math.ceil(a - 0.5));
    const xb = Math.min(width, Math.floor(b - 0.5) + 1);
    const row = y * width;
    if (xb > xa) {
      binRun(data, row + xa, row + xb, 1, sub);
      h.count += xb - xa;
    }
  }
  mergeSubHistograms(sub, h.bins);
  return h;
}

/**
 * Adds data[i] for i = start, start + step, … < end to four interleaved sub-histograms (`sub`,
 * 4 × 256 bins; values clamped to 0..255 and truncated). Neighbouring pixels mostly share a bin,
 * and incrementing one counter back to back stalls on its own store; four counters do not.
 */
export function binRun(data: Float32Array, start: number, end: number, step: number, sub: Uint32Array): void {
  let i = start;
  for (const s4 = 4 * step; i + 3 * step < end; i += s4) {
    const v0 = data[i];
    const v1 = data[i + step];
    const v2 = data[i + 2 * step];
    const v3 = data[i + 3 * step];
    sub[v0 <= 0 ? 0 : v0 >= 255 ? 255 : v0 | 0]++;
    sub[256 + (v1 <= 0 ? 0 : v1 >= 255 ? 255 : v1 | 0)]++;
    sub[512 + (v2 <= 0 ? 0 : v2 >= 255 ? 255 : v2 | 0)]++;
    sub[768 + (v3 <= 0 ? 0 : v3 >= 255 ? 255 : v3 | 0)]++;
  }
  for (; i < end; i += step) {
    const v = data[i];
    sub[v <= 0 ? 0 : v >= 255 ? 255 : v | 0]++;
  }
}

/** Adds the four sub-histograms of binRun() into `bins`. */
export function mergeSubHistograms(sub: Uint32Array, bins: Uint32Array): void {
  for (let b = 0; b < 256; b++) bins[b] += sub[b] + sub[256 + b] + sub[512 + b] + sub[768 + b];
}

/** a − b, for histograms where b's samples are a subset of a's (e.g. frame minus a region). */
export function histogramMinus(a: Histogram, b: Histogram): Histogram {
  const out = emptyHistogram();
  for (let i = 0; i < 256; i++) out.bins[i] = a.bins[i] - b.bins[i];
  out.count = a.count - b.count;
  return out;
}

/** Value below which `q` (0..1) of the samples fall; NaN for an empty histogram. */
export function percentile(h: Histogram, q: number): number {
  if (h.count === 0) return NaN;
  const target = q * (h.count - 1);
  let acc = 0;
  for (let i = 0; i < 256; i++) {
    acc += h.bins[i];
    if (acc > target) return i;
  }
  return 255;
}

/** Share of samples at or above `level`. */
export function shareAtLeast(h: Histogram, level: number): number {
  if (h.count === 0) return NaN;
  let n = 0;
  for (let i = Math.max(0, Math.ceil(level)); i < 256; i++) n += h.bins[i];
  return n / h.count;
}

/** Share of samples at or below `level`. */
export function shareAtMost(h: Histogram, level: number): number {
  if (h.count === 0) return NaN;
  let n = 0;
  for (let i = 0; i <= Math.min(255, Math.floor(level)); i++) n += h.bins[i];
  return n / h.count;
}

export function mean(h: Histogram): number {
  if (h.count === 0) return NaN;
  let s = 0;
  for (let i = 0; i < 256; i++) s += i * h.bins[i];
  return s / h.count;
}

export function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Round for output: keeps JSON readable without losing meaningful precision. */
export function round(v: number, digits = 3): number {
  if (!Number.isFinite(v)) return v;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
