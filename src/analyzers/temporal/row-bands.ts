// Rolling-shutter bands in one video frame, as numbers the temporal flicker test can follow.
// A light pulsing at 100/120 Hz adds the same sinusoid (in log brightness) to every column and
// every part of the frame height, with one phase counted from the top row. So each frame's
// log-luma row profiles are cut into a grid of cells (vertical strips × upper/lower half) and a
// sinusoid of each candidate frequency is fitted in every cell (with the cell's own offset and
// slope). Bands give every cell the same complex coefficient; scene structure at the same scale
// (a dark shirt, a bright wall) lives in some cells only. The still analyzer's measureBanding fits
// one sinusoid over the whole height per strip, which scene structure passes on real clips.
import type { Plane } from '../../media/raster.js';

export const BAND_STRIPS = 6;
export const BAND_HALVES = 2;
export const BAND_CELLS = BAND_STRIPS * BAND_HALVES;
const MIN_CYCLES = 2;
const MAX_CYCLES = 16;
const STEP = 0.25;
/** Row profiles are averaged down to this many rows: 16 cycles still get 6 rows each. */
const PROFILE_ROWS = 96;

/** One frame's cell coefficients: for cycle index k and cell j, (re, im) at [(k·CELLS + j)·2]. */
export interface BandCoefficients {
  cycles: readonly number[];
  data: Float32Array;
}

export interface RowBands {
  /** Amplitude (log-luma ≈ relative brightness) of the sinusoid all cells share. */
  amplitude: number;
  /** Cycles per frame height. */
  cycles: number;
  /** |mean of cell coefficients| ÷ mean |cell coefficient|: 1 when every cell has that phase. */
  consistency: number;
  /** Phase (radians) at the top row. */
  phase: number;
}

interface HalfBasis {
  y0: number;
  y1: number;
  /** cos and sin with the half's mean and linear trend projected out. */
  c: Float64Array;
  s: Float64Array;
  /** Inverse Gram matrix [[cc, cs], [cs, ss]]⁻¹ entries. */
  icc: number;
  ics: number;
  iss: number;
}

interface Basis {
  rows: number;
  cycles: number[];
  /** [cycle index][half] */
  halves: HalfBasis[][];
}

const bases = new Map<number, Basis>();

function detrendInto(v: Float64Array, y0: number, y1: number): void {
  const n = y1 - y0;
  const ym = (y0 + y1 - 1) / 2;
  let m = 0, syy = 0, sy = 0;
  for (let y = y0; y < y1; y++) m += v[y - y0];
  m /= n;
  for (let y = y0; y < y1; y++) {
    const d = y - ym;
    sy += (v[y - y0] - m) * d;
    syy += d * d;
  }
  const k = syy > 0 ? sy / syy : 0;
  for (let y = y0; y < y1; y++) v[y - y0] -= m + k * (y - ym);
}

function basisFor(rows: number): Basis {
  let b = bases.get(rows);
  if (b) return b;
  const cycles: number[] = [];
  const halves: HalfBasis[][] = [];
  const maxCycles = Math.min(MAX_CYCLES, rows / 6);
  for (let cyc = MIN_CYCLES; cyc <= maxCycles + 1e-9; cyc += STEP) {
    const w = (2 * Math.PI * cyc) / rows;
    const perHalf: HalfBasis[] = [];
    for (let h = 0; h < BAND_HALVES; h++) {
      const y0 = Math.floor((h * rows) / BAND_HALVES);
      const y1 = Math.floor(((h + 1) * rows) / BAND_HALVES);
      const c = new Float64Array(y1 - y0);
      const s = new Float64Array(y1 - y0);
      for (let y = y0; y < y1; y++) {
        c[y - y0] = Math.cos(w * (y + 0.5));
        s[y - y0] = Math.sin(w * (y + 0.5));
      }
      detrendInto(c, y0, y1);
      detrendInto(s, y0, y1);
      let cc = 0, ss = 0, cs = 0;
      for (let i = 0; i < c.length; i++) {
        cc += c[i] * c[i]; ss += s[i] * s[i]; cs += c[i] * s[i];
      }
      const det = cc * ss - cs * cs;
      perHalf.push({ y0, y1, c, s, icc: ss / det, ics: -cs / det, iss: cc / det });
    }
    cycles.push(cyc);
    halves.push(perHalf);
  }
  b = { rows, cycles, halves };
  bases.set(rows, b);
  return b;
}

