// flicker over time. Three tests, one per way mains light shows in video:
//  * rolling bands: band phase turning at 100/120 Hz (RollingBandTracker windows);
//  * whole-frame pulsing: mean brightness oscillating at the aliased frequency |f − round(f/fps)·fps|,
//    found by demodulating at f itself with the real frame times;
//  * static bands: when the light frequency is a multiple of the frame rate (100 Hz at 25 fps,
//    120 Hz at 30 fps) bands stand still and the frame mean does not move, so only strong,
//    frame-wide-consistent bands on single frames can tell.
import type { Finding, Metrics } from '../../types.js';
import { grade, worse } from '../analyzer.js';
import { round } from '../stats.js';
import type { FrameSeries } from './frame-series.js';
import { mergeSegments, segmentsOf, totalLength, type Segment } from './segments.js';
import { aliasedFrequency, highPass, medianInterval, sinusoidAmplitude } from './signal.js';
import type { ProfileValues } from './thresholds.js';

const SOURCES = [100, 120] as const;
const DRIFT = [-0.3, -0.15, 0, 0.15, 0.3];
/** Below this alias frequency (Hz) a pulse cannot be told from exposure drift. */
const MIN_PULSE_ALIAS = 1.5;

export interface PulseWindow {
  start: number;
  end: number;
  amplitude: number;
  sourceHz: number;
  aliasHz: number;
  prominence: number;
}

/** Whole-frame pulsing per window of the log mean-brightness series. */
export function pulseWindows(s: FrameSeries, windowSeconds: number): PulseWindow[] {
  const interval = medianInterval(s.time);
  if (!(interval > 0) || s.count < 8) return [];
  const fps = 1 / interval;
  const log = Array.from(s.meanLuma, (m) => Math.log(m + 4));
  // Remove exposure drift and slow scene changes (≤ ~2 Hz); mains aliases of interest are ≥ 1 Hz.
  const hp = highPass(log, Math.max(3, Math.round(0.4 / interval) | 1));
  const nyquist = 0.5 / interval;
  const out: PulseWindow[] = [];
  const t = s.time;
  const carriers = SOURCES.flatMap((f) => DRIFT.map((d) => f + d)).filter((f) => aliasedFrequency(f, fps) >= MIN_PULSE_ALIAS);
  if (carriers.length === 0) return [];
  for (let start = t[0]; start + 0.5 * windowSeconds <= t[s.count - 1] || start === t[0]; start += windowSeconds / 2) {
    let a = 0;
    while (a < s.count && !(t[a] >= start)) a++;
    let b = a;
    while (b < s.count && t[b] < start + windowSeconds) b++;
    if (b - a >= 8) {
      let best = { amp: -1, f: 0 };
      for (const f of carriers) {
        const amp = sinusoidAmplitude(t, hp, f, a, b);
        if (amp > best.amp) best = { amp, f };
      }
      const alias = aliasedFrequency(best.f, fps);
      const ref: number[] = [];
      for (let r = 0.5; r < nyquist - 0.25; r += 0.5) {
        if (Math.abs(r - alias) < 1) continue;
        const amp = sinusoidAmplitude(t, hp, r, a, b);
        ref.push(amp * amp);
      }
      ref.sort((x, y) => x - y);
      const floor = ref.length ? ref[ref.length >> 1] : 0;
      out.push({ start: t[a], end: t[b - 1], amplitude: best.amp, sourceHz: best.f, aliasHz: alias, prominence: floor > 0 ? (best.amp * best.amp) / floor : Infinity });
    }
    if (b >= s.count) break;
  }
  return out;
}

export interface FlickerResult {
  findings: Finding[];
  metrics: Metrics;
}

