// Turning per-sample yes/no series into time segments [start s, end s] for the report.

export type Segment = [number, number];

const r2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Segments where `held[i]` is true. Sample i stands for the time from t[i] to the next sample
 * (or t[i] + `interval` for the last); runs separated by at most `bridge` unmarked samples are
 * joined, so one missed frame does not split a segment.
 */
export function segmentsOf(t: ArrayLike<number>, held: ArrayLike<boolean>, interval: number, bridge = 0, end = Infinity): Segment[] {
  const out: Segment[] = [];
  let start = -1;
  let lastHeld = -1;
  const stop = (i: number) => Math.min(end, i + 1 < t.length ? t[i + 1] : t[i] + interval);
  for (let i = 0; i < held.length; i++) {
    if (!held[i]) continue;
    if (start >= 0 && i - lastHeld - 1 > bridge) {
      out.push([r2(t[start]), r2(stop(lastHeld))]);
      start = -1;
    }
    if (start < 0) start = i;
    lastHeld = i;
  }
  if (start >= 0) out.push([r2(t[start]), r2(stop(lastHeld))]);
  return out;
}

export function totalLength(segs: readonly Segment[]): number {
  return segs.reduce((s, [a, b]) => s + (b - a), 0);
}

export function longest(segs: readonly Segment[]): number {
  return segs.reduce((m, [a, b]) => Math.max(m, b - a), 0);
}

/** Joins segments that overlap or touch (input in any order). */
export function mergeSegments(segs: readonly Segment[], gap = 0): Segment[] {
  const s = [...segs].sort((a, b) => a[0] - b[0]);
  const out: Segment[] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + gap) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}
