// Lighting failures, all computed in linear light (what the sensor counts), then re-encoded as
// sRGB. Each takes either a severity 0..1 (0 = mildest case that should still be reported,
// 1 = extreme) or the explicit physical parameters its *Params function returns.
import type { RgbImage } from '../../src/media/raster.js';
import type { Box } from '../../src/types.js';
import {
  blurPlane,
  boxCenter,
  clamp01,
  fromLinear,
  lerp,
  sev,
  smoothstep,
  toLinear,
  type SynthImage,
} from './pixels.js';
import { Rng } from './rng.js';

const faces = (face?: Box) => (face ? [face] : undefined);

// ---------------------------------------------------------------- darken

export interface DarkenParams {
  /** Drop in output exposure, in stops (1.3 ≈ dim living room, 5 ≈ lights off). */
  stops: number;
  /** ISO gain auto-exposure added to fight the dark; the light lost is stops + gainStops. */
  gainStops: number;
  /** Photo-electrons a white pixel collects in good light (small phone pixel). */
  fullWell: number;
  /** Read noise, electrons. */
  readNoise: number;
  /** Share of the noise common to R, G and B (luminance); the rest is per channel (chroma). */
  lumaShare: number;
  /** Tone-curve exponent on the encoded values; > 1 crushes shadows as phone curves do. */
  gamma: number;
}

export function darkenParams(severity: number): DarkenParams {
  const s = sev(severity);
  const stops = 1.3 + 3.7 * s;
  return { stops, gainStops: 0.6 * stops, fullWell: 12000, readNoise: 2.5, lumaShare: 0.6, gamma: 1 + 0.15 * s };
}

/**
 * Underexposure in a dim room: the scene gets 2^-(stops+gainStops) of the light, the camera
 * amplifies by 2^gainStops, so the picture ends 2^-stops darker and carries the shot noise
 * (Poisson, as a Gaussian of variance = electron count) and read noise of the few electrons it
 * collected — relative noise grows as the light drops.
 */
export function darken(img: RgbImage, p: number | DarkenParams, seed = 1, face?: Box): SynthImage {
  const P = typeof p === 'number' ? darkenParams(p) : p;
  const lin = toLinear(img);
  const electronsAtWhite = P.fullWell * Math.pow(2, -(P.stops + P.gainStops));
  const out = Math.pow(2, -P.stops) / electronsAtWhite;
  const rng = new Rng(seed);
  const a = Math.sqrt(P.lumaShare);
  const b = Math.sqrt(1 - P.lumaShare);
  const d = lin.data;
  for (let i = 0; i < d.length; i += 3) {
    const shared = rng.normal();
    for (let c = 0; c < 3; c++) {
      const e = d[i + c] * electronsAtWhite;
      const sd = Math.sqrt(e + P.readNoise * P.readNoise);
      const noisy = e + sd * (a * shared + b * rng.normal());
      d[i + c] = noisy > 0 ? noisy * out : 0;
    }
  }
  const encoded = fromLinear(lin, faces(face));
  if (P.gamma !== 1) {
    const lut = new Uint8Array(256);
    for (let v = 0; v < 256; v++) lut[v] = Math.round(255 * Math.pow(v / 255, P.gamma));
    for (let i = 0; i < encoded.data.length; i++) encoded.data[i] = lut[encoded.data[i]];
  }
  return encoded;
}

// ---------------------------------------------------------------- overexpose

export interface OverexposeParams {
  /** Exposure gain in stops, applied in linear light; the sensor clips at full scale. */
  stops: number;
}

export function overexposeParams(severity: number): OverexposeParams {
  return { stops: 1 + 2.5 * sev(severity) };
}

/** Overexposure: multiply linear light by 2^stops and clip each channel at 255. */
export function overexpose(img: RgbImage, p: number | OverexposeParams, face?: Box): SynthImage {
  const P = typeof p === 'number' ? overexposeParams(p) : p;
  const lin = toLinear(img);
  const g = Math.pow(2, P.stops);
  for (let i = 0; i < lin.data.length; i++) lin.data[i] *= g;
  return fromLinear(lin, faces(face));
}

