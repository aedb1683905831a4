// too-close / too-far / off-center (incl. cut off) are about framing: the face relative to the
// frame. low-resolution is about pixels: how many lie across the face, whatever the framing.
import type { Analyzer } from './analyzer.js';
import { findingIf, grade } from './analyzer.js';
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

export const framingAnalyzer: Analyzer = {
  id: 'framing',
  description: 'Face size and position in the frame, and pixels across the face.',
  codes: ['too-close', 'too-far', 'off-center', 'low-resolution'],
  requires: ['faces'],
  analyze(ctx: AnalysisContext) {
    const g = ctx.primary;
    const { width: W, height: H } = ctx.image;
    if (!g) {
      return { metrics: { 'framing.faceShare': null, 'framing.offset': null, 'framing.cutOff': null, 'resolution.ied': null }, findings: [] };
    }
    const box = g.face.box;
    const certainty = g.face.score;
    // The share of the frame the face spans in its tighter dimension: portrait or landscape alike.
    const faceShare = Math.max(box.width / W, box.height / H);
    const hb = g.headBox;
    const dx = (hb.x + hb.width / 2 - W / 2) / W;
    const dy = (hb.y + hb.height / 2 - H / 2) / H;
    // People frame themselves a little high and vertical slack matters less than horizontal, so the
    // vertical offset is measured from just above centre and weighted down.
    const offset = Math.hypot(dx, (dy + VERTICAL_BIAS) * VERTICAL_WEIGHT);
    const cutOff = outsideShare(hb, W, H);
    const ied = g.ied * ctx.scale;
    const metrics: Metrics = {
      'framing.faceShare': round(faceShare, 3),
      'framing.offset': round(offset, 3),
      'framing.cutOff': round(cutOff, 3),
      'resolution.ied': round(ied, 1),
    };
    const faceRegion = { region: { label: 'face', box } };
    const findings: Finding[] = [];
    const close = grade(faceShare, ctx.t('framing.faceShare.tooCloseWarn'), ctx.t('framing.faceShare.tooCloseFail'), 'above', certainty);
    findings.push(
      ...findingIf('too-close', close, { faceShare: round(faceShare, 3) },
        { faceShareWarn: ctx.t('framing.faceShare.tooCloseWarn'), faceShareFail: ctx.t('framing.faceShare.tooCloseFail') }, faceRegion),
      ...findingIf('too-far',
        grade(faceShare, ctx.t('framing.faceShare.tooFarWarn'), ctx.t('framing.faceShare.tooFarFail'), 'below', certainty),
        { faceShare: round(faceShare, 3) },
        { faceShareWarn: ctx.t('framing.faceShare.tooFarWarn'), faceShareFail: ctx.t('framing.faceShare.tooFarFail') }, faceRegion),
    );
    // A face too close necessarily spills over the edges; say "too close", not "cut off" as well.
    const cut = close ? undefined : grade(cutOff, ctx.t('framing.cutoff.fail') / 2, ctx.t('framing.cutoff.fail'), 'above', certainty);
    const off = grade(offset, ctx.t('framing.offset.warn'), ctx.t('framing.offset.fail'), 'above', certainty);
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
    findings.push(
      ...findingIf('low-resolution',
        grade(ied, ctx.t('resolution.ied.warn'), ctx.t('resolution.ied.fail'), 'below', certainty),
        { interEyePx: round(ied, 1) },
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
