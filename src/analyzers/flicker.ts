// flicker in a still: mains-powered lights pulse at 100/120 Hz and a rolling shutter turns that
// into horizontal bands — one sinusoidal row-brightness component, multiplicative (so additive in
// log-luma), the same in every column of the frame, face included, with at least a few cycles per
// frame and the same strength from the top of the frame to the bottom.
//
// The band profile is estimated from the vertical gradient of log-luma, taking at each row a
// robust *mode* (the mean of the densest third) of the column-block gradients: scene edges (a chin, a shoulder, a
// shirt stripe, a flag) occupy some columns only and scatter, while the bands move every column
// alike, so the columns that are locally smooth — wall, skin, shirt — agree on the band gradient
// even when the face covers most of the width (a median would follow the face's rows there).
// Rows are weighted by how closely those columns agree: rows through the eyes, mouth or a
// hairline carry the scene's own horizontal edges across much of the width and count less.
// Differencing flattens the scene's spectrum, so a smooth vertical gradient (sky, vignetting, a
// lamp above) becomes a near-constant that the detrend removes. The bands are then judged on:
//   - periodicity: how much of the band profile's variance one sinusoid explains;
//   - prominence: its power above the power-law fall-off of the row spectrum;
//   - coherence: the share of vertical strips whose own profile carries the same sinusoid in
//     phase (a striped flag or blind covers part of the width only);
//   - evenness: the sinusoid's strength in each quarter of the frame height, the weakest taken
//     (a scene's layout — a bright wall above a dark shirt, a face in the middle — puts its row
//     structure in some rows only; bands are as strong at the top as at the bottom).
import type { Analyzer } from './analyzer.js';
import { findingIf, grade } from './analyzer.js';
import type { AnalysisContext } from './context.js';
import type { Plane } from '../media/raster.js';
import { round } from './stats.js';

/** Vertical strips the frame is split into; bands must show in a fair share of them. */
const STRIPS = 8;
/** Columns of blocks per strip whose gradients are median-combined. */
const COLUMNS_PER_STRIP = 6;
/** Rows are averaged down to at most this many samples. */
const PROFILE_ROWS = 120;
/**
 * Searched band, cycles per frame height: 100/120 Hz light read out by a rolling shutter gives
 * 2·mains·readout periods. Phone and webcam sensors streaming at 30 fps read a frame in 20–45 ms
 * (2–5.4 periods); slow readouts reach ~10, and 12 allows a little more. Below ~2 periods the
 * bands are a gradient the scene's own light makes as well.
 */
const MIN_CYCLES = 1.9;
const MAX_CYCLES = 12;
/** Profile samples per cycle at least. */
const MIN_ROWS_PER_CYCLE = 5;
/** Frequency step of the scan, cycles per frame. */
const STEP = 0.1;
/** Strongest spectral peaks of the whole-width profile examined as band candidates. */
const CANDIDATES = 6;
/** Pixels at or above this luma are clipped and carry no modulation; below the floor, only noise. */
const CLIP = 250;
const FLOOR = 6;
/** The power-law background is fitted outside ±this factor around the peak frequency. */
const PEAK_GUARD = 1.3;
/**
 * Polynomial degree removed from the gradient profiles (slow trends of the brightness slope): 1,
 * a quadratic in brightness. A quadratic slope (cubic brightness) also takes a good share of a
 * 2–3-cycle band out of the profile (tune half 2026-11-27: 73 vs 64 of 96 caught at no more
 * false alarms); smooth scene light is near-quadratic over a frame, and evenness rejects the rest.
 */
const TREND_DEGREE = 1;
/** A profile counts only if this share of its rows has usable (unclipped) blocks. */
const MIN_PROFILE_ROWS = 0.3;
/** Share of the column gradients of a row that the whole-width profile averages: the densest. */
const DENSEST_SHARE = 1 / 3;
/** Height quarters whose band strength evenness compares. */
const QUARTERS = 4;
/** Added to each row's column spread (log-luma step): keeps rows where the columns agree exactly (flat synthetic frames) in. */
const SPREAD_FLOOR = 1e-6;
/** Floor of the evenness factor in the candidate score, so an uneven candidate still ranks by its other merits. */
const MIN_EVENNESS_SCORE = 0.05;
/**
 * Scene edges are spikes in a row-gradient profile (a chin, a collar, a hairline: one or two rows
 * whose step is far larger than the bands'), while the bands' gradient is smooth: a sinusoid of at
 * most MAX_CYCLES per frame, ≥ 10 profile rows per period. Each row is clamped to its running median
 * over ±DESPIKE_HALF_WINDOW rows plus or minus DESPIKE_MADS robust deviations (1.4826·MAD of the
 * rows' distances from that median). Tune half 2026-11-27: 3–6 deviations all catch 81–84 of 96
 * synthetic flicker (73 before) at no more false alarms; 5 sits in the middle; ±3 rows (7 in all)
 * beat ±2 and ±4.
 */
