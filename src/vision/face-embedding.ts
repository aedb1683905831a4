// Face description (HSE-FaceRes via models/faceres.onnx): a 1024-d embedding of a face crop and
// a 512-d descriptor of its eye band, both from one run, which the obstruction classifiers read;
// plus the gather step that runs the face models once per image before the pure analyzers
// (landmarks and embedding are async ONNX work).
//
// faceres is convolutional up to a global mean and is converted with symbolic height and width
// (tools/tfjs-to-onnx, `dynamicSpatial`). At 128×128 it costs about a third of the 224 time and,
// on the loosely cropped faces used here (many of them under 100 px), separates the obstructions
// as well or better (see models/OBSTRUCTIONS.md).
//
// The eye band used to be a second 128² faceres run on its own crop (half of the model time).
// Instead the face crop's stride-8 feature map (conv_pw_5, 16×16×256 at 128²) is pooled over the
// cells that fall in the band (mean and max per channel): the same network looking at the eyes
// at the face crop's scale, for the price of one extra output. Grouped cross-validation found it
// as good as the second run (models/OBSTRUCTIONS.md); smaller or rectangular second crops, and
// the coarser stride-16/32 maps, were worse.

import type { RgbImage } from '../media/raster.js';
import type { Face } from '../types.js';
import { loadVerifiedModel } from './model-files.js';
import { createSessionFromBytes, Tensor, type InferenceSession } from './ort-session.js';
import {
  FaceMesh,
  Iris,
  IRIS_ENLARGE,
  IRIS_SIZE,
  MESH_EYE_CORNERS,
  applyAffine,
  cropToImage,
  detectFaceLandmarks,
  faceCropFrame,
  invertAffine,
  meshPoint,
  sampleCrop,
  type CropFrame,
  type FaceLandmarks,
} from './landmarks.js';
import { eyeAspectRatio } from '../analyzers/face-state.js';

/** Side of the face crop faceres runs on here. */
export const EMBEDDING_INPUT_SIZE = 128;
/** The crop: the detector box squared and enlarged this much, eyes level (a "loose" face crop). */
export const EMBEDDING_CROP_ENLARGE = 1.5;
export const EMBEDDING_SIZE = 1024;
/** Channels of the stride-8 feature map; the eye-band descriptor is their mean and max. */
export const EYE_FEATURE_CHANNELS = 256;
export const EYE_DESCRIPTOR_SIZE = 2 * EYE_FEATURE_CHANNELS;
/** The eye band, in outer-eye-corner distances around their midpoint: ±0.8 wide, ±0.4 high. */
export const EYE_BAND_HALF_WIDTH = 0.8;
export const EYE_BAND_HALF_HEIGHT = 0.4;

/** faceres' outputs for one face crop. */
export interface FaceDescription {
  /** Global mean of the last feature map (1024). */
  embedding: Float32Array;
  /** Stride-8 feature map, NHWC [rows, cols, 256], only when asked for. */
  features?: { data: Float32Array; rows: number; cols: number };
}

/** A box in crop pixels: centre and half sizes (axis-aligned: the crop is already eyes-level). */
export interface CropBand {
  cx: number;
  cy: number;
  halfWidth: number;
  halfHeight: number;
}

/**
 * The eye band in a face crop's pixels (crop of `size` px for `frame`): centred between the outer
 * eye corners of the mesh (33, 263), EYE_BAND_HALF_WIDTH / _HEIGHT of their distance each way.
 */
export function eyeBandInCrop(lm: FaceLandmarks, frame: CropFrame, size: number): CropBand {
  const toCrop = invertAffine(cropToImage(frame, size));
  const a0 = meshPoint(lm.mesh, 33);
  const b0 = meshPoint(lm.mesh, 263);
  const a = applyAffine(toCrop, a0.x, a0.y);
  const b = applyAffine(toCrop, b0.x, b0.y);
  const d = Math.hypot(a.x - b.x, a.y - b.y);
  return { cx: (a.x + b.x) / 2, cy: (a.y + b.y) / 2, halfWidth: EYE_BAND_HALF_WIDTH * d, halfHeight: EYE_BAND_HALF_HEIGHT * d };
}

/**
 * Mean, then max, per channel over the cells of an NHWC feature map (covering a crop of `size`
 * px) whose centres lie in `band`; the nearest cell to the band's centre when none does (a tiny
 * face). The max keeps a dark lens or a frame edge that a few cells see from being averaged away.
 */
