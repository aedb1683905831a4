// flicker over time. Three tests, one per way mains light shows in video:
//  * rolling bands: band phase turning at 100/120 Hz (RollingBandTracker windows);
//  * whole-frame pulsing: mean brightness oscillating at the aliased frequency |f − round(f/fps)·fps|,
//    found by demodulating at f itself with the real frame times;
//  * static bands: when the light frequency is a multiple of the frame rate (100 Hz at 25 fps,
//    120 Hz at 30 fps) bands stand still and the frame mean does not move; the window mean of
//    the per-frame median row profiles must then hold one sinusoid (static-bands.ts).
import type { Finding, Metrics } from '../../types.js';
import { grade, worse } from '../analyzer.js';
import { round } from '../stats.js';
import type { FrameSeries } from './frame-series.js';
import { mergeSegments, totalLength, type Segment } from './segments.js';
import { aliasedFrequency, highPass, medianInterval, sinusoidAmplitude } from './signal.js';
import { stillSources, type StaticBandWindow } from './static-bands.js';
import type { ProfileValues } from './thresholds.js';

const SOURCES = [100, 120] as const;
const DRIFT = [-0.3, -0.15, 0, 0.15, 0.3];
/** Below this alias frequency (Hz) a pulse cannot be told from exposure drift. */
const MIN_PULSE_ALIAS = 1.5;
/** A light whose alias is below this (Hz) leaves bands standing (or crawling a fraction of a
 *  cycle per window): the static-band test applies. */
const STILL_ALIAS_HZ = 0.75;

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

  // Static bands: only at frame rates where some mains light stands still (elsewhere the two tests
  // above see any bands), from window means of the per-frame row profiles.
  const still = stillSources(s.time, SOURCES, STILL_ALIAS_HZ);
  const statics = still.length
    ? s.staticBandWindows.filter(
        (w) => w.amplitude >= v['video.flicker.staticBand.min'] && w.periodicity >= v['video.flicker.staticBand.minPeriodicity'] && w.consistency >= v['video.flicker.staticBand.minConsistency'],
      )
    : [];
  const interval = medianInterval(s.time) || 1 / fps;

  const bestRolling = rolling.reduce<(typeof rolling)[number] | undefined>((m, w) => (!m || w.amplitude > m.amplitude ? w : m), undefined);
  const bestPulse = pulses.reduce<PulseWindow | undefined>((m, w) => (!m || w.amplitude > m.amplitude ? w : m), undefined);
  const bestStatic = statics.reduce<StaticBandWindow | undefined>((m, w) => (!m || w.amplitude > m.amplitude ? w : m), undefined);
  const staticAmp = bestStatic?.amplitude ?? 0;
  const metrics: Metrics = {
    'flicker.rollingAmplitude': bestRolling ? round(bestRolling.amplitude, 4) : 0,
    'flicker.pulseAmplitude': bestPulse ? round(bestPulse.amplitude, 4) : 0,
    'flicker.staticBandAmplitude': round(staticAmp, 4),
  };
  const segments: Segment[] = mergeSegments([
    ...rolling.map((w): Segment => [round(w.start, 2), round(w.end, 2)]),
    ...pulses.map((w): Segment => [round(w.start, 2), round(w.end, 2)]),
    ...statics.map((w): Segment => [round(w.start, 2), round(w.end, 2)]),
  ]);
  if (segments.length === 0) return { findings: [], metrics };

  const gBands = bestRolling ? grade(bestRolling.amplitude, v['video.flicker.band.warn'], v['video.flicker.band.fail'], 'above', Math.min(1, bestRolling.consistency)) : undefined;
  const gPulse = bestPulse ? grade(bestPulse.amplitude, v['video.flicker.pulse.warn'], v['video.flicker.pulse.fail'], 'above') : undefined;
  const gStatic = bestStatic ? grade(staticAmp, v['video.flicker.staticBand.min'], v['video.flicker.staticBand.fail'], 'above', Math.min(1, bestStatic.consistency)) : undefined;
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
    kind = 'static-bands'; sourceHz = still.length === 1 ? still[0] : 'unknown'; amplitude = staticAmp; worstTime = bestStatic ? (bestStatic.start + bestStatic.end) / 2 : NaN;
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
          ...(bestRolling ? { bandCycles: bestRolling.cycles } : kind === 'static-bands' && bestStatic ? { bandCycles: bestStatic.cycles, bandPeriodicity: round(bestStatic.periodicity, 3) } : {}),
          ...(bestPulse ? { aliasHz: round(bestPulse.aliasHz, 2) } : {}),
          frameShare: round(Math.min(1, totalLength(segments) / Math.max(1e-9, duration)), 3),
          worstFrameTime: round(worstTime, 2),
        },
        thresholds: {
          maxAmplitude: kind === 'pulsing' ? v['video.flicker.pulse.warn'] : kind === 'static-bands' ? v['video.flicker.staticBand.min'] : v['video.flicker.band.warn'],
          amplitudeFail: kind === 'pulsing' ? v['video.flicker.pulse.fail'] : kind === 'static-bands' ? v['video.flicker.staticBand.fail'] : v['video.flicker.band.fail'],
          minProminence: minProm,
        },
        segments,
      },
    ],
  };
}
