// The analyzer contract (after Lighthouse audits): each analyzer declares what it is, which cause
// codes it can emit and what it needs, and exposes one pure function over the analysis context.
import type { ThresholdKey } from '../config/profile.js';
import type { CauseCode } from '../report/codes.js';
import type { Finding, Metrics } from '../types.js';
import type { AnalysisContext } from './context.js';
import { clamp01, round } from './stats.js';

/** What an analyzer reads beyond pixels: face landmarks and the face embedding are ONNX work the
 *  gather step does only when an enabled analyzer requires them. */
export type Requirement = 'faces' | 'landmarks' | 'embedding' | 'eyelids';

export interface AnalyzerOutput {
  metrics: Metrics;
  findings: Finding[];
}

export interface Analyzer {
  id: string;
  /** One line for developers; user-facing text lives in src/report. */
  description: string;
  codes: readonly CauseCode[];
  requires: readonly Requirement[];
  /**
   * Other causes that leave this analyzer's reading of the picture unreliable. When one is found
   * at `severity` or worse, the listed codes (default: all of this analyzer's) are withheld — the
   * person fixes the capture first — and the metrics `<id>.notJudged` (the codes) and
   * `<id>.notJudgedBecause` (the causes) say so. Only applies when that other cause is checked in
   * the same run.
   */
  unreliableWhen?: readonly UnreliableWhen[];
  analyze(ctx: AnalysisContext): AnalyzerOutput;
}

export interface UnreliableWhen {
  cause: CauseCode;
  severity: 'warn' | 'fail';
  codes?: readonly CauseCode[];
  /** Only when that finding's measured value `key` is at least the profile threshold `limit`. */
  measuredAtLeast?: { key: string; limit: ThresholdKey };
}

/**
 * Grade a measurement against a warn and a fail limit. `direction` says which way is bad.
 * Returns undefined when the value is on the good side of the warn limit.
 * Confidence grows with the margin past the limit, scaled by the warn–fail gap, and is
 * multiplied by `certainty` (e.g. the face detector's score).
 */
export function grade(
  value: number,
  warn: number,
  fail: number,
  direction: 'above' | 'below',
  certainty = 1,
): { severity: 'warn' | 'fail'; confidence: number } | undefined {
  if (!Number.isFinite(value)) return undefined;
  const sign = direction === 'above' ? 1 : -1;
  const past = (value - warn) * sign;
  if (past < 0) return undefined;
  const gap = Math.abs(fail - warn) || Math.abs(warn) * 0.25 || 1;
  const severity = (value - fail) * sign >= 0 ? 'fail' : 'warn';
  // 0.5 right at the warn limit, ~0.82 at the fail limit, approaching 1 beyond it.
  const confidence = clamp01((1 - 0.5 * Math.exp(-1.5 * (past / gap))) * certainty);
  return { severity, confidence: round(confidence, 2) };
}

/** Build a finding from a grade, or nothing if the grade is clean. */
export function findingIf(
  code: CauseCode,
  g: ReturnType<typeof grade>,
  measured: Finding['measured'],
  thresholds: Finding['thresholds'],
  extra: Partial<Pick<Finding, 'region'>> = {},
): Finding[] {
  if (!g) return [];
  return [{ code, severity: g.severity, confidence: g.confidence, measured, thresholds, ...extra }];
}

/** The more severe of two grades (fail beats warn; then the more confident). */
export function worse<T extends { severity: 'warn' | 'fail'; confidence: number }>(a?: T, b?: T): T | undefined {
  if (!a) return b;
  if (!b) return a;
  if (a.severity !== b.severity) return a.severity === 'fail' ? a : b;
  return a.confidence >= b.confidence ? a : b;
}
