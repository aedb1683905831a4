// shaking: camera jitter. Per-frame camera motion (global-motion.ts) is a velocity; its slow part
// (a pan, a tilt away, walking) is removed with a moving average shorter than one tremor period
// is long, so what is left is the back-and-forth of a hand-held phone (physiological tremor,
// 4–12 Hz). It is turned into an equivalent displacement amplitude at a typical 6 Hz tremor and
// measured as an RMS over one-second windows.
import type { Finding, Metrics } from '../../types.js';
import { grade } from '../analyzer.js';
import { round } from '../stats.js';
import type { FrameSeries } from './frame-series.js';
import { longest, segmentsOf, totalLength } from './segments.js';
import { highPass, medianInterval } from './signal.js';
import type { ProfileValues } from './thresholds.js';

/** Typical hand-tremor frequency (Hz) used to turn velocity into displacement. */
const TREMOR_HZ = 6;

/** Per-frame jitter (share of the long side) and its one-second RMS. */
export function cameraJitter(s: Pick<FrameSeries, 'count' | 'time' | 'motionX' | 'motionY'>, highPassSeconds: number): { jitter: Float64Array; rms: Float64Array; valid: number } {
  const n = s.count;
  const interval = medianInterval(s.time) || 1 / 30;
  // Velocity in long-side shares per second; untracked frames count as still.
  const vx = new Float64Array(n);
  const vy = new Float64Array(n);
  let valid = 0;
  for (let i = 1; i < n; i++) {
    const dt = s.time[i] - s.time[i - 1];
    const ok = Number.isFinite(s.motionX[i]) && Number.isFinite(s.motionY[i]) && dt > 0;
    if (!ok) continue;
    valid++;
    // A frame after a gap moved over the whole gap; per second it is no faster.
    vx[i] = s.motionX[i] / Math.max(dt, interval);
    vy[i] = s.motionY[i] / Math.max(dt, interval);
  }
  const w = Math.max(3, Math.round(highPassSeconds / interval) | 1);
  const hx = highPass(vx, w);
  const hy = highPass(vy, w);
  const jitter = new Float64Array(n);
  for (let i = 0; i < n; i++) jitter[i] = Math.hypot(hx[i], hy[i]) / (2 * Math.PI * TREMOR_HZ);
  const half = Math.max(1, Math.round(0.5 / interval));
  const sq = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) sq[i + 1] = sq[i] + jitter[i] * jitter[i];
  const rms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(n, i + half + 1);
    rms[i] = Math.sqrt((sq[b] - sq[a]) / (b - a));
  }
  return { jitter, rms, valid };
}

export function analyzeShaking(s: FrameSeries, v: ProfileValues): { findings: Finding[]; metrics: Metrics } {
  if (s.count < 4) return { findings: [], metrics: { 'motion.jitterRms': null } };
  const { rms, valid } = cameraJitter(s, v['video.shake.highPassSeconds']);
  let total = 0;
  let worst = 0;
  let worstAt = 0;
  for (let i = 0; i < s.count; i++) {
    total += rms[i] * rms[i];
    if (rms[i] > worst) {
      worst = rms[i];
      worstAt = i;
    }
  }
  const overall = Math.sqrt(total / s.count);
  const metrics: Metrics = { 'motion.jitterRms': round(overall, 5), 'motion.jitterPeak': round(worst, 5), 'motion.trackedFrameShare': round(valid / Math.max(1, s.count - 1), 3) };
  // Without texture to track (a blank wall) camera motion is unknown: say nothing.
  if (valid < 0.5 * (s.count - 1)) return { findings: [], metrics };
  const warn = v['video.shake.jitter.warn'];
  const interval = medianInterval(s.time);
  const segments = segmentsOf(s.time, Array.from(rms, (r) => r >= warn), interval, 2);
  if (longest(segments) < v['video.shake.minSeconds']) return { findings: [], metrics };
  // Grade the typical level inside the shaky stretches, not one spike.
  let inside = 0, n = 0;
  for (let i = 0; i < s.count; i++) if (rms[i] >= warn) { inside += rms[i] * rms[i]; n++; }
  const level = Math.sqrt(inside / Math.max(1, n));
  const g = grade(level, warn, v['video.shake.jitter.fail'], 'above');
  if (!g) return { findings: [], metrics };
  const duration = s.time[s.count - 1] - s.time[0] + interval;
  return {
    metrics,
    findings: [{
      code: 'shaking',
      severity: g.severity,
      confidence: g.confidence,
      measured: { jitter: round(level, 5), frameShare: round(Math.min(1, totalLength(segments) / duration), 3), worstFrameTime: round(s.time[worstAt], 2) },
      thresholds: { maxJitter: warn, jitterFail: v['video.shake.jitter.fail'], minSeconds: v['video.shake.minSeconds'] },
      segments,
    }],
  };
}
