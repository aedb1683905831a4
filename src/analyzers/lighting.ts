// backlit / uneven-lighting: where the light comes from, judged by comparing regions rather than
// absolute levels (so skin tone cancels out).
import type { Analyzer } from './analyzer.js';
import { findingIf, grade } from './analyzer.js';
import { insideEllipse, skinEllipse, type AnalysisContext } from './context.js';
import type { Finding, Metrics } from '../types.js';
import { histogramWhere, percentile, round } from './stats.js';

export const lightingAnalyzer: Analyzer = {
  id: 'lighting',
  description: 'Backlight (face vs surroundings) and uneven light (the two face halves along the eye line).',
  codes: ['backlit', 'uneven-lighting'],
  requires: ['faces'],
  analyze(ctx: AnalysisContext) {
    const metrics: Metrics = {};
    const findings: Finding[] = [];
    findings.push(...backlight(ctx, metrics), ...unevenness(ctx, metrics));
    return { metrics, findings };
  },
};

function backlight(ctx: AnalysisContext, metrics: Metrics): Finding[] {
  const g = ctx.primary;
  let subject: number;
  let background: number;
  let basis: string;
  if (g && ctx.faceHistogram && ctx.backgroundHistogram) {
    // The face's highlights, not its median: a lit face of any skin tone has bright spots, a face in
    // silhouette does not.
    subject = percentile(ctx.faceHistogram, 0.9);
    background = percentile(ctx.backgroundHistogram, 0.5);
    basis = 'face';
  } else if (!g) {
    // No face: a dark middle inside a bright border is the silhouette pattern.
    const { width: w, height: h } = ctx.image;
    const inCentre = (x: number, y: number) => x > w * 0.3 && x < w * 0.7 && y > h * 0.2 && y < h * 0.8;
    subject = percentile(histogramWhere(ctx.luma, inCentre), 0.9);
    background = percentile(histogramWhere(ctx.luma, (x, y) => !inCentre(x, y)), 0.5);
    basis = 'frame-centre';
  } else {
    metrics['backlit.ratio'] = null;
    return [];
  }
  const ratio = background / Math.max(subject, 4);
  metrics['backlit.ratio'] = round(ratio, 3);
  metrics['backlit.subjectP90'] = subject;
  metrics['backlit.backgroundP50'] = background;
  if (background < ctx.t('backlit.minBackgroundP50')) return [];
  const gr = grade(ratio, ctx.t('backlit.ratio.warn'), ctx.t('backlit.ratio.fail'), 'above', ctx.faces[0]?.score ?? 0.8);
  return findingIf(
    'backlit',
    gr,
    { ratio: round(ratio, 3), subjectP90: subject, backgroundP50: background, basis },
    { ratioWarn: ctx.t('backlit.ratio.warn'), ratioFail: ctx.t('backlit.ratio.fail'), minBackgroundP50: ctx.t('backlit.minBackgroundP50') },
    g ? { region: { label: 'face vs background', box: g.headBox } } : {},
  );
}

function unevenness(ctx: AnalysisContext, metrics: Metrics): Finding[] {
  const g = ctx.primary;
  if (!g) {
    metrics['uneven.ratio'] = null;
    return [];
  }
  const e = skinEllipse(g.face.box);
  const cos = Math.cos(g.roll);
  const sin = Math.sin(g.roll);
  // Signed distance along the eye line from the eye midpoint; a strip over the nose ridge is left
  // out because its own shading is not the lighting's fault.
  const ridge = g.ied * 0.15;
  const along = (x: number, y: number) => (x - g.eyeMid.x) * cos + (y - g.eyeMid.y) * sin;
  const left = histogramWhere(ctx.luma, (x, y) => insideEllipse(e, x, y) && along(x, y) < -ridge, e.bounds);
  const right = histogramWhere(ctx.luma, (x, y) => insideEllipse(e, x, y) && along(x, y) > ridge, e.bounds);
  if (left.count < 20 || right.count < 20) {
    metrics['uneven.ratio'] = null;
    return [];
  }
  const l = percentile(left, 0.5);
  const r = percentile(right, 0.5);
  const ratio = Math.max(l, r) / Math.max(Math.min(l, r), 4);
  metrics['uneven.ratio'] = round(ratio, 3);
  metrics['uneven.imageLeftP50'] = l;
  metrics['uneven.imageRightP50'] = r;
  const gr = grade(ratio, ctx.t('uneven.ratio.warn'), ctx.t('uneven.ratio.fail'), 'above', ctx.faces[0].score);
  return findingIf(
    'uneven-lighting',
    gr,
    { ratio: round(ratio, 3), imageLeftP50: l, imageRightP50: r, darkerSide: l < r ? 'image-left' : 'image-right' },
    { ratioWarn: ctx.t('uneven.ratio.warn'), ratioFail: ctx.t('uneven.ratio.fail') },
    { region: { label: l < r ? 'darker half (image left)' : 'darker half (image right)', box: e.bounds } },
  );
}