// ---------------------------------------------------------------- backlight

export interface BacklightParams {
  /** Gain on the background (bright window behind), stops. */
  bgStops: number;
  /** Extra light from the window/sky added to the background, linear 0..1. */
  window: number;
  /** Exposure drop on the person (auto-exposure metering for the bright window), stops. */
  subjectStops: number;
  /** Veiling glare: share of the mean background light scattered over the whole frame. */
  haze: number;
  /** Softness of the person's outline, in face widths. */
  feather: number;
}

export function backlightParams(severity: number): BacklightParams {
  const s = sev(severity);
  return { bgStops: 1.5 + 2 * s, window: 0.15 + 0.45 * s, subjectStops: 0.7 + 1.6 * s, haze: 0.02 + 0.08 * s, feather: 0.08 };
}

/**
 * A soft mask (1 = person) from a face box: a head ellipse with hair, a neck, and shoulders that
 * widen to about three face widths and run to the bottom of the frame.
 */
export function personMask(width: number, height: number, face: Box, feather = 0.08): Float32Array {
  const m = new Float32Array(width * height);
  const { x: cx } = boxCenter(face);
  const fw = face.width;
  const fh = face.height;
  const hy = face.y + 0.42 * fh;
  const ax = 0.66 * fw;
  const ay = 0.78 * fh;
  const neckTop = face.y + 0.85 * fh;
  const shoulders = face.y + 1.25 * fh;
  const shouldersFull = face.y + 1.9 * fh;
  for (let y = 0; y < height; y++) {
    let hw = 0;
    if (y >= neckTop) {
      if (y < shoulders) hw = 0.42 * fw;
      else if (y < shouldersFull) hw = lerp(0.42 * fw, 1.55 * fw, smoothstep(shoulders, shouldersFull, y));
      else hw = 1.55 * fw + 0.2 * (y - shouldersFull);
    }
    const ey = (y - hy) / ay;
    for (let x = 0; x < width; x++) {
      const ex = (x - cx) / ax;
      const inHead = ex * ex + ey * ey <= 1;
      const inBody = hw > 0 && Math.abs(x - cx) <= hw;
      m[y * width + x] = inHead || inBody ? 1 : 0;
    }
  }
  return blurPlane(m, width, height, Math.max(0.5, feather * fw));
}

/**
 * Backlight: a bright window behind the person. Outside the person mask the background is pushed
 * up by bgStops plus the window's own light (mostly clipping to white); the person is darkened by
 * subjectStops (the camera exposed for the window); glare scatters a little of the window light
 * over everything, which lifts and flattens the face.
 */
export function backlight(img: RgbImage, face: Box, p: number | BacklightParams): SynthImage {
  const P = typeof p === 'number' ? backlightParams(p) : p;
  const { width: w, height: h } = img;
  const lin = toLinear(img);
  const mask = personMask(w, h, face, P.feather);
  const bgGain = Math.pow(2, P.bgStops);
  const subGain = Math.pow(2, -P.subjectStops);
  const d = lin.data;
  let bgSum = 0;
  let bgW = 0;
  for (let i = 0, px = 0; px < w * h; px++, i += 3) {
    const m = mask[px];
    for (let c = 0; c < 3; c++) {
      const v = d[i + c];
      const bg = Math.min(1, v * bgGain + P.window);
      const fg = v * subGain;
      d[i + c] = m * fg + (1 - m) * bg;
      bgSum += (1 - m) * bg;
    }
    bgW += 3 * (1 - m);
  }
  const glare = P.haze * (bgW > 0 ? bgSum / bgW : 1);
  for (let i = 0; i < d.length; i++) d[i] += glare;
  return fromLinear(lin, [face]);
}

// ---------------------------------------------------------------- uneven light