export function analyzeVideoFlicker(s: FrameSeries, fps: number, v: ProfileValues): FlickerResult {
  const minProm = v['video.flicker.minProminence'];
  const rolling = s.bandWindows.filter(
    (w) => w.amplitude >= v['video.flicker.band.warn'] && w.prominence >= minProm && w.consistency >= v['video.flicker.minConsistency'],
  );
  const pulses = pulseWindows(s, v['video.flicker.windowSeconds']).filter((w) => w.amplitude >= v['video.flicker.pulse.warn'] && w.prominence >= minProm);

  // Static bands: strong and consistent on single frames, held for most of a second.
  const staticHeld = Array.from({ length: s.count }, (_, i) => s.bandAmplitude[i] >= v['video.flicker.staticBand.min'] && s.bandConsistency[i] >= v['video.flicker.staticBand.minConsistency']);
  const interval = medianInterval(s.time) || 1 / fps;
  const staticSegs = segmentsOf(s.time, staticHeld, interval, 2).filter(([a, b]) => b - a >= 1);

  const bestRolling = rolling.reduce<(typeof rolling)[number] | undefined>((m, w) => (!m || w.amplitude > m.amplitude ? w : m), undefined);
  const bestPulse = pulses.reduce<PulseWindow | undefined>((m, w) => (!m || w.amplitude > m.amplitude ? w : m), undefined);
  let staticAmp = 0;
  let staticWorst = NaN;
  for (let i = 0; i < s.count; i++) {
    if (staticHeld[i] && s.bandAmplitude[i] > staticAmp) {
      staticAmp = s.bandAmplitude[i];
      staticWorst = s.time[i];
    }
  }
  const metrics: Metrics = {
    'flicker.rollingAmplitude': bestRolling ? round(bestRolling.amplitude, 4) : 0,
    'flicker.pulseAmplitude': bestPulse ? round(bestPulse.amplitude, 4) : 0,
    'flicker.staticBandAmplitude': round(staticAmp, 4),
  };
  const segments: Segment[] = mergeSegments([
    ...rolling.map((w): Segment => [round(w.start, 2), round(w.end, 2)]),
    ...pulses.map((w): Segment => [round(w.start, 2), round(w.end, 2)]),
    ...(staticSegs.length ? staticSegs : []),
  ]);
  if (segments.length === 0) return { findings: [], metrics };

  const gBands = bestRolling ? grade(bestRolling.amplitude, v['video.flicker.band.warn'], v['video.flicker.band.fail'], 'above', Math.min(1, bestRolling.consistency)) : undefined;
  const gPulse = bestPulse ? grade(bestPulse.amplitude, v['video.flicker.pulse.warn'], v['video.flicker.pulse.fail'], 'above') : undefined;
  const gStatic = staticSegs.length ? grade(staticAmp, v['video.flicker.staticBand.min'], 2 * v['video.flicker.staticBand.min'], 'above', 0.8) : undefined;
  const g = worse(worse(gBands, gPulse), gStatic);
  if (!g) return { findings: [], metrics };

  // Which evidence is the strongest decides the kind and the source estimate.
  let kind: string;
  let sourceHz: number | string;
  let amplitude: number;
  let worstTime: number;
  if (g === gBands && bestRolling) {
    kind = 'rolling-bands'; sourceHz = bestRolling.sourceHz; amplitude = bestRolling.amplitude; worstTime = (bestRolling.start + bestRolling.end) / 2;
  } else if (g === gPulse && bestPulse) {
    kind = 'pulsing'; sourceHz = Math.round(bestPulse.sourceHz) >= 110 ? 120 : 100; amplitude = bestPulse.amplitude; worstTime = (bestPulse.start + bestPulse.end) / 2;
  } else {
    // Static bands: the light frequency is the one that is a multiple of the frame rate.
    const still = SOURCES.filter((f) => aliasedFrequency(f, 1 / interval) < 0.75);
    kind = 'static-bands'; sourceHz = still.length === 1 ? still[0] : 'unknown'; amplitude = staticAmp; worstTime = staticWorst;
  }
  const duration = s.count ? s.time[s.count - 1] - s.time[0] + interval : 0;
  return {
    metrics,
    findings: [
      {
        code: 'flicker',
        severity: g.severity,
        confidence: g.confidence,
        measured: {
          kind,
          sourceHz,
          mainsHz: typeof sourceHz === 'number' ? sourceHz / 2 : 'unknown',
          amplitude: round(amplitude, 4),
          ...(bestRolling ? { bandCycles: bestRolling.cycles } : {}),
          ...(bestPulse ? { aliasHz: round(bestPulse.aliasHz, 2) } : {}),
          frameShare: round(Math.min(1, totalLength(segments) / Math.max(1e-9, duration)), 3),
          worstFrameTime: round(worstTime, 2),
        },
        thresholds: {
          maxAmplitude: kind === 'pulsing' ? v['video.flicker.pulse.warn'] : kind === 'static-bands' ? v['video.flicker.staticBand.min'] : v['video.flicker.band.warn'],
          amplitudeFail: kind === 'pulsing' ? v['video.flicker.pulse.fail'] : kind === 'static-bands' ? 2 * v['video.flicker.staticBand.min'] : v['video.flicker.band.fail'],
          minProminence: minProm,
        },
        segments,
      },
    ],
  };
}
