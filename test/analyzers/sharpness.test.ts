// blur and noise on real pixels: the synthetic fixtures (generated from the public-domain
// astronaut photo by tools/make-fixtures.ts), controlled degradations of the same photo, and —
// when it is on this machine — the shared real photo set.
import sharp from '../../src/media/sharp.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/profile.js';
import type { RgbImage } from '../../src/media/raster.js';
import { defocusBlur, motionBlur } from '../../tools/synth/optics.js';
import { analyzeAll, analyzeFile, analyzePixels, decode, fixtures, hasShared, root, sharedFiles, short, sourceOf, type Analysed } from './helpers.js';

const profile = loadProfile();
const ASTRONAUT_FACE = { x: 178, y: 76, width: 100, height: 112 };

async function astronaut(): Promise<RgbImage> {
  return (await decode(`${root}/fixtures/astronaut.png`)).image;
}

async function gaussian(img: RgbImage, sigma: number): Promise<RgbImage> {
  if (sigma < 0.3) return img;
  const { data, info } = await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
    .blur(sigma)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}

/** Seeded Gaussian noise of σ luma levels on every channel. */
function noisy(img: RgbImage, sigma: number, seed = 7): RgbImage {
  let s = seed >>> 0;
  const uniform = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < out.length; i++) {
    const n = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    out[i] = Math.max(0, Math.min(255, Math.round(img.data[i] + sigma * n)));
  }
  return { ...img, data: out };
}

const metric = (a: Analysed, k: string) => a.metrics[k] as number;

describe('blur on the synthetic fixtures', () => {
  let blurred: Analysed[];
  let clean: Analysed[];
  beforeAll(async () => {
    blurred = await analyzeAll(fixtures('blur'));
    clean = await analyzeAll(fixtures('clean'));
  });

  it('fires on every blur fixture (the frame is judged when the detector loses the face)', () => {
    for (const a of blurred) expect(a.codes, short(a.file)).toContain('blur');
    const lost = blurred.find((a) => a.file.includes('motion-strong'))!;
    if (lost.codes.includes('no-face')) expect(lost.find('no-face')!.measured.likelyReasons).toContain('blur');
  });

  it('stays quiet on every clean fixture, with a low score', () => {
    for (const a of clean) {
      expect(a.codes, short(a.file)).not.toContain('blur');
      expect(metric(a, 'blur.score'), short(a.file)).toBeLessThan(0.2);
    }
  });

  it('carries measured values against its thresholds, and tells defocus from shake', () => {
    const f = blurred.find((a) => a.file.includes('defocus-mild'))!.find('blur')!;
    expect(f.measured.score).toBeGreaterThan(f.thresholds.scoreWarn);
    expect(typeof f.measured.fineDetail).toBe('number');
    expect(f.measured.kind).toBe('defocus');
    const m = blurred.find((a) => a.file.includes('motion-mild'))!.find('blur')!;
    expect(m.measured.kind).toBe('motion');
    // The fixture shook along 15° in image axes (y down), i.e. 165° counter-clockwise as seen.
    const d = Math.abs((m.measured.angle as number) - 165);
    expect(Math.min(d, 180 - d)).toBeLessThan(25);
  });
});

