// Every cause code facedoctor can report, with its category. Codes are part of the output
// contract: add new ones, never rename.
import type { Category } from '../types.js';

export const CAUSE_CATEGORIES = {
  'no-face': 'face',
  'multiple-faces': 'face',
  'too-dark': 'lighting',
  'too-bright': 'lighting',
  backlit: 'lighting',
  'uneven-lighting': 'lighting',
  flicker: 'lighting',
  blur: 'device',
  noise: 'device',
  'low-resolution': 'device',
  'too-close': 'framing',
  'too-far': 'framing',
  'off-center': 'framing',
  'head-pose': 'framing',
  mask: 'obstruction',
  sunglasses: 'obstruction',
  bangs: 'obstruction',
  headwear: 'obstruction',
  'glasses-glare': 'obstruction',
  'eyes-closed': 'face',
  'mouth-open': 'face',
  shaking: 'motion',
  'moving-too-fast': 'motion',
  'face-lost': 'motion',
  'frozen-video': 'motion',
  'too-short': 'motion',
  'action-missing': 'liveness',
} as const satisfies Record<string, Category>;

export type CauseCode = keyof typeof CAUSE_CATEGORIES;

export const CAUSE_CODES = Object.keys(CAUSE_CATEGORIES) as CauseCode[];

export function isCauseCode(s: string): s is CauseCode {
  return Object.prototype.hasOwnProperty.call(CAUSE_CATEGORIES, s);
}
