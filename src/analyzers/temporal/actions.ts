// --expect: were the requested liveness actions performed, and when? Head turns come from the
// detector's keypoints (nose against the ears); blinks and mouth opening need face landmarks.
// An action that cannot be judged is reported as such (checkable: false), never guessed.
import type { Finding, Metrics } from '../../types.js';
import { round } from '../stats.js';
import type { FrameSample } from './samples.js';
import { median, quantile } from './signal.js';
import type { ProfileValues } from './thresholds.js';

export const LIVENESS_ACTIONS = ['blink', 'open-mouth', 'turn-head'] as const;
export type LivenessAction = (typeof LIVENESS_ACTIONS)[number];

export function isLivenessAction(s: string): s is LivenessAction {
  return (LIVENESS_ACTIONS as readonly string[]).includes(s);
}

export interface ActionResult {
  action: LivenessAction;
  checkable: boolean;
  seen: boolean;
  /** Start times (s) of each time the action was seen. */
  times: number[];
  /** Why it could not be checked. */
  reason?: string;
}

/** Start times of runs where `on` holds (over samples that have a value). */
function runStarts(samples: readonly FrameSample[], on: (s: FrameSample) => boolean | undefined): number[] {
  const out: number[] = [];
  let inRun = false;
  for (const s of samples) {
    const v = on(s);
    if (v === undefined) continue;
    if (v && !inRun) out.push(round(s.time, 2));
    inRun = v;
  }
  return out;
}

const MIN_FACE_SAMPLES = 3;

export function judgeAction(action: LivenessAction, samples: readonly FrameSample[], v: ProfileValues, landmarksUnavailable?: string): ActionResult {
  const withFace = samples.filter((s) => s.faces.length > 0);
  if (withFace.length < MIN_FACE_SAMPLES) return { action, checkable: false, seen: false, times: [], reason: 'no face in enough frames' };
  if (action === 'turn-head') {
    const yaws = withFace.map((s) => s.yaw).filter((y): y is number => y !== undefined && Number.isFinite(y));
    if (yaws.length < MIN_FACE_SAMPLES) return { action, checkable: false, seen: false, times: [], reason: 'face keypoints unavailable' };
    const base = median(yaws);
    const times = runStarts(withFace, (s) => (s.yaw === undefined ? undefined : Math.abs(s.yaw - base) >= v['action.turnHead.minYaw']));
    return { action, checkable: true, seen: times.length > 0, times };
  }
  const key = action === 'blink' ? 'eyeOpening' : 'mouthOpening';
  const values = withFace.map((s) => s[key]).filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (values.length < MIN_FACE_SAMPLES) {
    return { action, checkable: false, seen: false, times: [], reason: landmarksUnavailable ?? 'face landmarks unavailable' };
  }
  if (action === 'blink') {
    const open = quantile(values, 0.8);
    const closedBelow = v['action.blink.closedRatio'] * open;
    const times = runStarts(withFace, (s) => (s.eyeOpening === undefined ? undefined : s.eyeOpening <= closedBelow));
    return { action, checkable: true, seen: times.length > 0, times };
  }
  const times = runStarts(withFace, (s) => (s.mouthOpening === undefined ? undefined : s.mouthOpening >= v['action.openMouth.minRatio']));
  return { action, checkable: true, seen: times.length > 0, times };
}

export function analyzeActions(
  expect: readonly LivenessAction[],
  samples: readonly FrameSample[],
  v: ProfileValues,
  landmarksUnavailable?: string,
): { results: ActionResult[]; findings: Finding[]; metrics: Metrics } {
  const results = expect.map((a) => judgeAction(a, samples, v, landmarksUnavailable));
  const metrics: Metrics = {};
  const findings: Finding[] = [];
  for (const r of results) {
    metrics[`action.${r.action}.seen`] = r.checkable ? r.seen : null;
    metrics[`action.${r.action}.at`] = r.times.length ? r.times[0] : null;
    if (r.seen) continue;
    const threshold: Record<string, number> =
      r.action === 'turn-head' ? { minYaw: v['action.turnHead.minYaw'] } : r.action === 'blink' ? { closedRatio: v['action.blink.closedRatio'] } : { minRatio: v['action.openMouth.minRatio'] };
    findings.push({
      code: 'action-missing',
      severity: r.checkable ? 'fail' : 'warn',
      confidence: r.checkable ? 0.75 : 0.3,
      measured: { action: r.action, checkable: r.checkable, ...(r.reason ? { reason: r.reason } : {}) },
      thresholds: threshold,
    });
  }
  return { results, findings, metrics };
}