export function poolBand(map: { data: Float32Array; rows: number; cols: number }, size: number, band: CropBand): Float32Array {
  const { data, rows, cols } = map;
  const channels = data.length / (rows * cols);
  const cellH = size / rows;
  const cellW = size / cols;
  const cells: number[] = [];
  for (let i = 0; i < rows; i++) {
    const y = (i + 0.5) * cellH;
    if (Math.abs(y - band.cy) > band.halfHeight) continue;
    for (let j = 0; j < cols; j++) if (Math.abs((j + 0.5) * cellW - band.cx) <= band.halfWidth) cells.push(i * cols + j);
  }
  if (cells.length === 0) {
    const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, Math.floor(v)));
    cells.push(clamp(band.cy / cellH, rows) * cols + clamp(band.cx / cellW, cols));
  }
  const out = new Float32Array(2 * channels); // [mean sums | maxima]
  out.fill(-Infinity, channels);
  for (const cell of cells) {
    const o = cell * channels;
    for (let k = 0; k < channels; k++) {
      const v = data[o + k];
      out[k] += v;
      if (v > out[channels + k]) out[channels + k] = v;
    }
  }
  for (let k = 0; k < channels; k++) out[k] /= cells.length;
  return out;
}

export class FaceDescriber {
  private constructor(private readonly session: InferenceSession) {}

  static async load(): Promise<FaceDescriber> {
    return new FaceDescriber(await createSessionFromBytes(await loadVerifiedModel('faceres')));
  }

  /** Embedding of the loose, eye-level face crop of a detection. */
  async describe(img: RgbImage, face: Pick<Face, 'box' | 'keypoints'>, size = EMBEDDING_INPUT_SIZE): Promise<Float32Array> {
    return (await this.describeFrame(img, faceCropFrame(face.box, face.keypoints, EMBEDDING_CROP_ENLARGE), size)).embedding;
  }

  /** faceres on a square crop of the image at size² (any size: the model's H and W are symbolic). */
  async describeFrame(img: RgbImage, frame: CropFrame, size = EMBEDDING_INPUT_SIZE, options: { features?: boolean } = {}): Promise<FaceDescription> {
    const input = new Tensor('float32', sampleCrop(img, frame, size, { scale: 255 }), [1, size, size, 3]);
    const out = await this.session.run({ input }, options.features ? ['embedding', 'features_s8'] : ['embedding']);
    const result: FaceDescription = { embedding: out.embedding.data as Float32Array };
    if (options.features) {
      const t = out.features_s8;
      result.features = { data: t.data as Float32Array, rows: t.dims[1], cols: t.dims[2] };
    }
    return result;
  }

