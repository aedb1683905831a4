// Deterministically synthesise one small labelled set from fixtures/astronaut.png:
//   fixtures/synthetic/<cause-code>/astronaut-<variant>.jpg, fixtures/synthetic/clean/…, and
//   fixtures/synthetic/MANIFEST.json (file, label, degradation, severity, seed, parameters, where
//   the face(s) are). Run with `npm run build && npm run fixtures`.
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Box } from '../src/types.js';
import type { RgbImage } from '../src/media/raster.js';
import { synthesize, type Overrides, type SynthCode } from './synth/degrade.js';
import { repoRoot, writeImage } from './synth/files.js';
import { cropImage, jpegRoundTrip, mapBox, readRgb, resize, roundBox } from './synth/pixels.js';
import { hashSeed } from './synth/rng.js';

/** The astronaut's face box (brows to chin, cheek to cheek), checked by eye on the 512×512 image. */
export const ASTRONAUT_FACE: Box = { x: 178, y: 76, width: 100, height: 112 };

interface Spec {
  code: SynthCode;
  variant: string;
  severity: number;
  overrides?: Overrides;
}

const S = (code: SynthCode, variant: string, severity: number, overrides?: Overrides): Spec => ({ code, variant, severity, overrides });

export const SPECS: Spec[] = [
  S('too-dark', 'dim', 0.1),
  S('too-dark', 'dark', 0.5),
  S('too-dark', 'very-dark', 0.9),
  S('too-bright', 'mild', 0.1),
  S('too-bright', 'strong', 0.5),
  S('too-bright', 'blown', 0.9),
  S('backlit', 'mild', 0.15),
  S('backlit', 'moderate', 0.5),
  S('backlit', 'severe', 0.9),
  S('uneven-lighting', 'mild-right', 0.15, { darkSide: 'right' }),
  S('uneven-lighting', 'moderate-left', 0.5, { darkSide: 'left' }),
  S('uneven-lighting', 'severe-right', 0.9, { darkSide: 'right' }),
  S('flicker', 'mild-4bands', 0.15, { cycles: 4, phase: 0.5 }),
  S('flicker', 'moderate-7bands', 0.5, { cycles: 7, phase: 2 }),
  S('flicker', 'strong-11bands', 0.9, { cycles: 11, phase: 4 }),
  S('blur', 'defocus-mild', 0.15, { kind: 'defocus', kernel: 'disc' }),
  S('blur', 'defocus-strong', 0.8, { kind: 'defocus', kernel: 'disc' }),
  S('blur', 'gaussian-moderate', 0.5, { kind: 'defocus', kernel: 'gaussian' }),
  S('blur', 'motion-mild', 0.2, { kind: 'motion', angleDeg: 15 }),
  S('blur', 'motion-strong', 0.8, { kind: 'motion', angleDeg: 100 }),
  S('noise', 'mild', 0.1),
  S('noise', 'moderate', 0.5),
  S('noise', 'heavy', 0.9),
  S('low-resolution', 'small-mild', 0.15, { restore: false }),
  S('low-resolution', 'small-severe', 0.9, { restore: false }),
  S('low-resolution', 'upscaled-moderate', 0.5, { restore: true }),
  S('low-resolution', 'upscaled-severe', 0.9, { restore: true }),
  S('too-close', 'mild', 0.1),
  S('too-close', 'moderate', 0.5),
  S('too-close', 'spilling', 0.95),
  S('too-far', 'mild', 0.1),
  S('too-far', 'moderate', 0.5),
  S('too-far', 'tiny', 0.9),
  S('off-center', 'left-mild', 0.15, { edge: 'left' }),
  S('off-center', 'right-moderate', 0.5, { edge: 'right' }),
  S('off-center', 'bottom-left', 0.6, { edge: 'bottom-left' }),
  S('off-center', 'top-cut', 0.9, { edge: 'top' }),
  S('multiple-faces', 'background-person', 0.1),
  S('multiple-faces', 'second-person', 0.5),
  S('multiple-faces', 'side-by-side', 0.95),
  S('no-face', 'chest-only', 0.5, { mode: 'below' }),
  S('no-face', 'background-only', 0.5, { mode: 'side' }),
  S('no-face', 'head-filled', 0.5, { mode: 'obliterate' }),
];

interface CleanSpec {
  variant: string;
  note: string;
  make: (img: RgbImage, face: Box) => Promise<{ image: RgbImage; face: Box }>;
}

