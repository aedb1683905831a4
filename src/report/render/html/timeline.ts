// A video's flagged time ranges as an inline SVG: one row per cause that has segments, an axis in
// seconds, and dashed marks at the times of the frames shown in the strip (when there is one).
import type { Cause, Result } from '../../../types.js';
import { formatNumber, type UiText } from '../../catalogue.js';
import { textWidth } from '../../annotate.js';
import { escapeHtml } from './escape.js';

const WIDTH = 720;
const LABEL_W = 200;
const TRACK_X = LABEL_W + 10;
const TRACK_W = WIDTH - TRACK_X - 10;
const ROW_H = 22;
const AXIS_H = 26;
const FONT = 13;

const DURATION_KEYS = ['durationSeconds', 'duration', 'durationSec', 'durationS', 'duration_s'] as const;

/** The clip length in seconds, from the video metadata when it has one. */
export function videoDuration(r: Pick<Result, 'video' | 'causes'>): number | undefined {
  const v = r.video ?? {};
  for (const k of DURATION_KEYS) {
    const d = v[k];
    if (typeof d === 'number' && Number.isFinite(d) && d > 0) return d;
  }
  return undefined;
}

function segmentsOf(c: Cause): Array<[number, number]> {
  return (c.segments ?? []).filter(
    (s): s is [number, number] => Array.isArray(s) && Number.isFinite(s[0]) && Number.isFinite(s[1]) && s[1] >= s[0],
  );
}

/** The time of a cause's worst frame (the video aggregation's `measured.worstFrameTime`). */
export function worstFrameTime(c: Pick<Cause, 'measured'>): number | undefined {
  const t = c.measured?.worstFrameTime;
  return typeof t === 'number' && Number.isFinite(t) && t >= 0 ? t : undefined;
}

/** The distinct worst-frame times of a video's causes, in order: what a frame provider should
 *  extract for the worst-frames strip. */
export function worstFrameTimes(r: Pick<Result, 'causes'>): number[] {
  return [...new Set(r.causes.map(worstFrameTime).filter((t): t is number => t !== undefined))].sort((a, b) => a - b);
}

/** "1.2–3.4 s, 5–6 s" */
export function formatSegments(segments: ReadonlyArray<readonly [number, number]>, ui: UiText): string {
  return segments.map(([a, b]) => `${formatNumber(a)}–${formatNumber(b)} ${ui.seconds}`).join(', ');
}

/** Axis step giving about five ticks over `d` seconds. */
export function tickStep(d: number): number {
  const steps = [0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
  return steps.find((s) => d / s <= 6) ?? Math.ceil(d / 6 / 3600) * 3600;
}

function fitLabel(text: string): string {
  if (textWidth(text, FONT) <= LABEL_W) return text;
  let s = text;
  while (s.length > 1 && textWidth(s + '…', FONT) > LABEL_W) s = s.slice(0, -1);
  return s + '…';
}

/** The timeline SVG, or '' when there is nothing to put on it. `frameTimes` are the seconds of
 *  the frames in the worst-frames strip. */
export function renderTimeline(r: Result, ui: UiText, frameTimes: readonly number[] = []): string {
  const rows = r.causes.map((c) => ({ c, segs: segmentsOf(c) })).filter((x) => x.segs.length > 0);
  const frames = frameTimes.filter((t) => Number.isFinite(t) && t >= 0);
  if (rows.length === 0 && frames.length === 0) return '';
  const end = Math.max(videoDuration(r) ?? 0, ...rows.flatMap((x) => x.segs.map((s) => s[1])), ...rows.map((x) => worstFrameTime(x.c) ?? 0), ...frames, 0.001);
  const x = (t: number) => TRACK_X + (Math.min(Math.max(t, 0), end) / end) * TRACK_W;
  const height = Math.max(1, rows.length) * ROW_H + AXIS_H;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeHtml(ui.report.timeline)}">`,
  );
  rows.forEach(({ c, segs }, i) => {
    const y = i * ROW_H;
    out.push(
      `<text class="row-label" x="0" y="${y + 15}" font-size="${FONT}"><title>${escapeHtml(c.title)}</title>${escapeHtml(fitLabel(c.title))}</text>`,
      `<rect class="track" x="${TRACK_X}" y="${y + 4}" width="${TRACK_W}" height="${ROW_H - 8}" rx="3"/>`,
    );
    const worst = worstFrameTime(c);
    for (const [a, b] of segs) {
      const x0 = x(a);
      const w = Math.max(2, x(b) - x0); // an instant still shows
      out.push(
        `<rect class="seg-${c.severity === 'fail' ? 'fail' : 'warn'}" x="${round(x0)}" y="${y + 4}" width="${round(w)}" height="${ROW_H - 8}" rx="2">` +
          `<title>${escapeHtml(`${c.title}: ${formatSegments([[a, b]], ui)}`)}</title></rect>`,
      );
    }
    if (worst !== undefined) {
      // a diamond at the worst moment of this cause
      const wx = round(x(worst));
      const cy = y + ROW_H / 2;
      out.push(
        `<path class="worst" d="M${wx} ${cy - 6}l5 6-5 6-5-6z"><title>${escapeHtml(`${ui.report.worstFrames}: ${formatNumber(worst)} ${ui.seconds}`)}</title></path>`,
      );
    }
  });
  const axisY = Math.max(1, rows.length) * ROW_H + 2;
  out.push(`<line class="axis" x1="${TRACK_X}" x2="${TRACK_X + TRACK_W}" y1="${axisY}" y2="${axisY}"/>`);
  const step = tickStep(end);
  for (let i = 0; i * step <= end + 1e-9; i++) {
    const t = i * step; // multiply, not accumulate: 0.1 + 0.1 + 0.1 drifts
    const tx = round(x(t));
    out.push(
      `<line class="axis" x1="${tx}" x2="${tx}" y1="${axisY}" y2="${axisY + 4}"/>`,
      `<text class="tick" x="${tx}" y="${axisY + 17}" font-size="11" text-anchor="middle">${escapeHtml(`${formatNumber(t)} ${ui.seconds}`)}</text>`,
    );
  }
  for (const t of frames) {
    const tx = round(x(t));
    out.push(`<line class="frame-mark" x1="${tx}" x2="${tx}" y1="0" y2="${axisY}"><title>${escapeHtml(`${formatNumber(t)} ${ui.seconds}`)}</title></line>`);
  }
  out.push('</svg>');
  return out.join('');
}

const round = (v: number) => Math.round(v * 10) / 10;