/** Luma of any numeric type (8-bit thumbnails or float planes). */
export interface LumaLike {
  width: number;
  height: number;
  data: ArrayLike<number>;
}

/**
 * Log-luma row profile of each vertical strip, averaged down to at most PROFILE_ROWS rows.
 * `transpose`: the sensor rows are the picture's columns (portrait), so read it turned.
 */
function stripProfiles(luma: LumaLike, transpose: boolean): { rows: number; profiles: Float64Array[] } {
  const { data } = luma;
  const stride = luma.width;
  const width = transpose ? luma.height : luma.width;
  const height = transpose ? luma.width : luma.height;
  const rows = Math.min(PROFILE_ROWS, height);
  const profiles: Float64Array[] = [];
  for (let s = 0; s < BAND_STRIPS; s++) {
    const x0 = Math.floor((s * width) / BAND_STRIPS);
    const x1 = Math.max(x0 + 1, Math.floor(((s + 1) * width) / BAND_STRIPS));
    const prof = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      const y0 = Math.floor((r * height) / rows);
      const y1 = Math.max(y0 + 1, Math.floor(((r + 1) * height) / rows));
      let sum = 0;
      for (let y = y0; y < y1; y++) {
        if (transpose) for (let x = x0; x < x1; x++) sum += data[x * stride + y];
        else for (let x = x0, row = y * stride; x < x1; x++) sum += data[row + x];
      }
      prof[r] = Math.log(sum / ((y1 - y0) * (x1 - x0)) + 4);
    }
    profiles.push(prof);
  }
  return { rows, profiles };
}

/**
 * Least-squares sinusoid coefficients z = A − iB (pattern ≈ |z|·cos(wy + arg z)) for every
 * candidate frequency and cell. `luma` must have the sensor rows horizontal.
 */
export function bandCoefficients(luma: LumaLike, transpose = false): BandCoefficients {
  const { rows, profiles } = stripProfiles(luma, transpose);
  const basis = basisFor(rows);
  const data = new Float32Array(basis.cycles.length * BAND_CELLS * 2);
  const seg = new Float64Array(rows);
  for (let s = 0; s < BAND_STRIPS; s++) {
    for (let h = 0; h < BAND_HALVES; h++) {
      const { y0, y1 } = basis.halves[0][h];
      for (let y = y0; y < y1; y++) seg[y - y0] = profiles[s][y];
      for (let k = 0; k < basis.cycles.length; k++) {
        const hb = basis.halves[k][h];
        let pc = 0, ps = 0;
        for (let i = 0; i < y1 - y0; i++) {
          pc += seg[i] * hb.c[i];
          ps += seg[i] * hb.s[i];
        }
        const a = hb.icc * pc + hb.ics * ps;
        const b = hb.ics * pc + hb.iss * ps;
        const o = (k * BAND_CELLS + s * BAND_HALVES + h) * 2;
        data[o] = a;
        data[o + 1] = -b;
      }
    }
  }
  return { cycles: basis.cycles, data };
}

/** The strongest sinusoid all cells of one frame share (the spatial, single-frame test). */
export function sharedBands(coeffs: BandCoefficients): RowBands {
  let best: RowBands = { amplitude: 0, cycles: 0, consistency: 0, phase: 0 };
  const d = coeffs.data;
  for (let k = 0; k < coeffs.cycles.length; k++) {
    let re = 0, im = 0, mag = 0;
    for (let j = 0; j < BAND_CELLS; j++) {
      const o = (k * BAND_CELLS + j) * 2;
      re += d[o]; im += d[o + 1]; mag += Math.hypot(d[o], d[o + 1]);
    }
    const amplitude = Math.hypot(re, im) / BAND_CELLS;
    if (amplitude > best.amplitude) {
      best = { amplitude, cycles: coeffs.cycles[k], consistency: mag > 0 ? Math.hypot(re, im) / mag : 0, phase: Math.atan2(im, re) };
    }
  }
  return best;
}

export function measureRowBands(luma: Plane, transpose = false): RowBands {
  return sharedBands(bandCoefficients(luma, transpose));
}
