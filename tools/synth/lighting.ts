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
  linearToSrgb,
  sev,
  smoothstep,
  toLinear,
  type FloatImage,
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
  /** Exposure gain in stops, applied in linear light; the sensor clips each channel at full scale. */
  stops: number;
  /** What the gain was chosen to reach (for the manifest): the skin's median luma… */
  targetSkinP50?: number;
  /** …or the share of skin clipped, whichever needs fewer stops. */
  targetSkinClip?: number;
}

/**
 * Too bright means the *face* is burnt out, not the room: a camera metering a dark background, a
 * lamp or the sun straight on the face, exposure compensation pushed up. So the gain is chosen
 * per photo, from the face's own skin, as the smallest that reaches either
 *   - a skin median of luma 215 (mildest) … 248 (extreme): at 215 even the darker half of the
 *     skin is near white and shading barely survives — a pale face well lit sits at 170–205,
 *     dark skin far lower, so no skin tone gets there without overexposure; or
 *   - 30 % (mildest) … 90 % of the skin burnt to white (luma ≥ 250): the forehead, nose and
 *     cheeks flat white, what "blown out" looks like on a phone screen.
 * Without a face box, a fixed 1 + 2.5·severity stops.
 */
export function overexposeParams(severity: number): OverexposeParams {
  const s = sev(severity);
  return { stops: 1 + 2.5 * s, targetSkinP50: lerp(215, 248, s), targetSkinClip: lerp(0.3, 0.9, s) };
}

/** Luma (Rec.601 on encoded values) of skin pixels after a gain, and the share burnt to white. */
function skinAfterGain(lin: FloatImage, face: Box, gain: number): { p50: number; clip: number } {
  const { width: w, height: h, data } = lin;
  const cx = face.x + face.width / 2;
  const cy = face.y + 0.55 * face.height;
  const rx = 0.36 * face.width;
  const ry = 0.4 * face.height;
  const lumas: number[] = [];
  let clipped = 0;
  const step = Math.max(1, Math.floor(Math.min(rx, ry) / 40));
  for (let y = Math.max(0, Math.floor(cy - ry)); y < Math.min(h, Math.ceil(cy + ry)); y += step) {
    for (let x = Math.max(0, Math.floor(cx - rx)); x < Math.min(w, Math.ceil(cx + rx)); x += step) {
      const u = (x - cx) / rx;
      const v = (y - cy) / ry;
      if (u * u + v * v > 1) continue;
      const i = (y * w + x) * 3;
      const r = data[i] * gain;
      const g = data[i + 1] * gain;
      const b = data[i + 2] * gain;
      const luma = 255 * (0.299 * linearToSrgb(r) + 0.587 * linearToSrgb(g) + 0.114 * linearToSrgb(b));
      // Burnt to white (every channel at or near full scale), not merely one channel saturated:
      // red clips first on any skin while the face still shows its shading.
      if (luma >= 250) clipped++;
      lumas.push(luma);
    }
  }
  if (lumas.length === 0) return { p50: NaN, clip: NaN };
  lumas.sort((a, b) => a - b);
  return { p50: lumas[lumas.length >> 1], clip: clipped / lumas.length };
}

