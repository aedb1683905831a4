// Bands that stand still. When the light frequency is an exact multiple of the frame rate (100 Hz
// at 25 fps, 120 Hz at 30 or 60 fps) every frame starts reading out at the same light phase, so the
// rolling-shutter bands sit at the same rows in every frame and the frame mean does not pulse:
// nothing in time moves. What is left is their shape, which scene structure rarely has:
//  * a gain per sensor row: bands change brightness only *along* the readout direction, gently
//    (≤ 5 cycles a frame), and not at all across a row. So only smooth pixels vote: the vertical
//    log-gradient of a pixel counts when both its vertical and its horizontal log-gradient are small
//    (`FLAT_GRADIENT`). Edges, eyes, hair and texture fail that, flat wall, skin and cloth pass, and
//    every row's band gradient is the mean over its smooth pixels. (A median over column blocks,
//    the earlier design, let a dark shirt or a door frame spanning most of the width set the row.)
//  * a sinusoid: one frequency explains most of that profile's variance (periodicity), with the
//    same phase in every vertical strip (consistency);
//  * held still: the sums of all frames in a window are pooled, so bands add up exactly while
//    moving content (the person, a hand-held camera's view) and sensor noise blur away.
// Gradients rather than levels: differencing flattens the scene's smooth vertical trends (sky,
// vignetting, a lamp above), which would otherwise dominate the 2–4 cycles a frame static bands
// have (readout ≤ one frame period, so cycles ≤ light frequency ÷ frame rate).
// Known confusion: a face filling the frame is bright–dark–bright from forehead to chin across its
// whole width, which a still analysis cannot tell from 2–2.5 cycles of bands (docs/ACCURACY-VIDEO.md).
import { aliasedFrequency, medianInterval } from './signal.js';

/** Vertical strips the consistency check compares. */
const STRIPS = 4;
/** Searched band frequency, cycles per frame height (sensor rows): 100/120 Hz read out within one
 *  frame at 24–30 fps gives up to 4–5; below ~1.75 a sinusoid is a brightness slope. */
const MIN_CYCLES = 1.75;
const MAX_CYCLES = 5;
const STEP = 0.125;
/** A pixel is smooth when |Δ log luma| to its neighbour below and to its right are both under this
 *  (≈ ±2 %). Bands of depth 0.35 read out over a frame reach 0.004 per row on a 240-row thumbnail,
 *  sensor noise of 1–2 levels at mid-grey 0.01–0.02; eyes, hair, edges and texture are well above.
 *  Chosen on the tune split (tools/eval-video.ts --split tune) and on tune-half photos animated
 *  into clips: 0.02 kept the most bands for the fewest faces read as bands (0.03–0.04 found a
 *  few more bands but took 5–7 of 40 close-up faces for them). */
const FLAT_GRADIENT = 0.02;
/** Pixels darker or brighter than this carry no band (quantised black, clipped highlights). */
const MIN_LUMA = 12;
const MAX_LUMA = 250;
const LOG = Float64Array.from({ length: 256 }, (_, v) => Math.log(v + 4));

export interface StaticBandWindow {
  start: number;
  end: number;
  frames: number;
  /** Amplitude (log-luma) of the best-fitting sinusoid of the window's smooth-pixel row profile.
   *  The smooth-pixel gate drops the steepest part of strong bands on noisy pixels, so this reads
   *  about 0.5–0.8 of the bands' true amplitude. */
  amplitude: number;
  /** Cycles per frame height (sensor rows). */
  cycles: number;
  /** Share of the row-gradient profile's variance that sinusoid explains (0..1). */
  periodicity: number;
  /** |Σ strip coefficients| ÷ Σ |strip coefficient| at that frequency: 1 = same phase everywhere. */
  consistency: number;
}

export interface StaticBandOptions {
  windowSeconds: number;
  hopSeconds: number;
}

