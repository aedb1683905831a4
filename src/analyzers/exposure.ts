// too-dark / too-bright. Judged from clipping and percentiles of the face *and* the scene, in
// stops of light rather than luma levels, never from one face-mean threshold — so dark skin in a
// lit room and pale skin in daylight both pass:
//   - too dark: nothing in the picture comes near white (the camera ran out of light: even the
//     brightest surfaces, catch-lights and skin highlights sit stops below white), or the face
//     itself is nearly black while its surroundings are dark too (a bright background behind a
//     dark face is backlight, reported by the lighting analyzer instead);
//   - too bright: the skin of the upper face (forehead, eyes, upper cheeks — clear of a white
//     mask) is burnt out — most of it clipped, or even its darker quarter close to white — or it is
//     light and either the scene is burnt too, or the face sits stops above a dark scene, or its
//     bright tones have turned yellow (the red channel clipped while green kept rising: see
//     highlight-hue.ts). A clipped window or white wall alone is not overexposure, and pale skin
//     whose cheeks clip while the features survive and keep the skin's hue is not either.
import type { Analyzer } from './analyzer.js';
import { findingIf, grade, worse } from './analyzer.js';
import type { AnalysisContext, FaceGeometry } from './context.js';
import type { Finding, Metrics } from '../types.js';
import { highlightHue } from './highlight-hue.js';
import { histogramRect, percentile, round, shareAtLeast } from './stats.js';
import type { Box } from '../types.js';

/** Luma at or above this is clipped (JPEG ringing keeps true white a few levels below 255). */
const CLIP_LEVEL = 250;

const LINEAR = new Float64Array(256);
for (let v = 0; v < 256; v++) {
  const c = v / 255;
  LINEAR[v] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
}

/** Relative light (linear, 0..1) of an sRGB-encoded level 0..255. */
export function linearOf(level: number): number {
  return LINEAR[Math.max(0, Math.min(255, Math.round(level)))];
}

/** How many stops of light below white an encoded level is (0 at 255; capped for black). */
export function stopsBelowWhite(level: number): number {
  return -Math.log2(Math.max(linearOf(level), 1 / 4096));
}

/** Stops of light between two encoded levels (positive when `a` is brighter than `b`). */
export function stopsBetween(a: number, b: number): number {
  return stopsBelowWhite(b) - stopsBelowWhite(a);
}

