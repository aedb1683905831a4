// flicker in a still: mains-powered lights pulse at 100/120 Hz and a rolling shutter turns that
// into horizontal bands — one sinusoidal row-brightness component, multiplicative (so additive in
// log-luma), the same in every column of the frame, with at least a few cycles per frame.
//
// The band profile is estimated from the vertical gradient of log-luma, taking at each row the
// *median* over columns: scene edges (a chin, a shoulder, a shirt stripe, a flag) occupy some
// columns only and are voted out, while the bands move every column alike. Before that, thin
// horizontal lines (a ruled or tiled background) are removed by a short running median down each
// column, and the face is left out: eyes, brows and mouth are rows of structure that span most of
// a close-up's width. Differencing flattens the scene's spectrum, so a smooth vertical gradient
// (sky, vignetting, a lamp above) becomes a near-constant that the detrend removes. The bands
// are then judged on:
//   - periodicity: how much of the band profile's variance one sinusoid explains;
//   - prominence: its power above the power-law fall-off of the row spectrum;
//   - coherence: the share of vertical strips whose own profile carries the same sinusoid in
//     phase (a striped flag or blind covers part of the width only).
import type { Analyzer } from './analyzer.js';
import { findingIf, grade } from './analyzer.js';
import type { AnalysisContext } from './context.js';
import type { Plane } from '../media/raster.js';
import type { Box } from '../types.js';
import { round } from './stats.js';

/** Vertical strips the frame is split into (fewer on narrow frames); bands must show in most. */
const MAX_STRIPS = 8;
/** A strip is at least this many pixels wide, so its median gradient is not just noise. */
const MIN_STRIP_WIDTH = 24;
/** Columns of blocks per strip whose gradients are median-combined. */
const COLUMNS_PER_STRIP = 12;
/** Rows are averaged down to at most this many samples. */
const PROFILE_ROWS = 120;
/**
 * Searched band, cycles per frame height: 100/120 Hz light read out by a rolling shutter gives
 * 2·mains·readout periods. Phone and webcam sensors streaming at 30 fps read a frame in 20–45 ms
 * (2–5.4 periods); slow readouts reach ~10, and 24 allows very slow ones. Below ~2 periods the
 * bands are a gradient the scene's own light makes as well.
 */
const MIN_CYCLES = 1.9;
const MAX_CYCLES = 24;
/** Profile samples per cycle at least (the despiking median must leave the bands intact). */
const MIN_ROWS_PER_CYCLE = 5;
/** Frequency step of the scan, cycles per frame; refined around the chosen peak. */
const STEP = 0.25;
/** Spectral peaks (of the whole-width profile) checked strip by strip before one is chosen. */
const CANDIDATES = 3;
/** Pixels at or above this luma are clipped and carry no modulation; below the floor, only noise. */
const CLIP = 250;
const FLOOR = 6;
/** The power-law background is fitted outside ±this factor around the peak frequency. */
const PEAK_GUARD = 1.3;
/** Polynomial degree removed from the gradient profiles (slow trends of the brightness slope). */
const TREND_DEGREE = 2;
/** A strip counts only if this share of its rows has usable (unmasked, unclipped) blocks. */
const MIN_STRIP_ROWS = 0.4;
/**
 * JPEG and video codecs work in 8- and 16-row blocks, and their block edges are steps that run
 * the full width: a perfectly coherent "band" at H/16 cycles and its harmonics (H = source rows).
 * Frequencies within ±this many cycles of those are not searched.
 */
const CODEC_BLOCK_ROWS = 16;
const CODEC_NOTCH = 0.4;

