// Each synthetic degradation changes what it should, on real pixels (the committed NASA portrait,
// plus a few of the shared real photos when they are present), and is deterministic for a seed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { lumaPlane, type RgbImage } from '../../src/media/raster.js';
import type { Box } from '../../src/types.js';
import {
  addNoise,
  backlight,
  cropClose,
  darken,
  defocusBlur,
  downscale,
  duplicateFace,
  extendScene,
  flickerBands,
  flickerParams,
  motionBlur,
  overexpose,
  personMask,
  placeFar,
  readRgb,
  removeFace,
  resize,
  shiftOffCenter,
  SYNTH_CODES,
  synthesize,
  unevenLight,
  unevenLightParams,
} from '../../tools/synth/degrade.js';
import { readManifest, sharedDataDir } from '../../tools/synth/files.js';
import { cropImage } from '../../tools/synth/pixels.js';
import { measureBanding } from '../../src/analyzers/flicker.js';

// Pixel work in plain JS: generous limits so a loaded CI machine does not time out.
vi.setConfig({ testTimeout: 60_000 });

const ROOT = join(import.meta.dirname, '..', '..');
const FACE: Box = { x: 178, y: 76, width: 100, height: 112 };
let img: RgbImage;
/** Half-size copy for the checks that only need determinism (faster). */
let half: RgbImage;
const HALF_FACE: Box = { x: 89, y: 38, width: 50, height: 56 };

beforeAll(async () => {
  img = await readRgb(join(ROOT, 'fixtures', 'astronaut.png'));
  half = await resize(img, 256, 256);
});

// ---------------------------------------------------------------- measurements

function clip(b: Box, w: number, h: number) {
  const x0 = Math.max(0, Math.round(b.x));
  const y0 = Math.max(0, Math.round(b.y));
  const x1 = Math.min(w, Math.round(b.x + b.width));
  const y1 = Math.min(h, Math.round(b.y + b.height));
  return { x0, y0, x1, y1 };
}

function meanLuma(im: RgbImage, box?: Box): number {
  const L = lumaPlane(im);
  const { x0, y0, x1, y1 } = clip(box ?? { x: 0, y: 0, width: im.width, height: im.height }, im.width, im.height);
  let s = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += L.data[y * im.width + x];
  return s / ((x1 - x0) * (y1 - y0));
}

/** Mean squared central-difference gradient of luma inside the box. */
function gradientEnergy(im: RgbImage, box: Box): number {
  const L = lumaPlane(im);
  const w = im.width;
  const { x0, y0, x1, y1 } = clip(box, im.width, im.height);
  let s = 0;
  let n = 0;
  for (let y = Math.max(1, y0); y < Math.min(im.height - 1, y1); y++) {
    for (let x = Math.max(1, x0); x < Math.min(w - 1, x1); x++) {
      const gx = L.data[y * w + x + 1] - L.data[y * w + x - 1];
      const gy = L.data[(y + 1) * w + x] - L.data[(y - 1) * w + x];
      s += gx * gx + gy * gy;
      n++;
    }
  }
  return s / n;
}

/** Std of the luma difference between two renderings = noise level (×√2), relative to their mean. */
function relativeNoise(a: RgbImage, b: RgbImage): number {
  const La = lumaPlane(a).data;
  const Lb = lumaPlane(b).data;
  let s = 0;
  let ss = 0;
  let m = 0;
  for (let i = 0; i < La.length; i++) {
    const d = La[i] - Lb[i];
    s += d;
    ss += d * d;
    m += (La[i] + Lb[i]) / 2;
  }
  const n = La.length;
  const sd = Math.sqrt(ss / n - (s / n) ** 2) / Math.SQRT2;
  return sd / (m / n);
}

/** Share of pixels in the box with any channel at 255. */
function clippedShare(im: RgbImage, box: Box): number {
  const { x0, y0, x1, y1 } = clip(box, im.width, im.height);
  let c = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * im.width + x) * 3;
      if (im.data[i] === 255 || im.data[i + 1] === 255 || im.data[i + 2] === 255) c++;
    }
  }
  return c / ((x1 - x0) * (y1 - y0));
}

