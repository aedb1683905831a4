// Bands that stand still. When the light frequency is an exact multiple of the frame rate (100 Hz
// at 25 fps, 120 Hz at 30 or 60 fps) every frame starts reading out at the same light phase, so the
// rolling-shutter bands sit at the same rows in every frame and the frame mean does not pulse:
// nothing in time moves. What is left is their shape, which scene structure rarely has:
//  * the same log-brightness profile in every column (a multiplicative gain per sensor row). Each
//    row's vertical log-gradient is taken as the *median* over column blocks, so edges that span
//    part of the width (a face, a shoulder, a door frame) are voted out;
//  * a sinusoid: one frequency explains most of that profile's variance (periodicity), with the
//    same phase in every vertical strip (consistency);
//  * held still: the profiles of all frames in a window are averaged, so bands add up exactly
//    while moving content (the person, a hand-held camera's view, sensor noise) blurs away.
// Gradients rather than levels: differencing flattens the scene's smooth vertical trends (sky,
// vignetting, a lamp above), which would otherwise dominate the 2–4 cycles a frame static bands
// have (readout ≤ one frame period, so cycles ≤ light frequency ÷ frame rate).
import { aliasedFrequency, medianInterval } from './signal.js';

/** Column blocks whose gradients are median-combined per row. */
const BLOCKS = 24;
/** Vertical strips (groups of blocks) the consistency check compares. */
const STRIPS = 4;
/** Searched band frequency, cycles per frame height (sensor rows): 100/120 Hz read out within one
 *  frame at 24–30 fps gives up to 4–5; below ~1.75 a sinusoid is a brightness slope. */
const MIN_CYCLES = 1.75;
const MAX_CYCLES = 5;
const STEP = 0.125;

export interface StaticBandWindow {
  start: number;
  end: number;
  frames: number;
  /** Amplitude (log-luma) of the best-fitting sinusoid of the window's mean row profile. */
  amplitude: number;
  /** Cycles per frame height (sensor rows). */
  cycles: number;
  /** Share of the mean gradient profile's variance that sinusoid explains (0..1). */
  periodicity: number;
  /** |Σ strip coefficients| ÷ Σ |strip coefficient| at that frequency: 1 = same phase everywhere. */
  consistency: number;
}

export interface StaticBandOptions {
  windowSeconds: number;
  hopSeconds: number;
}

/** Per-hop sums of the per-frame median-gradient profiles: [0] whole width, [1..STRIPS] strips. */
interface Bucket {
  start: number;
  end: number;
  frames: number;
  sums: Float64Array[];
}

/** Streams grey frames in (sensor rows horizontal or `transpose`d); windows are built from hops. */
export class StaticBandTracker {
  private rows = 0;
  private blockProfiles: Float64Array[] = [];
  private gradients = new Float64Array(BLOCKS);
  private scratch = new Float64Array(BLOCKS);
  private buckets: Bucket[] = [];
  private bucketStart = NaN;

  constructor(private readonly o: StaticBandOptions) {}