const DESPIKE_HALF_WINDOW = 3;
const DESPIKE_MADS = 5;
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
  /**
   * The sinusoid's strength in the weakest quarter of the frame height relative to the whole
   * (1 = as strong everywhere; ≤ 0 = absent or reversed somewhere).
   */
  evenness: number;
}

export interface BandingOptions {
  /** Source-image rows per row of `luma` (≥ 1), to place the codec block grid. Default 1. */
  scale?: number;
}

/**
 * A gradient profile with the rows that carry data (weight > 0: how far the columns agree on the
 * row's step, 1 for strip profiles) and its trend basis over them.
 */
interface Profile {
  v: Float64Array;
  w: Float64Array;
  /** Orthonormal (under w) polynomial basis; v has been made orthogonal to it. */
  trend: Float64Array[];
  /** Σ w·v², the detrended profile's energy. */
  energy: number;
}

const NONE: BandingMeasure = { amplitude: 0, cyclesPerFrame: 0, coherence: 0, prominence: 0, phase: 0, periodicity: 0, evenness: 0 };

/**
 * Measure horizontal banding (brightness varying down the rows) in one frame's luma. Pure.
 * For bands along the columns (a portrait photo from a phone whose sensor rows run along the
 * image's long side), measure the transposed plane.
 */
export function measureBanding(luma: Plane, opts: BandingOptions = {}): BandingMeasure {
  const n = Math.min(luma.height, PROFILE_ROWS);
  if (n < 24 || luma.width < 16) return NONE;
  const maxCycles = Math.min(MAX_CYCLES, n / MIN_ROWS_PER_CYCLE);
  if (maxCycles <= MIN_CYCLES) return NONE;
  const { all, strips } = gradientProfiles(luma, n);
  if (!all || strips.length < 2) return NONE;
  const blockCycles = (luma.height * (opts.scale ?? 1)) / CODEC_BLOCK_ROWS;
  const nearBlock = (c: number) => {
    const harmonic = Math.round(c / blockCycles);
    return harmonic >= 1 && Math.abs(c - harmonic * blockCycles) < CODEC_NOTCH;
  };

  // Periodogram of the whole-width profile (gradient-domain power).
  const ks: number[] = [];
  const fits: SinusoidFit[] = [];
  for (let c = MIN_CYCLES; c <= maxCycles + 1e-9; c += STEP) {
    if (nearBlock(c)) continue;
    ks.push(c);
    fits.push(fitSinusoid(all, c, n));
  }
  if (ks.length < 4) return NONE;
  const power = fits.map((f) => f.a * f.a + f.b * f.b);

  // The strongest local maxima are the candidates; the one that best looks like bands — a sinusoid that
  // explains the profile, stands above the spectrum, shows in the strips and in both halves of
  // the height — is kept.
  const peaks: number[] = [];
  for (let i = 0; i < ks.length; i++) {
    if ((i === 0 || power[i] >= power[i - 1]) && (i === ks.length - 1 || power[i] >= power[i + 1])) peaks.push(i);
  }
  sortByDescendingKey(peaks, power);
  let best: (BandingMeasure & { score: number }) | undefined;
  for (const i of peaks.slice(0, CANDIDATES)) {
    if (!(power[i] > 0)) continue;
    // Refine the frequency between the scan's steps (the phase drifts with a frequency error).
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
    const prominence = power[i] / powerLaw(ks, power, ks[i])(ks[i]);
    const coherence = agreeingStrips(strips, k, n, fit) / strips.length;
    const halves = halfAgreement(all, k, n);
    const evenness = quarterEvenness(all, k, n, fit);
    // Evenness takes part in the choice: a scene's row structure (a hairline, a collar) can make a
    // stronger peak than the bands, but only the bands are as strong at the top as at the bottom.
    const score = fit.r2 * coherence * halves * Math.max(MIN_EVENNESS_SCORE, evenness) * Math.log(Math.max(1.5, prominence));
    if (best && score <= best.score) continue;
    // With samples at rows (s + ½)·H/n, a band profile A·cos(ω(s + ½) + φ), ω = 2πk/n, reads
    // A·cos(2πk·y/H + φ) in rows. Its step from s to s+1 is 2A·sin(ω/2)·cos(ω(s + 1) + φ + π/2),
    // and the basis sits at s + 1: undo the gain and the quarter-period shift.
    const w = (2 * Math.PI * k) / n;
    best = {
      amplitude: Math.hypot(fit.a, fit.b) / (2 * Math.sin(w / 2)),
      cyclesPerFrame: round(k, 3),
      coherence,
      prominence,
      phase: wrap(Math.atan2(-fit.b, fit.a) - Math.PI / 2),
      periodicity: fit.r2,
      evenness,
      score,
    };
  }
  if (!best) return NONE;
  const { score: _score, ...m } = best;
  return m;
}

