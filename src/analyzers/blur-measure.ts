// Blur physics on the canonical inner-face crop (eyes, nose, mouth; see AnalysisContext).
//
// The measure is spectral, not edge-counting: the mean squared difference between pixels `lag`
// apart, E(lag), weighs the power spectrum by 4·sin²(π·f·lag). Its ratios between lags compare
// neighbouring frequency bands, so they do not depend on contrast or skin tone:
//   E(1)/E(2) ≈ 0.5 for a sharp step edge, → 0.25 for a smooth (blurred) ramp, 1 for white noise.
// Sensor noise adds the same 2σ² to every E(lag); it is estimated and subtracted first, so grain
// does not pass for detail. Four directions are measured separately: defocus softens all of
// them, camera shake mainly the one it moved along.
import type { Plane } from '../media/raster.js';

/** Pixel steps of the four measured directions: 0°, 90°, 45°, 135° (image y axis points down). */
const DIRS: ReadonlyArray<readonly [number, number]> = [[1, 0], [0, 1], [1, 1], [-1, 1]];
const DIR_DEG = [0, 90, 45, 135];
const LAGS = [1, 2, 4, 8] as const;

export interface BlurFeatures {
  /** Fine-band sharpness: mean over directions of ln(E1/E2) (noise removed). Higher = sharper. */
  fine: number;
  /** Mid-band sharpness: mean over directions of ln(E2/E4). Higher = sharper. */
  mid: number;
  /** Fine-band sharpness of the most blurred direction. */
  worst: number;
  /** ln(E1/E4) of the most blurred direction: spans two octaves, so strong blur does not saturate it. */
  worstWide: number;
  /** Coarse-band sharpness: mean over directions of ln(E4/E8). */
  coarse: number;
  /** ln(E1/E2) per direction (0°, 90°, 45°, 135° in image axes). */
  fineByDir: number[];
  /** ln(E1/E4) per direction. */
  wideByDir: number[];
  /** How much sharper the best direction is than the worst (cos 2φ fit amplitude, ln units). */
  anisotropy: number;
  /** Direction (degrees, 0 = horizontal, counter-clockwise in the picture) the detail was smeared along. */
  angle: number;
  /** Noise σ on the crop (luma levels), as removed from the differences. */
  noise: number;
  /**
   * RMS difference at lag 4 with the noise removed: the crop's detail contrast, for judging whether
   * there is anything to measure. Noise is left out so that a crop of pure grain (all of it
   * "noise", no detail once the noise is subtracted) counts as featureless rather than as blurred.
   */
  contrast: number;
}

/** lagEnergy with the noise floor taken off (kept above zero for the log ratios). */
function bandEnergy(p: Plane, dx: number, dy: number, lag: number, m: number, floor: number): number {
  return Math.max(1e-3, lagEnergy(p, dx, dy, lag, m) - floor);
}

/** Mean squared difference between pixels (dx, dy)·lag apart, inside a border of `m` pixels. */
function lagEnergy(p: Plane, dx: number, dy: number, lag: number, m: number): number {
  const { width: w, height: h, data } = p;
  const off = (dy * w + dx) * lag;
  let s = 0;
  let n = 0;
  for (let y = m; y < h - m; y++) {
    const yy = y + dy * lag;
    if (yy < 0 || yy >= h) continue;
    for (let x = m; x < w - m; x++) {
      const xx = x + dx * lag;
      if (xx < 0 || xx >= w) continue;
      const i = y * w + x;
      const d = data[i] - data[i + off];
      s += d * d;
      n++;
    }
  }
  return n > 0 ? s / n : 0;
}

/**
 * Immerkær's noise estimate (1996): the 3×3 mask below cancels smooth image structure up to
 * second order, so what it responds to is mostly noise; its response to white noise of σ has
 * standard deviation 6σ. A quantile of |response| (the median by default, divided by that quantile
 * of a half-normal) rather than its spread keeps edges, eyelashes and hair from inflating it.
 */
export function immerkaerNoise(p: Plane, bounds?: { x0: number; y0: number; x1: number; y1: number }, quantile = 0.5): number {
  const { width: w, data } = p;
  const x0 = Math.max(1, bounds?.x0 ?? 1);
  const y0 = Math.max(1, bounds?.y0 ?? 1);
  const x1 = Math.min(w - 1, bounds?.x1 ?? w - 1);
  const y1 = Math.min(p.height - 1, bounds?.y1 ?? p.height - 1);
  if (x1 - x0 < 3 || y1 - y0 < 3) return NaN;
  // A median needs a few thousand samples, not a whole high-resolution face: step over rows and
  // columns of large regions (the mask itself still sees adjacent pixels).
  const step = Math.max(1, Math.floor(Math.sqrt(((x1 - x0) * (y1 - y0)) / 40_000)));
  // |response| / 6 histogram in 1/8-level bins up to 64 levels: a median without sorting.
  const BINS = 512;
  const hist = new Uint32Array(BINS + 1);
  let n = 0;
  for (let y = y0; y < y1; y += step) {
    for (let x = x0; x < x1; x += step) {
      const i = y * w + x;
      const v =
        data[i - w - 1] - 2 * data[i - w] + data[i - w + 1] -
        2 * data[i - 1] + 4 * data[i] - 2 * data[i + 1] +
        data[i + w - 1] - 2 * data[i + w] + data[i + w + 1];
      const b = Math.min(BINS, Math.floor((Math.abs(v) / 6) * 8));
      hist[b]++;
      n++;
    }
  }
  let acc = 0;
  for (let b = 0; b <= BINS; b++) {
    acc += hist[b];
    if (acc >= n * quantile) {
      // Interpolate inside the bin so small σ do not snap to 1/8-level steps.
      const before = acc - hist[b];
      const frac = hist[b] > 0 ? (n * quantile - before) / hist[b] : 0.5;
      return ((b + frac) / 8) / gaussQuantile(quantile);
    }
  }
  return BINS / 8 / gaussQuantile(quantile);
}