export interface BandingMeasure {
  /** Sinusoid amplitude of the band pattern in natural-log luma (≈ relative brightness modulation). */
  amplitude: number;
  /** Cycles per frame height of the strongest component. */
  cyclesPerFrame: number;
  /** Share of usable vertical strips that carry the bands themselves, in phase. */
  coherence: number;
  /** Peak power ÷ the power-law fit of the row spectrum at the peak frequency. */
  prominence: number;
  /**
   * Phase (radians) of the bands: the log-luma row profile is ≈
   * amplitude·cos(2π·cyclesPerFrame·y/H + phase), y the row from the top, H the frame height.
   * Video uses its drift between frames.
   */
  phase: number;
  /** Share of the whole-width band profile's (detrended) variance that the sinusoid explains. */
  periodicity: number;
}

export interface BandingOptions {
  /** Source-image rows per row of `luma` (≥ 1), to place the codec block grid. Default 1. */
  scale?: number;
  /**
   * Regions (in `luma` pixels) left out of the measure: the face and hair, whose brows, eyes and
   * mouth are rows of structure spanning most of a close-up's width. The bands are read from
   * the background and clothing beside and below them.
   */
  exclude?: Box[];
}

/** A gradient profile with the rows that carry data (weight 1) and its trend basis over them. */
interface Profile {
  v: Float64Array;
  w: Float64Array;
  /** Orthonormal (under w) polynomial basis; v has been made orthogonal to it. */
  trend: Float64Array[];
  /** Σ w·v², the detrended profile's energy. */
  energy: number;
}

const NONE: BandingMeasure = { amplitude: 0, cyclesPerFrame: 0, coherence: 0, prominence: 0, phase: 0, periodicity: 0 };

/**
 * Measure horizontal banding in one frame's luma. Pure; used for stills here and per frame by
 * the video analyzer.
 */
export function measureBanding(luma: Plane, opts: BandingOptions = {}): BandingMeasure {
  const n = Math.min(luma.height, PROFILE_ROWS);
  if (n < 24 || luma.width < 16) return NONE;
  const maxCycles = Math.min(MAX_CYCLES, n / MIN_ROWS_PER_CYCLE);
  if (maxCycles <= MIN_CYCLES) return NONE;
  const { all, strips, stripTotal } = gradientProfiles(luma, n, opts.exclude ?? []);
  // Strips that are mostly clipped or black are left out; the rest must be most of the frame.
  if (!all || strips.length < Math.max(2, 0.5 * stripTotal)) return NONE;
  const blockCycles = (luma.height * (opts.scale ?? 1)) / CODEC_BLOCK_ROWS;
  const nearBlock = (c: number) => {
    const harmonic = Math.round(c / blockCycles);
    return harmonic >= 1 && Math.abs(c - harmonic * blockCycles) < CODEC_NOTCH;
  };

  // Periodogram of the whole-width profile.
  const ks: number[] = [];
  const fits: SinusoidFit[] = [];
  for (let c = MIN_CYCLES; c <= maxCycles + 1e-9; c += STEP) {
    if (nearBlock(c)) continue;
    ks.push(c);
    fits.push(fitSinusoid(all, c, n));
  }
  if (ks.length < 4) return NONE;
  const power = fits.map((f) => f.a * f.a + f.b * f.b);

  // The strongest few local maxima are the candidates; scene structure is strongest at low
  // frequencies but confined to some strips, bands explain much of the profile in every strip.
  const peaks: number[] = [];
  for (let i = 0; i < ks.length; i++) {
    if ((i === 0 || power[i] >= power[i - 1]) && (i === ks.length - 1 || power[i] >= power[i + 1])) peaks.push(i);
  }
  peaks.sort((a, b) => power[b] - power[a]);
  let best = { k: ks[0], fit: fits[0], agreeing: 0, score: -1 };
  for (const i of peaks.slice(0, CANDIDATES)) {
    let k = ks[i];
    let fit = fits[i];
    for (let c = ks[i] - STEP; c <= ks[i] + STEP + 1e-9; c += STEP / 4) {
      if (c < MIN_CYCLES || c > maxCycles || nearBlock(c)) continue;
      const f = fitSinusoid(all, c, n);
      if (f.r2 > fit.r2) {
        fit = f;
        k = c;
      }
    }
    const agreeing = agreeingStrips(strips, k, n, fit);
    const score = fit.r2 * (agreeing / strips.length);
    if (score > best.score) best = { k, fit, agreeing, score };
  }

  const { k, fit } = best;
  const gradAmp = Math.hypot(fit.a, fit.b);
  const prominence = (gradAmp * gradAmp) / powerLaw(ks, power, k)(k);
  // With samples at rows (s + ½)·H/n, a band profile A·cos(ω(s + ½) + φ), ω = 2πk/n, reads
  // A·cos(2πk·y/H + φ) in rows. Its step from s to s+1 is 2A·sin(ω/2)·cos(ω(s + 1) + φ + π/2),
  // and the basis sits at s + 1: undo the gain and the quarter-period shift.
  const w = (2 * Math.PI * k) / n;
  return {
    amplitude: gradAmp / (2 * Math.sin(w / 2)),
    cyclesPerFrame: round(k, 3),
    coherence: best.agreeing / strips.length,
    prominence,
    phase: wrap(Math.atan2(-fit.b, fit.a) - Math.PI / 2),
    periodicity: fit.r2,
  };
}