/**
 * Block means of log-luma on a grid of n rows × (STRIPS · COLUMNS_PER_STRIP) columns (clipped and
 * black pixels left out); then, from the step between successive rows in every column, the
 * whole-width profile (densest third over all columns) and one per strip (median).
 */
function gradientProfiles(luma: Plane, n: number): { all?: Profile; strips: Profile[] } {
  const { width, height, data } = luma;
  const cols = Math.min(width, STRIPS * COLUMNS_PER_STRIP);
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
  const logMean = new Float64Array(n * cols);
  for (let j = 0; j < n * cols; j++) logMean[j] = counts[j] >= 0.5 * totals[j] && counts[j] > 0 ? Math.log(sums[j] / counts[j]) : NaN;

  const len = n - 1;
  const stripTotal = Math.max(1, Math.floor(cols / COLUMNS_PER_STRIP));
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
        const d = logMean[(i + 1) * cols + c] - logMean[i * cols + c];
        if (!Number.isNaN(d)) vals[m++] = d;
      }
      if (m - start >= Math.max(2, (c1 - c0) / 3)) {
        stripV[s][i] = medianOf(vals, start, m);
        stripW[s][i] = 1;
      }
    }
    if (m >= 3) {
      const d = densestMean(vals, m);
      allV[i] = d.mean;
      allW[i] = d.spread + SPREAD_FLOOR; // > 0 marks the row as carrying data
    }
  }
  spreadsToWeights(allW);
  const scratch = despikeScratch(len);
  despike(allV, allW, scratch);
  for (let s = 0; s < stripTotal; s++) despike(stripV[s], stripW[s], scratch);
  const strips: Profile[] = [];
  for (let s = 0; s < stripTotal; s++) {
    const p = makeProfile(stripV[s], stripW[s], TREND_DEGREE);
    if (p) strips.push(p);
  }
  return { all: makeProfile(allV, allW, TREND_DEGREE), strips };
}

/**
 * Row weights from the spread of the agreeing columns (in place; rows without data stay 0).
 * Where the columns agree closely on a row's step (wall, cheek, forehead) the step is mostly the
 * bands'; where even the densest third spreads widely (eyes, mouth, hairline, a collar: the
 * scene's own horizontal edges) it is mostly scene. Weight s₀²/(s² + s₀²), s₀ the median spread:
 * inverse-variance weighting that a perfectly agreeing row cannot dominate.
 */
function spreadsToWeights(w: Float64Array): void {
  const spreads = w.filter(isPositive).sort();
  const s0 = spreads[spreads.length >> 1] ?? 0;
  if (!(s0 > 0)) {
    for (let i = 0; i < w.length; i++) w[i] = w[i] > 0 ? 1 : 0;
    return;
  }
  for (let i = 0; i < w.length; i++) if (w[i] > 0) w[i] = (s0 * s0) / (w[i] * w[i] + s0 * s0);
}

/**
 * Clamp the spikes of a gradient profile (in place; rows with w = 0 are skipped): each row to its
 * running median ± DESPIKE_MADS robust deviations. A spike is a scene edge; clamping rather than
 * dropping keeps its sign (it may sit on a band's slope) but not its weight in the fits.
 */
