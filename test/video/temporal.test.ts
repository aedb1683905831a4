// The temporal analyzers on synthetic per-frame series and synthetic thumbnails: pure, no ffmpeg.
import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/profile.js';
import { analyzeActions } from '../../src/analyzers/temporal/actions.js';
import { aggregateFrameFindings } from '../../src/analyzers/temporal/aggregate.js';
import { analyzeDuration } from '../../src/analyzers/temporal/duration.js';
import { analyzeFacePresence } from '../../src/analyzers/temporal/face-presence.js';
import { analyzeFaceSpeed } from '../../src/analyzers/temporal/face-speed.js';
import { yawFromKeypoints } from '../../src/analyzers/temporal/face-measures.js';
import { analyzeVideoFlicker } from '../../src/analyzers/temporal/flicker.js';
import { FrameSeriesBuilder, type FrameSeries } from '../../src/analyzers/temporal/frame-series.js';
import { analyzeFrozen } from '../../src/analyzers/temporal/frozen.js';
import { globalMotion, motionPyramid } from '../../src/analyzers/temporal/global-motion.js';
import type { FrameSample } from '../../src/analyzers/temporal/samples.js';
import { segmentsOf } from '../../src/analyzers/temporal/segments.js';
import { analyzeShaking } from '../../src/analyzers/temporal/shaking.js';
import { aliasedFrequency } from '../../src/analyzers/temporal/signal.js';
import type { Face, Finding } from '../../src/types.js';

const v = loadProfile().values;

/** Deterministic smooth texture (sum of a few blobs and gratings), 0..255. */
function scene(width: number, height: number, dx = 0, dy = 0): Float64Array {
  const out = new Float64Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x + dx, w = y + dy;
      out[y * width + x] =
        110 + 40 * Math.sin(u * 0.21) * Math.cos(w * 0.17) + 30 * Math.sin((u + 2 * w) * 0.09) + 25 * Math.cos(u * 0.05 - w * 0.11) + (x > width / 3 && x < (2 * width) / 3 && y > height / 4 ? -40 : 0);
    }
  }
  return out;
}

/** A room: a wall lit from above (soft falloff), a dark, soft-edged person in the middle, a
 *  textured picture on the left; mostly smooth, as real backgrounds are. `blinds` adds soft
 *  horizontal stripes (3 cycles a frame, ±8 %) over the left half: scene structure that is
 *  periodic but does not span the width. */
function room(width: number, height: number, dx = 0, dy = 0, blinds = false): Float64Array {
  const out = new Float64Array(width * height);
  const soft = (d: number) => 1 / (1 + Math.exp(-d / 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x + dx, w = y + dy;
      let v = 170 - 50 * (w / height);
      const r = Math.hypot((u - width / 2) / (0.18 * width), (w - 0.75 * height) / (0.45 * height));
      v -= 90 * soft((1 - r) * 12);
      if (u > 0.06 * width && u < 0.26 * width && w > 0.2 * height && w < 0.5 * height) v += 35 * Math.sin(u * 0.7) * Math.sin(w * 0.6);
      if (blinds && x < width / 2) v *= 1 + 0.08 * Math.sin((2 * Math.PI * 3 * y) / height);
      out[y * width + x] = v;
    }
  }
  return out;
}

interface ClipOptions {
  /** The picture (default: the textured `scene`). */
  base?: (width: number, height: number, dx: number, dy: number) => Float64Array;
  frames: number;
  fps: number;
  /** Light frequency (Hz) of mains flicker, or 0. */
  lightHz?: number;
  kind?: 'bands' | 'pulse';
  depth?: number;
  /** Camera offset (px) per frame. */
  shift?: (k: number) => [number, number];
  /** Picture index shown at frame k (repeats), and frame time. */
  pictureAt?: (k: number) => number;
  timeAt?: (k: number) => number;
}

