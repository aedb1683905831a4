// Was the face enlarged from a smaller picture? An upload that was shrunk (a chat app, a
// thumbnail) and scaled back up has as many pixels as a good photo but none of the detail.
// Interpolation leaves a fingerprint (after Popescu & Farid, "Exposing digital forgeries by
// detecting traces of resampling", 2005): every new pixel is a fixed blend of the same few
// old ones, so the local second difference rises and falls with the period of the old pixel grid.
// Averaged along rows (columns), that period shows as one sharp peak in the spectrum of the
// profile, in both directions at the same frequency. Optical blur has no such period.
import type { AnalysisContext } from './context.js';
import type { Plane } from '../media/raster.js';
import { headBoxOf } from './subject.js';

export interface Upscale {
  /** How many file pixels one captured pixel became (≥ 2). */
  factor: number;
  /** Peak height over the median of the searched band, weaker direction. */
  prominence: number;
}

/** Longest profile analysed; the centre of a larger head is used, never resampled (that would blur the fingerprint). */
const MAX_SPAN = 320;
/** Interpolation periods searched, in working pixels. */
const MIN_PERIOD = 2.2;
const MAX_PERIOD = 12;

/** Mean |second difference| along x for each column (horizontal = true) or along y for each row. */
function residualProfile(p: Plane, x0: number, y0: number, x1: number, y1: number, horizontal: boolean): Float64Array {
  const { width: w, data } = p;
  const n = horizontal ? x1 - x0 : y1 - y0;
  const prof = new Float64Array(n);
  if (horizontal) {
    // Every other row is plenty: all rows share the old grid's phase along x.
    for (let y = y0; y < y1; y += 2) {
      const row = y * w;
      for (let x = Math.max(1, x0); x < Math.min(w - 1, x1); x++) {
        const i = row + x;
        prof[x - x0] += Math.abs(data[i - 1] - 2 * data[i] + data[i + 1]);
      }
    }
  } else {
    for (let y = Math.max(1, y0); y < Math.min(p.height - 1, y1); y++) {
      for (let x = x0; x < x1; x += 2) {
        const i = y * w + x;
        prof[y - y0] += Math.abs(data[i - w] - 2 * data[i] + data[i + w]);
      }
    }
  }
  return prof;
}

/** Strongest periodic component of a profile within the searched periods: its frequency and prominence. */
function periodicPeak(prof: Float64Array, excluded: number[]): { freq: number; prominence: number } | undefined {
  const n = prof.length;
  let mean = 0;
  for (const v of prof) mean += v;
  mean /= n;
  const kLo = Math.max(2, Math.ceil(n / MAX_PERIOD));
  const kHi = Math.min(Math.floor(n / 2) - 1, Math.floor(n / MIN_PERIOD));
  if (kHi - kLo < 8) return undefined;
  // Goertzel's recurrence: one multiply-add per sample and frequency, no trigonometry in the loop.
  const mags: number[] = [];
  for (let k = kLo; k <= kHi; k++) {
    const coeff = 2 * Math.cos((2 * Math.PI * k) / n);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const s0 = prof[i] - mean + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    mags.push(Math.sqrt(Math.max(0, s1 * s1 + s2 * s2 - coeff * s1 * s2)));
  }
  // A grid gives one sharp line; face structure gives broad bumps that rise towards low
  // frequencies. So each candidate is compared with the median of its own neighbourhood
  // (frequencies within ±30 %, the line's own ±2 bins left out).
  let best: { freq: number; prominence: number } | undefined;
  // One buffer for every neighbourhood; a typed array sorts numerically without a comparator.
  const buf = new Float64Array(mags.length);
  for (let i = 0; i < mags.length; i++) {
    const k = kLo + i;
    const f = k / n;
    if (excluded.some((e) => Math.abs(f - e) <= 1.5 / n)) continue;
    let m = 0;
    for (let j = 0; j < mags.length; j++) {
      const kj = kLo + j;
      if (Math.abs(kj - k) > 2 && kj >= k / 1.3 && kj <= k * 1.3) buf[m++] = mags[j];
    }
    if (m < 4) continue;
    const around = buf.subarray(0, m).sort();
    const prominence = mags[i] / (around[m >> 1] || 1e-9);
    if (!best || prominence > best.prominence) best = { freq: f, prominence };
  }
  return best;
}