function despike(v: Float64Array, w: Float64Array, scratch: DespikeScratch): void {
  const len = v.length;
  const { window, med, dist } = scratch;
  let n = 0;
  for (let i = 0; i < len; i++) {
    if (!(w[i] > 0)) continue;
    let m = 0;
    for (let j = Math.max(0, i - DESPIKE_HALF_WINDOW); j <= Math.min(len - 1, i + DESPIKE_HALF_WINDOW); j++) if (w[j] > 0) window[m++] = v[j];
    // Insertion sort: at most 2·DESPIKE_HALF_WINDOW + 1 values.
    for (let a = 1; a < m; a++) {
      const x = window[a];
      let b = a - 1;
      for (; b >= 0 && window[b] > x; b--) window[b + 1] = window[b];
      window[b + 1] = x;
    }
    med[i] = window[m >> 1];
    dist[n++] = Math.abs(v[i] - med[i]);
  }
  if (n < 3) return;
  const sorted = dist.subarray(0, n).sort(); // a typed array sorts numerically, no comparator
  const limit = DESPIKE_MADS * 1.4826 * sorted[n >> 1];
  if (!(limit > 0)) return;
  for (let i = 0; i < len; i++) if (w[i] > 0) v[i] = Math.min(med[i] + limit, Math.max(med[i] - limit, v[i]));
}

/** Buffers despike reuses across the profiles of one image. */
interface DespikeScratch {
  window: Float64Array;
  med: Float64Array;
  dist: Float64Array;
}

function despikeScratch(len: number): DespikeScratch {
  return { window: new Float64Array(2 * DESPIKE_HALF_WINDOW + 1), med: new Float64Array(len), dist: new Float64Array(len) };
}

/**
 * Mean of the densest third of v[0..m) (the shortest window holding a third of the sorted values;
 * reorders v): where the most columns agree, even when they are fewer than half — a robust mode —
 * and that window's width (how closely they agree).
 */
function densestMean(v: Float64Array, m: number): { mean: number; spread: number } {
  const s = v.subarray(0, m).sort();
  const h = Math.max(2, Math.ceil(m * DENSEST_SHARE));
  let bi = 0;
  let bw = Infinity;
  for (let i = 0; i + h - 1 < m; i++) {
    const w = s[i + h - 1] - s[i];
    if (w < bw) {
      bw = w;
      bi = i;
    }
  }
  let sum = 0;
  for (let i = bi; i < bi + h; i++) sum += s[i];
  return { mean: sum / h, spread: bw };
}

/**
 * How alike the sinusoid is in the top and bottom halves of the profile (each refitted with its
 * own straight-line trend): |z₁ + z₂| / (|z₁| + |z₂|) times the smaller-to-larger amplitude ratio.
 */
/** The sinusoid refitted on rows lo..hi of the profile only (the other rows weigh nothing). */
function halfFit(p: Profile, lo: number, hi: number, cycles: number, n: number) {
  const len = p.v.length;
  const v = new Float64Array(len);
  const w = new Float64Array(len);
  for (let i = lo; i < hi; i++) {
    v[i] = p.v[i];
    w[i] = p.w[i];
  }
  const q = makeProfile(v, w, 1, 0);
  return q ? fitSinusoid(q, cycles, n) : undefined;
}

/** Sorts indices in place by key, largest first (insertion sort: a handful of peaks, and no comparator
 *  closure made per call — V8 re-optimises each new closure after the garbage collector drops it). */
function sortByDescendingKey(idx: number[], key: ArrayLike<number>): void {
  for (let i = 1; i < idx.length; i++) {
    const v = idx[i];
    let j = i - 1;
    for (; j >= 0 && key[idx[j]] < key[v]; j--) idx[j + 1] = idx[j];
    idx[j + 1] = v;
  }
}

const isPositive = (s: number) => s > 0;

function halfAgreement(p: Profile, cycles: number, n: number): number {
  const len = p.v.length;
  const a = halfFit(p, 0, len >> 1, cycles, n);
  const b = halfFit(p, len >> 1, len, cycles, n);
  if (!a || !b) return 0;
  const ma = Math.hypot(a.a, a.b);
  const mb = Math.hypot(b.a, b.b);
  if (!(ma > 0 && mb > 0)) return 0;
  return (Math.hypot(a.a + b.a, a.b + b.b) / (ma + mb)) * (Math.min(ma, mb) / Math.max(ma, mb));
}