/** Pearson correlation of two boxes' luma after resampling both to 24×24. */
async function boxCorrelation(a: RgbImage, ba: Box, b: RgbImage, bb: Box): Promise<number> {
  const patch = async (im: RgbImage, bx: Box) => {
    const { x0, y0, x1, y1 } = clip(bx, im.width, im.height);
    return lumaPlane(await resize(cropImage(im, x0, y0, x1 - x0, y1 - y0), 24, 24)).data;
  };
  const p = await patch(a, ba);
  const q = await patch(b, bb);
  const mean = (v: Float32Array) => v.reduce((s, x) => s + x, 0) / v.length;
  const mp = mean(p);
  const mq = mean(q);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < p.length; i++) {
    sxy += (p[i] - mp) * (q[i] - mq);
    sxx += (p[i] - mp) ** 2;
    syy += (q[i] - mq) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function rowMeans(im: RgbImage): number[] {
  const L = lumaPlane(im).data;
  const means: number[] = [];
  for (let y = 0; y < im.height; y++) {
    let s = 0;
    for (let x = 0; x < im.width; x++) s += L[y * im.width + x];
    means.push(s / im.width);
  }
  return means;
}

/** DFT magnitude of a mean-removed signal (default: the image's row-mean luma), for k = 0..N/2. */
function rowSpectrum(im: RgbImage | number[]): number[] {
  const rows = Array.isArray(im) ? im : rowMeans(im);
  const m = rows.reduce((a, b) => a + b, 0) / rows.length;
  const H = rows.length;
  const mags: number[] = [];
  for (let k = 0; k <= H / 2; k++) {
    let re = 0;
    let imP = 0;
    for (let y = 0; y < H; y++) {
      re += (rows[y] - m) * Math.cos((2 * Math.PI * k * y) / H);
      imP -= (rows[y] - m) * Math.sin((2 * Math.PI * k * y) / H);
    }
    mags.push(Math.hypot(re, imP));
  }
  return mags;
}

const argmax = (v: number[], from: number, to: number) => {
  let best = from;
  for (let k = from; k <= to; k++) if (v[k] > v[best]) best = k;
  return best;
};

const same = (a: RgbImage, b: RgbImage) => a.width === b.width && a.height === b.height && Buffer.compare(Buffer.from(a.data), Buffer.from(b.data)) === 0;

// ---------------------------------------------------------------- lighting

describe('lighting', () => {
  it('darken lowers the mean and raises relative noise as light drops', () => {
    const m0 = meanLuma(img);
    const mild = darken(img, 0, 1);
    const harsh = darken(img, 1, 1);
    expect(meanLuma(mild)).toBeLessThan(0.7 * m0);
    expect(meanLuma(harsh)).toBeLessThan(0.25 * m0);
    expect(meanLuma(harsh)).toBeLessThan(meanLuma(mild));
    const nMild = relativeNoise(mild, darken(img, 0, 2));
    const nHarsh = relativeNoise(harsh, darken(img, 1, 2));
    expect(nMild).toBeGreaterThan(0.005);
    expect(nHarsh).toBeGreaterThan(2 * nMild);
  });

  it('overexpose raises the clipped share of the face and the mean', () => {
    const before = clippedShare(img, FACE);
    const after = overexpose(img, 0.5);
    expect(before).toBeLessThan(0.05);
    expect(clippedShare(after, FACE)).toBeGreaterThan(0.5);
    expect(clippedShare(overexpose(img, 1), FACE)).toBeGreaterThanOrEqual(clippedShare(after, FACE));
    expect(meanLuma(after)).toBeGreaterThan(meanLuma(img) + 40);
  });

  it('backlight makes the surroundings much brighter than the face', () => {
    const mask = personMask(img.width, img.height, FACE);
    const bgMean = (im: RgbImage) => {
      const L = lumaPlane(im).data;
      let s = 0;
      let n = 0;
      for (let i = 0; i < L.length; i++) if (mask[i] < 0.05) (s += L[i]), n++;
      return s / n;
    };
    const inner = { x: FACE.x + 15, y: FACE.y + 15, width: FACE.width - 30, height: FACE.height - 30 };
    const ratio = (im: RgbImage) => bgMean(im) / meanLuma(im, inner);
    for (const s of [0, 0.5, 1]) {
      const out = backlight(img, FACE, s);
      expect(meanLuma(out, inner)).toBeLessThan(meanLuma(img, inner));
      expect(bgMean(out)).toBeGreaterThan(bgMean(img));
      expect(ratio(out)).toBeGreaterThan(1.5 * ratio(img));
    }
    expect(ratio(backlight(img, FACE, 1))).toBeGreaterThan(ratio(backlight(img, FACE, 0)));
  });

  it('unevenLight makes the two halves of the face differ, on the requested side', () => {
    const half = (side: 'l' | 'r'): Box => ({ x: side === 'l' ? FACE.x + 5 : FACE.x + FACE.width / 2 + 5, y: FACE.y + 10, width: FACE.width / 2 - 10, height: FACE.height - 20 });
    const lr = (im: RgbImage) => meanLuma(im, half('l')) / meanLuma(im, half('r'));
    const right = unevenLight(img, FACE, { stops: 2, litBoost: 0.3, softness: 0.6, noseShadow: 0.4, darkSide: 'right' });
    const left = unevenLight(img, FACE, { stops: 2, litBoost: 0.3, softness: 0.6, noseShadow: 0.4, darkSide: 'left' });
    expect(lr(right) / lr(img)).toBeGreaterThan(1.6);
    expect(lr(left) / lr(img)).toBeLessThan(1 / 1.6);
    const mild = unevenLight(img, FACE, 0, 3);
    expect(Math.abs(Math.log(lr(mild) / lr(img)))).toBeGreaterThan(Math.log(1.25));
  });

  it('flickerBands puts a periodic row-mean signal at the requested period', () => {
    const base = rowSpectrum(img);
    for (const cycles of [3, 7, 12]) {
      const out = flickerBands(img, { cycles, depth: 0.2, phase: 1 });
      const spec = rowSpectrum(out);
      // The energy the bands added to the row-mean spectrum sits at the requested frequency.
      const added = spec.map((v, k) => v - base[k]);
      expect(argmax(added, 1, 100)).toBe(cycles);
      expect(spec[cycles]).toBeGreaterThan(1.5 * base[cycles]);
    }
    // Autocorrelation view: the per-row brightness change (output / input row means) repeats
    // after one period of H/8 rows and is opposite after half a period.
    const before = rowMeans(img);
    const gain = rowMeans(flickerBands(img, { cycles: 8, depth: 0.3, phase: 0 })).map((v, y) => Math.log(v / before[y]));
    const mean = gain.reduce((a, b) => a + b, 0) / gain.length;
    const acf = (lag: number) => {
      let num = 0;
      let den = 0;
      for (let y = 0; y < gain.length; y++) {
        den += (gain[y] - mean) ** 2;
        if (y + lag < gain.length) num += (gain[y] - mean) * (gain[y + lag] - mean);
      }
      return num / den;
    };
    const P = img.height / 8;
    expect(acf(P)).toBeGreaterThan(0.7);
    expect(acf(P / 2)).toBeLessThan(-0.7);
  });
});

// ---------------------------------------------------------------- optics

describe('optics', () => {
  it('defocus and motion blur lower the gradient energy of the face', () => {
    const g0 = gradientEnergy(img, FACE);
    for (const kernel of ['disc', 'gaussian'] as const) {
      const mild = gradientEnergy(defocusBlur(img, FACE, { radiusFrac: 0.03, kernel }), FACE);
      const strong = gradientEnergy(defocusBlur(img, FACE, { radiusFrac: 0.1, kernel }), FACE);
      expect(mild).toBeLessThan(0.7 * g0);
      expect(strong).toBeLessThan(mild);
    }
    const m = gradientEnergy(motionBlur(img, FACE, { lengthFrac: 0.15, angleDeg: 30 }), FACE);
    expect(m).toBeLessThan(0.5 * g0);
  });

  it('motion blur smears along its angle, not across it', () => {
    const horiz = motionBlur(img, FACE, { lengthFrac: 0.2, angleDeg: 0 });
    const L0 = lumaPlane(img).data;
    const L = lumaPlane(horiz).data;
    const w = img.width;
    let gx = 0;
    let gy = 0;
    let gx0 = 0;
    let gy0 = 0;
    for (let y = FACE.y; y < FACE.y + FACE.height; y++) {
      for (let x = FACE.x; x < FACE.x + FACE.width; x++) {
        gx += (L[y * w + x + 1] - L[y * w + x]) ** 2;
        gy += (L[(y + 1) * w + x] - L[y * w + x]) ** 2;
        gx0 += (L0[y * w + x + 1] - L0[y * w + x]) ** 2;
        gy0 += (L0[(y + 1) * w + x] - L0[y * w + x]) ** 2;
      }
    }
    expect(gx / gx0).toBeLessThan(0.6 * (gy / gy0));
  });

  it('addNoise raises pixel-level noise with severity and is seed-deterministic', () => {
    const r1 = relativeNoise(addNoise(img, 0, 1), addNoise(img, 0, 2));
    const r2 = relativeNoise(addNoise(img, 1, 1), addNoise(img, 1, 2));
    expect(r1).toBeGreaterThan(0.01);
    expect(r2).toBeGreaterThan(3 * r1);
    expect(Math.abs(meanLuma(addNoise(img, 0.5, 1)) - meanLuma(img))).toBeLessThan(2);
    expect(same(addNoise(half, 0.5, 9), addNoise(half, 0.5, 9))).toBe(true);
    expect(same(addNoise(half, 0.5, 9), addNoise(half, 0.5, 10))).toBe(false);
  });

  it('downscale leaves few pixels on the face, kept small or scaled back up', async () => {
    const small = await downscale(img, FACE, { faceWidthPx: 20, jpegQuality: 70, restore: false });
    expect(small.width).toBeLessThan(img.width / 4);
    expect(small.faces?.[0].width).toBeCloseTo(20, 0);
    const back = await downscale(img, FACE, { faceWidthPx: 20, jpegQuality: 70, restore: true });
    expect([back.width, back.height]).toEqual([img.width, img.height]);
    expect(gradientEnergy(back, FACE)).toBeLessThan(0.4 * gradientEnergy(img, FACE));
  });
});

// ---------------------------------------------------------------- framing

describe('framing', () => {
  it('placeFar shrinks the face relative to the frame and keeps the face content', async () => {
    const frac0 = FACE.width / img.width;
    for (const s of [0, 1]) {
      const out = await placeFar(img, FACE, s, 4);
      const box = out.faces![0];
      expect([out.width, out.height]).toEqual([img.width, img.height]);
      const frac = box.width / out.width;
      expect(frac).toBeLessThan(0.7 * frac0);
      expect(frac).toBeCloseTo(s === 0 ? 0.13 : 0.05, 2);
      expect(await boxCorrelation(img, FACE, out, box)).toBeGreaterThan(0.85);
    }
  });

  it('placeFar continues the scene without repeating the photo down the canvas', async () => {
    // A mirrored surround repeats the photo's rows 2–4 times down the canvas: a full-width
    // periodic row pattern (one sinusoid explained ~0.9 of the row-gradient profile, what mains
    // flicker looks like). The surround must be aperiodic.
    for (const seed of [1, 2, 3, 4]) {
      const out = await placeFar(img, FACE, 1, seed);
      const b = out.faces![0];
      const m = measureBanding(lumaPlane(out));
      expect(m.periodicity, `seed ${seed}`).toBeLessThan(0.6);
    }
  });

  it('extendScene keeps the photo and continues it without a flat fill', () => {
    const ext = extendScene(img, { left: 100, top: 40, right: 20, bottom: 0 }, { seed: 1 });
    expect([ext.width, ext.height]).toEqual([img.width + 120, img.height + 40]);
    expect(Buffer.from(cropImage(ext, 100, 40, img.width, img.height).data).equals(Buffer.from(img.data))).toBe(true);
    const band = cropImage(ext, 0, 100, 100, 300);
    const L = lumaPlane(band).data;
    const m = L.reduce((a, b) => a + b, 0) / L.length;
    const sd = Math.sqrt(L.reduce((a, b) => a + (b - m) ** 2, 0) / L.length);
    expect(sd).toBeGreaterThan(5);
  });

  it('cropClose makes the face fill the frame', async () => {
    for (const faceFill of [0.7, 1.2]) {
      const out = await cropClose(img, FACE, { faceFill, dx: 0, dy: 0, maxUpscale: 2 });
      const box = out.faces![0];
      expect(box.width / out.width).toBeCloseTo(faceFill, 1);
      expect(out.width).toBeLessThanOrEqual(img.width);
      if (faceFill < 1) expect(await boxCorrelation(img, FACE, out, box)).toBeGreaterThan(0.9);
    }
  });

  it('shiftOffCenter puts the face near the requested edge', async () => {
    const left = await shiftOffCenter(img, FACE, { edgePos: 0.15, edge: 'left', zoom: 0.85 });
    const b = left.faces![0];
    expect((b.x + b.width / 2) / left.width).toBeCloseTo(0.15, 2);
    expect(await boxCorrelation(img, FACE, left, b)).toBeGreaterThan(0.85);
    const cut = await shiftOffCenter(img, FACE, { edgePos: 0.03, edge: 'top', zoom: 0.85 });
    const c = cut.faces![0];
    expect(c.y).toBeLessThan(0);
    const br = await shiftOffCenter(img, FACE, { edgePos: 0.2, edge: 'bottom-right', zoom: 0.85 });
    const d = br.faces![0];
    expect((d.x + d.width / 2) / br.width).toBeCloseTo(0.8, 2);
    expect((d.y + d.height / 2) / br.height).toBeCloseTo(0.8, 2);
  });

  it('duplicateFace adds a second, non-overlapping face that looks like a face', async () => {
    for (const scale of [0.5, 1]) {
      const out = await duplicateFace(img, FACE, { scale, dy: 0.1, flip: false, gainStops: 0 });
      expect(out.faces).toHaveLength(2);
      const [a, b] = out.faces!;
      const overlapX = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      expect(overlapX).toBeLessThan(0);
      expect(b.width / a.width).toBeCloseTo(scale, 1);
      expect(b.x).toBeGreaterThanOrEqual(-1);
      expect(b.x + b.width).toBeLessThanOrEqual(out.width + 1);
      expect(await boxCorrelation(img, FACE, out, b)).toBeGreaterThan(0.85);
      expect(await boxCorrelation(img, FACE, out, a)).toBeGreaterThan(0.95);
    }
  });

  it('removeFace leaves no face: chest crop, background crop, or a filled-in head', async () => {
    const below = await removeFace(img, FACE, { mode: 'below', margin: 0.2 });
    expect(below.faces).toEqual([]);
    const side = await removeFace(img, FACE, { mode: 'side', margin: 0.2 });
    expect(side.faces).toEqual([]);
    const gone = await removeFace(img, FACE, { mode: 'obliterate', margin: 0.2 });
    expect(gone.faces).toEqual([]);
    expect(gradientEnergy(gone, FACE)).toBeLessThan(0.05 * gradientEnergy(img, FACE));
    // Outside the head the photo is untouched.
    const corner: Box = { x: 0, y: 300, width: 100, height: 200 };
    expect(Math.abs(meanLuma(gone, corner) - meanLuma(img, corner))).toBeLessThan(0.5);
  });
});

// ---------------------------------------------------------------- recipes

describe('recipes', () => {
  it('every cause code has a recipe that is deterministic for a seed', async () => {
    for (const code of SYNTH_CODES) {
      const a = await synthesize(code, half, HALF_FACE, 0.6, 11);
      const b = await synthesize(code, half, HALF_FACE, 0.6, 11);
      expect(same(a.image, b.image), code).toBe(true);
      expect(a.params).toEqual(b.params);
      expect(a.image.width * a.image.height, code).toBeGreaterThan(0);
      expect(same(a.image, half), code).toBe(false);
      expect(a.image.faces, code).toBeDefined();
    }
  });

  it('seeded choices vary with the seed', async () => {
    const sides = new Set<unknown>();
    const cycles = new Set<unknown>();
    for (let seed = 1; seed <= 8; seed++) {
      sides.add(unevenLightParams(0.5, seed).darkSide);
      cycles.add(flickerParams(0.5, seed).cycles);
    }
    expect(sides.size).toBe(2);
    expect(cycles.size).toBeGreaterThan(4);
    // 100/120 Hz light read out in 20–45 ms: 2.0–5.4 band periods per frame.
    for (const c of cycles) {
      expect(c).toBeGreaterThanOrEqual(2);
      expect(c).toBeLessThanOrEqual(5.4);
    }
    for (let seed = 1; seed <= 8; seed++) {
      const p = flickerParams(0.5, seed);
      expect(p.cycles).toBeCloseTo((2 * p.mainsHz! * p.readoutMs!) / 1000, 1);
    }
    const a = await synthesize('blur', half, HALF_FACE, 0.5, 1, { kind: 'motion' });
    const b = await synthesize('blur', half, HALF_FACE, 0.5, 2, { kind: 'motion' });
    expect(a.params.angleDeg).not.toEqual(b.params.angleDeg);
  });
});

// ---------------------------------------------------------------- real photos (optional)

const DATA = sharedDataDir();
const haveData = existsSync(join(DATA, 'manifest.csv')) && existsSync(join(DATA, 'clean'));
if (!haveData) console.warn(`degrade.test: ${DATA} not found — skipping the real-photo checks`);

describe.skipIf(!haveData)('on shared real photos', () => {
  it('holds on one photo from each clean source', async () => {
    const manifest = readManifest(join(DATA, 'manifest.csv'));
    const picks = ['cdfmd', 'celeba', 'nuaa']
      .map((src) => [...manifest.values()].find((r) => r.label === 'clean' && r.source === src && r.face && existsSync(join(DATA, r.file))))
      .filter((r) => r !== undefined);
    expect(picks.length).toBeGreaterThan(0);
    for (const row of picks) {
      // At most 320 px on the long side keeps this quick; the pixels stay real.
      const full = await readRgb(join(DATA, row.file));
      const k = Math.min(1, 320 / Math.max(full.width, full.height));
      const photo = await resize(full, full.width * k, full.height * k);
      const f0 = row.face!;
      const face = { x: f0.x * (photo.width / full.width), y: f0.y * (photo.height / full.height), width: f0.width * (photo.width / full.width), height: f0.height * (photo.height / full.height) };
      expect(meanLuma(darken(photo, 0.5, 1))).toBeLessThan(0.5 * meanLuma(photo));
      expect(gradientEnergy(defocusBlur(photo, face, { radiusFrac: 0.08, kernel: 'disc' }), face)).toBeLessThan(0.6 * gradientEnergy(photo, face));
      const far = await placeFar(photo, face, 0.5, 1);
      expect(far.faces![0].width / far.width).toBeLessThan(face.width / photo.width);
      // Photos with grids or charts behind the person have periodic rows of their own, so look at
      // the change the bands made: log(output / input) row means.
      const before = rowMeans(photo);
      const gain = rowMeans(flickerBands(photo, { cycles: 6, depth: 0.3, phase: 0 })).map((v, y) => Math.log((v + 1) / (before[y] + 1)));
      expect(argmax(rowSpectrum(gain), 1, Math.floor(photo.height / 4))).toBe(6);
      for (const code of SYNTH_CODES) {
        const r = await synthesize(code, photo, face, 0.5, 3);
        expect(r.image.width * r.image.height, `${code} on ${row.file}`).toBeGreaterThan(0);
      }
    }
  }, 120_000);
});

