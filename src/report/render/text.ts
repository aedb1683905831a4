// The human-readable report: what support staff read. All words come from the catalogue, so the
// same layout works in every language.
import type { ChalkInstance } from 'chalk';
import type { Cause, Result, Summary, Verdict } from '../../types.js';
import { causeText, escalationSteps, uiText } from '../catalogue.js';
import type { Lang } from '../i18n/types.js';
import type { CauseCode } from '../codes.js';
import { formatSegments, worstFrameTime } from './html/timeline.js';
import { printable } from '../printable.js';

export { printable };

export interface TextOptions {
  lang: Lang;
  color: ChalkInstance;
  /** Show why-sentences and all metrics, not just causes and steps. */
  verbose?: boolean;
}

const MARK: Record<Verdict, string> = { pass: '✓', warn: '!', fail: '✗', error: '?' };

function paint(c: ChalkInstance, v: Verdict | Cause['severity'], s: string): string {
  switch (v) {
    case 'pass': return c.green(s);
    case 'warn': return c.yellow(s);
    case 'fail': return c.red(s);
    default: return c.magenta(s);
  }
}

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(3)));
  return String(v);
}

/** A video cause's time ranges, share of frames and worst frame: "When: 0.5–2 s · share of
 *  frames 40% · worst frame at 1.2 s". Empty for image causes. */
export function videoTiming(cause: Cause, ui: ReturnType<typeof uiText>): string {
  const parts: string[] = [];
  if (cause.segments?.length) parts.push(`${ui.when}: ${formatSegments(cause.segments, ui)}`);
  const share = cause.measured.frameShare;
  if (typeof share === 'number' && Number.isFinite(share)) {
    const min = cause.thresholds?.minFrameShare;
    const limit = typeof min === 'number' && Number.isFinite(min) ? ` (${ui.limit} ≥${Math.round(min * 100)}%)` : '';
    parts.push(`${ui.frameShare} ${Math.round(share * 100)}%${limit}`);
  }
  const worst = worstFrameTime(cause);
  if (worst !== undefined) parts.push(`${ui.worstFrameAt} ${fmt(worst)} ${ui.seconds}`);
  return parts.join(' · ');
}

export function renderTextResult(r: Result, o: TextOptions): string {
  const ui = uiText(o.lang);
  const c = o.color;
  const lines: string[] = [];
  const head = `${MARK[r.verdict]} ${ui.verdict[r.verdict].toUpperCase()}`;
  let info = '';
  if (r.image) info = `  ${c.dim(`${r.image.width}×${r.image.height} ${r.image.format}, ${ui.faces}: ${r.faces.length}`)}`;
  else if (r.video && typeof r.video.durationSeconds === 'number') {
    const v = r.video;
    info = `  ${c.dim(`${v.width}×${v.height} ${fmt(v.fps)} fps, ${fmt(v.durationSeconds)} ${ui.seconds}`)}`;
  }
  lines.push(`${paint(c, r.verdict, c.bold(head))}  ${c.bold(printable(r.file))}${info}`);
  if (r.error) {
    lines.push(`  ${ui.couldNotAnalyze}: ${printable(r.error.message)} ${c.dim(`[${r.error.code}]`)}`);
    return lines.join('\n') + '\n';
  }
  if (r.causes.length === 0) lines.push(`  ${c.green(ui.noProblems)}`);
  for (const cause of r.causes) {
    const sev = paint(c, cause.severity, `${MARK[cause.severity]} ${cause.title}`);
    lines.push(`  ${sev}  ${c.dim(`[${cause.code}] ${ui.confidence} ${fmt(cause.confidence)}`)}`);
    lines.push(`    ${printable(cause.message)}`);
    const when = videoTiming(cause, ui);
    if (when) lines.push(`    ${c.dim(when)}`);
    if (o.verbose) lines.push(`    ${c.dim(`${ui.why}:`)} ${causeText(cause.code as CauseCode, o.lang).why}`);
    lines.push(`    ${c.bold(ui.whatToDo)}:`);
    cause.advice.forEach((step, i) => lines.push(`      ${i + 1}. ${step}`));
  }
  for (const [key, codes] of Object.entries(r.metrics)) {
    // `<analyzer>.notJudged`: codes withheld because another cause makes them unreliable.
    if (!key.endsWith('.notJudged') || typeof codes !== 'string' || !codes) continue;
    const because = r.metrics[`${key}Because`];
    const fix = typeof because === 'string' && because ? ` (${ui.fixFirst}: ${because.split(',').join(', ')})` : '';
    lines.push(`  ${c.dim(`${ui.notJudged}: ${codes.split(',').join(', ')}${fix}`)}`);
  }
  if (o.verbose) {
    const m = Object.entries(r.metrics).map(([k, v]) => `${k}=${fmt(v)}`).join('  ');
    if (m) lines.push(`  ${c.dim(m)}`);
  }
  return lines.join('\n') + '\n';
}

export function renderTextSummary(s: Summary, o: TextOptions): string {
  const ui = uiText(o.lang);
  const c = o.color;
  const v = s.byVerdict;
  const lines = [
    '',
    c.bold(`${ui.summary}: ${ui.total} ${s.total}`) +
      `  ${c.green(`${ui.verdict.pass} ${v.pass}`)}  ${c.yellow(`${ui.verdict.warn} ${v.warn}`)}  ${c.red(`${ui.verdict.fail} ${v.fail}`)}  ${c.magenta(`${ui.verdict.error} ${v.error}`)}`,
  ];
  if (s.topCauses.length) lines.push(`${ui.topCauses}: ` + s.topCauses.map((t) => `${t.code} ${t.count}`).join(', '));
  if (s.byVerdict.fail > 0) {
    lines.push(c.dim(`${ui.ifKeepsFailing}:`));
    for (const step of escalationSteps(o.lang)) lines.push(c.dim(`  - ${step}`));
  }
  return lines.join('\n') + '\n';
}