/**
 * Crop `box` of `p` (clamped to the plane) and shrink it to outW×outH by averaging every source
 * pixel whose centre falls in an output pixel's footprint: anti-aliased like an area resample but
 * costing only the crop's own pixels (no whole-frame integral image). Enlarging falls back to
 * bilinear interpolation.
 */
export function areaCrop(p: Plane, box: { x: number; y: number; width: number; height: number }, outW: number, outH: number): Plane {
  const out = new Float32Array(outW * outH);
  const sx = box.width / outW;
  const sy = box.height / outH;
  const { width: w, height: h, data } = p;
  const clampX = (v: number) => (v < 0 ? 0 : v > w - 1 ? w - 1 : v);
  const clampY = (v: number) => (v < 0 ? 0 : v > h - 1 ? h - 1 : v);
  if (sx >= 1 && sy >= 1) {
    for (let oy = 0; oy < outH; oy++) {
      const ya = Math.ceil(box.y + oy * sy - 0.5);
      const yb = Math.max(ya + 1, Math.ceil(box.y + (oy + 1) * sy - 0.5));
      for (let ox = 0; ox < outW; ox++) {
        const xa = Math.ceil(box.x + ox * sx - 0.5);
        const xb = Math.max(xa + 1, Math.ceil(box.x + (ox + 1) * sx - 0.5));
        let s = 0;
        for (let y = ya; y < yb; y++) {
          const row = clampY(y) * w;
          for (let x = xa; x < xb; x++) s += data[row + clampX(x)];
        }
        out[oy * outW + ox] = s / ((yb - ya) * (xb - xa));
      }
    }
  } else {
    for (let oy = 0; oy < outH; oy++) {
      const fy = clampY(box.y + (oy + 0.5) * sy - 0.5);
      const y0 = Math.floor(fy);
      const y1 = Math.min(h - 1, y0 + 1);
      const ty = fy - y0;
      for (let ox = 0; ox < outW; ox++) {
        const fx = clampX(box.x + (ox + 0.5) * sx - 0.5);
        const x0 = Math.floor(fx);
        const x1 = Math.min(w - 1, x0 + 1);
        const tx = fx - x0;
        const top = data[y0 * w + x0] * (1 - tx) + data[y0 * w + x1] * tx;
        const bottom = data[y1 * w + x0] * (1 - tx) + data[y1 * w + x1] * tx;
        out[oy * outW + ox] = top * (1 - ty) + bottom * ty;
      }
    }
  }
  return { width: outW, height: outH, data: out };
}

/** The q-quantile of |N(0, 1)| for the quantiles used here (0.5 → 0.6745). */
function gaussQuantile(q: number): number {
  // Inverse of erf via a few Newton steps on the half-normal CDF: exact enough for a scale factor.
  let x = 0.6745;
  for (let i = 0; i < 20; i++) {
    const cdf = erf(x / Math.SQRT2);
    x -= (cdf - q) / (Math.sqrt(2 / Math.PI) * Math.exp((-x * x) / 2));
  }
  return x;
}

function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
}

/** Blur features of a (small, canonical) crop. */
export function blurFeatures(p: Plane): BlurFeatures {
  const m = 2;
  const noise = immerkaerNoise(p);
  const floor = 2 * (Number.isFinite(noise) ? noise : 0) ** 2;
  const fineD: number[] = [];
  const midD: number[] = [];
  const wideD: number[] = [];
  const coarseD: number[] = [];
  let contrast = 0;
  for (const [dx, dy] of DIRS) {
    const e1 = bandEnergy(p, dx, dy, LAGS[0], m, floor);
    const e2 = bandEnergy(p, dx, dy, LAGS[1], m, floor);
    const e4 = bandEnergy(p, dx, dy, LAGS[2], m, floor);
    const e8 = bandEnergy(p, dx, dy, LAGS[3], m, floor);
    fineD.push(Math.log(e1 / e2));
    midD.push(Math.log(e2 / e4));
    wideD.push(Math.log(e1 / e4));
    coarseD.push(Math.log(e4 / e8));
    contrast += e4;
  }
  contrast = Math.sqrt(contrast / DIRS.length);
  const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
  // Fit fine(φ) ≈ a + b·cos(2(φ − θ)) through the four directions: θ is the sharpest direction,
  // so the smear runs at θ + 90°.
  const c = (fineD[0] - fineD[1]) / 2;
  const s = (fineD[2] - fineD[3]) / 2;
  const amp = Math.hypot(c, s);
  const sharpest = (Math.atan2(s, c) / 2) * (180 / Math.PI);
  let angle = Math.round(sharpest + 90);
  angle = ((angle % 180) + 180) % 180;
  return {
    fine: mean(fineD),
    mid: mean(midD),
    worst: Math.min(...fineD),
    worstWide: Math.min(...wideD),
    coarse: mean(coarseD),
    fineByDir: fineD,
    wideByDir: wideD,
    anisotropy: 2 * amp,
    // The picture's y axis points down; report the angle counter-clockwise as a person sees it.
    angle: (180 - angle) % 180,
    noise,
    contrast,
  };
}

export { DIR_DEG as BLUR_DIRECTIONS_DEG };
