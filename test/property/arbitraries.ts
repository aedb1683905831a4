// fast-check generators for the analyzer properties: small RGB rasters of many kinds (random,
// constant, smooth, gradient; 1×1 to 48×48, or thin strips up to 300 px long) and faces anywhere — inside, on the edges,
// or wholly outside the frame — shaped like the detector's output (box, score, six keypoints).
import fc from 'fast-check';
import type { RgbImage } from '../../src/media/raster.js';
import type { Face } from '../../src/types.js';

export type Pixels = 'random' | 'constant' | 'smooth' | 'gradient';

export interface ImageSpec {
  width: number;
  height: number;
  pixels: Pixels;
  seed: number;
  /** For constant and smooth images: base level and colour. */
  rgb: [number, number, number];
}

function mulberry(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeImage(s: ImageSpec): RgbImage {
  const { width, height } = s;
  const data = new Uint8Array(width * height * 3);
  const r = mulberry(s.seed);
  // Smooth images: a coarse random grid, bilinearly interpolated (real photos are mostly smooth).
  const gw = 5, gh = 5;
  const grid = Array.from({ length: gw * gh }, () => r());
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        let v: number;
        switch (s.pixels) {
          case 'random':
            v = r() * 256;
            break;
          case 'constant':
            v = s.rgb[c];
            break;
          case 'gradient':
            v = (s.rgb[c] * (x + y + 1)) / (width + height);
            break;
          default: {
            const gx = (x / Math.max(1, width - 1)) * (gw - 1), gy = (y / Math.max(1, height - 1)) * (gh - 1);
            const x0 = Math.min(gw - 2, Math.floor(gx)), y0 = Math.min(gh - 2, Math.floor(gy));
            const fx = gx - x0, fy = gy - y0;
            const g = (a: number, b: number) => grid[b * gw + a];
            const n = g(x0, y0) * (1 - fx) * (1 - fy) + g(x0 + 1, y0) * fx * (1 - fy) + g(x0, y0 + 1) * (1 - fx) * fy + g(x0 + 1, y0 + 1) * fx * fy;
            v = s.rgb[c] * (0.5 + n);
          }
        }
        data[i + c] = Math.max(0, Math.min(255, Math.floor(v)));
      }
    }
  }
  return { width, height, data };
}

const side = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 8, max: 48 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) },
);
const ordinary = fc.tuple(side, side);
/** Extreme aspect ratios: strips 1–3 px thin and 100–300 px long. */
const strip = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 100, max: 300 })),
  fc.tuple(fc.integer({ min: 100, max: 300 }), fc.integer({ min: 1, max: 3 })),
);
const level = fc.integer({ min: 0, max: 255 });

export const imageSpec = (pixels?: Pixels, shape: 'ordinary' | 'strip' = 'ordinary'): fc.Arbitrary<ImageSpec> =>
  fc.record({
    size: shape === 'strip' ? strip : ordinary,
    pixels: pixels ? fc.constant(pixels) : fc.constantFrom<Pixels>('random', 'constant', 'smooth', 'gradient'),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    rgb: fc.tuple(level, level, level),
  }).map(({ size: [width, height], ...rest }) => ({ width, height, ...rest }));

/** A detector-shaped face with integer box; keypoints at typical BlazeFace positions inside it. */
export function faceAt(x: number, y: number, w: number, h: number, score: number, tilt = 0): Face {
  const p = (fx: number, fy: number) => ({ x: x + w * fx, y: y + h * fy + tilt * (fx - 0.5) * h });
  return {
    box: { x, y, width: w, height: h },
    score,
    keypoints: { rightEye: p(0.3, 0.35), leftEye: p(0.7, 0.35), nose: p(0.5, 0.55), mouth: p(0.5, 0.75), rightEar: p(0.02, 0.45), leftEar: p(0.98, 0.45) },
  };
}

/** Faces relative to a width×height frame: inside, straddling an edge, or wholly outside. */
export function facesFor(width: number, height: number, max = 3): fc.Arbitrary<Face[]> {
  const face = fc
    .record({
      cx: fc.double({ min: -0.6, max: 1.6, noNaN: true }),
      cy: fc.double({ min: -0.6, max: 1.6, noNaN: true }),
      size: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
      aspect: fc.double({ min: 0.7, max: 1.4, noNaN: true }),
      score: fc.double({ min: 0.6, max: 1, noNaN: true }),
      tilt: fc.double({ min: -0.3, max: 0.3, noNaN: true }),
    })
    .map(({ cx, cy, size, aspect, score, tilt }) => {
      const w = Math.max(1, Math.round(size * Math.max(width, height)));
      const h = Math.max(1, Math.round(w * aspect));
      return faceAt(Math.round(cx * width - w / 2), Math.round(cy * height - h / 2), w, h, score, tilt);
    });
  // The detector's contract: largest box first.
  return fc.array(face, { maxLength: max }).map((fs) => fs.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height));
}

/** Pointwise map over all channels (a global exposure change). */
export function mapPixels(img: RgbImage, f: (v: number) => number): RgbImage {
  const data = new Uint8Array(img.data.length);
  for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, f(img.data[i])));
  return { ...img, data };
}

/** Horizontal mirror of an image. */
export function mirrorImage(img: RgbImage): RgbImage {
  const { width, height } = img;
  const data = new Uint8Array(img.data.length);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = (y * width + x) * 3, b = (y * width + (width - 1 - x)) * 3;
      data[b] = img.data[a];
      data[b + 1] = img.data[a + 1];
      data[b + 2] = img.data[a + 2];
    }
  }
  return { width, height, data };
}

/** The same face seen in the mirrored image: the subject's right eye is still the right eye. */
export function mirrorFace(f: Face, width: number): Face {
  const m = (p: { x: number; y: number }) => ({ x: width - p.x, y: p.y });
  const k = f.keypoints;
  return {
    box: { x: width - f.box.x - f.box.width, y: f.box.y, width: f.box.width, height: f.box.height },
    score: f.score,
    keypoints: { rightEye: m(k.leftEye), leftEye: m(k.rightEye), nose: m(k.nose), mouth: m(k.mouth), rightEar: m(k.leftEar), leftEar: m(k.rightEar) },
  };
}

/**
 * Faces as a detector can also return them: fractional boxes, keypoints anywhere (outside the
 * box or the frame, eyes swapped or on top of each other, the mouth above the eyes).
 */
export function wildFacesFor(width: number, height: number, max = 2): fc.Arbitrary<Face[]> {
  const coord = (n: number) => fc.double({ min: -0.5 * n, max: 1.5 * n, noNaN: true });
  const point = fc.record({ x: coord(width), y: coord(height) });
  const face = fc
    .record({
      x: coord(width),
      y: coord(height),
      w: fc.double({ min: 0.5, max: 2 * Math.max(width, height), noNaN: true }),
      h: fc.double({ min: 0.5, max: 2 * Math.max(width, height), noNaN: true }),
      score: fc.double({ min: 0.55, max: 1, noNaN: true }),
      kp: fc.tuple(point, point, point, point, point, point),
      sameEyes: fc.boolean(),
    })
    .map(({ x, y, w, h, score, kp: [re, le, nose, mouth, rear, lear], sameEyes }) => ({
      box: { x, y, width: w, height: h },
      score,
      keypoints: { rightEye: re, leftEye: sameEyes ? { ...re } : le, nose, mouth, rightEar: rear, leftEar: lear },
    }));
  return fc.array(face, { maxLength: max }).map((fs) => fs.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height));
}
