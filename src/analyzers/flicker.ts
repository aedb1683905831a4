// flicker in a still: mains-powered lights pulse at 100/120 Hz and a rolling shutter turns that
// into horizontal bands. We look for one periodic row-brightness component that is in phase across
// the whole width of the frame; scene content (eyes, blinds, a shirt) is neither periodic nor
// coherent across every vertical strip.
import type { Analyzer } from './analyzer.js';
import { findingIf, grade } from './analyzer.js';
import type { AnalysisContext } from './context.js';
import type { Plane } from '../media/raster.js';
import { round } from './stats.js';

const STRIPS = 6;
const MIN_CYCLES = 3;
const MAX_CYCLES = 30;
const STEP = 0.25;
/** Row profiles are averaged down to this many samples: 30 cycles still get 8 samples each. */
const PROFILE_ROWS = 240;

export interface BandingMeasure {
  /** Sinusoid amplitude of the band pattern in log-luma (≈ relative brightness modulation). */
  amplitude: number;
  /** Cycles per frame height of the strongest component. */
  cyclesPerFrame: number;
  /** Share of vertical strips that show the bands in phase (1 = all of them). */
  coherence: number;
  /** Peak power ÷ median power over the searched band. */
  prominence: number;
  /** Phase of the bands (radians) — video uses its drift between frames. */
  phase: number;
}

/** Row profiles of log-luma per vertical strip, each detrended by a least-squares line. */
function stripProfiles(luma: Plane): Float64Array[] {
  const { width, height, data } = luma;
  const out: Float64Array[] = [];
  for (let s = 0; s < STRIPS; s++) {
    const x0 = Math.floor((s * width) / STRIPS);
    const x1 = Math.floor(((s + 1) * width) / STRIPS);
    const prof = new Float64Array(height);
    for (let y = 0; y < height; y++) {
      let sum = 0;
      const row = y * width;
      for (let x = x0; x < x1; x++) sum += data[row + x];
      prof[y] = Math.log(sum / Math.max(1, x1 - x0) + 4);
    }
    const short = shrinkProfile(prof, PROFILE_ROWS);
    detrend(short);
    out.push(short);
  }
  return out;
}

function shrinkProfile(v: Float64Array, n: number): Float64Array {
  if (v.length <= n) return v;
  const out = new Float64Array(n);
  const k = v.length / n;
  for (let i = 0; i < n; i++) {
    const a = Math.floor(i * k), b = Math.max(a + 1, Math.floor((i + 1) * k));
    let s = 0;
    for (let j = a; j < b; j++) s += v[j];
    out[i] = s / (b - a);
  }
  return out;
}

function detrend(v: Float64Array): void {
  const n = v.length;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += i; sy += v[i]; sxx += i * i; sxy += i * v[i];
  }
  const slope = (n * sxy - sx * sy) / Math.max(1e-9, n * sxx - sx * sx);
  const icpt = (sy - slope * sx) / n;
  for (let i = 0; i < n; i++) v[i] -= icpt + slope * i;
}

export function measureBanding(luma: Plane): BandingMeasure {
  const profiles = stripProfiles(luma);
  const h = profiles[0].length;
  const hann = new Float64Array(h);
  let wsum = 0;
  for (let i = 0; i < h; i++) {
    hann[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / Math.max(1, h - 1));
    wsum += hann[i];
  }
  const maxCycles = Math.min(MAX_CYCLES, h / 6); // at least 6 rows per period
  const windowed = profiles.map((prof) => prof.map((v, y) => v * hann[y]));
  const cos = new Float64Array(h);
  const sin = new Float64Array(h);
  const powers: number[] = [];
  let best = { k: 0, coeffs: [] as Array<[number, number]>, re: 0, im: 0, p: -1 };
  for (let k = MIN_CYCLES; k <= maxCycles; k += STEP) {
    const w = (2 * Math.PI * k) / h;
    for (let y = 0; y < h; y++) {
      cos[y] = Math.cos(w * y);
      sin[y] = Math.sin(w * y);
    }
    let reSum = 0, imSum = 0;
    const coeffs: Array<[number, number]> = [];
    for (const prof of windowed) {
      let re = 0, im = 0;
      for (let y = 0; y < h; y++) {
        re += prof[y] * cos[y];
        im -= prof[y] * sin[y];
      }
      coeffs.push([re, im]);
      reSum += re; imSum += im;
    }
    const re = reSum / windowed.length, im = imSum / windowed.length;
    const p = re * re + im * im;
    powers.push(p);
    if (p > best.p) best = { k, coeffs, re, im, p };
  }
  // Coherence: the share of strips that carry the bands themselves, in phase and at least half as
  // strong as the average — a striped flag or blind in one part of the frame does not qualify.
  const mag = Math.sqrt(Math.max(0, best.p));
  const agreeing = best.coeffs.filter(([re, im]) => mag > 0 && (re * best.re + im * best.im) / mag >= 0.5 * mag).length;
  const sorted = [...powers].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return {
    amplitude: (2 * Math.sqrt(Math.max(0, best.p))) / Math.max(1e-9, wsum),
    cyclesPerFrame: best.k,
    coherence: agreeing / Math.max(1, best.coeffs.length),
    prominence: best.p / Math.max(1e-12, median),
    phase: Math.atan2(best.im, best.re),
  };
}

export const flickerAnalyzer: Analyzer = {
  id: 'flicker',
  description: 'Rolling-shutter banding from mains-powered lights: a coherent periodic row-brightness pattern.',
  codes: ['flicker'],
  requires: [],
  analyze(ctx: AnalysisContext) {
    const m = measureBanding(ctx.luma);
    const metrics = {
      'flicker.amplitude': round(m.amplitude, 4),
      'flicker.cyclesPerFrame': m.cyclesPerFrame,
      'flicker.coherence': round(m.coherence, 3),
      'flicker.prominence': round(m.prominence, 2),
    };
    const banded = m.coherence >= ctx.t('flicker.minCoherence') && m.prominence >= ctx.t('flicker.minProminence');
    const g = banded ? grade(m.amplitude, ctx.t('flicker.amplitude.warn'), ctx.t('flicker.amplitude.fail'), 'above', m.coherence) : undefined;
    const findings = findingIf(
      'flicker',
      g,
      { amplitude: round(m.amplitude, 4), cyclesPerFrame: m.cyclesPerFrame, coherence: round(m.coherence, 3), prominence: round(m.prominence, 2) },
      {
        amplitudeWarn: ctx.t('flicker.amplitude.warn'),
        amplitudeFail: ctx.t('flicker.amplitude.fail'),
        minCoherence: ctx.t('flicker.minCoherence'),
        minProminence: ctx.t('flicker.minProminence'),
      },
      { region: { label: 'banding', box: { x: 0, y: 0, width: ctx.image.width, height: ctx.image.height } } },
    );
    return { metrics, findings };
  },
};
