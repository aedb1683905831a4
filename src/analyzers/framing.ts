// too-close / too-far / off-center (incl. cut off) are about framing: the face relative to the
// frame, i.e. how far the person is from the camera and where they are in the picture.
// low-resolution is about pixels: how many the camera actually captured across the face, whatever
// the framing (a poor camera, a heavily downscaled upload, or one scaled back up afterwards).
import type { Analyzer } from './analyzer.js';
import { findingIf, grade, worse } from './analyzer.js';
import type { AnalysisContext } from './context.js';
import type { Box, Finding, Metrics } from '../types.js';
import { round } from './stats.js';

const VERTICAL_BIAS = 0.05;
const VERTICAL_WEIGHT = 0.6;

function outsideShare(b: Box, w: number, h: number): number {
  const ix = Math.max(0, Math.min(b.x + b.width, w) - Math.max(b.x, 0));
  const iy = Math.max(0, Math.min(b.y + b.height, h) - Math.max(b.y, 0));
  return 1 - (ix * iy) / Math.max(1e-9, b.width * b.height);
}

/** Whether the head box runs past both opposite edges of the frame: the head is bigger than the picture. */
function spillsBothWays(b: Box, w: number, h: number, margin: number): boolean {
  const m = margin * b.height;
  const vertical = b.y < -m && b.y + b.height > h + m;
  const horizontal = b.x < -m && b.x + b.width > w + m;
  return vertical || horizontal;
}

