// frozen-video: the picture stops changing — repeated identical frames, or a gap in the
// timestamps (dropped frames). Both are the "unstable network / overloaded phone" symptom, and
// both make motion-based liveness checks fail. A freeze is the time between two consecutive
// distinct pictures; a live camera changes its picture every frame, even on a tripod (noise).
import type { Finding, Metrics } from '../../types.js';
import { round } from '../stats.js';
import type { FrameSeries } from './frame-series.js';
import type { Segment } from './segments.js';
import { medianInterval } from './signal.js';
import type { ProfileValues } from './thresholds.js';

export interface FreezeReport {
  freezes: Segment[];
  /** Intervals between distinct pictures longer than gapFactor × the typical frame interval. */
  droppedIntervals: number;
  intervals: number;
  repeatedFrames: number;
}

export function findFreezes(s: Pick<FrameSeries, 'count' | 'time' | 'diff'>, v: ProfileValues): FreezeReport {
  const interval = medianInterval(s.time);
  const freezes: Segment[] = [];
  let dropped = 0, intervals = 0, repeated = 0;
  let lastNew = 0; // index of the last frame that showed a new picture
  const close = (i: number) => {
    // Picture of frame lastNew was shown from its time until frame i's time.
    const held = s.time[i] - s.time[lastNew];
    if (!(held > 0)) return;
    intervals++;
    if (held >= v['video.frozen.stallSeconds']) freezes.push([round(s.time[lastNew], 2), round(s.time[i], 2)]);
    else if (held > v['video.frozen.gapFactor'] * interval) dropped++;
  };
  for (let i = 1; i < s.count; i++) {
    if (s.diff[i] < v['video.frozen.repeatDiff']) {
      repeated++;
      continue;
    }
    close(i);
    lastNew = i;
  }
  // A clip that ends frozen: the last picture stayed until the last frame's end.
  if (s.count > 1 && lastNew < s.count - 1) {
    const end = s.time[s.count - 1] + (interval || 0);
    if (end - s.time[lastNew] >= v['video.frozen.stallSeconds']) freezes.push([round(s.time[lastNew], 2), round(end, 2)]);
  }
  return { freezes, droppedIntervals: dropped, intervals, repeatedFrames: repeated };
}

export function analyzeFrozen(s: FrameSeries, durationSeconds: number, v: ProfileValues): { findings: Finding[]; metrics: Metrics } {
  if (s.count < 2) return { findings: [], metrics: {} };
  const r = findFreezes(s, v);
  const frozenSeconds = r.freezes.reduce((t, [a, b]) => t + (b - a), 0);
  const droppedShare = r.intervals ? r.droppedIntervals / r.intervals : 0;
  const metrics: Metrics = {
    'frozen.seconds': round(frozenSeconds, 2),
    'frozen.freezes': r.freezes.length,
    'frozen.repeatedFrames': r.repeatedFrames,
    'frozen.droppedShare': round(droppedShare, 3),
  };
  const failSeconds = v['video.frozen.failSeconds'];
  const share = durationSeconds > 0 ? Math.min(1, frozenSeconds / durationSeconds) : 0;
  const frozenBad = r.freezes.length > 0;
  const droppedBad = droppedShare >= v['video.frozen.droppedShare.warn'];
  if (!frozenBad && !droppedBad) return { findings: [], metrics };
  const fail = frozenSeconds >= failSeconds || share >= 0.5;
  const worst = r.freezes.reduce<Segment | undefined>((m, f) => (!m || f[1] - f[0] > m[1] - m[0] ? f : m), undefined);
  return {
    metrics,
    findings: [{
      code: 'frozen-video',
      severity: fail ? 'fail' : 'warn',
      // Identical frames and timestamp gaps are unambiguous; a high drop rate alone less so.
      confidence: frozenBad ? 0.9 : 0.6,
      measured: {
        frozenSeconds: round(frozenSeconds, 2),
        freezes: r.freezes.length,
        repeatedFrames: r.repeatedFrames,
        droppedShare: round(droppedShare, 3),
        frameShare: round(share, 3),
        ...(worst ? { worstFrameTime: worst[0] } : {}),
      },
      thresholds: { maxFrozenSeconds: failSeconds, stallSeconds: v['video.frozen.stallSeconds'], maxDroppedShare: v['video.frozen.droppedShare.warn'] },
      ...(r.freezes.length ? { segments: r.freezes } : {}),
    }],
  };
}
