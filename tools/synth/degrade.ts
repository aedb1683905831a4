// Synthesise each failure cause from a clean real photo. The degradations themselves live in the
// sibling modules (lighting, optics, framing); this module re-exports them and maps every cause
// code to a recipe that draws the remaining random choices from a seed.
//
// Severity convention: 0 = the mildest case that should still be reported, 1 = extreme. Each
// *Params(severity) function documents the physical range it maps to.
import type { RgbImage } from '../../src/media/raster.js';
import type { Box } from '../../src/types.js';
import type { CauseCode } from '../../src/report/codes.js';
import {
  backlight,
  backlightParams,
  darken,
  darkenParams,
  flickerBands,
  flickerParams,
  overexpose,
  overexposeParams,
  stopsToOverexpose,
  unevenLight,
  unevenLightParams,
  darkerSide,
} from './lighting.js';
import { addNoise, defocusBlur, defocusParams, downscale, downscaleParams, motionBlur, motionParams, noiseParams } from './optics.js';
import {
  cropClose,
  cropCloseParams,
  duplicateFace,
  duplicateParams,
  offCenterParams,
  placeFar,
  placeFarParams,
  removeFace,
  removeFaceParams,
  shiftOffCenter,
} from './framing.js';
import { hashSeed, Rng } from './rng.js';
import type { SynthImage } from './pixels.js';

export * from './lighting.js';
export * from './optics.js';
export * from './framing.js';
export { type SynthImage, type FloatImage, extendScene, readRgb, jpegRoundTrip, resize, toLinear, fromLinear } from './pixels.js';
export { Rng, hashSeed } from './rng.js';

/** The cause codes a still photo can be synthesised for. */
export const SYNTH_CODES = [
  'too-dark',
  'too-bright',
  'backlit',
  'uneven-lighting',
  'flicker',
  'blur',
  'noise',
  'low-resolution',
  'too-close',
  'too-far',
  'off-center',
  'multiple-faces',
  'no-face',
] as const satisfies readonly CauseCode[];

export type SynthCode = (typeof SYNTH_CODES)[number];

export function isSynthCode(s: string): s is SynthCode {
  return (SYNTH_CODES as readonly string[]).includes(s);
}

export interface Synthesis {
  image: SynthImage;
  /** Name of the degradation function applied. */
  degradation: string;
  severity: number;
  seed: number;
  /** The physical parameters used (what *Params returned, after seeded choices). */
  params: Record<string, unknown>;
}

/** Explicit parameter values that replace what severity/seed would choose (e.g. `{ darkSide: 'left' }`);
 *  for `blur`, `{ kind: 'defocus' | 'motion' }` picks the kernel family. */
export type Overrides = Record<string, unknown>;

type Recipe = (img: RgbImage, face: Box, severity: number, seed: number, o: Overrides) => Promise<Synthesis>;

function merge<T extends object>(p: T, o: Overrides): T {
  const { kind: _kind, ...rest } = o;
  return { ...p, ...(rest as Partial<T>) };
}

const rec = (degradation: string, severity: number, seed: number, params: object, image: SynthImage): Synthesis => ({
  image,
  degradation,
  severity,
  seed,
  params: { ...params },
});

/** One recipe per cause code. */
export const RECIPES: Record<SynthCode, Recipe> = {
  'too-dark': async (img, face, s, seed, o) => {
    const p = merge(darkenParams(s), o);
    return rec('darken', s, seed, p, darken(img, p, seed, face));
  },
  'too-bright': async (img, face, s, seed, o) => {
    const p0 = merge(overexposeParams(s), o);
    // The gain this face needs (recorded in the manifest), unless the caller fixed the stops.
    const stops = 'stops' in o || p0.targetSkinP50 === undefined || p0.targetSkinClip === undefined ? p0.stops : stopsToOverexpose(img, face, p0.targetSkinP50, p0.targetSkinClip);
    const p = { ...p0, stops };
    return rec('overexpose', s, seed, p, overexpose(img, { stops }, face));
  },
  backlit: async (img, face, s, seed, o) => {
    const p = merge(backlightParams(s), o);
    return rec('backlight', s, seed, p, backlight(img, face, p));
  },
  'uneven-lighting': async (img, face, s, seed, o) => {
    // One light source: the side the photo already has in shade is the one that falls darker.
    const p = merge({ ...unevenLightParams(s, seed), darkSide: darkerSide(img, face) }, o);
    return rec('unevenLight', s, seed, p, unevenLight(img, face, p));
  },
  flicker: async (img, face, s, seed, o) => {
    const p = merge(flickerParams(s, seed), o);
    return rec('flickerBands', s, seed, p, flickerBands(img, p, seed, face));
  },
  blur: async (img, face, s, seed, o) => {
    const kind = o.kind ?? (new Rng(hashSeed(seed, 'blur-kind')).next() < 0.6 ? 'defocus' : 'motion');
    if (kind === 'defocus') {
      const p = merge(defocusParams(s, seed), o);
      return rec('defocusBlur', s, seed, p, defocusBlur(img, face, p));
    }
    const p = merge(motionParams(s, seed), o);
    return rec('motionBlur', s, seed, p, motionBlur(img, face, p));
  },
  noise: async (img, face, s, seed, o) => {
    const p = merge(noiseParams(s), o);
    return rec('addNoise', s, seed, p, addNoise(img, p, seed, face));
  },
  'low-resolution': async (img, face, s, seed, o) => {
    const p = merge(downscaleParams(s, seed), o);
    return rec('downscale', s, seed, p, await downscale(img, face, p));
  },
  'too-close': async (img, face, s, seed, o) => {
    const p = merge(cropCloseParams(s, seed), o);
    return rec('cropClose', s, seed, p, await cropClose(img, face, p, seed));
  },
  'too-far': async (img, face, s, seed, o) => {
    const p = merge(placeFarParams(s, seed, img), o);
    return rec('placeFar', s, seed, p, await placeFar(img, face, p, seed));
  },
  'off-center': async (img, face, s, seed, o) => {
    const p = merge(offCenterParams(s, seed), o);
    return rec('shiftOffCenter', s, seed, p, await shiftOffCenter(img, face, p, seed));
  },
  'multiple-faces': async (img, face, s, seed, o) => {
    const p = merge(duplicateParams(s, seed), o);
    return rec('duplicateFace', s, seed, p, await duplicateFace(img, face, p, seed));
  },
  'no-face': async (img, face, s, seed, o) => {
    const p = merge(removeFaceParams(s, seed), o);
    return rec('removeFace', s, seed, p, await removeFace(img, face, p, seed));
  },
};

/** Apply the recipe for `code` at `severity` (0..1) with a seed. */
export function synthesize(
  code: SynthCode,
  img: RgbImage,
  face: Box,
  severity: number,
  seed: number,
  overrides: Overrides = {},
): Promise<Synthesis> {
  return RECIPES[code](img, face, severity, seed, overrides);
}
