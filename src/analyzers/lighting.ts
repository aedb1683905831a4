// backlit / uneven-lighting: where the light comes from, judged by comparing regions in stops of
// light rather than absolute levels, so skin tone cancels out.
//   - backlit: what surrounds the head (where a window or lamp behind the person would be) is
//     bright and stops brighter than even the face's highlights. A bright backdrop behind a well
//     exposed face is not enough (studio and ID photos on white); either the face is in deep
//     shadow against it, or the light behind veils the whole frame (no true blacks left), which
//     is what light shining into the lens does.
//   - uneven-lighting (after the ISO/IEC 29794-5 illumination-uniformity measure, which compares
//     the two face halves split along the eye line): mirrored points of the two halves — cheek
//     with cheek, brow with brow — are compared, so the face's own symmetric shading cancels, and
//     the difference must hold for three quarters of the pairs, so a strand of hair or a glint
//     on one side does not count as shadow.
import type { Analyzer } from './analyzer.js';
import { findingIf, grade } from './analyzer.js';
import type { AnalysisContext, FaceGeometry } from './context.js';
import type { Box, Finding, Metrics } from '../types.js';
import { linearOf, stopsBetween } from './exposure.js';
import { boxMean } from '../media/resample.js';
import { emptyHistogram, histogramRect, percentile, round, type Histogram } from './stats.js';

export const lightingAnalyzer: Analyzer = {
  id: 'lighting',
  description: 'Backlight (head surroundings vs face highlights) and uneven light (mirrored halves of the face).',
  codes: ['backlit', 'uneven-lighting'],
  requires: ['faces'],
  analyze(ctx: AnalysisContext) {
    const metrics: Metrics = {};
    const findings: Finding[] = [...backlight(ctx, metrics), ...unevenness(ctx, metrics)];
    return { metrics, findings };
  },
};

// ------------------------------------------------------------------------------------ backlight

interface BacklightInput {
  /** The subject's level: the face's brightest tenth, or without a face the frame centre's median. */
  subjectP90: number;
  /** Median and upper quartile of what surrounds it. */
  surroundP50: number;
  surroundP75: number;
  basis: 'face' | 'frame-centre';
  region?: Box;
}

function backlightInput(ctx: AnalysisContext): BacklightInput | undefined {
  const g = ctx.primary;
  if (g) {
    const face = ctx.faceHistogram;
    const sur = ctx.surroundHistogram;
    if (!face || !sur || face.count === 0) return undefined;
    return {
      subjectP90: percentile(face, 0.9),
      surroundP50: percentile(sur, 0.5),
      surroundP75: percentile(sur, 0.75),
      basis: 'face',
      region: g.headBox,
    };
  }
  // No face: a dark middle under a bright top and sides is the silhouette pattern. The middle
  // is judged by its median (it holds some background too), the surroundings — the top band and
  // the sides beside where a head would be — by their upper quartile.
  const { width: w, height: h } = ctx.image;
  const centre: Box = { x: w * 0.3, y: h * 0.25, width: w * 0.4, height: h * 0.65 };
  const inner = histogramRect(ctx.luma, centre);
  const around = histogramSum([
    histogramRect(ctx.luma, { x: 0, y: 0, width: w, height: h * 0.25 }),
    histogramRect(ctx.luma, { x: 0, y: h * 0.25, width: w * 0.15, height: h * 0.35 }),
    histogramRect(ctx.luma, { x: w * 0.85, y: h * 0.25, width: w * 0.15, height: h * 0.35 }),
  ]);
  if (inner.count === 0 || around.count === 0) return undefined;
  return {
    subjectP90: percentile(inner, 0.5),
    surroundP50: percentile(around, 0.5),
    surroundP75: percentile(around, 0.75),
    basis: 'frame-centre',
    region: centre,
  };
}

function histogramSum(parts: Histogram[]): Histogram {
  const out = emptyHistogram();
  for (const p of parts) {
    for (let i = 0; i < 256; i++) out.bins[i] += p.bins[i];
    out.count += p.count;
  }
  return out;
}

