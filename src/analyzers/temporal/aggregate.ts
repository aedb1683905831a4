// How the image analyzers' per-frame findings become a clip's causes. A cause is reported when it
// holds on at least `video.cause.minFrameShare` of the analysed frames or without a break for
// `video.cause.minSeconds`; it fails when its failing frames alone meet that rule. It carries the
// time segments where it held, the share of frames affected and the worst frame's measurements.
// no-face is the exception: it needs `video.noFace.minFrameShare` (less is face-lost's job).
import type { Finding } from '../../types.js';
import { round } from '../stats.js';
import type { FrameSample } from './samples.js';
import { longest, segmentsOf } from './segments.js';
import { median } from './signal.js';
import type { ProfileValues } from './thresholds.js';

const SEVERITY_RANK = { warn: 1, fail: 2 } as const;

function worstOf(a: Finding, b: Finding): Finding {
  if (a.severity !== b.severity) return SEVERITY_RANK[a.severity] > SEVERITY_RANK[b.severity] ? a : b;
  return a.confidence >= b.confidence ? a : b;
}

export function aggregateFrameFindings(
  samples: readonly FrameSample[],
  interval: number,
  durationSeconds: number,
  v: ProfileValues,
  skipCodes: ReadonlySet<string> = new Set(),
): Finding[] {
  const analysed = samples.filter((s) => s.findings !== undefined);
  if (analysed.length === 0) return [];
  const times = analysed.map((s) => s.time);
  const codes = new Set<string>();
  for (const s of analysed) for (const f of s.findings!) if (!skipCodes.has(f.code)) codes.add(f.code);
  const minShare = v['video.cause.minFrameShare'];
  const minSeconds = v['video.cause.minSeconds'];
  const out: Finding[] = [];
  for (const code of codes) {
    const perFrame = analysed.map((s) => s.findings!.find((f) => f.code === code));
    const held = perFrame.map((f) => f !== undefined);
    const failing = perFrame.map((f) => f?.severity === 'fail');
    const count = held.filter(Boolean).length;
    const share = count / analysed.length;
    const segments = segmentsOf(times, held, interval, 1, durationSeconds);
    const reported =
      code === 'no-face' ? share >= v['video.noFace.minFrameShare'] : share >= minShare || longest(segments) >= minSeconds;
    if (!reported) continue;
    const failShare = failing.filter(Boolean).length / analysed.length;
    const fails =
      code === 'no-face'
        ? failShare >= v['video.noFace.minFrameShare']
        : failShare >= minShare || longest(segmentsOf(times, failing, interval, 1, durationSeconds)) >= minSeconds;
    let worst: Finding | undefined;
    let worstIndex = 0;
    perFrame.forEach((f, i) => {
      if (f && (!worst || worstOf(worst, f) === f)) {
        worst = f;
        worstIndex = i;
      }
    });
    const w = worst!;
    out.push({
      ...w,
      severity: fails ? 'fail' : 'warn',
      confidence: round(median(perFrame.filter((f): f is Finding => f !== undefined).map((f) => f.confidence)), 2),
      measured: { ...w.measured, frameShare: round(share, 3), worstFrameTime: round(times[worstIndex], 2) },
      thresholds: { ...w.thresholds, minFrameShare: code === 'no-face' ? v['video.noFace.minFrameShare'] : minShare },
      segments,
    });
  }
  return out;
}
