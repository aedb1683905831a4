// too-short: a liveness clip needs time for the person to settle and perform the action.
import type { Finding } from '../../types.js';
import { grade } from '../analyzer.js';
import { round } from '../stats.js';
import type { ProfileValues } from './thresholds.js';

export function analyzeDuration(durationSeconds: number, v: ProfileValues): Finding[] {
  const g = grade(durationSeconds, v['video.duration.warn'], v['video.duration.fail'], 'below');
  if (!g) return [];
  return [{
    code: 'too-short',
    severity: g.severity,
    confidence: 0.95, // the duration is read, not estimated
    measured: { durationSeconds: round(durationSeconds, 2) },
    thresholds: { minDurationSeconds: v['video.duration.warn'], failBelowSeconds: v['video.duration.fail'] },
  }];
}