export const exposureAnalyzer: Analyzer = {
  id: 'exposure',
  description: 'Under- and over-exposure from scene headroom, face highlights and skin clipping.',
  codes: ['too-dark', 'too-bright'],
  requires: ['faces'],
  analyze(ctx: AnalysisContext) {
    const frame = ctx.frameHistogram;
    const frameP999 = percentile(frame, 0.999);
    const headroom = stopsBelowWhite(frameP999);
    const frameClip = shareAtLeast(frame, CLIP_LEVEL);
    const frameP10 = percentile(frame, 0.1);
    const metrics: Metrics = {
      'exposure.frameP50': percentile(frame, 0.5),
      'exposure.frameP90': percentile(frame, 0.9),
      'exposure.frameP99': percentile(frame, 0.99),
      'exposure.frameP999': frameP999,
      'exposure.headroomStops': round(headroom, 2),
      'exposure.frameClipShare': round(frameClip, 4),
      'exposure.frameP10': frameP10,
    };
    for (const k of ['faceP10', 'faceP50', 'faceP90', 'faceClipShare', 'faceP25', 'upperFaceP50', 'faceOverSceneStops', 'highlightHueShift', 'highlightChroma']) metrics[`exposure.${k}`] = null;
    const g = ctx.primary;
    // A face box that lies off the frame leaves an empty skin histogram: judge the frame alone.
    const faceHist = ctx.faceHistogram && ctx.faceHistogram.count > 0 ? ctx.faceHistogram : undefined;
    const certainty = g ? g.face.score : 0.9;
    const region = g ? { region: { label: 'face', box: g.face.box } } : {};
    const findings: Finding[] = [];

    // ---- too dark
    const byScene = grade(headroom, ctx.t('dark.headroom.warn'), ctx.t('dark.headroom.fail'), 'above', certainty);
    let byFace: ReturnType<typeof grade>;
    let faceP90 = NaN;
    let surroundP50 = NaN;
    if (faceHist) {
      faceP90 = percentile(faceHist, 0.9);
      const sur = ctx.surroundHistogram;
      surroundP50 = sur ? percentile(sur, 0.5) : NaN;
      metrics['exposure.faceP10'] = percentile(faceHist, 0.1);
      metrics['exposure.faceP50'] = percentile(faceHist, 0.5);
      metrics['exposure.faceP90'] = faceP90;
      // A black face in front of a bright background is backlight (the lighting analyzer's call).
      const litBehind = surroundP50 >= ctx.t('dark.litSurroundP50');
      if (!litBehind) byFace = grade(faceP90, ctx.t('dark.faceP90.warn'), ctx.t('dark.faceP90.fail'), 'below', certainty);
    }
    findings.push(
      ...findingIf(
        'too-dark',
        worse(byScene, byFace),
        {
          headroomStops: round(headroom, 2),
          frameP999,
          ...(faceHist ? { faceP90, surroundP50: Number.isFinite(surroundP50) ? surroundP50 : 'n/a' } : {}),
          basis: faceHist ? 'face and scene' : 'frame',
        },
        {
          headroomStopsWarn: ctx.t('dark.headroom.warn'),
          headroomStopsFail: ctx.t('dark.headroom.fail'),
          ...(faceHist ? { faceP90Warn: ctx.t('dark.faceP90.warn'), faceP90Fail: ctx.t('dark.faceP90.fail') } : {}),
        },
        region,
      ),
    );

    // ---- too bright
    // Without a trustworthy face (none found, or a weak detection — a burnt-out face is often
    // missed and something else found): a frame mostly burnt out with even its darkest tenth
    // lifted off black, or half of it near white. With a confident face the face decides: a white
    // studio backdrop clips as much as overexposure does.
    const frameP50 = percentile(frame, 0.5);
    const scene = worse(
      frameP10 >= ctx.t('bright.frameP10.min') ? grade(frameClip, ctx.t('bright.frameClipShare.warn'), ctx.t('bright.frameClipShare.fail'), 'above', 0.8) : undefined,
      grade(frameP50, ctx.t('bright.frameP50.warn'), ctx.t('bright.frameP50.fail'), 'above', 0.8),
    );
    const sceneThresholds: Record<string, number> = {
      frameClipShareWarn: ctx.t('bright.frameClipShare.warn'),
      frameClipShareFail: ctx.t('bright.frameClipShare.fail'),
      frameP10Min: ctx.t('bright.frameP10.min'),
      frameP50Warn: ctx.t('bright.frameP50.warn'),
      frameP50Fail: ctx.t('bright.frameP50.fail'),
    };
    const trusted = g !== undefined && g.face.score >= ctx.t('bright.trustFaceScore');
    const upperRect = g ? upperFaceRect(g) : undefined;
    const upper = upperRect ? histogramRect(ctx.luma, upperRect) : undefined;
    if (upper && upper.count > 0) {
      const faceClip = shareAtLeast(upper, CLIP_LEVEL);
      const faceP25 = percentile(upper, 0.25);
      metrics['exposure.faceClipShare'] = round(faceClip, 4);
      metrics['exposure.faceP25'] = faceP25;
      // The skin burnt out: most of it clipped, or even its darker quarter near white.
      const byClip = grade(faceClip, ctx.t('bright.faceClipShare.warn'), ctx.t('bright.faceClipShare.fail'), 'above', certainty);
      const byWash = grade(faceP25, ctx.t('bright.faceP25.warn'), ctx.t('bright.faceP25.fail'), 'above', certainty);
      // A light face in a picture with large clipped areas: the exposure is at its limit. Light
      // = the upper face's darker quarter near white, or its median near white: overexposure
      // lifts the face and burns the scene together. (The upper face, so a white mask does not count.)
      const skinP50 = percentile(upper, 0.5);
      metrics['exposure.upperFaceP50'] = skinP50;
      const lightFace = faceP25 >= ctx.t('bright.blownFaceP25') || skinP50 >= ctx.t('bright.blownFaceP50');
      const byBlown = lightFace ? grade(frameClip, ctx.t('bright.blownClipShare'), ctx.t('bright.frameClipShare.fail'), 'above', certainty) : undefined;
      // …or a light face far brighter than its scene: the camera metered for the dark room and the
      // face, lit by a lamp or screen close in front, went to white without burning the scene.
      const faceOverScene = stopsBetween(skinP50, frameP50);
      metrics['exposure.faceOverSceneStops'] = round(faceOverScene, 2);
      const byLitFace = lightFace
        ? grade(faceOverScene, ctx.t('bright.faceOverSceneStops.warn'), ctx.t('bright.faceOverSceneStops.fail'), 'above', certainty)
        : undefined;
      // …or a light face whose bright tones turned yellow: its red channel is pinned at white while
      // green still climbs. Judged only when those tones are visibly coloured: the hue of near-grey
      // highlights (a webcam that desaturates them) is noise.
      const hue = upperRect ? highlightHue(ctx.image, upperRect) : undefined;
      const hueShift = hue ? hue.shiftDeg : NaN;
      const brightChroma = hue ? hue.brightChroma : NaN;
      metrics['exposure.highlightHueShift'] = Number.isFinite(hueShift) ? hueShift : null;
      metrics['exposure.highlightChroma'] = Number.isFinite(brightChroma) ? brightChroma : null;
      const byHue =
        lightFace && brightChroma >= ctx.t('bright.highlightChroma.min')
          ? grade(hueShift, ctx.t('bright.highlightHueShift.warn'), ctx.t('bright.highlightHueShift.fail'), 'above', certainty)
          : undefined;
      findings.push(
        ...findingIf(
          'too-bright',
          worse(worse(worse(byClip, byWash), byHue), worse(byLitFace, trusted ? byBlown : worse(byBlown, scene))),
          {
            faceClipShare: round(faceClip, 4),
            faceP25,
            upperFaceP50: skinP50,
            frameClipShare: round(frameClip, 4),
            frameP10,
            frameP50,
            faceOverSceneStops: round(faceOverScene, 2),
            highlightHueShift: Number.isFinite(hueShift) ? hueShift : 'n/a',
            highlightChroma: Number.isFinite(brightChroma) ? brightChroma : 'n/a',
            basis: trusted ? 'face and scene' : 'frame (face uncertain)',
          },
          {
            faceClipShareWarn: ctx.t('bright.faceClipShare.warn'),
            faceClipShareFail: ctx.t('bright.faceClipShare.fail'),
            faceP25Warn: ctx.t('bright.faceP25.warn'),
            faceP25Fail: ctx.t('bright.faceP25.fail'),
            blownFaceP25: ctx.t('bright.blownFaceP25'),
            blownFaceP50: ctx.t('bright.blownFaceP50'),
            blownClipShare: ctx.t('bright.blownClipShare'),
            faceOverSceneStopsWarn: ctx.t('bright.faceOverSceneStops.warn'),
            faceOverSceneStopsFail: ctx.t('bright.faceOverSceneStops.fail'),
            highlightHueShiftWarn: ctx.t('bright.highlightHueShift.warn'),
            highlightHueShiftFail: ctx.t('bright.highlightHueShift.fail'),
            highlightChromaMin: ctx.t('bright.highlightChroma.min'),
            ...(trusted ? { frameClipShareFail: ctx.t('bright.frameClipShare.fail') } : sceneThresholds),
          },
          region,
        ),
      );
    } else {
      findings.push(...findingIf('too-bright', scene, { frameClipShare: round(frameClip, 4), frameP10, frameP50, basis: 'frame' }, sceneThresholds));
    }
    return { metrics, findings };
  },
};

/**
 * Forehead, eyes and upper cheeks (eye line − 0.6 IED down to the nose tip, 0.45 IED beside the
 * eyes): the skin that burns out first, clear of a white mask or collar below the nose.
 */
function upperFaceRect(g: FaceGeometry): Box {
  const { rightEye, leftEye, nose } = g.face.keypoints;
  const x0 = Math.min(rightEye.x, leftEye.x) - 0.45 * g.ied;
  const x1 = Math.max(rightEye.x, leftEye.x) + 0.45 * g.ied;
  const y0 = g.eyeMid.y - 0.6 * g.ied;
  const y1 = Math.max(nose.y, g.eyeMid.y + 0.3 * g.ied);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
