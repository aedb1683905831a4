// Obstruction analyzers on real pixels: the astronaut (nothing covered: all quiet), synthetic
// occlusions painted over her by landmark position (sunglasses, mask, glare, a rotated copy for
// pose), and — when ../shared/data is present — recall and false alarms on a held-out fold of the
// real photos, with the classifier retrained on the other folds.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import sharp from '../../src/media/sharp.js';
import { OBSTRUCTION_ANALYZERS } from '../../src/analyzers/obstructions/index.js';
import { LEFT_EYE, RIGHT_EYE, centroid, eyeSpan, findingRegions, polygonOf } from '../../src/analyzers/obstructions/regions.js';
import { OBSTRUCTION_HEADS } from '../../src/analyzers/obstructions/classifier.js';
import { browExposure } from '../../src/analyzers/obstructions/brows.js';
import { inPolygon, obstructionFeatures } from '../../src/analyzers/obstructions/features.js';
import { cachePath, extractRecords, groupsOf, LAMBDA, listTrainingFiles, outOfFold, vetoed } from '../../tools/train-obstructions.js';
import { loadProfile, type Profile } from '../../src/config/profile.js';
import type { RgbImage } from '../../src/media/raster.js';
import { analyzeImage, subjectFace } from '../../src/pipeline/analyze-image.js';
import { EYE_DESCRIPTOR_SIZE, FaceModels } from '../../src/vision/face-embedding.js';
import { rotate } from './pixel-edits.js';
import { decode, getDetector, root, SHARED } from './helpers.js';

const models = new FaceModels();
afterAll(() => models.close());
const MY_CODES = ['mask', 'sunglasses', 'bangs', 'headwear', 'glasses-glare', 'eyes-closed', 'mouth-open', 'head-pose'];

async function check(img: RgbImage, profile: Profile = loadProfile()) {
  const det = await getDetector();
  const detected = await det.detect(img, { minScore: 0.5 });
  const face = subjectFace(img, 1, detected, profile);
  const data = await models.gather(img, face, new Set(['landmarks', 'embedding']));
  const a = analyzeImage(img, 1, detected, profile, OBSTRUCTION_ANALYZERS, {}, data);
  return { ...a, data, codes: a.findings.map((f) => f.code), find: (c: string) => a.findings.find((f) => f.code === c) };
}


/** A copy with every pixel where `paint(x, y)` returns a colour replaced by it. */
function painted(img: RgbImage, paint: (x: number, y: number) => [number, number, number] | undefined): RgbImage {
  const data = Uint8Array.from(img.data);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const c = paint(x + 0.5, y + 0.5);
      if (!c) continue;
      data.set(c, (y * img.width + x) * 3);
    }
  }
  return { ...img, data };
}

const astronaut = async () => (await decode(join(root, 'fixtures/astronaut.png'))).image;