const CLEAN: CleanSpec[] = [
  { variant: 'original', note: 'the source photo, re-encoded as JPEG q90', make: async (img, face) => ({ image: img, face }) },
  {
    variant: 'q60',
    note: 'mild JPEG compression (quality 60) before the q90 save',
    make: async (img, face) => ({ image: await jpegRoundTrip(img, 60), face }),
  },
  {
    variant: 'portrait-crop',
    note: '4:5 crop (384×480) around the face, not resized',
    make: async (img, face) => {
      const x = 36;
      const y = 0;
      return { image: cropImage(img, x, y, 384, 480), face: mapBox(face, 1, 1, -x, -y) };
    },
  },
  {
    variant: 'head-and-shoulders',
    note: '400×400 crop, face about a third of the width, centred',
    make: async (img, face) => {
      const x = 28;
      const y = 0;
      const c = cropImage(img, x, y, 400, 400);
      return { image: c, face: mapBox(face, 1, 1, -x, -y) };
    },
  },
  {
    variant: 'shifted-crop',
    note: '440×440 crop with the face 30 px left of centre',
    make: async (img, face) => {
      const x = 38;
      const y = 20;
      return { image: cropImage(img, x, y, 440, 440), face: mapBox(face, 1, 1, -x, -y) };
    },
  },
  {
    variant: '384px',
    note: 'resized to 384×384 (face still about 75 px wide)',
    make: async (img, face) => ({ image: await resize(img, 384, 384), face: mapBox(face, 0.75, 0.75, 0, 0) }),
  },
];

interface Entry {
  file: string;
  label: string;
  variant: string;
  degradation: string;
  severity: number | null;
  seed: number | null;
  params: Record<string, unknown>;
  faces: Box[];
  width: number;
  height: number;
  bytes: number;
}

function roundParams(p: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) out[k] = typeof v === 'number' ? Math.round(v * 10000) / 10000 : v;
  return out;
}

export async function makeFixtures(opts: { root?: string; log?: (s: string) => void } = {}): Promise<Entry[]> {
  const root = opts.root ?? repoRoot();
  const log = opts.log ?? ((s: string) => console.log(s));
  const srcFile = join(root, 'fixtures', 'astronaut.png');
  const outDir = join(root, 'fixtures', 'synthetic');
  const img = await readRgb(srcFile);
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const entries: Entry[] = [];
  const save = async (image: RgbImage, label: string, variant: string, meta: Omit<Entry, 'file' | 'label' | 'variant' | 'width' | 'height' | 'bytes'>) => {
    const file = join(outDir, label, `astronaut-${variant}.jpg`);
    await writeImage(image, file, { quality: 90 });
    const bytes = (await stat(file)).size;
    entries.push({ file: relative(outDir, file), label, variant, ...meta, width: image.width, height: image.height, bytes });
    log(`${relative(root, file)}  ${image.width}×${image.height}  ${(bytes / 1024).toFixed(0)} KB`);
  };
  for (const c of CLEAN) {
    const { image, face } = await c.make(img, ASTRONAUT_FACE);
    await save(image, 'clean', c.variant, { degradation: 'none', severity: null, seed: null, params: { note: c.note }, faces: [roundBox(face)] });
  }
  for (const s of SPECS) {
    const seed = hashSeed('fixture', s.code, s.variant);
    const r = await synthesize(s.code, img, ASTRONAUT_FACE, s.severity, seed, s.overrides ?? {});
    await save(r.image, s.code, s.variant, {
      degradation: r.degradation,
      severity: s.severity,
      seed,
      params: roundParams(r.params),
      faces: (r.image.faces ?? []).map(roundBox),
    });
  }
  const manifest = {
    generator: 'tools/make-fixtures.ts (npm run build && npm run fixtures)',
    source: { file: 'fixtures/astronaut.png', face: ASTRONAUT_FACE, note: 'see fixtures/README.md' },
    severity: '0 = mildest case that should still be reported, 1 = extreme; params are the physical values used',
    faces: 'expected face boxes in the output image (x, y, width, height); may reach past the frame when the face is cut; [] = no face',
    items: entries,
  };
  await writeFile(join(outDir, 'MANIFEST.json'), JSON.stringify(manifest, null, 2) + '\n');
  const total = entries.reduce((a, e) => a + e.bytes, 0);
  log(`${entries.length} files, ${(total / 1024 / 1024).toFixed(2)} MB in ${relative(root, outDir)}`);
  return entries;
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  makeFixtures().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
