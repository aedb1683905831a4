// too-dark / too-bright. Judged from percentiles and clipping of the face *and* the scene, never
// from one face-mean threshold, so dark skin in a lit room and pale skin in daylight both pass.
import type { Analyzer } from './analyzer.js';
import { findingIf, grade, worse } from './analyzer.js';
import type { AnalysisContext } from './context.js';
import type { Finding, Metrics } from '../types.js';
import { percentile, round, shareAtLeast } from './stats.js';

const CLIP_LEVEL = 250;

export const exposureAnalyzer: Analyzer = {
  id: 'exposure',
  description: 'Under- and over-exposure from face and scene luma percentiles and clipping.',
  codes: ['too-dark', 'too-bright'],
  requires: ['faces'],
  analyze(ctx: AnalysisContext) {
    const frame = ctx.frameHistogram;
    const frameP50 = percentile(frame, 0.5);
    const frameP90 = percentile(frame, 0.9);
    const frameP99 = percentile(frame, 0.99);
    const frameClip = shareAtLeast(frame, CLIP_LEVEL);
    const metrics: Metrics = {
      'exposure.frameP50': frameP50,
      'exposure.frameP90': frameP90,
      'exposure.frameP99': frameP99,
      'exposure.frameClipShare': round(frameClip, 4),
    };
    const faceHist = ctx.faceHistogram;
    const certainty = ctx.faces[0]?.score ?? 0.9;
    const findings: Finding[] = [];

    // Where the face is the brightest part of what we can measure, use it; with no face, the frame.
    const p90 = faceHist ? percentile(faceHist, 0.9) : frameP90;
    const p10 = faceHist ? percentile(faceHist, 0.1) : percentile(frame, 0.1);
    const p50 = faceHist ? percentile(faceHist, 0.5) : frameP50;
    const clip = faceHist ? shareAtLeast(faceHist, CLIP_LEVEL) : frameClip;
    if (faceHist) {
      metrics['exposure.faceP10'] = p10;
      metrics['exposure.faceP50'] = p50;
      metrics['exposure.faceP90'] = p90;
      metrics['exposure.faceClipShare'] = round(clip, 4);
    }

    // A scene with bright content (a lamp, a white wall, daylight) shows the camera had light: then
    // only a face whose highlights are truly gone counts as too dark (dark skin keeps highlights).
    const sceneLit = frameP99 >= ctx.t('dark.frameP99.warn');
    const darkWarn = sceneLit ? ctx.t('dark.faceP90.fail') : ctx.t('dark.faceP90.warn');
    const darkFail = ctx.t('dark.faceP90.fail');
    const dark = grade(p90, darkWarn, sceneLit ? darkFail * 0.8 : darkFail, 'below', certainty);
    findings.push(
      ...findingIf(
        'too-dark',
        dark,
        { [faceHist ? 'faceP90' : 'frameP90']: p90, frameP99, sceneLit },
        { [faceHist ? 'faceP90Warn' : 'frameP90Warn']: darkWarn, [faceHist ? 'faceP90Fail' : 'frameP90Fail']: darkFail },
        faceHist && ctx.primary ? { region: { label: 'face', box: ctx.primary.face.box } } : {},
      ),
    );

    const byClip = grade(clip, ctx.t('bright.faceClipShare.warn'), ctx.t('bright.faceClipShare.fail'), 'above', certainty);
    const byWash = grade(p10, ctx.t('bright.faceP10.warn'), ctx.t('bright.faceP10.fail'), 'above', certainty);
    const bright = worse(byClip, byWash);
    findings.push(
      ...findingIf(
        'too-bright',
        bright,
        { [faceHist ? 'faceClipShare' : 'frameClipShare']: round(clip, 4), [faceHist ? 'faceP10' : 'frameP10']: p10 },
        {
          clipShareWarn: ctx.t('bright.faceClipShare.warn'),
          clipShareFail: ctx.t('bright.faceClipShare.fail'),
          p10Warn: ctx.t('bright.faceP10.warn'),
          p10Fail: ctx.t('bright.faceP10.fail'),
        },
        faceHist && ctx.primary ? { region: { label: 'face', box: ctx.primary.face.box } } : {},
      ),
    );
    return { metrics, findings };
  },
};