describe('obstructions on the astronaut', () => {
  it('region features sample only the pixels their regions read: same values as from the whole crop', async () => {
    const img = await astronaut();
    // As is, tilted, and her face enlarged 3× and cut by the frame (a supersampled crop reaching off the image).
    const big = await sharp(Buffer.from(img.data), { raw: { width: img.width, height: img.height, channels: 3 } })
      .resize(img.width * 3, img.height * 3)
      .extract({ left: img.width, top: 0, width: img.width * 2, height: img.height * 2 })
      .raw()
      .toBuffer({ resolveWithObject: true });
    const bigImg = { width: big.info.width, height: big.info.height, data: new Uint8Array(big.data) };
    for (const x of [img, rotate(img, 20), bigImg]) {
      const face = subjectFace(x, 1, await (await getDetector()).detect(x, { minScore: 0.5 }), loadProfile())!;
      const lm = (await models.gather(x, face, new Set(['landmarks']))).landmarks!;
      // Spans first: the reused crop array still holds the previous picture's pixels.
      const spans = obstructionFeatures(x, lm.mesh, lm.frame, lm.faceScore);
      const full = obstructionFeatures(x, lm.mesh, lm.frame, lm.faceScore, { fullCrop: true });
      expect(Array.from(spans.values)).toEqual(Array.from(full.values));
      expect(spans.lensSpecular).toBe(full.lensSpecular);
    }
  });

  it('the models reuse their crop arrays: a second face between, or two faces at once, change nothing', async () => {
    const img = await astronaut();
    const face = subjectFace(img, 1, await (await getDetector()).detect(img, { minScore: 0.5 }), loadProfile())!;
    // Other pixels in the reused arrays: the astronaut with her face below the eyes painted grey.
    const other = painted(img, (_x, y) => (y > face.keypoints.nose.y ? [128, 128, 128] : undefined));
    const needs = new Set(['landmarks', 'embedding', 'eyelids'] as const);
    const gather = (x: RgbImage) => models.gather(x, face, needs, { irisGate: Infinity });
    const first = await gather(img);
    const between = await gather(other);
    const again = await gather(img);
    const [concurrent, concurrentOther] = await Promise.all([gather(img), gather(other)]);
    expect(first.eyeLids).toBeDefined();
    expect(Array.from(between.embedding!)).not.toEqual(Array.from(first.embedding!));
    for (const [r, ref] of [[again, first], [concurrent, first], [concurrentOther, between]] as const) {
      expect(Array.from(r.landmarks!.mesh)).toEqual(Array.from(ref.landmarks!.mesh));
      expect(Array.from(r.embedding!)).toEqual(Array.from(ref.embedding!));
      expect(Array.from(r.eyeEmbedding!)).toEqual(Array.from(ref.eyeEmbedding!));
      expect(r.eyeLids).toEqual(ref.eyeLids);
    }
  });

  it('nothing covered, eyes open, facing the camera: all quiet, with measurements', async () => {
    const r = await check(await astronaut());
    // Her fringe lies over the forehead and stops above the brows: CelebA's "Bangs" label (the
    // classifier's training data) counts that, the cause does not, and the skin strip above her
    // brows vetoes it (see docs/ACCURACY-OBSTRUCTIONS.md).
    expect(r.codes.filter((c) => MY_CODES.includes(c))).toEqual([]);
    for (const h of OBSTRUCTION_HEADS) expect(r.metrics[`${h}.score`]).toBeTypeOf('number');
    expect(r.metrics['bangs.browExposure']).toBeGreaterThanOrEqual(loadProfile().values['bangs.browsVisibleShare']);
    // The mesh outline rides on the subject's face for reports to draw, on her face.
    const lms = r.faces[0].landmarks!;
    expect(lms).toHaveLength(112);
    const b = r.faces[0].box;
    const inside = lms.filter((p) => p.x > b.x - 0.3 * b.width && p.x < b.x + 1.3 * b.width && p.y > b.y - 0.5 * b.height && p.y < b.y + 1.3 * b.height);
    expect(inside.length).toBe(112);
    expect(r.metrics['eyes.meshOpening']).toBeGreaterThan(0.25); // clearly open: the Iris contour is not even needed
    expect(Math.abs(r.metrics['pose.yaw'] as number)).toBeLessThan(10);
  });

  it('dark lenses painted over the eyes → sunglasses, outlined over the eyes; eyes-closed is not judged', async () => {
    const img = await astronaut();
    const m = (await check(img)).data.landmarks!.mesh;
    const span = eyeSpan(m);
    const eyes = [centroid(polygonOf(m, RIGHT_EYE)), centroid(polygonOf(m, LEFT_EYE))];
    const rx = 0.3 * span;
    const ry = 0.21 * span;
    const glasses = painted(img, (x, y) => {
      for (const e of eyes) {
        const u = (x - e.x) / rx;
        const v = (y - e.y) / ry;
        if (u * u + v * v <= 1) return [18 + Math.round(8 * v), 20, 26];
      }
      // the bridge between the lenses
      if (Math.abs(y - (eyes[0].y + eyes[1].y) / 2 + 0.12 * span) < 0.025 * span && x > eyes[0].x && x < eyes[1].x) return [30, 30, 30];
      return undefined;
    });
    const r = await check(glasses);
    const f = r.find('sunglasses');
    expect(f, `sunglasses score ${r.metrics['sunglasses.score']}`).toBeDefined();
    for (const e of eyes) expect(inPolygon(f!.region!.polygon!, e.x, e.y)).toBe(true);
    expect(r.codes).not.toContain('eyes-closed');
    expect(r.codes).not.toContain('mask');
  });

  it('the eye-band descriptor looks at the eyes: dark lenses move it ~4× more than the same two patches over the mouth', async () => {
    // It is pooled from the face crop's stride-8 faceres features over the band around the eyes
    // (face-embedding.ts); pooled over the wrong cells it would react to the mouth as much.
    const img = await astronaut();
    const base = (await check(img)).data;
    const m = base.landmarks!.mesh;
    const span = eyeSpan(m);
    const ellipses = (centres: Array<{ x: number; y: number }>) =>
      painted(img, (x, y) => (centres.some((e) => ((x - e.x) / (0.3 * span)) ** 2 + ((y - e.y) / (0.21 * span)) ** 2 <= 1) ? [20, 20, 26] : undefined));
    const mouth = centroid(findingRegions.mouth(m));
    const lenses = (await check(ellipses([centroid(polygonOf(m, RIGHT_EYE)), centroid(polygonOf(m, LEFT_EYE))]))).data;
    const mouthPatches = (await check(ellipses([{ x: mouth.x - 0.3 * span, y: mouth.y }, { x: mouth.x + 0.3 * span, y: mouth.y }]))).data;
    const change = (a: Float32Array, b: Float32Array) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0) / a.reduce((s, v) => s + v * v, 0));
    const eyesChange = change(base.eyeEmbedding!, lenses.eyeEmbedding!);
    const mouthChange = change(base.eyeEmbedding!, mouthPatches.eyeEmbedding!);
    expect(base.eyeEmbedding!.length).toBe(EYE_DESCRIPTOR_SIZE);
    expect(eyesChange, `eye band: lenses ${eyesChange.toFixed(3)}, mouth ${mouthChange.toFixed(3)}`).toBeGreaterThan(2.5 * mouthChange);
  });

  it('her own fringe moved down over the brows → the brow strip reads covered and bangs is reported there', async () => {
    const img = await astronaut();
    const lm = (await check(img)).data.landmarks!;
    const m = lm.mesh;
    const span = eyeSpan(m);
    const browTop = Math.min(...[70, 63, 105, 66, 107, 300, 293, 334, 296, 336].map((i) => m[i * 3 + 1]));
    const eyeTop = Math.min(...[159, 386].map((i) => m[i * 3 + 1]));
    // Copy the hair from 0.45 spans higher, down to just above the eyes: a fringe over the brows.
    const shift = Math.round(0.45 * span);
    const x0 = m[127 * 3];
    const x1 = m[356 * 3];
    const data = Uint8Array.from(img.data);
    for (let y = Math.round(browTop - 0.15 * span); y < eyeTop - 0.06 * span; y++) {
      for (let x = Math.round(x0); x < x1; x++) {
        const src = ((y - shift) * img.width + x) * 3;
        data.set(img.data.subarray(src, src + 3), (y * img.width + x) * 3);
      }
    }
    const before = browExposure(img, m, lm.frame.angle);
    const after = browExposure({ ...img, data }, m, lm.frame.angle);
    const limit = loadProfile().values['bangs.browsVisibleShare'];
    expect(before.exposure).toBeGreaterThanOrEqual(limit);
    expect(after.exposure).toBeLessThan(limit);
    const r = await check({ ...img, data });
    const f = r.find('bangs');
    expect(f, `bangs score ${r.metrics['bangs.score']}, brows ${r.metrics['bangs.browExposure']}`).toBeDefined();
    const brow = centroid(polygonOf(m, [70, 63, 105, 66, 107]));
    expect(inPolygon(f!.region!.polygon!, brow.x, brow.y)).toBe(true);
  });

  it('a head cut by the top of the frame: headwear is not judged on the black fill above it', async () => {
    const img = await astronaut();
    const m = (await check(img)).data.landmarks!.mesh;
    const cut = Math.round(m[10 * 3 + 1] + 2); // just below the top of the forehead
    const data = img.data.slice(cut * img.width * 3);
    const r = await check({ width: img.width, height: img.height - cut, data });
    expect(r.codes).not.toContain('headwear');
  });

  it('a plain cloth patch over nose and mouth → mask, outlined over the lower face', async () => {
    const img = await astronaut();
    const m = (await check(img)).data.landmarks!.mesh;
    const lower = findingRegions.lowerFace(m);
    const masked = painted(img, (x, y) => (inPolygon(lower, x, y) ? [120, 170, 215] : undefined));
    const r = await check(masked);
    const f = r.find('mask');
    expect(f, `mask score ${r.metrics['mask.score']}`).toBeDefined();
    const mouth = centroid(findingRegions.mouth(m));
    expect(inPolygon(f!.region!.polygon!, mouth.x, mouth.y)).toBe(true);
    expect(r.codes).not.toContain('mouth-open');
    expect(r.codes).not.toContain('sunglasses');
  });

  it('white highlights over the lens areas → glasses-glare', async () => {
    const img = await astronaut();
    const m = (await check(img)).data.landmarks!.mesh;
    const span = eyeSpan(m);
    const spots = [centroid(polygonOf(m, RIGHT_EYE)), centroid(polygonOf(m, LEFT_EYE))].map((e) => ({ x: e.x - 0.05 * span, y: e.y - 0.02 * span }));
    const glare = painted(img, (x, y) => (spots.some((s) => Math.hypot(x - s.x, y - s.y) < 0.14 * span) ? [252, 252, 250] : undefined));
    const r = await check(glare);
    expect(r.find('glasses-glare'), `lensSpecular ${r.metrics['glare.lensSpecular']}`).toBeDefined();
  });

  it('a tilted copy → head-pose by roll; strict flags a tilt kyc-selfie accepts', async () => {
    const img = await astronaut();
    const tilted = await check(rotate(img, 28));
    const f = tilted.find('head-pose');
    expect(f).toBeDefined();
    expect(Math.abs(f!.measured.roll as number)).toBeGreaterThan(24);
    const slight = rotate(img, 7);
    expect((await check(slight)).codes).not.toContain('head-pose');
    expect((await check(slight, loadProfile('strict'))).codes).toContain('head-pose');
  });
});

