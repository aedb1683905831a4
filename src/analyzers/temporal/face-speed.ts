// moving-too-fast: the face centre moving across the frame faster than trackers and exposure can
// follow, in face widths per second (so it means the same close to or far from the camera).
import type { Finding, Metrics } from '../../types.js';
import { grade } from '../analyzer.js';
import { round } from '../stats.js';
import type { FrameSample } from './samples.js';
import { longest, segmentsOf, totalLength } from './segments.js';
import type { ProfileValues } from './thresholds.js';

/** Speed at each sample (from the previous sample with a face), NaN where unknown. */
export function faceSpeeds(samples: readonly FrameSample[], maxGap: number): Float64Array {
  const out = new Float64Array(samples.length).fill(NaN);
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1].faces[0];
    const b = samples[i].faces[0];
    const dt = samples[i].time - samples[i - 1].time;
    if (!a || !b || !(dt > 0) || dt > maxGap) continue;
    const ca = { x: a.box.x + a.box.width / 2, y: a.box.y + a.box.height / 2 };
    const cb = { x: b.box.x + b.box.width / 2, y: b.box.y + b.box.height / 2 };
    const width = (a.box.width + b.box.width) / 2;
    out[i] = Math.hypot(cb.x - ca.x, cb.y - ca.y) / width / dt;
  }
  return out;
}

export function analyzeFaceSpeed(samples: readonly FrameSample[], interval: number, durationSeconds: number, v: ProfileValues): { findings: Finding[]; metrics: Metrics } {
  const speeds = faceSpeeds(samples, 2.5 * interval);
  const finite = Array.from(speeds).filter(Number.isFinite).sort((a, b) => a - b);
  const metrics: Metrics = {
    'motion.faceSpeedMedian': finite.length ? round(finite[finite.length >> 1], 3) : null,
    'motion.faceSpeedMax': finite.length ? round(finite[finite.length - 1], 3) : null,
  };
  const warn = v['video.speed.warn'];
  // A sample's speed covers the interval that ends at it.
  const t = samples.map((s, i) => (i > 0 ? samples[i - 1].time : s.time));
  const segments = segmentsOf(t, Array.from(speeds, (x) => x >= warn), interval, 0, durationSeconds);
  if (longest(segments) < v['video.speed.minSeconds'] - 1e-6) return { findings: [], metrics };
  let worst = 0, worstAt = 0;
  speeds.forEach((x, i) => {
    if (x > worst) { worst = x; worstAt = i; }
  });
  const fast = Array.from(speeds).filter((x) => x >= warn).sort((a, b) => a - b);
  const typical = fast[fast.length >> 1];
  const g = grade(typical, warn, v['video.speed.fail'], 'above');
  if (!g) return { findings: [], metrics };
  return {
    metrics,
    findings: [{
      code: 'moving-too-fast',
      severity: g.severity,
      confidence: g.confidence,
      measured: { faceWidthsPerSecond: round(typical, 2), peak: round(worst, 2), frameShare: round(Math.min(1, totalLength(segments) / durationSeconds), 3), worstFrameTime: round(samples[worstAt].time, 2) },
      thresholds: { maxFaceWidthsPerSecond: warn, faceWidthsPerSecondFail: v['video.speed.fail'] },
      segments,
    }],
  };
}