/**
 * Block means of log-luma on a grid of n rows × (strips · COLUMNS_PER_STRIP) columns (clipped and
 * black pixels left out), despiked down each column; then the median over columns of the step
 * between successive rows — for the whole width and per strip.
 */
function gradientProfiles(luma: Plane, n: number, exclude: Box[]): { all?: Profile; strips: Profile[]; stripTotal: number } {
  const { width, height, data } = luma;
  const stripTotal = Math.max(4, Math.min(MAX_STRIPS, Math.floor(width / MIN_STRIP_WIDTH)));
  const cols = Math.min(width, stripTotal * COLUMNS_PER_STRIP);
  const edges = new Int32Array(cols + 1);
  for (let c = 0; c <= cols; c++) edges[c] = Math.floor((c * width) / cols);
  // Block means need only a sample of their pixels: every other column on wide frames, and
  // rows spread evenly over each block.
  const xStep = width >= 4 * cols ? 2 : 1;
  const yStep = Math.max(1, Math.floor(height / n / 3));
  const sums = new Float64Array(n * cols);
  const counts = new Float64Array(n * cols);
  const totals = new Float64Array(n * cols);
  for (let y = 0; y < height; y += yStep) {
    const base = Math.min(n - 1, Math.floor((y * n) / height)) * cols;
    const row = y * width;
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      let count = 0;
      let total = 0;
      for (let x = edges[c]; x < edges[c + 1]; x += xStep) {
        const v = data[row + x];
        total++;
        if (v < CLIP && v > FLOOR) {
          sum += v;
          count++;
        }
      }
      sums[base + c] += sum;
      counts[base + c] += count;
      totals[base + c] += total;
    }
  }
  const raw = new Float64Array(n * cols);
  for (let j = 0; j < n * cols; j++) raw[j] = counts[j] >= 0.5 * totals[j] && counts[j] > 0 ? Math.log(sums[j] / counts[j]) : NaN;
  // Blocks whose centre lies in an excluded region carry no data.
  const excluded = new Uint8Array(n * cols);
  for (const b of exclude) {
    for (let i = 0; i < n; i++) {
      const yc = ((i + 0.5) * height) / n;
      if (yc < b.y || yc >= b.y + b.height) continue;
      for (let c = 0; c < cols; c++) {
        const xc = 0.5 * (edges[c] + edges[c + 1]);
        if (xc >= b.x && xc < b.x + b.width) {
          raw[i * cols + c] = NaN;
          excluded[i * cols + c] = 1;
        }
      }
    }
  }
  // Strips mostly behind an excluded region are not expected to carry a profile.
  let blocked = 0;
  for (let s = 0; s < stripTotal; s++) {
    const c0 = Math.floor((s * cols) / stripTotal);
    const c1 = Math.floor(((s + 1) * cols) / stripTotal);
    let open = 0;
    for (let i = 0; i < n; i++) {
      let free = 0;
      for (let c = c0; c < c1; c++) free += 1 - excluded[i * cols + c];
      if (free >= Math.max(2, (c1 - c0) / 3)) open++;
    }
    if (open < MIN_STRIP_ROWS * n) blocked++;
  }
  const logMean = despike(raw, n, cols);

  const len = n - 1;
  const grad = new Float64Array(len * cols);
  for (let i = 0; i < len * cols; i++) grad[i] = logMean[i + cols] - logMean[i];
  const allV = new Float64Array(len);
  const allW = new Float64Array(len);
  const stripV = Array.from({ length: stripTotal }, () => new Float64Array(len));
  const stripW = Array.from({ length: stripTotal }, () => new Float64Array(len));
  const vals = new Float64Array(cols);
  for (let i = 0; i < len; i++) {
    let m = 0;
    for (let s = 0; s < stripTotal; s++) {
      const c0 = Math.floor((s * cols) / stripTotal);
      const c1 = Math.floor(((s + 1) * cols) / stripTotal);
      const start = m;
      for (let c = c0; c < c1; c++) {
        const d = grad[i * cols + c];
        if (Number.isNaN(d)) continue;
        vals[m++] = d;
      }
      if (m - start >= Math.max(2, (c1 - c0) / 3)) {
        stripV[s][i] = medianOf(vals, start, m);
        stripW[s][i] = 1;
      }
    }
    let free = 0;
    for (let c = 0; c < cols; c++) free += 1 - excluded[Math.min(n - 1, i + 1) * cols + c] * excluded[i * cols + c];
    if (m >= Math.max(3, free / 4)) {
      allV[i] = medianOf(vals, 0, m);
      allW[i] = 1;
    }
  }
  const strips: Profile[] = [];
  for (let s = 0; s < stripTotal; s++) {
    const p = makeProfile(stripV[s], stripW[s]);
    if (p) strips.push(p);
  }
  return { all: makeProfile(allV, allW), strips, stripTotal: stripTotal - blocked };
}