describe('blur physics on the astronaut', () => {
  let img: RgbImage;
  beforeAll(async () => {
    img = await astronaut();
  });

  it('more blur never measures sharper (Gaussian σ 0 → 4 px)', async () => {
    const scores: number[] = [];
    for (const sigma of [0, 1, 1.5, 2.5, 4]) scores.push(metric(await analyzePixels(await gaussian(img, sigma)), 'blur.score'));
    for (let i = 1; i < scores.length; i++) expect(scores[i], `σ step ${i}: ${scores.join(', ')}`).toBeGreaterThanOrEqual(scores[i - 1] - 0.02);
    expect(scores[0]).toBeLessThan(profile.values['blur.score.warn']);
    expect(scores[scores.length - 1]).toBeGreaterThan(profile.values['blur.score.fail']);
  });

  it('reports camera shake with its direction, and a lens blur as defocus', async () => {
    for (const angleDeg of [0, 45, 90, 135]) {
      const a = await analyzePixels(motionBlur(img, ASTRONAUT_FACE, { lengthFrac: 0.15, angleDeg }));
      const f = a.find('blur');
      expect(f, `shake at ${angleDeg}°`).toBeDefined();
      expect(f!.measured.kind, `shake at ${angleDeg}°`).toBe('motion');
      const seen = (180 - angleDeg) % 180;
      const d = Math.abs((f!.measured.angle as number) - seen);
      expect(Math.min(d, 180 - d), `shake at ${angleDeg}° read as ${f!.measured.angle}°`).toBeLessThan(25);
    }
    const lens = await analyzePixels(defocusBlur(img, ASTRONAUT_FACE, { radiusFrac: 0.05, kernel: 'disc' }));
    expect(lens.find('blur')?.measured.kind).toBe('defocus');
  });

  it('judges a face at its own scale: the same photo at 1/3 size is no blurrier', async () => {
    const small = await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
      .resize(Math.round(img.width / 3))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const a = await analyzePixels({ width: small.info.width, height: small.info.height, data: new Uint8Array(small.data) });
    expect(a.codes).not.toContain('blur');
  });
});

describe('mild blur on a small face, read at its own pixels', () => {
  // The astronaut shrunk to a CelebA-size face (eyes ≈ 17 px apart): too few pixels for the
  // canonical crop to see a slight softening, which the native-scale measure is for.
  async function smallAstronaut(sigma: number): Promise<RgbImage> {
    const img = await astronaut();
    const small = await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } }).resize(200).raw().toBuffer({ resolveWithObject: true });
    return gaussian({ width: small.info.width, height: small.info.height, data: new Uint8Array(small.data) }, sigma);
  }

  it('passes the sharp small face and flags a slight softening of it as blur and low-resolution both', async () => {
    const sharpFace = await analyzePixels(await smallAstronaut(0));
    expect(sharpFace.codes).not.toContain('blur');
    expect(metric(sharpFace, 'blur.nativeScore')).toBeLessThan(profile.values['blur.native.warn']);
    const soft = await analyzePixels(await smallAstronaut(0.7));
    const f = soft.find('blur');
    expect(f, `native ${metric(soft, 'blur.nativeScore')}`).toBeDefined();
    expect(f!.severity).toBe('warn');
    expect(f!.measured.nativeScore).toBeGreaterThanOrEqual(f!.thresholds.nativeScoreWarn as number);
    // Blur (hold still, focus) and too few pixels (come closer, better camera) are both true here.
    expect(soft.codes).toContain('low-resolution');
  });

  it('rises with the softening (Gaussian σ 0 → 1.2 px at the face\'s own scale)', async () => {
    const scores: number[] = [];
    for (const sigma of [0, 0.5, 0.8, 1.2]) scores.push(metric(await analyzePixels(await smallAstronaut(sigma)), 'blur.nativeScore'));
    for (let i = 1; i < scores.length; i++) expect(scores[i], scores.join(', ')).toBeGreaterThanOrEqual(scores[i - 1] - 0.02);
  });

  it('is not run on large faces, which the canonical crop judges', async () => {
    expect((await analyzePixels(await astronaut())).metrics['blur.nativeScore']).toBeNull();
  });
});

describe('noise', () => {
  it('fires on every noise fixture and stays quiet on clean ones', async () => {
    for (const a of await analyzeAll(fixtures('noise'))) expect(a.codes, short(a.file)).toContain('noise');
    for (const a of await analyzeAll(fixtures('clean'))) expect(a.codes, short(a.file)).not.toContain('noise');
  });

  it('grows with the grain added to the photo and is not mistaken for detail', async () => {
    const img = await astronaut();
    const sigmas: number[] = [];
    for (const s of [0, 3, 6, 12]) {
      const a = await analyzePixels(noisy(img, s));
      sigmas.push(metric(a, 'noise.sigma'));
      expect(a.codes, `σ ${s}`).not.toContain('blur');
    }
    for (let i = 1; i < sigmas.length; i++) expect(sigmas[i]).toBeGreaterThan(sigmas[i - 1]);
    // The estimate tracks the added σ (JPEG-free pixels here), within 35 %.
    expect(sigmas[3]).toBeGreaterThan(12 * 0.65);
    expect(sigmas[3]).toBeLessThan(12 * 1.35);
  });
});