/** Builds the per-frame series of a synthetic 192×108 grey clip. */
function series(o: ClipOptions): FrameSeries {
  const W = 192, H = 108;
  const b = new FrameSeriesBuilder({ windowSeconds: v['video.flicker.windowSeconds'], hopSeconds: v['video.flicker.windowSeconds'] / 2 });
  for (let k = 0; k < o.frames; k++) {
    const p = o.pictureAt ? o.pictureAt(k) : k;
    const t = o.timeAt ? o.timeAt(k) : k / o.fps;
    const [dx, dy] = o.shift ? o.shift(p) : [0, 0];
    const base = (o.base ?? scene)(W, H, dx, dy);
    const data = new Uint8Array(W * H);
    for (let y = 0; y < H; y++) {
      let gain = 1;
      if (o.lightHz) {
        const tr = o.kind === 'pulse' ? p / o.fps : p / o.fps + (0.03 * y) / H;
        gain = Math.pow(1 + (o.depth ?? 0.3) * Math.cos(2 * Math.PI * o.lightHz * tr), 1 / 2.2);
      }
      for (let x = 0; x < W; x++) {
        // A little per-picture noise, as every camera has (a repeated picture repeats it too).
        const n = ((Math.sin(p * 12.9898 + x * 78.233 + y * 37.719) * 43758.5453) % 1) * 2;
        data[y * W + x] = Math.max(0, Math.min(255, Math.round(base[y * W + x] * gain + n)));
      }
    }
    b.add({ time: t, width: W, height: H, data });
  }
  return b.build();
}

const face = (cx: number, cy: number, w: number, noseShift = 0): Face => ({
  box: { x: cx - w / 2, y: cy - w / 2, width: w, height: w },
  score: 0.9,
  keypoints: {
    rightEye: { x: cx - w * 0.2, y: cy - w * 0.1 },
    leftEye: { x: cx + w * 0.2, y: cy - w * 0.1 },
    nose: { x: cx + noseShift * w, y: cy + w * 0.05 },
    mouth: { x: cx, y: cy + w * 0.25 },
    rightEar: { x: cx - w * 0.5, y: cy },
    leftEar: { x: cx + w * 0.5, y: cy },
  },
});

describe('signal helpers', () => {
  it('aliases mains light frequencies as the issue describes', () => {
    expect(aliasedFrequency(100, 30)).toBeCloseTo(10);
    expect(aliasedFrequency(120, 30)).toBeCloseTo(0);
    expect(aliasedFrequency(120, 25)).toBeCloseTo(5);
    expect(aliasedFrequency(100, 25)).toBeCloseTo(0);
  });

  it('turns held samples into time segments, bridging one missed sample', () => {
    const t = [0, 0.2, 0.4, 0.6, 0.8, 1.0, 1.2];
    expect(segmentsOf(t, [false, true, true, false, true, false, false], 0.2, 1)).toEqual([[0.2, 1.0]]);
    expect(segmentsOf(t, [false, true, true, false, true, false, false], 0.2, 0)).toEqual([[0.2, 0.6], [0.8, 1.0]]);
  });
});

describe('global motion', () => {
  it('recovers a camera shift and ignores a brightness change', () => {
    const W = 192, H = 108;
    const frame = (dx: number, gain: number) => Uint8Array.from(scene(W, H, dx, 0), (x) => Math.min(255, x * gain));
    const m = globalMotion(motionPyramid(W, H, frame(0, 1)), motionPyramid(W, H, frame(1.5, 1.2)));
    expect(m).toBeDefined();
    // Content moves left when the camera offset grows: −1.5 px of 192.
    expect(m!.dx * W).toBeCloseTo(-1.5, 0);
    expect(Math.abs(m!.dy * W)).toBeLessThan(0.3);
  });
});