export const framingAnalyzer: Analyzer = {
  id: 'framing',
  description: 'Face size and position in the frame, and pixels across the face.',
  codes: ['too-close', 'too-far', 'off-center', 'low-resolution'],
  requires: ['faces'],
  analyze(ctx: AnalysisContext) {
    const g = ctx.subject.geometry;
    const { width: W, height: H } = ctx.image;
    if (!g) {
      return {
        metrics: {
          'framing.faceSize': null, 'framing.faceFill': null, 'framing.offset': null, 'framing.cutOff': null, 'framing.headroom': null,
          'resolution.ied': null, 'resolution.upscale': null, 'resolution.effectiveIed': null,
        },
        findings: [],
      };
    }
    const box = g.face.box;
    const certainty = g.face.score;
    // Distance from the camera: face width over the frame diagonal. A camera's field of view is
    // roughly fixed along its diagonal, so this falls as 1/distance whatever the aspect ratio or
    // orientation (a 9:16 phone selfie and a 16:9 webcam frame at the same distance agree).
    const faceSize = box.width / Math.hypot(W, H);
    // Fill: face width over the frame's short side — whether the face still fits in the picture.
    const faceFill = box.width / Math.min(W, H);
    const hb = g.headBox;
    const dx = (hb.x + hb.width / 2 - W / 2) / W;
    const dy = (hb.y + hb.height / 2 - H / 2) / H;
    // People frame themselves a little high and vertical slack matters less than horizontal, so the
    // vertical offset is measured from just above centre and weighted down.
    const offset = Math.hypot(dx, (dy + VERTICAL_BIAS) * VERTICAL_WEIGHT);
    const cutOff = outsideShare(hb, W, H);
    // Space above the head as a share of the frame height (negative: the top of the head is cut).
    const headroom = hb.y / H;
    const chinRoom = 1 - (hb.y + hb.height) / H;
    const spills = spillsBothWays(hb, W, H, ctx.t('framing.spillMargin'));
    const ied = g.ied * ctx.scale;
    const up = ctx.upscale;
    const effectiveIed = up ? ied / up.factor : ied;
    const metrics: Metrics = {
      'framing.faceSize': round(faceSize, 3),
      'framing.faceFill': round(faceFill, 3),
      'framing.offset': round(offset, 3),
      'framing.cutOff': round(cutOff, 3),
      'framing.headroom': round(headroom, 3),
      'resolution.ied': round(ied, 1),
      'resolution.upscale': up ? round(up.factor, 2) : 1,
      'resolution.effectiveIed': round(effectiveIed, 1),
    };
    const faceRegion = { region: { label: 'face', box } };
    const findings: Finding[] = [];

    const byFill = grade(faceFill, ctx.t('framing.faceFill.tooCloseWarn'), ctx.t('framing.faceFill.tooCloseFail'), 'above', certainty);
    // A head larger than the frame is too close however the detector sized the visible part.
    const bySpill = spills ? { severity: 'fail' as const, confidence: round(0.8 * certainty, 2) } : undefined;
    // A big face whose head spans the frame from the top edge to near the bottom: the camera is
    // close enough to cut it (a head cut at the top with room below is off-centre instead).
    const tight = faceFill >= ctx.t('framing.faceFill.tightWarn') && headroom < ctx.t('framing.headroom.min') && chinRoom < ctx.t('framing.chinRoom.max');
    const byTight = tight ? { severity: 'warn' as const, confidence: round(0.6 * certainty, 2) } : undefined;
    const close = worse(worse(byFill, bySpill), byTight);
    findings.push(
      ...findingIf('too-close', close, { faceFill: round(faceFill, 3), headroom: round(headroom, 3), headSpillsOut: spills },
        {
          faceFillWarn: ctx.t('framing.faceFill.tooCloseWarn'),
          faceFillFail: ctx.t('framing.faceFill.tooCloseFail'),
          minHeadroom: ctx.t('framing.headroom.min'),
          faceFillTight: ctx.t('framing.faceFill.tightWarn'),
        }, faceRegion),
      ...findingIf('too-far',
        grade(faceSize, ctx.t('framing.faceSize.tooFarWarn'), ctx.t('framing.faceSize.tooFarFail'), 'below', certainty),
        { faceSize: round(faceSize, 3) },
        { faceSizeWarn: ctx.t('framing.faceSize.tooFarWarn'), faceSizeFail: ctx.t('framing.faceSize.tooFarFail') }, faceRegion),
    );
    // A face too close necessarily spills over the edges; say "too close", not "cut off" as well.
    const cut = close ? undefined : grade(cutOff, ctx.t('framing.cutoff.fail') / 2, ctx.t('framing.cutoff.fail'), 'above', certainty);
    const off = close ? undefined : grade(offset, ctx.t('framing.offset.warn'), ctx.t('framing.offset.fail'), 'above', certainty);
    const chosen = cut && (!off || cut.severity === 'fail' || off.severity === 'warn') ? cut : off;
    if (chosen) {
      findings.push({
        code: 'off-center',
        severity: chosen.severity,
        confidence: chosen.confidence,
        measured: { offset: round(offset, 3), cutOff: round(cutOff, 3), direction: direction(dx, dy) },
        thresholds: { offsetWarn: ctx.t('framing.offset.warn'), offsetFail: ctx.t('framing.offset.fail'), cutOffFail: ctx.t('framing.cutoff.fail') },
        region: { label: 'head', box: hb },
      });
    }
    // Pixels across the face: the eye distance in the original file, divided by how much the face
    // had been enlarged from a smaller picture before it reached us (an upscale adds no detail).
    findings.push(
      ...findingIf('low-resolution',
        grade(effectiveIed, ctx.t('resolution.ied.warn'), ctx.t('resolution.ied.fail'), 'below', certainty),
        { interEyePx: round(effectiveIed, 1), ...(up ? { fileInterEyePx: round(ied, 1), upscaledBy: round(up.factor, 1) } : {}) },
        { interEyePxWarn: ctx.t('resolution.ied.warn'), interEyePxFail: ctx.t('resolution.ied.fail') },
        { region: { label: 'eyes', box: { x: Math.min(g.face.keypoints.rightEye.x, g.face.keypoints.leftEye.x), y: g.eyeMid.y - g.ied * 0.2, width: g.ied, height: g.ied * 0.4 } } }),
    );
    return { metrics, findings };
  },
};

/** Which way the face sits off centre, in the words a person would use about the picture. */
function direction(dx: number, dy: number): string {
  const parts: string[] = [];
  if (dy < -0.1) parts.push('top');
  if (dy > 0.1) parts.push('bottom');
  if (dx < -0.1) parts.push('left');
  if (dx > 0.1) parts.push('right');
  return parts.join('-') || 'centre';
}
