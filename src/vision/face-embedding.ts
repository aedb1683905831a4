// Face description (HSE-FaceRes via models/faceres.onnx): a 1024-d embedding of a face crop that
// the obstruction classifiers read, plus the gather step that runs the face models once per
// image before the pure analyzers (landmarks and embedding are async ONNX work).
//
// faceres was converted with a fixed 224×224 input, but the network is convolutional up to a
// global mean, so it runs at any size. At 128×128 it costs about a third of the 224 time and, on
// the loosely cropped faces used here (many of them under 100 px), separates the obstructions as
// well or better (see models/OBSTRUCTIONS.md). The input size is changed in memory, on the
// sha256-verified bytes: the two `dim_value: 224` fields of the graph input are rewritten to the
// new size, which has the same varint length, so nothing else in the file moves.

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
  detectFaceLandmarks,
  faceCropFrame,
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

/** The graph input's shape as encoded: dims N (symbolic), 224, 224, 3. */
const INPUT_DIMS_224 = Uint8Array.from([0x0a, 0x03, 0x08, 0xe0, 0x01, 0x0a, 0x03, 0x08, 0xe0, 0x01, 0x0a, 0x02, 0x08, 0x03]);

/** Every offset of `needle` in `hay` (Buffer.indexOf: native, ~100× a JS loop over the 7 MB file). */
function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number[] {
  const buf = Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength);
  const hits: number[] = [];
  for (let i = buf.indexOf(needle); i !== -1; i = buf.indexOf(needle, i + 1)) hits.push(i);
  return hits;
}

/**
 * A copy of the faceres model bytes with the input declared as size×size. Only sizes whose
 * varint takes two bytes like 224 (128–16383) keep the file's layout; the pattern must occur
 * exactly once, so a different file fails loudly instead of being patched somewhere else.
 */
export function withInputSize(model: Uint8Array, size: number): Uint8Array {
  if (!Number.isInteger(size) || size < 128 || size > 16383) throw new Error(`faceres input size ${size} must be an integer in 128..16383`);
  const hits = indexOfBytes(model, INPUT_DIMS_224);
  if (hits.length !== 1) throw new Error(`faceres model: expected one 224×224×3 input declaration, found ${hits.length}`);
  const out = model.slice(); // a native copy; Uint8Array.from would iterate in JS
  const lo = (size & 0x7f) | 0x80;
  const hi = size >> 7;
  out[hits[0] + 3] = lo;
  out[hits[0] + 4] = hi;
  out[hits[0] + 8] = lo;
  out[hits[0] + 9] = hi;
  return out;
}

export class FaceDescriber {
  private constructor(
    private readonly session: InferenceSession,
    readonly size: number,
  ) {}

  static async load(size = EMBEDDING_INPUT_SIZE): Promise<FaceDescriber> {
    const bytes = await loadVerifiedModel('faceres');
    return new FaceDescriber(await createSessionFromBytes(size === 224 ? bytes : withInputSize(bytes, size)), size);
  }

  /** Embedding of the loose, eye-level face crop of a detection. */
  describe(img: RgbImage, face: Pick<Face, 'box' | 'keypoints'>): Promise<Float32Array> {
    return this.describeFrame(img, faceCropFrame(face.box, face.keypoints, EMBEDDING_CROP_ENLARGE));
  }

  /** Embedding of any square crop of the image. */
  async describeFrame(img: RgbImage, frame: CropFrame): Promise<Float32Array> {
    return (await this.describeFrames(img, [frame]))[0];
  }

  /** Embeddings of several crops in one run (batch N): the same numbers as one run each, ~15% less
   *  CPU for two crops than two runs. */
  async describeFrames(img: RgbImage, frames: readonly CropFrame[]): Promise<Float32Array[]> {
    const n = this.size * this.size * 3;
    const batch = new Float32Array(n * frames.length);
    frames.forEach((f, i) => batch.set(sampleCrop(img, f, this.size, { scale: 255 }), i * n));
    const out = await this.session.run({ input: new Tensor('float32', batch, [frames.length, this.size, this.size, 3]) }, ['embedding']);
    const data = out.embedding.data as Float32Array;
    return frames.map((_, i) => data.slice(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE));
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
  /** faceres embedding of the eye band (needs landmarks): what sunglasses, masks and hats change
   *  around the eyes, seen at a finer scale than in the whole-face crop. */
  eyeEmbedding?: Float32Array;
  /** Lid opening of the more open eye from the Iris model's eye contour, measured only when the
   *  mesh's lids (which never quite close) leave doubt; see FaceModels.gather. */
  eyeLids?: { eye: 'right' | 'left'; opening: number };
}

/** The eye-band crop: centred between the outer eye corners, 1.6 × their distance, eyes level. */
export function eyeCropFrame(lm: FaceLandmarks): CropFrame {
  const a = meshPoint(lm.mesh, 33);
  const b = meshPoint(lm.mesh, 263);
  return { center: { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 }, side: 1.6 * Math.hypot(a.x - b.x, a.y - b.y), angle: lm.frame.angle };
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
      const faceFrame = faceCropFrame(face.box, face.keypoints, EMBEDDING_CROP_ENLARGE);
      // The face crop and the eye band go through faceres as one batch of two.
      const [e, eyes] = await d.describeFrames(img, out.landmarks ? [faceFrame, eyeCropFrame(out.landmarks)] : [faceFrame]);
      out.embedding = e;
      if (eyes) out.eyeEmbedding = eyes;
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
