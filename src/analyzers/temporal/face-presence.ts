// face-lost: the face leaves the frame (or the detector loses it) for part of the clip. When it is
// missing for most of the clip the per-frame no-face cause speaks instead (aggregate.ts).
import type { Finding, Metrics } from '../../types.js';
import { round } from '../stats.js';
import type { FrameSample } from './samples.js';
import { longest, segmentsOf, totalLength } from './segments.js';
import type { ProfileValues } from './thresholds.js';

export function noFaceShare(samples: readonly FrameSample[]): number {
  if (samples.length === 0) return 0;
  return samples.filter((s) => s.faces.length === 0).length / samples.length;
}

export function analyzeFacePresence(samples: readonly FrameSample[], interval: number, durationSeconds: number, v: ProfileValues): { findings: Finding[]; metrics: Metrics } {
  const share = noFaceShare(samples);
  const metrics: Metrics = { 'faces.missingFrameShare': round(share, 3) };
  if (samples.length === 0 || share === 0 || share >= v['video.noFace.minFrameShare']) return { findings: [], metrics };
  const t = samples.map((s) => s.time);
  const segments = segmentsOf(t, samples.map((s) => s.faces.length === 0), interval, 0, durationSeconds);
  const lost = totalLength(segments);
  const longestGap = longest(segments);
  metrics['faces.lostSeconds'] = round(lost, 2);
  if (longestGap < v['video.faceLost.warnSeconds']) return { findings: [], metrics };
  const fail = lost >= v['video.faceLost.failSeconds'];
  const mid = segments.reduce((m, s) => (s[1] - s[0] > m[1] - m[0] ? s : m), segments[0]);
  return {
    metrics,
    findings: [{
      code: 'face-lost',
      severity: fail ? 'fail' : 'warn',
      // One detector miss per sample would not make a long gap; long gaps are real.
      confidence: round(Math.min(0.95, 0.6 + 0.2 * longestGap), 2),
      measured: { lostSeconds: round(lost, 2), longestGapSeconds: round(longestGap, 2), frameShare: round(share, 3), worstFrameTime: mid[0] },
      thresholds: { maxLongestGapSeconds: v['video.faceLost.warnSeconds'], maxLostSeconds: v['video.faceLost.failSeconds'] },
      segments,
    }],
  };
}