// ----------------------------------------------------------------------------- real photos

const hasData = existsSync(join(SHARED, 'manifest.csv')) && existsSync(join(SHARED, 'mask'));
if (!hasData) console.warn(`obstructions.test: ${SHARED} absent; held-out recall / false-alarm checks skipped`);

describe.skipIf(!hasData)('held-out folds of ../shared/data (each file scored by a model that never saw it)', () => {
  // Targets from the issue. Every file is scored by the head retrained on the other four of five
  // folds grouped by person/source, against the shipped warn threshold (a single number picked on
  // such out-of-fold scores). Allowance: one file below the recall target, one above the
  // false-alarm target. The nested cross-validation figures are in docs/ACCURACY-OBSTRUCTIONS.md.
  const TARGET_RECALL = { mask: 0.97, sunglasses: 0.95, bangs: 0.9, headwear: 0.85 } as const;
  it(
    'recall and false alarms at the targets',
    async () => {
      if (!existsSync(cachePath())) console.warn('obstructions.test: building the feature cache (one-time, several minutes)');
      const recs = await extractRecords(SHARED, listTrainingFiles(SHARED));
      const groups = groupsOf(recs);
      const all = recs.map((_, i) => i);
      const profile = loadProfile();
      for (const head of OBSTRUCTION_HEADS) {
        const p = outOfFold(head, recs, all, groups, 5, LAMBDA[head], 3);
        const t = profile.values[`${head}.score.warn`];
        const rate = (label: string) => {
          const idx = all.filter((i) => recs[i].label === label);
          return { hits: idx.filter((i) => p[i] > t && !vetoed(head, recs[i], profile)).length, n: idx.length };
        };
        const pos = rate(head === 'headwear' ? 'hat' : head);
        const clean = rate('clean');
        expect(pos.hits, `${head} recall ${pos.hits}/${pos.n}`).toBeGreaterThanOrEqual(Math.ceil(TARGET_RECALL[head] * pos.n) - 1);
        expect(clean.hits, `${head} clean false alarms ${clean.hits}/${clean.n}`).toBeLessThanOrEqual(Math.floor(0.05 * clean.n) + 1);
        if (head === 'sunglasses') {
          const eg = rate('eyeglasses');
          expect(eg.hits, `sunglasses on eyeglasses ${eg.hits}/${eg.n}`).toBeLessThanOrEqual(Math.floor(0.02 * eg.n) + 1);
        }
      }
    },
    20 * 60_000,
  );
});