function backlight(ctx: AnalysisContext, metrics: Metrics): Finding[] {
  const input = backlightInput(ctx);
  if (!input) {
    for (const k of ['ratio', 'gapStops', 'subjectP90', 'backgroundP50', 'blackLevel']) metrics[`backlit.${k}`] = null;
    return [];
  }
  const { subjectP90, surroundP50, surroundP75, basis } = input;
  // Stops between the bright surroundings and the face's highlights.
  const gap = stopsBetween(surroundP75, subjectP90);
  // Veiling glare: light from behind scattered in the lens lifts the darkest parts of the frame.
  const blackLevel = percentile(ctx.frameHistogram, 0.01);
  const veiled = blackLevel >= ctx.t('backlit.veilBlackLevel');
  metrics['backlit.ratio'] = round(linearOf(surroundP75) / Math.max(linearOf(subjectP90), 1 / 4096), 3);
  metrics['backlit.gapStops'] = round(gap, 2);
  metrics['backlit.subjectP90'] = subjectP90;
  metrics['backlit.backgroundP50'] = surroundP50;
  metrics['backlit.blackLevel'] = blackLevel;
  if (surroundP50 < ctx.t('backlit.minSurroundP50')) return [];
  const warn = veiled ? ctx.t('backlit.veiledGapStops.warn') : ctx.t('backlit.gapStops.warn');
  const fail = warn + (ctx.t('backlit.gapStops.fail') - ctx.t('backlit.gapStops.warn'));
  const certainty = ctx.primary ? ctx.primary.face.score : 0.8;
  return findingIf(
    'backlit',
    grade(gap, warn, fail, 'above', certainty),
    { gapStops: round(gap, 2), subjectP90, surroundP50, surroundP75, blackLevel, veiled, basis },
    {
      gapStopsWarn: warn,
      gapStopsFail: fail,
      minSurroundP50: ctx.t('backlit.minSurroundP50'),
      veilBlackLevel: ctx.t('backlit.veilBlackLevel'),
    },
    input.region ? { region: { label: basis === 'face' ? 'face vs surroundings' : 'centre vs border', box: input.region } } : {},
  );
}

// ------------------------------------------------------------------------------------ unevenness

/**
 * Sample grid over each half, in face units (see mirroredHalves): from the brow down to the mouth
 * line, from beside the nose to the outer cheek.
 */