describe('flicker over time', () => {
  it('finds rolling bands of a 100 Hz light at 30 fps and names the source', () => {
    const f = analyzeVideoFlicker(series({ frames: 75, fps: 30, lightHz: 100, kind: 'bands' }), 30, v).findings;
    expect(f).toHaveLength(1);
    expect(f[0].measured).toMatchObject({ kind: 'rolling-bands', sourceHz: 100, mainsHz: 50 });
    expect(f[0].segments!.length).toBeGreaterThan(0);
  });

  it('finds whole-frame pulsing of a 120 Hz light at 25 fps (5 Hz alias)', () => {
    const f = analyzeVideoFlicker(series({ frames: 75, fps: 25, lightHz: 120, kind: 'pulse', depth: 0.15 }), 25, v).findings;
    expect(f).toHaveLength(1);
    expect(f[0].measured).toMatchObject({ kind: 'pulsing', sourceHz: 120, aliasHz: 5 });
  });

  it('finds bands that stand still (120 Hz at 30 fps, 100 Hz at 25 fps) and names the source', () => {
    const at30 = analyzeVideoFlicker(series({ base: room, frames: 90, fps: 30, lightHz: 120, kind: 'bands', depth: 0.3, shift: (k) => [k * 0.2, 0] }), 30, v).findings;
    expect(at30).toHaveLength(1);
    expect(at30[0].measured).toMatchObject({ kind: 'static-bands', sourceHz: 120, mainsHz: 60 });
    // 0.03 s readout of a 120 Hz light: 3.6 cycles per frame height.
    expect(Math.abs((at30[0].measured.bandCycles as number) - 3.6)).toBeLessThan(0.3);
    const at25 = analyzeVideoFlicker(series({ base: room, frames: 75, fps: 25, lightHz: 100, kind: 'bands', depth: 0.3 }), 25, v).findings;
    expect(at25[0]?.measured).toMatchObject({ kind: 'static-bands', sourceHz: 100 });
  });

  it('does not take a room for standing bands, nor soft stripes over half its width', () => {
    const still = analyzeVideoFlicker(series({ base: room, frames: 90, fps: 30, shift: (k) => [k * 0.2, 0] }), 30, v);
    expect(still.findings).toEqual([]);
    const blinds = analyzeVideoFlicker(series({ base: (w, h, dx, dy) => room(w, h, dx, dy, true), frames: 90, fps: 30 }), 30, v);
    expect(blinds.findings).toEqual([]);
    // The same stripes across the whole width are bands by every measure a still picture has.
    const wide = series({ base: room, frames: 90, fps: 30, lightHz: 120, kind: 'bands', depth: 0.16, shift: (k) => [k * 0.2, 0] });
    expect(analyzeVideoFlicker(wide, 30, v).findings.map((f) => f.measured.kind)).toEqual(['static-bands']);
  });

  it('leaves the static-band test to the rolling test at frame rates where no mains light stands still', () => {
    // The same standing pattern at 24.3 fps cannot be mains flicker standing still.
    const f = analyzeVideoFlicker(series({ base: room, frames: 75, fps: 24.3, lightHz: 121.5, kind: 'bands', depth: 0.2 }), 24.3, v).findings;
    expect(f.filter((x) => x.measured.kind === 'static-bands')).toEqual([]);
  });

  it('stays quiet on a steady light, a moving camera included', () => {
    expect(analyzeVideoFlicker(series({ frames: 75, fps: 30, shift: (k) => [k * 0.3, Math.sin(k) * 0.5] }), 30, v).findings).toEqual([]);
  });
});

describe('shaking', () => {
  it('flags 6 Hz tremor and not a slow pan', () => {
    const shaky = series({ frames: 90, fps: 30, shift: (k) => [3 * Math.sin((2 * Math.PI * 6 * k) / 30), 2 * Math.cos((2 * Math.PI * 7 * k) / 30)] });
    const pan = series({ frames: 90, fps: 30, shift: (k) => [k * 0.4, 0] });
    expect(analyzeShaking(shaky, v).findings.map((f) => f.code)).toEqual(['shaking']);
    expect(analyzeShaking(pan, v).findings).toEqual([]);
  });
});

describe('frozen video', () => {
  const fps = 30;
  it('reports repeated pictures and timestamp gaps with their times', () => {
    // Picture of frame 20 held until frame 40; frames 60–74 missing from the stream.
    const times: number[] = [];
    for (let k = 0; k < 120; k++) if (k < 60 || k >= 75) times.push(k / fps);
    const s = series({ frames: times.length, fps, timeAt: (i) => times[i], pictureAt: (i) => (i > 20 && i < 40 ? 20 : i) , shift: (k) => [k * 0.2, 0] });
    const f = analyzeFrozen(s, 4, v).findings;
    expect(f).toHaveLength(1);
    expect(f[0].code).toBe('frozen-video');
    expect(f[0].segments).toEqual([[0.67, 1.33], [1.97, 2.5]]);
    expect(f[0].severity).toBe('fail');
  });

  it('does not flag a live, barely moving clip', () => {
    expect(analyzeFrozen(series({ frames: 60, fps }), 2, v).findings).toEqual([]);
  });
});