/** Smallest gain (stops, 0.5..8) that brings the face's skin to the target median or clip share. */
export function stopsToOverexpose(img: RgbImage, face: Box, targetSkinP50: number, targetSkinClip: number): number {
  const lin = toLinear(img);
  const reached = (stops: number) => {
    const m = skinAfterGain(lin, face, Math.pow(2, stops));
    return !(m.p50 < targetSkinP50) || !(m.clip < targetSkinClip);
  };
  let lo = 0.5;
  let hi = 8;
  if (reached(lo)) return lo;
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    if (reached(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Overexposure: multiply linear light by 2^stops and clip each channel at full scale (the sensor). */
export function overexpose(img: RgbImage, p: number | OverexposeParams, face?: Box): SynthImage {
  const P = typeof p === 'number' ? overexposeParams(p) : p;
  const stops =
    face && P.targetSkinP50 !== undefined && P.targetSkinClip !== undefined ? stopsToOverexpose(img, face, P.targetSkinP50, P.targetSkinClip) : P.stops;
  const lin = toLinear(img);
  const g = Math.pow(2, stops);
  for (let i = 0; i < lin.data.length; i++) lin.data[i] *= g;
  return fromLinear(lin, faces(face));
}

// ---------------------------------------------------------------- backlight

export interface BacklightParams {
  /** Gain on the background (bright window behind), stops. */
  bgStops: number;
  /** Light level of the window/sky behind, linear 0..1: the background is at least this bright. */
  window: number;
  /** Exposure drop on the person (auto-exposure metering for the bright window), stops. */
  subjectStops: number;
  /** Veiling glare: share of the mean background light scattered over the whole frame. */
  haze: number;
  /** Softness of the person's outline, in face widths. */
  feather: number;
}

/**
 * A person in front of a window or a bright lamp-lit wall, the camera metering the whole frame:
 *   - the window: at least 0.6 of full scale in linear light (luma ≈ 205) at the mildest, where a
 *     bright overcast sky or a sunlit wall sits; up to full white (a sunny window, blown out),
 *     and never darker than the scene behind pushed up by bgStops;
 *   - the subject: 1.5 (mildest) to 3 stops darker than in the original — the auto-exposure
 *     pulled down by the bright area, plus the face lit only by the room, not by the window;
 *   - veiling glare: 2–8 % of the window light scattered over the frame by the lens, the
 *     low-contrast, lifted-black look of shooting into the light.
 */
export function backlightParams(severity: number): BacklightParams {
  const s = sev(severity);
  return { bgStops: 1.5 + 2 * s, window: lerp(0.6, 1, s), subjectStops: 1.5 + 1.5 * s, haze: 0.02 + 0.06 * s, feather: 0.08 };
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
 * up by bgStops and to at least the window's light (mostly clipping to white); the person is darkened by
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
      // The window floor keeps a little of the scene's texture (frames, clouds) where it was darker.
      const bg = Math.min(1, Math.max(v * bgGain, P.window + 0.15 * v));
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
  /**
   * How much less light the shadow-side cheek gets than the lit-side cheek (points a quarter of
   * a face width either side of the nose), stops.
   */
  stops: number;
  /** Extra light on the lit side, stops. */
  litBoost: number;
  /** Half-width of the light fall-off across the head, in face widths. */
  softness: number;
  /** Share of the drop that happens sharply along the nose line (a soft cast shadow), on the face only. */
  noseShadow: number;
  /** Which side of the picture is in shadow. */
  darkSide: 'left' | 'right';
}

/** Cheek points compared by `stops`, in face widths either side of the face centre. */
const CHEEK = 0.25;

/**
 * Side light — a window or lamp beside the person, the room otherwise dim: photographers call
 * a 2:1 key-to-fill ratio (1 stop) ordinary portrait light and 4:1 (2 stops) dramatic; KYC liveness
 * and matching start failing around there, because one cheek loses its texture. So the mildest
 * case is 2 stops between the cheeks and the extreme 4 stops (16:1, split lighting: one half in
 * near darkness). The fall-off is spread over ±0.35–0.5 face widths (a head is a curved surface
 * turning away from the lamp), part of it sharpened along the nose (its cast shadow), and beyond
 * the head it keeps going gently across the room.
 */
export function unevenLightParams(severity: number, seed = 1): UnevenLightParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  return {
    stops: 2 + 2 * s,
    litBoost: 0.3,
    softness: lerp(0.5, 0.35, s),
    noseShadow: lerp(0.2, 0.5, s),
    darkSide: rng.next() < 0.5 ? 'left' : 'right',
  };
}

/**
 * Which half of the face is already the darker one in the photo (mean luma of the cheek and
 * brow band either side of the nose). A side light that adds to the photo's own key light is one
 * lamp seen from one side; darkening the brighter half instead would cancel the original light
 * and leave an evenly lit face labelled "uneven".
 */
export function darkerSide(img: RgbImage, face: Box): 'left' | 'right' {
  const { width: w, height: h, data } = img;
  const mean = (fx0: number, fx1: number) => {
    let s = 0;
    let n = 0;
    const x0 = Math.max(0, Math.round(face.x + fx0 * face.width));
    const x1 = Math.min(w, Math.round(face.x + fx1 * face.width));
    const y0 = Math.max(0, Math.round(face.y + 0.3 * face.height));
    const y1 = Math.min(h, Math.round(face.y + 0.8 * face.height));
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = (y * w + x) * 3;
        s += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        n++;
      }
    }
    return n > 0 ? s / n : 0;
  };
  return mean(0.15, 0.42) <= mean(0.58, 0.85) ? 'left' : 'right';
}