export interface UnevenLightParams {
  /** How much darker the shadow side of the face is, stops. */
  stops: number;
  /** Extra light on the lit side, stops. */
  litBoost: number;
  /** Width of the broad light fall-off across the frame, in face widths. */
  softness: number;
  /** Share of the drop that happens sharply along the nose line (a soft cast shadow), on the face only. */
  noseShadow: number;
  /** Which side of the picture is in shadow. */
  darkSide: 'left' | 'right';
}

export function unevenLightParams(severity: number, seed = 1): UnevenLightParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  return {
    stops: 1.2 + 2.3 * s,
    litBoost: 0.3,
    softness: lerp(0.9, 0.45, s),
    noseShadow: lerp(0.2, 0.55, s),
    darkSide: rng.next() < 0.5 ? 'left' : 'right',
  };
}

/**
 * Side light (a lamp or window to one side): a horizontal exposure gradient centred on the face
 * so one half is much darker, with part of the drop concentrated along the nose line inside the
 * face, like the nose's soft cast shadow.
 */
export function unevenLight(img: RgbImage, face: Box, p: number | UnevenLightParams, seed = 1): SynthImage {
  const P = typeof p === 'number' ? unevenLightParams(p, seed) : p;
  const { width: w, height: h } = img;
  const lin = toLinear(img);
  const { x: cx, y: cy } = boxCenter(face);
  const dir = P.darkSide === 'right' ? 1 : -1;
  const fw = face.width;
  // Soft face region where the nose shadow applies.
  const faceM = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const ey = (y - cy) / (0.6 * face.height);
    for (let x = 0; x < w; x++) {
      const ex = (x - cx) / (0.55 * fw);
      faceM[y * w + x] = ex * ex + ey * ey <= 1 ? 1 : 0;
    }
  }
  const fm = blurPlane(faceM, w, h, 0.12 * fw);
  const d = lin.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = (dir * (x - cx)) / fw;
      const broad = smoothstep(-P.softness, P.softness, u);
      const sharp = smoothstep(-0.07, 0.07, u);
      const ns = P.noseShadow * fm[y * w + x];
      const t = (1 - ns) * broad + ns * sharp;
      const g = Math.pow(2, P.litBoost * (1 - t) - P.stops * t);
      const i = (y * w + x) * 3;
      d[i] *= g;
      d[i + 1] *= g;
      d[i + 2] *= g;
    }
  }
  return fromLinear(lin, [face]);
}

// ---------------------------------------------------------------- flicker

export interface FlickerParams {
  /** Bright/dark band periods per frame height (mains flicker seen by a rolling shutter). */
  cycles: number;
  /** Modulation depth (max - min) / (max + min) of the light, 0..1. */
  depth: number;
  /** Phase of the first row, radians. */
  phase: number;
}

export function flickerParams(severity: number, seed = 1): FlickerParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  return { cycles: Math.round(rng.uniform(3, 12) * 10) / 10, depth: 0.1 + 0.3 * s, phase: rng.uniform(0, 2 * Math.PI) };
}

/**
 * Rolling-shutter flicker in a still: rows are exposed at successive instants under light that
 * pulses at twice the mains frequency, so the light is multiplied by 1 + depth·sin(2π·cycles·y/H + phase).
 */
export function flickerBands(img: RgbImage, p: number | FlickerParams, seed = 1, face?: Box): SynthImage {
  const P = typeof p === 'number' ? flickerParams(p, seed) : p;
  const { width: w, height: h } = img;
  const lin = toLinear(img);
  for (let y = 0; y < h; y++) {
    const g = 1 + clamp01(P.depth) * Math.sin((2 * Math.PI * P.cycles * y) / h + P.phase);
    const row = lin.data.subarray(y * w * 3, (y + 1) * w * 3);
    for (let i = 0; i < row.length; i++) row[i] *= g;
  }
  return fromLinear(lin, faces(face));
}