  add(time: number, width: number, height: number, data: Uint8Array, transpose: boolean): void {
    if (!Number.isFinite(time)) return;
    const cols = transpose ? height : width;
    const rows = transpose ? width : height;
    if (rows < 24 || cols < BLOCKS) return;
    if (rows !== this.rows) this.reset(rows);
    if (Number.isNaN(this.bucketStart)) this.bucketStart = time;
    while (time >= this.bucketStart + this.o.hopSeconds) this.bucketStart += this.o.hopSeconds;
    let b = this.buckets[this.buckets.length - 1];
    if (!b || b.start !== this.bucketStart) {
      b = { start: this.bucketStart, end: time, frames: 0, sums: Array.from({ length: STRIPS + 1 }, () => new Float64Array(rows - 1)) };
      this.buckets.push(b);
    }
    b.end = time;
    b.frames++;

    // Mean log-luma of every row in every column block.
    for (let k = 0; k < BLOCKS; k++) {
      const x0 = Math.floor((k * cols) / BLOCKS);
      const x1 = Math.floor(((k + 1) * cols) / BLOCKS);
      const prof = this.blockProfiles[k];
      for (let y = 0; y < rows; y++) {
        let s = 0;
        if (transpose) for (let x = x0; x < x1; x++) s += data[x * width + y];
        else for (let x = x0, r = y * width; x < x1; x++) s += data[r + x];
        prof[y] = Math.log(s / (x1 - x0) + 4);
      }
    }
    const per = BLOCKS / STRIPS;
    for (let y = 0; y < rows - 1; y++) {
      for (let k = 0; k < BLOCKS; k++) this.gradients[k] = this.blockProfiles[k][y + 1] - this.blockProfiles[k][y];
      b.sums[0][y] += medianOf(this.gradients, 0, BLOCKS, this.scratch);
      for (let s = 0; s < STRIPS; s++) b.sums[s + 1][y] += medianOf(this.gradients, s * per, per, this.scratch);
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
    this.blockProfiles = Array.from({ length: BLOCKS }, () => new Float64Array(rows));
    this.buckets = [];
    this.bucketStart = NaN;
  }
}

function evaluate(group: Bucket[], rows: number): StaticBandWindow | undefined {
  const frames = group.reduce((s, b) => s + b.frames, 0);
  if (frames < 8) return undefined;
  const mean = Array.from({ length: STRIPS + 1 }, (_, j) => {
    const m = new Float64Array(rows - 1);
    for (const b of group) for (let y = 0; y < rows - 1; y++) m[y] += b.sums[j][y];
    for (let y = 0; y < rows - 1; y++) m[y] /= frames;
    return m;
  });
  let best: SineFit & { cycles: number } = { re: 0, im: 0, amplitude: 0, explained: -1, cycles: 0 };
  for (let c = MIN_CYCLES; c <= MAX_CYCLES + 1e-9; c += STEP) {
    const f = fitGradientSine(mean[0], c, rows);
    if (f.explained > best.explained) best = { ...f, cycles: c };
  }
  let sr = 0, si = 0, mag = 0;
  for (let s = 1; s <= STRIPS; s++) {
    const f = fitGradientSine(mean[s], best.cycles, rows);
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
  /** Share of the (mean-removed) gradient profile's variance explained. */
  explained: number;
}

/** Least-squares sinusoid of `cycles` per `rows` in a row-gradient profile, returned as the
 *  level-domain sinusoid it is the difference of (amplitude ÷ 2·sin(ω/2)). */
export function fitGradientSine(g: Float64Array, cycles: number, rows: number): SineFit {
  const n = g.length;
  const w = (2 * Math.PI * cycles) / rows;
  let mean = 0;
  for (let y = 0; y < n; y++) mean += g[y];
  mean /= n;
  let cc = 0, ss = 0, cs = 0, pc = 0, ps = 0, total = 0;
  for (let y = 0; y < n; y++) {
    const c = Math.cos(w * (y + 1));
    const s = Math.sin(w * (y + 1));
    const v = g[y] - mean;
    cc += c * c; ss += s * s; cs += c * s; pc += v * c; ps += v * s; total += v * v;
  }
  const det = cc * ss - cs * cs;
  if (!(det > 0) || !(total > 0)) return { re: 0, im: 0, amplitude: 0, explained: 0 };
  const a = (ss * pc - cs * ps) / det;
  const b = (cc * ps - cs * pc) / det;
  const k = 1 / (2 * Math.sin(w / 2));
  return { re: a * k, im: b * k, amplitude: Math.hypot(a, b) * k, explained: (a * pc + b * ps) / total };
}

/** Median of v[from .. from+n) without touching v (insertion sort into `scratch`; n ≤ 24). */
function medianOf(v: Float64Array, from: number, n: number, scratch: Float64Array): number {
  for (let i = 0; i < n; i++) {
    const x = v[from + i];
    let j = i - 1;
    while (j >= 0 && scratch[j] > x) {
      scratch[j + 1] = scratch[j];
      j--;
    }
    scratch[j + 1] = x;
  }
  return n % 2 ? scratch[n >> 1] : (scratch[n / 2 - 1] + scratch[n / 2]) / 2;
}

/** Light frequencies (100/120 Hz) whose bands stand still at this frame series' rate. */
export function stillSources(time: Float64Array, sources: readonly number[], maxAliasHz: number): number[] {
  const interval = medianInterval(time);
  if (!(interval > 0)) return [];
  return sources.filter((f) => aliasedFrequency(f, 1 / interval) < maxAliasHz);
}