describe('duration', () => {
  it('grades too-short clips', () => {
    expect(analyzeDuration(0.8, v)[0]?.severity).toBe('fail');
    expect(analyzeDuration(1.5, v)[0]?.severity).toBe('warn');
    expect(analyzeDuration(3, v)).toEqual([]);
  });
});

describe('face presence and speed', () => {
  const sample = (time: number, faces: Face[]): FrameSample => ({ time, faces });
  it('reports the stretch without a face', () => {
    const samples = Array.from({ length: 25 }, (_, i) => sample(i * 0.2, i >= 8 && i < 16 ? [] : [face(100, 100, 80)]));
    const r = analyzeFacePresence(samples, 0.2, 5, v);
    expect(r.findings.map((f) => f.code)).toEqual(['face-lost']);
    expect(r.findings[0].segments).toEqual([[1.6, 3.2]]);
  });

  it('leaves a clip without any face to no-face', () => {
    const samples = Array.from({ length: 10 }, (_, i) => sample(i * 0.2, []));
    expect(analyzeFacePresence(samples, 0.2, 2, v).findings).toEqual([]);
  });

  it('flags a face crossing the frame quickly, not a steady one', () => {
    const fast = Array.from({ length: 10 }, (_, i) => sample(i * 0.2, [face(100 + i * 60, 100, 80)])); // 3.75 widths/s
    const still = Array.from({ length: 10 }, (_, i) => sample(i * 0.2, [face(100 + i, 100, 80)]));
    expect(analyzeFaceSpeed(fast, 0.2, 2, v).findings[0]).toMatchObject({ code: 'moving-too-fast', severity: 'fail' });
    expect(analyzeFaceSpeed(still, 0.2, 2, v).findings).toEqual([]);
  });
});

describe('aggregating per-frame causes', () => {
  const finding = (code: string, severity: 'warn' | 'fail', confidence: number, value: number): Finding => ({ code, severity, confidence, measured: { value }, thresholds: { valueMax: 1 } });
  it('reports a cause held for long enough with its segments, share and worst frame', () => {
    const samples: FrameSample[] = Array.from({ length: 10 }, (_, i) => ({
      time: i * 0.4,
      faces: [],
      findings: i >= 2 && i <= 6 ? [finding('too-dark', i === 4 ? 'fail' : 'warn', 0.6 + i / 100, i)] : [finding('blur', 'warn', 0.5, 1)].filter(() => i === 9),
    }));
    const out = aggregateFrameFindings(samples, 0.4, 4, v);
    const dark = out.find((f) => f.code === 'too-dark')!;
    expect(dark.severity).toBe('warn'); // one failing frame is not enough to fail the clip
    expect(dark.segments).toEqual([[0.8, 2.8]]);
    expect(dark.measured).toMatchObject({ value: 4, frameShare: 0.5, worstFrameTime: 1.6 });
    expect(out.find((f) => f.code === 'blur')).toBeUndefined(); // one frame of ten
  });
});

describe('liveness actions', () => {
  it('sees a head turn from the keypoints and says when', () => {
    const samples: FrameSample[] = Array.from({ length: 15 }, (_, i) => {
      const f = face(100, 100, 80, i >= 6 && i <= 9 ? 0.2 : 0);
      return { time: i * 0.2, faces: [f], yaw: yawFromKeypoints(f) };
    });
    const r = analyzeActions(['turn-head'], samples, v);
    expect(r.results[0]).toMatchObject({ action: 'turn-head', checkable: true, seen: true, times: [1.2] });
    expect(r.findings).toEqual([]);
  });

  it('reports a missing blink, and says so when it cannot check', () => {
    const open = Array.from({ length: 12 }, (_, i) => ({ time: i * 0.1, faces: [face(100, 100, 80)], eyeOpening: 0.3 }));
    expect(analyzeActions(['blink'], open, v).findings[0]).toMatchObject({ code: 'action-missing', severity: 'fail', measured: { action: 'blink', checkable: true } });
    const blink = open.map((s, i) => (i === 5 ? { ...s, eyeOpening: 0.08 } : s));
    expect(analyzeActions(['blink'], blink, v).results[0]).toMatchObject({ seen: true, times: [0.5] });
    const noLandmarks = open.map(({ eyeOpening: _e, ...s }) => s);
    expect(analyzeActions(['blink'], noLandmarks, v, 'model missing').findings[0].measured).toMatchObject({ checkable: false, reason: 'model missing' });
  });
});
