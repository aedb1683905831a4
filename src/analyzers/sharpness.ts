// blur and noise, measured on the face crop at the canonical size (see AnalysisContext), so that
// face size and image resolution do not bias the figures.
import type { Analyzer } from './analyzer.js';
import { findingIf, grade } from './analyzer.js';
import type { AnalysisContext } from './context.js';
import type { Plane } from '../media/raster.js';
import type { Finding, Metrics } from '../types.js';
import { round } from './stats.js';

/** Directions as pixel steps: horizontal, vertical and the two diagonals. */
const DIRECTIONS: Array<[number, number]> = [[1, 0], [0, 1], [1, 1], [1, -1]];

/**
 * Re-blur measure (after Crété-Roffet et al., "The Blur Effect", 2007) along one direction:
 * blur the image further with a line filter and see how much neighbour contrast survives. A sharp
 * image loses a lot (score near 0), an already blurred one almost nothing (score near 1).
 */
function reblurScore(p: Plane, dx: number, dy: number, len: number): number {
  const { width: w, height: h, data } = p;
  const half = Math.floor(len / 2);
  const blurred = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let s = 0;
      for (let k = -half; k <= half; k++) {
        const xx = Math.min(w - 1, Math.max(0, x + k * dx));
        const yy = Math.min(h - 1, Math.max(0, y + k * dy));
        s += data[yy * w + xx];
      }
      blurred[y * w + x] = s / (2 * half + 1);
    }
  }
  let sumF = 0;
  let sumV = 0;
  const m = half + 1; // skip the border where the filter ran off the image
  for (let y = m; y < h - m; y++) {
    for (let x = m; x < w - m; x++) {
      const i = y * w + x;
      const j = (y - dy) * w + (x - dx);
      const dF = Math.abs(data[i] - data[j]);
      const dB = Math.abs(blurred[i] - blurred[j]);
      sumF += dF;
      if (dF > dB) sumV += dF - dB;
    }
  }
  return sumF > 0 ? 1 - sumV / sumF : 1;
}

export interface BlurMeasure {
  /** 0 sharp … 1 fully blurred (worst direction). */
  score: number;
  /** Sharpness of the sharpest direction ÷ the bluriest: ~1 for defocus, large for motion. */
  anisotropy: number;
  /** Angle (degrees, image axes) of the most blurred direction. */
  angle: number;
}

export function measureBlur(p: Plane, canonicalSize: number): BlurMeasure {
  // The filter length scales with the crop so a small native crop is judged at the same relative scale.
  const len = Math.max(3, 2 * Math.round((9 * p.width) / canonicalSize / 2) + 1);
  const scores = DIRECTIONS.map(([dx, dy]) => reblurScore(p, dx, dy, len));
  let worst = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[worst]) worst = i;
  const sharpest = Math.min(...scores);
  const anisotropy = (1 - sharpest) / Math.max(1e-3, 1 - scores[worst]);
  const [dx, dy] = DIRECTIONS[worst];
  return { score: scores[worst], anisotropy, angle: Math.round((Math.atan2(-dy, dx) * 180) / Math.PI) };
}

/**
 * Immerkær's fast noise estimate, made robust to edges by taking the median absolute response of
 * the Laplacian-difference mask (its response to white noise of σ has σ·6 spread).
 */
export function measureNoise(p: Plane): number {
  const { width: w, height: h, data } = p;
  if (w < 5 || h < 5) return NaN;
  const resp = new Float32Array((w - 2) * (h - 2));
  let n = 0;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1; x < w - 1; x++) {
      const i = y * w + x;
      const v =
        data[i - w - 1] - 2 * data[i - w] + data[i - w + 1] -
        2 * data[i - 1] + 4 * data[i] - 2 * data[i + 1] +
        data[i + w - 1] - 2 * data[i + w] + data[i + w + 1];
      resp[n++] = Math.abs(v);
    }
  }
  resp.sort();
  return resp[n >> 1] / (6 * 0.6745);
}

export const sharpnessAnalyzer: Analyzer = {
  id: 'sharpness',
  description: 'Defocus/motion blur (re-blur measure, directional) and sensor noise on the canonical face crop.',
  codes: ['blur', 'noise'],
  requires: ['faces'],
  analyze(ctx: AnalysisContext) {
    const face = ctx.canonicalFace;
    const crop = face ?? ctx.canonicalFrame;
    const basis = face ? 'face' : 'frame';
    const canonical = ctx.t('blur.canonicalSize');
    const b = measureBlur(crop, canonical);
    const noise = measureNoise(crop);
    const metrics: Metrics = {
      'blur.score': round(b.score, 3),
      'blur.anisotropy': round(b.anisotropy, 2),
      'blur.angle': b.angle,
      'blur.cropSize': crop.width,
      'blur.basis': basis,
      'noise.sigma': round(noise, 2),
    };
    const certainty = ctx.faces[0]?.score ?? 0.8;
    const region = ctx.primary ? { region: { label: 'face', box: ctx.primary.face.box } } : {};
    const kind = b.anisotropy >= ctx.t('blur.motionAnisotropy') ? 'motion' : 'defocus';
    const findings: Finding[] = [
      ...findingIf(
        'blur',
        grade(b.score, ctx.t('blur.score.warn'), ctx.t('blur.score.fail'), 'above', certainty),
        { score: round(b.score, 3), kind, anisotropy: round(b.anisotropy, 2), ...(kind === 'motion' ? { angle: b.angle } : {}), basis },
        { scoreWarn: ctx.t('blur.score.warn'), scoreFail: ctx.t('blur.score.fail'), motionAnisotropy: ctx.t('blur.motionAnisotropy') },
        region,
      ),
      ...findingIf(
        'noise',
        grade(noise, ctx.t('noise.sigma.warn'), ctx.t('noise.sigma.fail'), 'above', certainty),
        { sigma: round(noise, 2), basis },
        { sigmaWarn: ctx.t('noise.sigma.warn'), sigmaFail: ctx.t('noise.sigma.fail') },
        region,
      ),
    ];
    return { metrics, findings };
  },
};
