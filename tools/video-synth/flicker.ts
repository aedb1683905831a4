// Mains-light flicker laid over clean frames. A lamp on 50/60 Hz mains pulses at 100/120 Hz.
//  * rolling bands: a rolling-shutter sensor exposes row y at t + readout·y/H, so the frame shows
//    horizontal bands (readout × frequency of them) that move between frames unless the frame
//    rate divides the light frequency;
//  * whole-frame pulsing: a global shutter (or a short readout) samples the light once per frame,
//    so the whole frame brightens and darkens at the aliased frequency |f − round(f/fps)·fps|.
// The modulation is applied to linear light (sRGB-ish gamma 2.2) and along the sensor rows, which
// are the long side of the picture (portrait clips get vertical bands, as phones do).
import type { RgbFrame } from './ffmpeg-io.js';

export interface FlickerSpec {
  kind: 'bands' | 'pulse';
  /** Mains frequency; the light pulses at twice this. */
  mainsHz: 50 | 60;
  /** Peak modulation depth of the light as the camera integrates it (0..1). */
  depth: number;
  /** Rolling-shutter readout time, seconds (bands only). */
  readout?: number;
  /** Light phase at t = 0, radians. */
  phase?: number;
}

const GAMMA = 2.2;

/** Multiplies frame `k` (taken at time t) in place. */
export function applyFlicker(frame: RgbFrame, t: number, s: FlickerSpec): void {
  const f = 2 * s.mainsHz;
  const portrait = frame.height > frame.width;
  const lines = portrait ? frame.width : frame.height;
  const readout = s.kind === 'bands' ? (s.readout ?? 0.03) : 0;
  const gain = new Float64Array(lines);
  for (let r = 0; r < lines; r++) {
    const light = 1 + s.depth * Math.cos(2 * Math.PI * f * (t + (readout * (r + 0.5)) / lines) + (s.phase ?? 0));
    gain[r] = Math.pow(Math.max(0, light), 1 / GAMMA);
  }
  const { width, height, data } = frame;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const g = gain[portrait ? x : y];
      const p = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = data[p + c] * g;
        data[p + c] = v > 255 ? 255 : v + 0.5;
      }
    }
  }
}
