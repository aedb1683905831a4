// blur and noise. Blur is judged on the inner face (eyes, nose, mouth) resampled to a canonical
// size (AnalysisContext.canonicalFace), so face size and image resolution do not bias it; the
// physics is in blur-measure.ts, the weighting of its band ratios in blur-model.ts (fitted by
// tools/train-blur.ts). Noise is a property of the file's pixels, so it is measured on the same
// region at working resolution, where the grain actually is.
import type { Analyzer } from './analyzer.js';
import { findingIf, grade } from './analyzer.js';
import type { AnalysisContext } from './context.js';
import { blurFeatures, immerkaerNoise, type BlurFeatures } from './blur-measure.js';
import { cropResample } from '../media/resample.js';
import type { Plane } from '../media/raster.js';
import { BLUR_FEATURES, BLUR_MODEL } from './blur-model.js';
import { BLUR_NATIVE_MODEL } from './blur-model-native.js';
import { detailCrop, faceFrameOf, faceUnit, nativeBlurFeatures } from './sharpness-native.js';
import type { Box, Finding, Metrics } from '../types.js';
import { round } from './stats.js';

export interface BlurJudgement {
  /** Model probability that the crop is blurred, 0 sharp … 1 blurred. */
  score: number;
  kind: 'defocus' | 'motion';
  /** Direction the picture was smeared along (degrees, 0 = horizontal, counter-clockwise). */
  angle: number;
  /** How much of the detail loss runs along one direction: ~0.3 defocus, ≥ 1 camera shake. */
  directionality: number;
  features: BlurFeatures;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * Noise is read from the lower quartile of the Immerkær responses rather than the median: on a
 * small face, eyes, brows and lips fill much of the region and lift the median, while grain lifts
 * every quantile alike (tune half: clean 98th percentile 1.7 vs 2.1 with the median, noisy 5th
 * percentile 2.7 vs 3.1).
 */
const NOISE_QUANTILE = 0.25;

/**
 * Score a crop with the committed model and tell defocus (detail lost evenly) from shake (lost
 * along one direction). Directionality = the cos 2φ amplitude of the per-direction loss of
 * two-octave detail, ln(E1/E4) minus a sharp face's own profile, divided by the mean loss: about
 * 0.3 for a lens blur, ≥ 1 for a straight shake.
 */
export function judgeBlur(f: BlurFeatures, motionDirectionality: number): BlurJudgement {
  let z = BLUR_MODEL.bias;
  BLUR_FEATURES.forEach((name, i) => (z += BLUR_MODEL.weights[i] * f[name]));
  const d = f.wideByDir.map((v, i) => v - BLUR_MODEL.directionPrior[i]);
  const c = (d[0] - d[1]) / 2;
  const s = (d[2] - d[3]) / 2;
  const loss = -(d[0] + d[1] + d[2] + d[3]) / 4;
  const directionality = (2 * Math.hypot(c, s)) / Math.max(0.15, loss);
  // d peaks along the sharpest direction; the smear runs across it. Image y points down, so the
  // angle is mirrored to read counter-clockwise as a person looks at the picture.
  const sharpest = (Math.atan2(s, c) / 2) * (180 / Math.PI);
  const smearImage = ((Math.round(sharpest + 90) % 180) + 180) % 180;
  return {
    score: sigmoid(z),
    kind: directionality >= motionDirectionality ? 'motion' : 'defocus',
    angle: (180 - smearImage) % 180,
    directionality,
    features: f,
  };
}

/**
 * Probability of mild blur from the native-scale measure (sharpness-native.ts), for faces of the
 * size it was fitted on (CelebA: 11–27 px between the eyes). Undefined with no face, a face outside
 * that size range (smaller ones are a few blobs; larger ones are judged finely enough on the
 * canonical crop and were never part of the fit), a picture enlarged from a smaller one (soft
 * because of the enlargement: low-resolution), or too little of the face inside the frame.
 */
function nativeBlur(ctx: AnalysisContext): { score: number; unit: number } | undefined {
  const g = ctx.subject.geometry;
  if (!g || ctx.upscale) return undefined;
  const frame = faceFrameOf(g);
  const unit = faceUnit(frame);
  if (unit < ctx.t('blur.native.minUnitPx') || unit > ctx.t('blur.native.maxUnitPx')) return undefined;
  const crop = detailCrop(ctx.luma, frame, ctx.t('blur.native.unitPx'));
  if (!crop) return undefined;
  const x = nativeBlurFeatures(crop);
  const z = BLUR_NATIVE_MODEL.weights.reduce((s, w, i) => s + w * x[i], BLUR_NATIVE_MODEL.bias);
  return { score: sigmoid(z), unit };
}

/**
 * No face: judge the frame tile by tile. Lens blur or a shaking camera covers the whole picture,
 * so the frame counts as blurred only if its sharper tiles are: the score is the lower quartile
 * over tiles with something to measure (a plain wall or a T-shirt has too little contrast to say
 * either way and is skipped). Undefined when fewer than four tiles have texture.
 */
function frameBlur(frame: Plane, size: number, minContrast: number, motionDirectionality: number): BlurJudgement | undefined {
  const judged: BlurJudgement[] = [];
  for (let y = 0; y + size <= frame.height; y += size / 2) {
    for (let x = 0; x + size <= frame.width; x += size / 2) {
      const f = blurFeatures(cropResample(frame, { x, y, width: size, height: size }, size, size));
      if (f.contrast >= minContrast) judged.push(judgeBlur(f, motionDirectionality));
    }
  }
  if (judged.length < 4) return undefined;
  judged.sort((a, b) => a.score - b.score);
  return judged[Math.floor((judged.length - 1) / 4)];
}

/**
 * Noise σ on the inner face at working resolution. A face of a dozen pixels is all eyes and mouth,
 * which the estimator would read as grain, so small (and missing) faces use the frame centre.
 */
function noiseIn(ctx: AnalysisContext, box: Box | undefined): number {
  const { width: W, height: H } = ctx.image;
  const usable = box && box.width >= ctx.t('blur.minFacePx');
  const b = usable ? box : { x: W * 0.2, y: H * 0.2, width: W * 0.6, height: H * 0.6 };
  return immerkaerNoise(ctx.luma, { x0: Math.floor(b.x), y0: Math.floor(b.y), x1: Math.ceil(b.x + b.width), y1: Math.ceil(b.y + b.height) }, NOISE_QUANTILE);
}

export const sharpnessAnalyzer: Analyzer = {
  id: 'sharpness',
  description: 'Defocus/motion blur (band-energy ratios on the canonical inner-face crop) and sensor noise.',
  codes: ['blur', 'noise'],
  requires: ['faces'],
  analyze(ctx: AnalysisContext) {
    const face = ctx.canonicalFace;
    const inner = ctx.innerFaceBox;
    const size = Math.round(ctx.t('blur.canonicalSize'));
    const b = face
      ? judgeBlur(blurFeatures(face), ctx.t('blur.motionDirectionality'))
      : frameBlur(ctx.canonicalFrame, size, ctx.t('blur.frameMinContrast'), ctx.t('blur.motionDirectionality'));
    if (!b) {
      const noise = noiseIn(ctx, inner);
      return {
        metrics: { 'blur.score': null, 'blur.basis': 'frame-featureless', 'noise.sigma': Number.isFinite(noise) ? round(noise, 2) : null },
        findings: findingIf('noise', grade(noise, ctx.t('noise.sigma.warn'), ctx.t('noise.sigma.fail'), 'above', 0.8),
          { sigma: round(noise, 2), basis: 'frame' }, { sigmaWarn: ctx.t('noise.sigma.warn'), sigmaFail: ctx.t('noise.sigma.fail') }),
      };
    }
    const noise = noiseIn(ctx, inner);
    // Blur cannot be told apart on a face of a dozen pixels (enlarging it to the canonical size
    // blurs it), and a face enlarged from a small picture is soft because of that, not the lens:
    // both are low-resolution, reported by the framing analyzer.
    const tooSmall = inner !== undefined && inner.width < ctx.t('blur.minFacePx');
    const up = ctx.upscale;
    const upscaled = up !== undefined && ctx.subject.geometry !== undefined && (ctx.subject.geometry.ied * ctx.scale) / up.factor < ctx.t('resolution.ied.warn');
    const basis = !face ? 'frame' : tooSmall ? 'face-too-small' : upscaled ? 'face-upscaled' : 'face';
    const f = b.features;
    const metrics: Metrics = {
      'blur.score': round(b.score, 3),
      'blur.fine': round(f.fine, 3),
      'blur.worstWide': round(f.worstWide, 3),
      'blur.directionality': round(b.directionality, 3),
      'blur.angle': b.angle,
      'blur.basis': basis,
      'noise.sigma': Number.isFinite(noise) ? round(noise, 2) : null,
    };
    const certainty = ctx.subject.main?.score ?? 0.8;
    const box = ctx.subject.main?.box;
    const region = box ? { region: { label: 'face', box } } : {};
    const judged = basis === 'face' || basis === 'frame';
    // Mild blur at the face's own pixels, on small faces (see nativeBlur): judged also when the
    // face is small enough to be low-resolution too, and then both are reported: the advice
    // differs (hold still, focus, clean the lens vs. come closer or use a better camera).
    const native = face ? nativeBlur(ctx) : undefined;
    metrics['blur.nativeScore'] = native ? round(native.score, 3) : null;
    const canonical = judged ? grade(b.score, ctx.t('blur.score.warn'), ctx.t('blur.score.fail'), 'above', certainty) : undefined;
    const mild = native ? grade(native.score, ctx.t('blur.native.warn'), 1.01, 'above', certainty) : undefined;
    const findings: Finding[] = [
      ...findingIf(
        'blur',
        canonical ?? mild,
        {
          score: round(b.score, 3),
          ...(native ? { nativeScore: round(native.score, 3) } : {}),
          kind: b.kind,
          ...(b.kind === 'motion' ? { angle: b.angle } : {}),
          fineDetail: round(f.fine, 3),
          worstDirectionDetail: round(f.worstWide, 3),
          directionality: round(b.directionality, 2),
          basis: canonical ? basis : 'face-native',
        },
        {
          scoreWarn: ctx.t('blur.score.warn'),
          scoreFail: ctx.t('blur.score.fail'),
          nativeScoreWarn: ctx.t('blur.native.warn'),
          directionalityMotion: ctx.t('blur.motionDirectionality'),
        },
        region,
      ),
      ...findingIf(
        'noise',
        grade(noise, ctx.t('noise.sigma.warn'), ctx.t('noise.sigma.fail'), 'above', certainty),
        { sigma: round(noise, 2), basis: inner && inner.width >= ctx.t('blur.minFacePx') ? 'face' : 'frame' },
        { sigmaWarn: ctx.t('noise.sigma.warn'), sigmaFail: ctx.t('noise.sigma.fail') },
        region,
      ),
    ];
    return { metrics, findings };
  },
};