/** A detrended profile, or undefined when too few of its rows carry data. */
function makeProfile(v: Float64Array, w: Float64Array): Profile | undefined {
  let used = 0;
  for (let i = 0; i < w.length; i++) used += w[i];
  if (used < MIN_STRIP_ROWS * w.length || used < 16) return undefined;
  const trend = trendBasis(w);
  project(v, w, trend);
  let energy = 0;
  for (let i = 0; i < v.length; i++) energy += w[i] * v[i] * v[i];
  return { v, w, trend, energy };
}

/** Polynomial basis (degree ≤ TREND_DEGREE), orthonormal under the row weights. */
function trendBasis(w: Float64Array): Float64Array[] {
  const n = w.length;
  const basis: Float64Array[] = [];
  for (let d = 0; d <= TREND_DEGREE; d++) {
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) b[i] = Math.pow((2 * i) / Math.max(1, n - 1) - 1, d);
    project(b, w, basis);
    let norm = 0;
    for (let i = 0; i < n; i++) norm += w[i] * b[i] * b[i];
    norm = Math.sqrt(norm) || 1;
    for (let i = 0; i < n; i++) b[i] /= norm;
    basis.push(b);
  }
  return basis;
}

/** Make v orthogonal (under weights w) to every vector of an orthonormal basis. */
function project(v: Float64Array, w: Float64Array, basis: Float64Array[]): void {
  for (const q of basis) {
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += w[i] * v[i] * q[i];
    for (let i = 0; i < v.length; i++) v[i] -= dot * q[i];
  }
}

/**
 * Running median of three rows down each column: thin horizontal lines (a grid or ruled
 * background, a window frame) are removed, smooth bands pass nearly unchanged.
 */