// The shared real photos (../shared/data, see its SOURCES.md). Targets from issue 2: blur recall
// ≥ 0.8 on `blur/` (mild blur, CelebA 89×109), false alarms ≤ 3 % on `clean/`.
describe.skipIf(!hasShared)('blur on the shared real photos', () => {
  let blurSet: Analysed[];
  let cleanSet: Analysed[];
  beforeAll(async () => {
    blurSet = await analyzeAll(sharedFiles('blur'));
    cleanSet = await analyzeAll(sharedFiles('clean'));
  }, 600_000);

  const rate = (as: Analysed[], code: string) => as.filter((a) => a.codes.includes(code)).length / Math.max(1, as.length);

  it('does not flag the clean cdfmd portraits', () => {
    expect(rate(cleanSet.filter((a) => sourceOf(a.file) === 'cdfmd'), 'blur')).toBeLessThanOrEqual(0.03);
  });

  it('flags few clean CelebA faces of the blur set\'s size', () => {
    // The native-scale head's threshold keeps 3 % of other (non-blurry) CelebA photos in
    // cross-validation; on these held-out clean ones it measures 4/51 (see docs/ACCURACY.md).
    expect(rate(cleanSet.filter((a) => sourceOf(a.file) === 'celeba'), 'blur')).toBeLessThanOrEqual(0.1);
  });

  it('flags few clean NUAA webcam frames outside the one visibly soft session', () => {
    // nuaa__0001_00_00_01_*: 12 frames of one session whose eyes are smeared by several pixels
    // (labelled clean in the set) make up most of the clean false alarms; two soft frames of
    // session 0008_00_00_02 are borderline (score 0.62–0.75).
    const nuaa = cleanSet.filter((a) => sourceOf(a.file) === 'nuaa');
    const others = nuaa.filter((a) => !a.file.includes('nuaa__0001_00_00_01_'));
    expect(rate(others, 'blur')).toBeLessThanOrEqual(0.05);
  });

  it.fails('meets the issue target of ≤ 3 % blur false alarms on the whole clean set (fails on the soft NUAA session)', () => {
    expect(rate(cleanSet, 'blur')).toBeLessThanOrEqual(0.03);
  });

  it('finds about half of the CelebA "Blurry" set (cross-validated 0.48 at 3 % false alarms; the model was fitted on these photos, so the in-sample rate is a little higher)', () => {
    expect(rate(blurSet, 'blur')).toBeGreaterThanOrEqual(0.45);
  });

  it.fails('meets the issue target of blur recall ≥ 0.8 on the CelebA "Blurry" set (not reached: CelebA’s half-resolution "Blurry" faces overlap its sharp ones, AUC 0.86)', () => {
    expect(rate(blurSet, 'blur')).toBeGreaterThanOrEqual(0.8);
  });

  it('judges blur on CelebA-size faces (≈ 20 px between the eyes) rather than skipping them', () => {
    const celeba = [...blurSet, ...cleanSet.filter((c) => sourceOf(c.file) === 'celeba')];
    const judged = celeba.filter((a) => a.metrics['blur.basis'] === 'face').length;
    expect(judged / celeba.length).toBeGreaterThanOrEqual(0.95);
  });
});

describe('single-file run', () => {
  it('analyzes a fixture end to end with finite blur and noise metrics', async () => {
    const a = await analyzeFile(fixtures('clean')[0]);
    expect(Number.isFinite(metric(a, 'blur.score'))).toBe(true);
    expect(Number.isFinite(metric(a, 'noise.sigma'))).toBe(true);
  });
});