const ACROSS = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
const DOWN = [-0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

interface HalvesMeasure {
  /** log2(light on the image-left point ÷ image-right point) that 3/4 of the mirrored pairs reach. */
  stops: number;
  pairs: number;
  leftP50: number;
  rightP50: number;
}

/**
 * Pairs of points mirrored across the face's midline. Across the face the unit is each half's own
 * width (eye midpoint to that side's ear keypoint), so a turned head still pairs cheek with cheek;
 * down the face it is the eye-to-mouth distance, from the eye line (negative = forehead).
 */
function mirroredHalves(ctx: AnalysisContext, g: FaceGeometry): HalvesMeasure | undefined {
  const kp = g.face.keypoints;
  const ex = Math.cos(g.roll);
  const ey = Math.sin(g.roll);
  const nx = -ey;
  const ny = ex;
  const m = g.eyeMid;
  // Signed position along the eye line (image-left negative).
  const along = (p: { x: number; y: number }) => (p.x - m.x) * ex + (p.y - m.y) * ey;
  const clampHalf = (v: number) => Math.min(1.6 * g.ied, Math.max(0.5 * g.ied, v));
  // rightEye/rightEar are the subject's right: the image-left side.
  const earLeft = -along(kp.rightEar);
  const earRight = along(kp.leftEar);
  let halfLeft = clampHalf(earLeft);
  let halfRight = clampHalf(earRight);
  // An ear keypoint no farther out than its eye is a guess, not a turn: the detector loses the
  // ear on a face half in deep shadow. The halves are then taken as equal, from the eye distance.
  const eyeHalf = 0.5 * g.ied;
  if (!(earLeft > eyeHalf) || !(earRight > eyeHalf)) {
    halfLeft = halfRight = clampHalf(1.05 * g.ied);
  } else if (Math.max(halfLeft, halfRight) > MAX_TURN * Math.min(halfLeft, halfRight)) {
    // A head turned far to one side shows one cheek edge-on: it faces the light differently.
    return undefined;
  }
  const down = Math.max(0.5 * g.ied, (kp.mouth.x - m.x) * nx + (kp.mouth.y - m.y) * ny);
  const r = Math.max(0.5, 0.06 * g.ied);
  const luma = ctx.luma;
  const d: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  for (const v of DOWN) {
    const cx = m.x + v * down * nx;
    const cy = m.y + v * down * ny;
    for (const u of ACROSS) {
      const lx = cx - u * halfLeft * ex;
      const ly = cy - u * halfLeft * ey;
      const rx = cx + u * halfRight * ex;
      const ry = cy + u * halfRight * ey;
      const a = boxMean(luma, lx - r, ly - r, lx + r, ly + r);
      const b = boxMean(luma, rx - r, ry - r, rx + r, ry + r);
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      left.push(a);
      right.push(b);
      d.push(Math.log2((linearOf(a) + LIGHT_FLOOR) / (linearOf(b) + LIGHT_FLOOR)));
    }
  }
  if (d.length < MIN_PAIRS) return undefined;
  // Side light darkens the whole far half: the difference holds for (nearly) every pair. A strand
  // of hair, bangs on one brow, a hand or a reflection in one lens changes some pairs only, so
  // take the difference that three quarters of the pairs reach, in the direction of the majority.
  const s = Float64Array.from(d).sort(); // typed sort: numeric, native, no comparator closure per call
  // Interpolated quantile: q(p) of the mirrored picture is exactly −q(1 − p) of this one (a
  // rounded index is not, for some pair counts), so mirroring never changes the magnitude.
  const q = (p: number) => {
    const pos = Math.min(1, Math.max(0, p)) * (s.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(s.length - 1, lo + 1);
    return s[lo] + (s[hi] - s[lo]) * (pos - lo);
  };
  const stops = median(d) >= 0 ? Math.max(0, q(CONSISTENT_SHARE_LOW)) : Math.min(0, q(1 - CONSISTENT_SHARE_LOW));
  return { stops, pairs: d.length, leftP50: median(left), rightP50: median(right) };
}

/** Added to linear light before ratios: noise-level shadows should not read as many stops. */
const LIGHT_FLOOR = 0.002;
const MIN_PAIRS = 20;
/** The reported difference is the one this share of pairs falls short of (1 − share reach it). */
const CONSISTENT_SHARE_LOW = 0.25;
/** Largest ratio of the two half-widths judged (about 35° of head turn). */
const MAX_TURN = 3;

function median(v: number[]): number {
  const s = Float64Array.from(v).sort();
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : 0.5 * (s[k - 1] + s[k]);
}

function unevenness(ctx: AnalysisContext, metrics: Metrics): Finding[] {
  const g = ctx.primary;
  const h = g && g.ied >= ctx.t('uneven.minIed') ? mirroredHalves(ctx, g) : undefined;
  if (!g || !h) {
    metrics['uneven.ratio'] = null;
    metrics['uneven.stops'] = null;
    metrics['uneven.imageLeftP50'] = null;
    metrics['uneven.imageRightP50'] = null;
    return [];
  }
  const stops = Math.abs(h.stops);
  // Reported as a lighting ratio (brighter ÷ darker half, linear light): 2 = one stop.
  const ratio = Math.pow(2, stops);
  metrics['uneven.stops'] = round(stops, 2);
  metrics['uneven.ratio'] = round(ratio, 3);
  metrics['uneven.imageLeftP50'] = round(h.leftP50, 1);
  metrics['uneven.imageRightP50'] = round(h.rightP50, 1);
  const darker = h.stops < 0 ? 'image-left' : 'image-right';
  const b = g.face.box;
  const half: Box = darker === 'image-left' ? { x: b.x, y: b.y, width: b.width / 2, height: b.height } : { x: b.x + b.width / 2, y: b.y, width: b.width / 2, height: b.height };
  return findingIf(
    'uneven-lighting',
    grade(ratio, ctx.t('uneven.ratio.warn'), ctx.t('uneven.ratio.fail'), 'above', g.face.score),
    { ratio: round(ratio, 2), stops: round(stops, 2), darkerSide: darker, imageLeftP50: round(h.leftP50, 1), imageRightP50: round(h.rightP50, 1), pairs: h.pairs },
    { ratioWarn: ctx.t('uneven.ratio.warn'), ratioFail: ctx.t('uneven.ratio.fail') },
    { region: { label: `darker half (${darker})`, box: half } },
  );
}