function despike(v: Float64Array, n: number, cols: number): Float64Array {
  const out = new Float64Array(v.length);
  for (let c = 0; c < cols; c++) {
    for (let i = 0; i < n; i++) {
      const b = v[i * cols + c];
      const a = i > 0 ? v[(i - 1) * cols + c] : NaN;
      const d = i < n - 1 ? v[(i + 1) * cols + c] : NaN;
      if (Number.isNaN(b) || Number.isNaN(a) || Number.isNaN(d)) out[i * cols + c] = b;
      else out[i * cols + c] = Math.max(Math.min(a, b), Math.min(Math.max(a, b), d));
    }
  }
  return out;
}

/** Median of v[start..end) (reorders that range): quickselect, the ranges are up to ~100 long. */
function medianOf(v: Float64Array, start: number, end: number): number {
  const m = end - start;
  const k = start + (m >> 1);
  const hi = select(v, start, end - 1, k);
  if (m % 2) return hi;
  // Even count: the lower middle is the largest value left of k after selection.
  let lo = -Infinity;
  for (let i = start; i < k; i++) if (v[i] > lo) lo = v[i];
  return 0.5 * (lo + hi);
}

/** Hoare quickselect: afterwards v[k] holds the value of rank k in v[l..r], smaller ones left of it. */
function select(v: Float64Array, l: number, r: number, k: number): number {
  while (r > l) {
    const pivot = v[(l + r) >> 1];
    let i = l;
    let j = r;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else break;
  }
  return v[k];
}

interface SinusoidFit {
  /** Coefficients of cos and sin. */
  a: number;
  b: number;
  /** Share of the profile's (weighted) variance the fit explains. */
  r2: number;
}

/**
 * Weighted least-squares fit of a·cos + b·sin at `cycles` per n samples, the basis detrended
 * like the profile. Step i lies between samples i and i+1, i.e. at sample position i + 1
 * (samples sit at their centres j + ½). 2×2 normal equations: the basis is not orthogonal at
 * fractional cycles. One pass, no allocation: the profile is already orthogonal to the trend,
 * so only the Gram matrix needs the detrended basis, i.e. the raw sums less the trend's share.
 */
function fitSinusoid(p: Profile, cycles: number, n: number): SinusoidFit {
  const len = p.v.length;
  const w = (2 * Math.PI * cycles) / n;
  const cw = Math.cos(w);
  const sw = Math.sin(w);
  let c = cw; // cos(w·(i+1)) by rotation
  let s = sw;
  let cc = 0, ss = 0, cs = 0, yc = 0, ys = 0;
  const qc = [0, 0, 0, 0];
  const qs = [0, 0, 0, 0];
  const trend = p.trend;
  for (let i = 0; i < len; i++) {
    if (p.w[i] !== 0) {
      const y = p.v[i];
      cc += c * c;
      ss += s * s;
      cs += c * s;
      yc += y * c;
      ys += y * s;
      for (let t = 0; t < trend.length; t++) {
        qc[t] += trend[t][i] * c;
        qs[t] += trend[t][i] * s;
      }
    }
    const nc = c * cw - s * sw;
    s = s * cw + c * sw;
    c = nc;
  }
  for (let t = 0; t < trend.length; t++) {
    cc -= qc[t] * qc[t];
    ss -= qs[t] * qs[t];
    cs -= qc[t] * qs[t];
  }
  const det = cc * ss - cs * cs;
  if (!(det > 1e-12) || !(p.energy > 0)) return { a: 0, b: 0, r2: 0 };
  const a = (ss * yc - cs * ys) / det;
  const b = (cc * ys - cs * yc) / det;
  return { a, b, r2: Math.max(0, Math.min(1, (a * yc + b * ys) / p.energy)) };
}

/**
 * Strips whose own profile carries the common wave: in phase (within 60°) and with a fair part
 * of its strength along it. The strength itself varies with brightness and clipping, the phase
 * of real bands does not.
 */