/** Per-hop sums over frames: smooth-pixel vertical log-gradients and their counts per sensor row,
 *  [0] whole width, [1..STRIPS] strips. */
interface Bucket {
  start: number;
  end: number;
  frames: number;
  sums: Float64Array[];
  counts: Float64Array[];
}

/** Streams grey frames in (sensor rows horizontal or `transpose`d); windows are built from hops. */
export class StaticBandTracker {
  private rows = 0;
  private buckets: Bucket[] = [];
  private bucketStart = NaN;

  constructor(private readonly o: StaticBandOptions) {}

  add(time: number, width: number, height: number, data: Uint8Array, transpose: boolean): void {
    if (!Number.isFinite(time)) return;
    const cols = transpose ? height : width;
    const rows = transpose ? width : height;
    if (rows < 24 || cols < 8 * STRIPS) return;
    if (rows !== this.rows) this.reset(rows);
    if (Number.isNaN(this.bucketStart)) this.bucketStart = time;
    while (time >= this.bucketStart + this.o.hopSeconds) this.bucketStart += this.o.hopSeconds;
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.start !== this.bucketStart) {
      const profiles = () => Array.from({ length: STRIPS + 1 }, () => new Float64Array(rows - 1));
      b = { start: this.bucketStart, end: time, frames: 0, sums: profiles(), counts: profiles() };
      this.buckets.push(b);
    }
    b.end = time;
    b.frames++;

    // Sensor row r, column c is data[r*width + c], or data[c*width + r] when transposed.
    const rowStep = transpose ? 1 : width;
    const colStep = transpose ? width : 1;
    for (let r = 0; r < rows - 1; r++) {
      let p = r * rowStep;
      for (let c = 0; c < cols - 1; c++, p += colStep) {
        const v = data[p];
        const below = data[p + rowStep];
        if (v < MIN_LUMA || v > MAX_LUMA || below < MIN_LUMA || below > MAX_LUMA) continue;
        const lv = LOG[v];
        const gy = LOG[below] - lv;
        const gx = LOG[data[p + colStep]] - lv;
        if (gy > FLAT_GRADIENT || gy < -FLAT_GRADIENT || gx > FLAT_GRADIENT || gx < -FLAT_GRADIENT) continue;
        const strip = 1 + Math.min(STRIPS - 1, Math.floor((c * STRIPS) / cols));
        b.sums[0][r] += gy;
        b.counts[0][r]++;
        b.sums[strip][r] += gy;
        b.counts[strip][r]++;
      }
    }
  }

  /** Windows of `windowSeconds` (consecutive hops), evaluated after the last frame. */
  finish(): StaticBandWindow[] {
    const hops = Math.max(1, Math.round(this.o.windowSeconds / this.o.hopSeconds));
    const out: StaticBandWindow[] = [];
    const n = this.buckets.length;
    for (let i = 0; i < n; i++) {
      const group = this.buckets.slice(i, i + hops);
      // A last, short window only when it still covers half a window of frames.
      if (group.length < hops && i > 0) break;
      const w = evaluate(group, this.rows);
      if (w) out.push(w);
    }
    return out;
  }

  private reset(rows: number): void {
    this.rows = rows;
    this.buckets = [];
    this.bucketStart = NaN;
  }
}

/** The window's mean smooth-pixel gradient per row and each row's weight: rows with few smooth
 *  pixels count less (full weight from 30 % of the best-covered row's count), rows with hardly any
 *  (< 5 %) not at all. */
function pooledProfile(group: Bucket[], j: number, n: number): { g: Float64Array; w: Float64Array } {
  const g = new Float64Array(n);
  const count = new Float64Array(n);
  for (const b of group) {
    for (let y = 0; y < n; y++) {
      g[y] += b.sums[j][y];
      count[y] += b.counts[j][y];
    }
  }
  let most = 0;
  for (let y = 0; y < n; y++) {
    g[y] = count[y] > 0 ? g[y] / count[y] : 0;
    most = Math.max(most, count[y]);
  }
  const w = Float64Array.from(count, (c) => (c > 0.05 * most ? Math.min(1, c / (0.3 * most)) : 0));
  return { g, w };
}