/**
 * Mean |second difference| at lag 1 over that at lag k, times k² (rows and columns, every other
 * line). A picture enlarged k× is smooth between its old pixels: its second differences grow with
 * the square of the lag, so the ratio stays near 1–4 (JPEG and noise added after the enlargement
 * lift it a little). A picture that was never enlarged has detail at every scale and reads far
 * higher. It tells a true interpolation grid from a fine periodic texture in the scene (a
 * halftone print, a fabric weave) that also shows one spectral line in both directions.
 */
export function fineDetailRatio(p: Plane, x0: number, y0: number, x1: number, y1: number, k: number): number {
  const { width: w, data } = p;
  let fine = 0;
  let coarse = 0;
  for (let y = y0 + k; y < y1 - k; y += 2) {
    for (let x = x0 + k; x < x1 - k; x += 2) {
      const i = y * w + x;
      const c2 = 2 * data[i];
      fine += Math.abs(data[i - 1] - c2 + data[i + 1]) + Math.abs(data[i - w] - c2 + data[i + w]);
      coarse += Math.abs(data[i - k] - c2 + data[i + k]) + Math.abs(data[i - k * w] - c2 + data[i + k * w]);
    }
  }
  return coarse > 0 ? (fine * k * k) / coarse : Infinity;
}

export function measureUpscale(
  luma: Plane,
  region: { x0: number; y0: number; x1: number; y1: number },
  scale: number,
  limits: { minProminence: number; maxDetail: number },
): Upscale | undefined {
  region = {
    x0: Math.max(1, region.x0),
    y0: Math.max(1, region.y0),
    x1: Math.min(luma.width - 1, region.x1),
    y1: Math.min(luma.height - 1, region.y1),
  };
  const cx = (region.x0 + region.x1) / 2;
  const cy = (region.y0 + region.y1) / 2;
  const half = (len: number) => Math.min(len, MAX_SPAN) / 2;
  const x0 = Math.max(1, Math.round(cx - half(region.x1 - region.x0)));
  const x1 = Math.min(luma.width - 1, Math.round(cx + half(region.x1 - region.x0)));
  const y0 = Math.max(1, Math.round(cy - half(region.y1 - region.y0)));
  const y1 = Math.min(luma.height - 1, Math.round(cy + half(region.y1 - region.y0)));
  if (x1 - x0 < 48 || y1 - y0 < 48) return undefined;
  // The file's own JPEG blocks repeat every 8 file pixels (8/scale working pixels): not an upscale.
  const excluded: number[] = [];
  for (let m = 1; m <= 4; m++) excluded.push((m * scale) / 8);
  const h = periodicPeak(residualProfile(luma, x0, y0, x1, y1, true), excluded);
  const v = periodicPeak(residualProfile(luma, x0, y0, x1, y1, false), excluded);
  if (!h || !v) return undefined;
  // One old pixel grid: both directions show the same period.
  if (Math.abs(h.freq - v.freq) > 0.12 * Math.max(h.freq, v.freq)) return undefined;
  const prominence = Math.min(h.prominence, v.prominence);
  if (prominence < limits.minProminence) return undefined;
  const period = 2 / (h.freq + v.freq);
  // A grid in a picture with detail finer than the grid allows is scene texture, not an enlargement.
  if (fineDetailRatio(luma, x0, y0, x1, y1, Math.max(2, Math.round(period))) > limits.maxDetail) return undefined;
  return { factor: period * scale, prominence };
}

/**
 * The frame around the subject's face, checked for an interpolation grid. An upload is enlarged as
 * a whole, so the window reaches beyond the head (up to the analysed span): more rows and columns
 * average out the face's own structure and leave the grid.
 */
export function detectUpscale(ctx: AnalysisContext): Upscale | undefined {
  const g = ctx.subject.geometry;
  if (!g) return undefined;
  const hb = headBoxOf(g.face.box);
  const cx = hb.x + hb.width / 2;
  const cy = hb.y + hb.height / 2;
  const half = Math.max(hb.width, hb.height, MAX_SPAN) / 2;
  return measureUpscale(ctx.luma, { x0: cx - half, y0: cy - half, x1: cx + half, y1: cy + half }, ctx.scale, {
    minProminence: ctx.t('resolution.upscaleProminence'),
    maxDetail: ctx.t('resolution.upscaleMaxDetail'),
  });
}
