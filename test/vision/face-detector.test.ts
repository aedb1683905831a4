import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from '../../src/media/sharp.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/media/raster.js';
import type { Face } from '../../src/types.js';
import {
  BLAZEFACE_LAYERS,
  detectionToImage,
  generateAnchors,
  halveLetterbox,
  halveTensor,
  letterbox,
  letterboxTensor,
  weightedNms,
  type Detection,
} from '../../src/vision/blazeface.js';
import { FaceDetector } from '../../src/vision/face-detector.js';
import { mergeZoomedOut, outsideShare, wantsZoomOut, ZOOM_CUT_OUTSIDE, ZOOM_REPLACE_RATIO, ZOOM_TRIGGER_FILL } from '../../src/vision/zoom-out.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const ASTRONAUT = join(root, 'fixtures/astronaut.png');
const CLEAN = resolve(root, '../shared/data/clean');

async function raw(input: sharp.Sharp): Promise<RgbImage> {
  const { data, info } = await input.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

function grey(width: number, height: number) {
  return sharp({ create: { width, height, channels: 3, background: { r: 128, g: 128, b: 128 } } });
}

const centre = (f: Face) => ({ x: f.box.x + f.box.width / 2, y: f.box.y + f.box.height / 2 });

// Eileen Collins' face in fixtures/astronaut.png (512×512), located by eye on the picture:
// eyes at about (204, 102) and (248, 106), mouth at (220, 146); the tight brows-to-chin box is
// centred near (225, 128) and about 95 px wide.
const FACE_CENTRE = { x: 225, y: 128 };
const FACE_WIDTH = 95;

describe('FaceDetector on real pixels', () => {
  let detector: FaceDetector;
  let astronaut: RgbImage;

  beforeAll(async () => {
    detector = await FaceDetector.load();
    astronaut = await raw(sharp(ASTRONAUT));
  });

  it('finds exactly the astronaut, with sane geometry and keypoints', async () => {
    const faces = await detector.detect(astronaut);
    expect(faces).toHaveLength(1);
    const [f] = faces;
    expect(f.score).toBeGreaterThan(0.7);
    expect(f.score).toBeLessThanOrEqual(1);
    const c = centre(f);
    expect(Math.abs(c.x - FACE_CENTRE.x)).toBeLessThan(15);
    expect(Math.abs(c.y - FACE_CENTRE.y)).toBeLessThan(15);
    expect(f.box.width).toBeGreaterThan(FACE_WIDTH * 0.75);
    expect(f.box.width).toBeLessThan(FACE_WIDTH * 1.3);

    const k = f.keypoints;
    expect(k.rightEye.y).toBeLessThan(k.mouth.y);
    expect(k.leftEye.y).toBeLessThan(k.mouth.y);
    expect(k.nose.y).toBeGreaterThan(Math.min(k.rightEye.y, k.leftEye.y));
    expect(k.nose.y).toBeLessThan(k.mouth.y);
    // The subject's right eye is on the left of the (unmirrored) picture.
    expect(k.rightEye.x).toBeLessThan(k.leftEye.x);
    expect(k.rightEar.x).toBeLessThan(k.rightEye.x);
    expect(k.leftEar.x).toBeGreaterThan(k.leftEye.x);
    expect(Math.hypot(k.rightEye.x - 204, k.rightEye.y - 102)).toBeLessThan(10);
    expect(Math.hypot(k.leftEye.x - 248, k.leftEye.y - 106)).toBeLessThan(10);
    expect(Math.hypot(k.mouth.x - 220, k.mouth.y - 146)).toBeLessThan(10);
  });

  it('finds no face in a uniform grey image', async () => {
    expect(await detector.detect(await raw(grey(1024, 768)))).toEqual([]);
  });

  it('finds both astronauts in a side-by-side montage, largest first', async () => {
    const png = await sharp(ASTRONAUT).removeAlpha().png().toBuffer();
    const montage = await raw(
      grey(1024, 512).composite([
        { input: png, left: 0, top: 0 },
        { input: png, left: 512, top: 0 },
      ]),
    );
    const faces = await detector.detect(montage);
    expect(faces).toHaveLength(2);
    const xs = faces.map((f) => centre(f).x).sort((a, b) => a - b);
    expect(Math.abs(xs[0] - FACE_CENTRE.x)).toBeLessThan(15);
    expect(Math.abs(xs[1] - (512 + FACE_CENTRE.x))).toBeLessThan(15);
    for (const f of faces) expect(Math.abs(centre(f).y - FACE_CENTRE.y)).toBeLessThan(15);
    expect(faces[0].box.width * faces[0].box.height).toBeGreaterThanOrEqual(faces[1].box.width * faces[1].box.height);
  });

  it('finds a small, far face (~60 px) in a big frame, thanks to the long-range model', async () => {
    const side = 340; // the astronaut at 340 px: her face ≈ 95 × 340/512 ≈ 63 px wide
    const s = side / 512;
    const left = 600;
    const top = 380;
    const small = await sharp(ASTRONAUT).removeAlpha().resize(side, side).png().toBuffer();
    const img = await raw(grey(1024, 768).composite([{ input: small, left, top }]));

    const faces = await detector.detect(img);
    expect(faces).toHaveLength(1);
    const c = centre(faces[0]);
    expect(Math.abs(c.x - (left + FACE_CENTRE.x * s))).toBeLessThan(10);
    expect(Math.abs(c.y - (top + FACE_CENTRE.y * s))).toBeLessThan(10);
    expect(faces[0].box.width).toBeGreaterThan(35);
    expect(faces[0].box.width).toBeLessThan(90);

    // The short-range model alone does not see it: that is what the 256 model is for.
    expect(await detector.detect(img, { farFaces: false })).toEqual([]);
  });

  it('sees a face bigger than the frame whole by looking again at the frame zoomed out', async () => {
    // The committed spilling fixture (the astronaut's face ≈ 1.3× the frame) and a 4× enlarged crop
    // of her face 1.5× the crop's width: BlazeFace's first look finds nothing confident on either.
    const w = Math.round(FACE_WIDTH / 1.5);
    const h = Math.round((w * 4) / 3);
    const crop = sharp(ASTRONAUT).extract({ left: Math.round(FACE_CENTRE.x - w / 2), top: Math.round(FACE_CENTRE.y - h / 2), width: w, height: h });
    for (const img of [await raw(sharp(join(root, 'fixtures/synthetic/too-close/astronaut-spilling.jpg'))), await raw(crop.resize(4 * w, 4 * h))]) {
      const first = await detector.detect(img, { zoomOut: false });
      expect(first.filter((f) => f.score >= 0.55)).toEqual([]);
      const faces = await detector.detect(img);
      expect(faces).toHaveLength(1);
      const [f] = faces;
      expect(f.score).toBeGreaterThan(0.7);
      // Wider than the frame and running past its edges, centred on the face (the frame's centre here).
      expect(f.box.width).toBeGreaterThan(Math.min(img.width, img.height));
      expect(f.box.x).toBeLessThan(0);
      expect(f.box.x + f.box.width).toBeGreaterThan(img.width);
      expect(Math.abs(centre(f).x - img.width / 2)).toBeLessThan(0.15 * img.width);
      expect(f.keypoints.rightEye.x).toBeLessThan(f.keypoints.leftEye.x);
      expect(f.keypoints.rightEye.y).toBeLessThan(f.keypoints.mouth.y);
    }
  });

  it('honours minScore', async () => {
    const [f] = await detector.detect(astronaut);
    expect(await detector.detect(astronaut, { minScore: Math.min(0.999, f.score + 0.01) })).toEqual([]);
    await expect(detector.detect(astronaut, { minScore: 1.5 })).rejects.toThrow(RangeError);
  });

  it('refuses to detect after close() without affecting other detectors', async () => {
    const other = await FaceDetector.load();
    await other.close();
    await expect(other.detect(astronaut)).rejects.toThrow(/close/);
    expect(await detector.detect(astronaut)).toHaveLength(1);
  });

  it('maps faces back through the letterbox for non-square and portrait images', async () => {
    // The astronaut padded into a tall frame, then a wide one: the face must move with her.
    for (const [w, h, left, top] of [
      [512, 900, 0, 300],
      [900, 512, 300, 0],
    ]) {
      const png = await sharp(ASTRONAUT).removeAlpha().png().toBuffer();
      const img = await raw(grey(w, h).composite([{ input: png, left, top }]));
      const faces = await detector.detect(img);
      expect(faces.length).toBeGreaterThanOrEqual(1);
      const c = centre(faces[0]);
      expect(Math.abs(c.x - (left + FACE_CENTRE.x))).toBeLessThan(15);
      expect(Math.abs(c.y - (top + FACE_CENTRE.y))).toBeLessThan(15);
    }
  });

  it('handles images larger than the working resolution (wider supersampling)', async () => {
    const img = await raw(sharp(ASTRONAUT).resize(2048, 2048));
    const faces = await detector.detect(img);
    expect(faces).toHaveLength(1);
    const c = centre(faces[0]);
    expect(Math.abs(c.x - 4 * FACE_CENTRE.x)).toBeLessThan(60);
    expect(Math.abs(c.y - 4 * FACE_CENTRE.y)).toBeLessThan(60);
  });

  const cleanFiles = existsSync(CLEAN) ? readdirSync(CLEAN).filter((f) => /\.(jpe?g|png|webp)$/i.test(f)) : [];
  it.skipIf(cleanFiles.length === 0)(
    'finds a face in ≥ 95% of the real photos in ../shared/data/clean',
    async () => {
      let hits = 0;
      const misses: string[] = [];
      for (const file of cleanFiles) {
        // Decode as the pipeline does: EXIF-rotated, at a working resolution ≤ 1024 px.
        const img = await raw(
          sharp(join(CLEAN, file)).rotate().resize(1024, 1024, { fit: 'inside', withoutEnlargement: true }),
        );
        if ((await detector.detect(img)).length > 0) hits++;
        else misses.push(file);
      }
      const rate = hits / cleanFiles.length;
      console.log(
        `face detection rate on ../shared/data/clean: ${hits}/${cleanFiles.length} = ${(100 * rate).toFixed(1)}%` +
          (misses.length ? `; missed: ${misses.join(', ')}` : ''),
      );
      expect(rate).toBeGreaterThanOrEqual(0.95);
    },
    180_000,
  );
  if (cleanFiles.length === 0) {
    it.skip(`real-photo detection rate: ${CLEAN} is absent`, () => {});
  }
});

describe('BlazeFace helpers', () => {
  it('lays out 896 anchors: 16×16×2 then 8×8×6, row-major, cell centres', () => {
    const a = generateAnchors(BLAZEFACE_LAYERS);
    expect(a.length).toBe(896 * 2);
    expect([a[0], a[1]]).toEqual([0.5 / 16, 0.5 / 16]);
    expect([a[2], a[3]]).toEqual([0.5 / 16, 0.5 / 16]); // second anchor of the first cell
    expect([a[4], a[5]]).toEqual([1.5 / 16, 0.5 / 16]); // next cell along x
    expect(a[2 * 512]).toBeCloseTo(0.5 / 8, 6); // first anchor of the 8×8 layer
    expect(a[2 * 895 + 1]).toBeCloseTo(7.5 / 8, 6);
  });

  it('maps letterboxed coordinates back to the image', () => {
    const lb = letterbox(1000, 500, 256);
    expect(lb.scale).toBeCloseTo(0.256);
    expect(lb.padX).toBe(0);
    expect(lb.padY).toBe(64);
    const d: Detection = {
      score: 0.9,
      xmin: 0,
      ymin: 0.25,
      xmax: 1,
      ymax: 0.75,
      keypoints: new Float32Array([0.5, 0.5, 0, 0.25, 1, 0.75, 0, 0, 0, 0, 0, 0]),
    };
    const m = detectionToImage(d, lb);
    expect(m.xmin).toBeCloseTo(0);
    expect(m.ymin).toBeCloseTo(0);
    expect(m.xmax).toBeCloseTo(1000);
    expect(m.ymax).toBeCloseTo(500);
    expect(Array.from(m.keypoints.slice(0, 6)).map((v) => Math.round(v))).toEqual([500, 250, 0, 0, 1000, 500]);
    const m2 = detectionToImage(d, halveLetterbox(lb));
    expect(m2.ymax).toBeCloseTo(500);
    // Zoomed out 2×: the picture takes half the input, centred; the whole input maps to twice the picture.
    const z = letterbox(1000, 500, 256, 2);
    expect(z.scale).toBeCloseTo(0.128);
    expect([z.padX, z.padY]).toEqual([64, 96]);
    const mz = detectionToImage({ ...d, ymin: 0, ymax: 1 }, z);
    expect([mz.xmin, mz.ymin, mz.xmax, mz.ymax].map((v) => Math.round(v))).toEqual([-500, -750, 1500, 1250]);
    expect(() => letterbox(10, 10, 8, 0.5)).toThrow(RangeError);
  });

  it('zooms out into a black canvas: the picture in the middle, padding around it', () => {
    const img: RgbImage = { width: 4, height: 4, data: new Uint8Array(4 * 4 * 3).fill(255) };
    const { tensor } = letterboxTensor(img, 8, undefined, 2);
    // 4×4 at scale 1 in the middle of the 8×8 input (a 2× canvas): rows/columns 2..5 are the picture.
    expect(tensor[(1 * 8 + 4) * 3]).toBe(-1);
    expect(tensor[(2 * 8 + 2) * 3]).toBeCloseTo(1);
    expect(tensor[(5 * 8 + 5) * 3 + 1]).toBeCloseTo(1);
    expect(tensor[(6 * 8 + 5) * 3]).toBe(-1);
    expect(tensor[(4 * 8 + 1) * 3]).toBe(-1);
  });

  it('letterboxes with black padding and halves exactly', () => {
    const img: RgbImage = { width: 4, height: 2, data: new Uint8Array(4 * 2 * 3).fill(255) };
    const { tensor } = letterboxTensor(img, 8);
    // 4×2 → 8×4 content in rows 2..5 of an 8×8 input; the rest is padding (-1).
    expect(tensor[0]).toBe(-1);
    expect(tensor[(2 * 8 + 0) * 3]).toBeCloseTo(1);
    expect(tensor[(5 * 8 + 7) * 3 + 2]).toBeCloseTo(1);
    expect(tensor[(6 * 8 + 7) * 3]).toBe(-1);
    const half = halveTensor(tensor, 8);
    expect(half.length).toBe(4 * 4 * 3);
    expect(half[(1 * 4 + 0) * 3]).toBeCloseTo(1);
    expect(half[0]).toBe(-1);
  });

  it('blends overlapping detections by score and keeps separate faces apart', () => {
    const kp = (v: number) => new Float32Array(12).fill(v);
    const a: Detection = { score: 0.9, xmin: 0, ymin: 0, xmax: 10, ymax: 10, keypoints: kp(1) };
    const b: Detection = { score: 0.6, xmin: 1, ymin: 1, xmax: 11, ymax: 11, keypoints: kp(2) };
    const c: Detection = { score: 0.7, xmin: 50, ymin: 50, xmax: 60, ymax: 60, keypoints: kp(3) };
    const out = weightedNms([b, c, a], 0.3);
    expect(out).toHaveLength(2);
    expect(out[0].score).toBe(0.9);
    expect(out[0].xmin).toBeCloseTo((0.9 * 0 + 0.6 * 1) / 1.5);
    expect(out[0].keypoints[0]).toBeCloseTo((0.9 * 1 + 0.6 * 2) / 1.5);
    expect(out[1]).toMatchObject({ score: 0.7, xmin: 50 });
  });
});

describe('zoom-out merge (the wider look for faces bigger than the frame)', () => {
  const det = (xmin: number, ymin: number, size: number, score: number): Detection => ({
    score,
    xmin,
    ymin,
    xmax: xmin + size,
    ymax: ymin + size,
    keypoints: new Float32Array(12),
  });
  const W = 400;
  const H = 300;

  it('looks again only when no confident face of ordinary size was found', () => {
    expect(wantsZoomOut([], W, H)).toBe(true);
    expect(wantsZoomOut([det(100, 100, 100, 0.95)], W, H)).toBe(false);
    // Weak, or as wide as a part-face box on a too-close face: look again.
    expect(wantsZoomOut([det(100, 100, 100, 0.6)], W, H)).toBe(true);
    expect(wantsZoomOut([det(50, 50, ZOOM_TRIGGER_FILL * H + 1, 0.95)], W, H)).toBe(true);
    expect(wantsZoomOut([det(50, 50, ZOOM_TRIGGER_FILL * H + 1, 0.95), det(300, 10, 40, 0.9)], W, H)).toBe(false);
  });

  it('measures the share of a box outside the frame', () => {
    expect(outsideShare(det(0, 0, 100, 1), W, H)).toBe(0);
    expect(outsideShare(det(-50, 0, 100, 1), W, H)).toBeCloseTo(0.5);
    expect(outsideShare(det(-100, -100, 600, 1), W, H)).toBeCloseTo(1 - (W * H) / (600 * 600));
  });

  it('replaces part-face boxes by the whole face, keeps the finer first look otherwise', () => {
    const part = det(150, 100, 100, 0.8);
    const whole = det(50, 0, 100 * ZOOM_REPLACE_RATIO + 100, 0.75);
    expect(mergeZoomedOut([part], [whole], W, H, 0.3)).toEqual([whole]);
    // Barely wider (the half-resolution look's own imprecision): the first look's box stays.
    const similar = det(140, 90, 100 * ZOOM_REPLACE_RATIO - 5, 0.9);
    expect(mergeZoomedOut([part], [similar], W, H, 0.3)).toEqual([part]);
    // Much wider but far less sure: stays too.
    expect(mergeZoomedOut([part], [{ ...whole, score: 0.6 }], W, H, 0.3)).toEqual([part]);
  });

  it('takes a face only the wider look saw, or saw surely, only where the frame cuts it', () => {
    const cut = det(-120, -50, 300, 0.7); // 40 % of the box is off the frame's left edge
    expect(outsideShare(cut, W, H)).toBeGreaterThan(ZOOM_CUT_OUTSIDE);
    const inside = det(100, 50, 200, 0.7);
    expect(mergeZoomedOut([], [cut], W, H, 0.3)).toEqual([cut]);
    expect(mergeZoomedOut([], [inside], W, H, 0.3)).toEqual([]);
    // A weak first-look box on the same face gives way to a surer, cut one — not to an uncut one.
    const weak = det(-100, -40, 290, 0.52);
    expect(mergeZoomedOut([weak], [cut], W, H, 0.3)).toEqual([cut]);
    const weakInside = det(105, 55, 195, 0.52);
    expect(mergeZoomedOut([weakInside], [inside], W, H, 0.3)).toEqual([weakInside]);
  });

  it('keeps other people the wider look did not see', () => {
    const bystander = det(320, 20, 40, 0.9);
    const part = det(150, 100, 100, 0.8);
    const whole = det(40, -20, 240, 0.8);
    const merged = mergeZoomedOut([part, bystander], [whole], W, H, 0.3);
    expect(merged).toHaveLength(2);
    expect(merged).toContain(bystander);
    expect(merged).toContain(whole);
  });
});