  /** The face embedding and, given landmarks, the eye-band descriptor, from one run. */
  async describeFace(img: RgbImage, face: Pick<Face, 'box' | 'keypoints'>, lm?: FaceLandmarks): Promise<{ embedding: Float32Array; eyeEmbedding?: Float32Array }> {
    const frame = faceCropFrame(face.box, face.keypoints, EMBEDDING_CROP_ENLARGE);
    const d = await this.describeFrame(img, frame, EMBEDDING_INPUT_SIZE, { features: lm !== undefined });
    if (!lm || !d.features) return { embedding: d.embedding };
    return { embedding: d.embedding, eyeEmbedding: poolBand(d.features, EMBEDDING_INPUT_SIZE, eyeBandInCrop(lm, frame, EMBEDDING_INPUT_SIZE)) };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** What the gather step adds to the analysis context for the subject's face. */
export interface FaceData {
  landmarks?: FaceLandmarks;
  /** faceres embedding of the loose face crop. */
  embedding?: Float32Array;
  /** Eye-band descriptor (needs landmarks): faceres' stride-8 features of the face crop averaged
   *  over the band around the eyes — what sunglasses, masks and hats change there, seen locally
   *  rather than mixed into the whole-face mean. EYE_DESCRIPTOR_SIZE values (mean, then max). */
  eyeEmbedding?: Float32Array;
  /** Lid opening of the more open eye from the Iris model's eye contour, measured only when the
   *  mesh's lids (which never quite close) leave doubt; see FaceModels.gather. */
  eyeLids?: { eye: 'right' | 'left'; opening: number };
}

export type FaceNeed = 'landmarks' | 'embedding' | 'eyelids';

export interface GatherOptions {
  /** Run Iris only when the mesh's opening of the more open eye is below this (profile `eyes.irisGate`). */
  irisGate?: number;
}

/**
 * The face models of one checker (one worker): loaded on first need and kept, so a batch loads
 * them once. `gather` runs only what the enabled analyzers need.
 */
export class FaceModels {
  private mesh?: Promise<FaceMesh>;
  private describer?: Promise<FaceDescriber>;
  private iris?: Promise<Iris>;

  /** Loads the models `needs` will use now, so the first file's time limit does not pay for it. */
  async preload(needs: ReadonlySet<FaceNeed>): Promise<void> {
    const loads: Promise<unknown>[] = [];
    if (needs.has('landmarks') || needs.has('eyelids')) loads.push((this.mesh ??= FaceMesh.load()));
    if (needs.has('eyelids')) loads.push((this.iris ??= Iris.load()));
    if (needs.has('embedding')) loads.push((this.describer ??= FaceDescriber.load()));
    await Promise.all(loads);
  }

  async gather(img: RgbImage, face: Face | undefined, needs: ReadonlySet<FaceNeed>, options: GatherOptions = {}): Promise<FaceData> {
    if (!face || needs.size === 0) return {};
    const out: FaceData = {};
    if (needs.has('landmarks') || needs.has('eyelids')) out.landmarks = await detectFaceLandmarks(await (this.mesh ??= FaceMesh.load()), img, face);
    if (needs.has('eyelids') && out.landmarks) {
      // The mesh's lids never fully close (closed eyes read ~0.2, open ~0.3), the Iris contour's do
      // (~0.1 vs ~0.35). Iris costs ~4 ms per eye, so it runs on one eye — the one the mesh sees
      // more open (both must be closed) — and only when the mesh leaves doubt.
      const m = out.landmarks.mesh;
      const right = eyeAspectRatio(m, 'right');
      const left = eyeAspectRatio(m, 'left');
      const eye = right >= left ? 'right' : 'left';
      if (Math.max(right, left) < (options.irisGate ?? Infinity)) {
        const iris = await (this.iris ??= Iris.load());
        out.eyeLids = { eye, opening: await irisEyeOpening(iris, img, out.landmarks, eye) };
      }
    }
    if (needs.has('embedding')) {
      const d = await (this.describer ??= FaceDescriber.load());
      const { embedding, eyeEmbedding } = await d.describeFace(img, face, out.landmarks);
      out.embedding = embedding;
      if (eyeEmbedding) out.eyeEmbedding = eyeEmbedding;
    }
    return out;
  }

  async close(): Promise<void> {
    const m = this.mesh;
    const d = this.describer;
    this.mesh = undefined;
    this.describer = undefined;
    const i = this.iris;
    this.iris = undefined;
    await Promise.allSettled([m?.then((x) => x.release()), d?.then((x) => x.release()), i?.then((x) => x.release())]);
  }
}

/**
 * Eye aspect ratio from the Iris model's 71-point eye contour (points 0 and 8 are the corners,
 * 1–7 the lower and 9–15 the upper lid; the ratio is the same in crop and image pixels). The
 * subject's left eye is mirrored first, as the model expects right eyes.
 */
export async function irisEyeOpening(iris: Iris, img: RgbImage, lm: FaceLandmarks, eye: 'right' | 'left'): Promise<number> {
  const [a, b] = MESH_EYE_CORNERS[eye];
  const p = meshPoint(lm.mesh, a);
  const q = meshPoint(lm.mesh, b);
  const frame: CropFrame = {
    center: { x: (p.x + q.x) / 2, y: (p.y + q.y) / 2 },
    side: Math.max(1, Math.hypot(p.x - q.x, p.y - q.y) * IRIS_ENLARGE),
    angle: lm.frame.angle,
  };
  const { contour } = await iris.run(sampleCrop(img, frame, IRIS_SIZE, { flip: eye === 'left' }));
  const d = (i: number, j: number) => Math.hypot(contour[i * 3] - contour[j * 3], contour[i * 3 + 1] - contour[j * 3 + 1]);
  const width = d(0, 8);
  return width > 1e-6 ? (d(11, 3) + d(13, 5)) / (2 * width) : NaN;
}