/**
 * The fitted sinusoid's strength quarter by quarter of the height: the profile projected on the
 * (detrended) fitted wave over each quarter's rows, relative to the whole fit; the smallest.
 */
function quarterEvenness(p: Profile, cycles: number, n: number, fit: SinusoidFit): number {
  const len = p.v.length;
  const w = (2 * Math.PI * cycles) / n;
  const shape = new Float64Array(len);
  for (let i = 0; i < len; i++) shape[i] = p.w[i] ? fit.a * Math.cos(w * (i + 1)) + fit.b * Math.sin(w * (i + 1)) : 0;
  project(shape, p.w, p.trend);
  let weakest = Infinity;
  for (let q = 0; q < QUARTERS; q++) {
    let num = 0;
    let den = 0;
    for (let i = Math.floor((q * len) / QUARTERS); i < Math.floor(((q + 1) * len) / QUARTERS); i++) {
      num += p.w[i] * p.v[i] * shape[i];
      den += p.w[i] * shape[i] * shape[i];
    }
    weakest = Math.min(weakest, den > 0 ? num / den : 0);
  }
  return Number.isFinite(weakest) ? weakest : 0;
}

/** A detrended profile, or undefined when too few of its rows carry data. */
function makeProfile(v: Float64Array, w: Float64Array, degree: number, minShare = MIN_PROFILE_ROWS): Profile | undefined {
  let used = 0;
  for (let i = 0; i < w.length; i++) if (w[i] > 0) used++;
  if (used < minShare * w.length || used < 12) return undefined;
  const trend = trendBasis(w, degree);
  project(v, w, trend);
  let energy = 0;
  for (let i = 0; i < v.length; i++) energy += w[i] * v[i] * v[i];
  return { v, w, trend, energy };
}

/** Polynomial basis (degree ≤ TREND_DEGREE), orthonormal under the row weights. */
function trendBasis(w: Float64Array, degree: number): Float64Array[] {
  const n = w.length;
  const basis: Float64Array[] = [];
  for (let d = 0; d <= degree; d++) {
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) b[i] = w[i] ? Math.pow((2 * i) / Math.max(1, n - 1) - 1, d) : 0;
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
    const wi = p.w[i];
    if (wi !== 0) {
      const y = p.v[i];
      cc += wi * c * c;
      ss += wi * s * s;
      cs += wi * c * s;
      yc += wi * y * c;
      ys += wi * y * s;
      for (let t = 0; t < trend.length; t++) {
        qc[t] += wi * trend[t][i] * c;
        qs[t] += wi * trend[t][i] * s;
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
 * Strips whose own profile carries the common wave: in phase (within ~50°) and with a fair part
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
    if (along >= 0.4 * amp && along >= 0.6 * own) count++;
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
    const flat = Math.max(1e-18, Float64Array.from(power).sort()[power.length >> 1] ?? 0);
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
    const m = measureBanding(ctx.luma, { scale: ctx.scale });
    const measured = {
      amplitude: round(m.amplitude, 4),
      cyclesPerFrame: m.cyclesPerFrame,
      coherence: round(m.coherence, 3),
      prominence: round(m.prominence, 2),
      periodicity: round(m.periodicity, 3),
      evenness: round(m.evenness, 3),
      regularity: round(m.periodicity * m.evenness, 3),
    };
    const metrics = {
      'flicker.amplitude': measured.amplitude,
      'flicker.cyclesPerFrame': measured.cyclesPerFrame,
      'flicker.coherence': measured.coherence,
      'flicker.prominence': measured.prominence,
      'flicker.periodicity': measured.periodicity,
      'flicker.evenness': measured.evenness,
    };
    const banded =
      m.coherence >= ctx.t('flicker.minCoherence') &&
      m.prominence >= ctx.t('flicker.minProminence') &&
      m.periodicity >= ctx.t('flicker.minPeriodicity') &&
      m.evenness >= ctx.t('flicker.minEvenness') &&
      m.periodicity * m.evenness >= ctx.t('flicker.minRegularity');
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
        minEvenness: ctx.t('flicker.minEvenness'),
        minRegularity: ctx.t('flicker.minRegularity'),
      },
      { region: { label: 'banding', box: { x: 0, y: 0, width: ctx.image.width, height: ctx.image.height } } },
    );
    return { metrics, findings };
  },
};
