// no-face / multiple-faces: how many people the detector sees.
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
    const faces = ctx.faces;
    const findings: Finding[] = [];
    if (faces.length === 0) {
      findings.push({
        code: 'no-face',
        severity: 'fail',
        confidence: 0.9,
        measured: { facesDetected: 0 },
        thresholds: { minScore: ctx.t('face.minScore') },
      });
      return { metrics: { 'faces.count': 0, 'faces.otherAreaShare': null }, findings };
    }
    const area = (i: number) => faces[i].box.width * faces[i].box.height;
    const main = area(0);
    const others = faces.slice(1).map((_, i) => area(i + 1) / main);
    const counted = others.filter((s) => s >= ctx.t('faces.bystanderMinAreaShare'));
    const largest = counted.length ? Math.max(...counted) : 0;
    if (counted.length > 0) {
      const comparable = largest >= ctx.t('faces.secondMinAreaShare');
      const second = faces[1 + others.indexOf(largest)];
      findings.push({
        code: 'multiple-faces',
        severity: comparable ? 'fail' : 'warn',
        confidence: round(Math.min(second.score, 0.99), 2),
        measured: { faces: counted.length + 1, secondFaceAreaShare: round(largest, 3) },
        thresholds: { secondMinAreaShare: ctx.t('faces.secondMinAreaShare'), bystanderMinAreaShare: ctx.t('faces.bystanderMinAreaShare') },
        region: { label: 'other face', box: second.box },
      });
    }
    return { metrics: { 'faces.count': counted.length + 1, 'faces.otherAreaShare': round(largest, 3) }, findings };
  },
};