/**
 * Side light (a lamp or window to one side): a horizontal exposure gradient centred on the face
 * so one half is much darker, with part of the drop concentrated along the nose line inside the
 * face, like the nose's soft cast shadow. The gradient is scaled so the cheeks CHEEK face widths
 * either side of the centre differ by exactly `stops`.
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
  // Shadow fraction t (0 lit .. 1 shadow) at u face widths towards the dark side; beyond the
  // head, on the far side, the fall-off continues at a quarter of its rate (the room away from
  // the lamp); the near side keeps the lit level rather than climbing to white.
  const broad = (u: number) => smoothstep(-P.softness, P.softness, u) + 0.25 * Math.max(0, u - P.softness);
  const sharp = (u: number) => smoothstep(-0.07, 0.07, u);
  const shade = (u: number, ns: number) => (1 - ns) * broad(u) + ns * sharp(u);
  // Face-centre cheeks: the nose shadow weight is ~1 there.
  const span = shade(CHEEK, P.noseShadow) - shade(-CHEEK, P.noseShadow);
  const k = span > 1e-6 ? P.stops / span : P.stops;
  const d = lin.data;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const u = (dir * (x - cx)) / fw;
      const t = shade(u, P.noseShadow * fm[y * w + x]);
      const g = Math.pow(2, P.litBoost - k * t);
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
  /** Modulation depth (max - min) / (max + min) of the light as the picture records it, 0..1. */
  depth: number;
  /** Phase of the first row, radians. */
  phase: number;
  /** For the manifest: the physics the two numbers above came from. */
  mainsHz?: number;
  readoutMs?: number;
  exposureMs?: number;
  lightDepth?: number;
}

/**
 * Rolling-shutter flicker as a phone or webcam records it under mains lighting:
 *   - the light pulses at twice the mains frequency (100 Hz in 50 Hz countries, 120 Hz in 60 Hz
 *     ones), and the sensor reads its rows top to bottom over the readout time, so the frame
 *     shows 2·mains·readout band periods. Measured readouts of phone and webcam sensors streaming
 *     at 30 fps (what web and app selfie captures use) are 22–32 ms, some 44–58 ms; we draw
 *     20–45 ms, i.e. 2.0–5.4 periods per frame. Faster (stacked) sensors give fewer than 2 — a
 *     gradient, not bands, in a still;
 *   - each row integrates the light over the exposure time, which shrinks the modulation by
 *     |sinc(2·mains·exposure)|; banding happens when a bright room gives a short exposure
 *     (1/1000–1/250 s drawn here: attenuation 0.66–0.98);
 *   - the recorded depth runs from 10 % (mildest: ±4–5 % in luma, plainly visible bands on a
 *     wall) to 45 % (a cheap LED or an old fluorescent tube, 30–100 % flicker at the source).
 */
export function flickerParams(severity: number, seed = 1): FlickerParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  const mainsHz = rng.next() < 0.5 ? 50 : 60;
  const readoutMs = rng.uniform(20, 45);
  const exposureMs = 1000 / rng.uniform(250, 1000);
  const x = (2 * mainsHz * exposureMs) / 1000;
  const attenuation = Math.abs(Math.sin(Math.PI * x) / (Math.PI * x));
  const depth = lerp(0.1, 0.45, s);
  return {
    cycles: Math.round(((2 * mainsHz * readoutMs) / 1000) * 100) / 100,
    depth,
    phase: rng.uniform(0, 2 * Math.PI),
    mainsHz,
    readoutMs,
    exposureMs,
    lightDepth: Math.min(1, depth / attenuation),
  };
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