function agreeingStrips(strips: Profile[], cycles: number, n: number, common: SinusoidFit): number {
  const amp = Math.hypot(common.a, common.b);
  if (amp <= 0) return 0;
  let count = 0;
  for (const p of strips) {
    const f = fitSinusoid(p, cycles, n);
    const own = Math.hypot(f.a, f.b);
    const along = (f.a * common.a + f.b * common.b) / amp;
    if (along >= 0.3 * amp && along >= 0.5 * own) count++;
  }
  return count;
}

function wrap(a: number): number {
  return Math.atan2(Math.sin(a), Math.cos(a));
}

/**
 * Natural scenes have row spectra that fall off roughly as a power of frequency. Fit log power
 * against log frequency (leaving out ±PEAK_GUARD around `exclude`) and return the fit.
 */
function powerLaw(ks: number[], power: number[], exclude: number): (k: number) => number {
  let sx = 0, sy = 0, sxx = 0, sxy = 0, m = 0;
  for (let i = 0; i < ks.length; i++) {
    if (ks[i] > exclude / PEAK_GUARD && ks[i] < exclude * PEAK_GUARD) continue;
    const x = Math.log(ks[i]);
    const y = Math.log(Math.max(1e-18, power[i]));
    sx += x; sy += y; sxx += x * x; sxy += x * y; m++;
  }
  if (m < 4) {
    const flat = Math.max(1e-18, [...power].sort((a, b) => a - b)[power.length >> 1] ?? 0);
    return () => flat;
  }
  const slope = (m * sxy - sx * sy) / Math.max(1e-12, m * sxx - sx * sx);
  const icpt = (sy - slope * sx) / m;
  return (k: number) => Math.max(1e-18, Math.exp(icpt + slope * Math.log(k)));
}

export const flickerAnalyzer: Analyzer = {
  id: 'flicker',
  description: 'Rolling-shutter banding from mains-powered lights: a coherent periodic row-brightness pattern.',
  codes: ['flicker'],
  requires: ['faces'],
  analyze(ctx: AnalysisContext) {
    // The faces (brows, eyes, nostrils and mouth: rows of structure) are left out, see BandingOptions.
    const exclude = ctx.faces.map((f) => ({ x: f.box.x - 0.1 * f.box.width, y: f.box.y - 0.1 * f.box.height, width: 1.2 * f.box.width, height: 1.2 * f.box.height }));
    const m = measureBanding(ctx.luma, { scale: ctx.scale, exclude });
    const measured = {
      amplitude: round(m.amplitude, 4),
      cyclesPerFrame: m.cyclesPerFrame,
      coherence: round(m.coherence, 3),
      prominence: round(m.prominence, 2),
      periodicity: round(m.periodicity, 3),
    };
    const metrics = {
      'flicker.amplitude': measured.amplitude,
      'flicker.cyclesPerFrame': measured.cyclesPerFrame,
      'flicker.coherence': measured.coherence,
      'flicker.prominence': measured.prominence,
      'flicker.periodicity': measured.periodicity,
    };
    const banded =
      m.coherence >= ctx.t('flicker.minCoherence') &&
      m.prominence >= ctx.t('flicker.minProminence') &&
      m.periodicity >= ctx.t('flicker.minPeriodicity');
    const g = banded ? grade(m.amplitude, ctx.t('flicker.amplitude.warn'), ctx.t('flicker.amplitude.fail'), 'above', Math.min(1, m.coherence + 0.1)) : undefined;
    const findings = findingIf(
      'flicker',
      g,
      measured,
      {
        amplitudeWarn: ctx.t('flicker.amplitude.warn'),
        amplitudeFail: ctx.t('flicker.amplitude.fail'),
        minCoherence: ctx.t('flicker.minCoherence'),
        minProminence: ctx.t('flicker.minProminence'),
        minPeriodicity: ctx.t('flicker.minPeriodicity'),
      },
      { region: { label: 'banding', box: { x: 0, y: 0, width: ctx.image.width, height: ctx.image.height } } },
    );
    return { metrics, findings };
  },
};
