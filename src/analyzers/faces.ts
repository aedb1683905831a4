// no-face / multiple-faces: how many people the detector sees. Which detection is the subject and
// which are other people is decided in AnalysisContext.subject (see subject.ts): duplicate boxes
// over the subject's own head and weak detections are not people.
import type { Analyzer } from './analyzer.js';
import type { AnalysisContext } from './context.js';
import type { Finding } from '../types.js';
import { round } from './stats.js';

export const facesAnalyzer: Analyzer = {
  id: 'faces',
  description: 'Whether exactly one face is present.',
  codes: ['no-face', 'multiple-faces'],
  requires: ['faces'],
  analyze(ctx: AnalysisContext) {
    const { main, others, ignored } = ctx.subject;
    const findings: Finding[] = [];
    if (!main) {
      findings.push({
        code: 'no-face',
        severity: 'fail',
        // Weak detections that were set aside make "no face" a little less certain.
        confidence: ignored.length ? 0.8 : 0.9,
        measured: { facesDetected: 0, weakDetections: ignored.length },
        thresholds: { minScore: ctx.t('face.minScore') },
      });
      return { metrics: { 'faces.count': 0, 'faces.otherAreaShare': null, 'faces.ignored': ignored.length }, findings };
    }
    const mainArea = main.box.width * main.box.height;
    const shares = others.map((f) => (f.box.width * f.box.height) / mainArea);
    const counted = others.filter((_, i) => shares[i] >= ctx.t('faces.bystanderMinAreaShare'));
    const largest = counted.length ? Math.max(...shares.filter((s) => s >= ctx.t('faces.bystanderMinAreaShare'))) : 0;
    if (counted.length > 0) {
      const comparable = largest >= ctx.t('faces.secondMinAreaShare');
      const second = others[shares.indexOf(largest)];
      findings.push({
        code: 'multiple-faces',
        severity: comparable ? 'fail' : 'warn',
        confidence: round(Math.min(second.score, 0.99), 2),
        measured: { faces: counted.length + 1, secondFaceAreaShare: round(largest, 3), secondFaceScore: round(second.score, 2) },
        thresholds: {
          secondMinAreaShare: ctx.t('faces.secondMinAreaShare'),
          bystanderMinAreaShare: ctx.t('faces.bystanderMinAreaShare'),
          minSecondFaceScore: ctx.t('faces.otherMinScore'),
        },
        region: { label: 'other face', box: second.box },
      });
    }
    return {
      metrics: { 'faces.count': counted.length + 1, 'faces.otherAreaShare': round(largest, 3), 'faces.ignored': ignored.length },
      findings,
    };
  },
};