function evaluate(group: Bucket[], rows: number): StaticBandWindow | undefined {
  const frames = group.reduce((s, b) => s + b.frames, 0);
  if (frames < 8) return undefined;
  const profiles = Array.from({ length: STRIPS + 1 }, (_, j) => pooledProfile(group, j, rows - 1));
  let best: SineFit & { cycles: number } = { re: 0, im: 0, amplitude: 0, explained: -1, cycles: 0 };
  for (let c = MIN_CYCLES; c <= MAX_CYCLES + 1e-9; c += STEP) {
    const f = fitGradientSine(profiles[0].g, profiles[0].w, c, rows);
    if (f.explained > best.explained) best = { ...f, cycles: c };
  }
  let sr = 0, si = 0, mag = 0;
  for (let s = 1; s <= STRIPS; s++) {
    const f = fitGradientSine(profiles[s].g, profiles[s].w, best.cycles, rows);
    sr += f.re; si += f.im; mag += f.amplitude;
  }
  return {
    start: group[0].start,
    end: group[group.length - 1].end,
    frames,
    amplitude: best.amplitude,
    cycles: best.cycles,
    periodicity: Math.max(0, best.explained),
    consistency: mag > 0 ? Math.hypot(sr, si) / mag : 0,
  };
}

interface SineFit {
  /** Level-domain sinusoid coefficients (log-luma). */
  re: number;
  im: number;
  amplitude: number;
  /** Share of the (weighted, mean-removed) gradient profile's variance explained. */
  explained: number;
}

/** Weighted least-squares sinusoid of `cycles` per `rows` in a row-gradient profile (row y is the
 *  step from y to y+1), returned as the level-domain sinusoid it is the difference of
 *  (amplitude ÷ 2·sin(ω/2)). */
export function fitGradientSine(g: Float64Array, weight: Float64Array, cycles: number, rows: number): SineFit {
  const n = g.length;
  const w = (2 * Math.PI * cycles) / rows;
  let sw = 0, mean = 0, mc = 0, ms = 0;
  for (let y = 0; y < n; y++) {
    const q = weight[y];
    sw += q; mean += q * g[y]; mc += q * Math.cos(w * (y + 1)); ms += q * Math.sin(w * (y + 1));
  }
  if (!(sw > 0)) return { re: 0, im: 0, amplitude: 0, explained: 0 };
  mean /= sw; mc /= sw; ms /= sw;
  let cc = 0, ss = 0, cs = 0, pc = 0, ps = 0, total = 0;
  for (let y = 0; y < n; y++) {
    const q = weight[y];
    if (q === 0) continue;
    const c = Math.cos(w * (y + 1)) - mc;
    const s = Math.sin(w * (y + 1)) - ms;
    const v = g[y] - mean;
    cc += q * c * c; ss += q * s * s; cs += q * c * s; pc += q * v * c; ps += q * v * s; total += q * v * v;
  }
  const det = cc * ss - cs * cs;
  if (!(det > 0) || !(total > 0)) return { re: 0, im: 0, amplitude: 0, explained: 0 };
  const a = (ss * pc - cs * ps) / det;
  const b = (cc * ps - cs * pc) / det;
  const k = 1 / (2 * Math.sin(w / 2));
  return { re: a * k, im: b * k, amplitude: Math.hypot(a, b) * k, explained: (a * pc + b * ps) / total };
}

/** Light frequencies (100/120 Hz) whose bands stand still at this frame series' rate. */
export function stillSources(time: Float64Array, sources: readonly number[], maxAliasHz: number): number[] {
  const interval = medianInterval(time);
  if (!(interval > 0)) return [];
  return sources.filter((f) => aliasedFrequency(f, 1 / interval) < maxAliasHz);
}
