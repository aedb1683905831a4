// Face detection with MediaPipe BlazeFace, two models run on every image:
//  * "front" 128×128 (short range): faces filling a good part of the frame — selfies, ID photos.
//  * "back" 256×256 (long range): small and far faces — group photos, a second person in the
//    background, a face that is too far from the camera.
// Their detections are pooled and blended by MediaPipe's weighted NMS, so one face seen by both
// models comes out once, with the two models' boxes averaged by score.
// When that finds no confident face of ordinary size, the front model looks once more at the
// picture zoomed out into a larger black canvas (zoom-out.ts): a face bigger than the frame is
// then seen whole.
//
// Boxes are BlazeFace's: TIGHT on the face — roughly eyebrows to chin and cheek to cheek,
// excluding forehead, hair and ears (the ear keypoints lie on or just outside the box sides).
// Expand it when a head box or a crop with context is wanted. A box may extend past the image
// edges when the face is cut off by the frame; it is not clipped.

import type { RgbImage } from '../media/raster.js';
import type { Face, Keypoints, Point } from '../types.js';
import {
  decodeDetections,
  detectionToImage,
  generateAnchors,
  halveLetterbox,
  halveTensor,
  letterboxTensor,
  weightedNms,
  type Detection,
  type RawOutput,
} from './blazeface.js';
import { mergeZoomedOut, wantsZoomOut, ZOOM_OUT } from './zoom-out.js';
import { createSession, getSession, Tensor, type InferenceSession } from './ort-session.js';
import type { ModelName } from './model-files.js';

export interface DetectOptions {
  /** Minimum face score, 0..1 (sigmoid of the model's logit). Default 0.5. */
  minScore?: number;
  /**
   * Also run the long-range 256×256 model, for small/far faces (default true). It is about
   * three quarters of detect()'s time; a caller that only cares about one face filling the
   * frame (e.g. video frames after the first) may turn it off.
   */
  farFaces?: boolean;
  /**
   * Look again at the picture zoomed out when no confident face of ordinary size was found, for
   * faces bigger than the frame (default true; see zoom-out.ts). Costs one 128 px model run, only
   * on such pictures.
   */
  zoomOut?: boolean;
}

export interface FaceDetectorOptions {
  /** Load the model files from this directory instead of the package's models/ (uncached). */
  modelsDir?: string;
}

export const DEFAULT_MIN_SCORE = 0.5;
/** IoU above which detections are blended into one (MediaPipe's face detection value). */
export const NMS_IOU = 0.3;

const FRONT: ModelName = 'blazeface-front-128';
const BACK: ModelName = 'blazeface-back-256';
const INPUT = 'input:0';
/** Output names, in anchor order: the 16×16×2 layer, then the 8×8×6 layer. */
const OUTPUTS = [
  { scores: 'Identity:0', boxes: 'Identity_2:0' },
  { scores: 'Identity_1:0', boxes: 'Identity_3:0' },
] as const;

const ANCHORS = generateAnchors();

function checkSession(name: string, s: InferenceSession): void {
  const missing = [INPUT, ...OUTPUTS.flatMap((o) => [o.scores, o.boxes])].filter(
    (n) => !s.inputNames.includes(n) && !s.outputNames.includes(n),
  );
  if (missing.length > 0) {
    throw new Error(`model ${name} lacks the BlazeFace inputs/outputs ${missing.join(', ')}`);
  }
}

export class FaceDetector {
  /** Reusable input buffers (256² and 128² NHWC), one pair per concurrent detect(). */
  private readonly pool: Array<{ big: Float32Array; small: Float32Array }> = [];
  private closed = false;

  private constructor(
    private readonly front: InferenceSession,
    private readonly back: InferenceSession,
    /** True when the sessions belong to this detector (modelsDir), not the process cache. */
    private readonly ownsSessions: boolean,
  ) {}

  /**
   * Loads (and sha256-verifies) both models. Sessions are shared per process, so loading
   * several detectors is cheap; with `modelsDir` they are loaded afresh from that directory.
   */
  static async load(options: FaceDetectorOptions = {}): Promise<FaceDetector> {
    const dir = options.modelsDir;
    const [front, back] = await Promise.all(
      dir === undefined ? [getSession(FRONT), getSession(BACK)] : [createSession(FRONT, { dir }), createSession(BACK, { dir })],
    );
    checkSession(FRONT, front);
    checkSession(BACK, back);
    return new FaceDetector(front, back, dir !== undefined);
  }

  /**
   * Ends this detector: later detect() calls throw. Sessions of a `modelsDir` detector are
   * released; the process-wide shared ones stay for other detectors (ort-session's
   * releaseSessions() frees those).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.pool.length = 0;
    if (this.ownsSessions) await Promise.all([this.front.release(), this.back.release()]);
  }

  /**
   * Faces in `img`'s pixel coordinates, largest box first, scores in 0..1.
   * Keypoints follow `Keypoints`: rightEye is the subject's right eye (left in the picture).
   */
  async detect(img: RgbImage, options: DetectOptions = {}): Promise<Face[]> {
    if (this.closed) throw new Error('FaceDetector.detect() called after close()');
    const minScore = options.minScore ?? DEFAULT_MIN_SCORE;
    if (!(minScore >= 0 && minScore < 1)) throw new RangeError(`minScore must be in [0, 1), got ${minScore}`);
    const farFaces = options.farFaces ?? true;

    const buffers = this.pool.pop() ?? { big: new Float32Array(256 * 256 * 3), small: new Float32Array(128 * 128 * 3) };
    try {
      // One resize to 256, then an exact 2×2 average for the 128 model: both see the same
      // letterbox, so their detections share one coordinate mapping (up to the factor 2).
      const { tensor: big, letterbox: lb256 } = letterboxTensor(img, 256, buffers.big);
      const small = halveTensor(big, 256, buffers.small);
      const lb128 = halveLetterbox(lb256);

      const found: Detection[] = [];
      for (const d of await this.run(this.front, small, 128, minScore)) found.push(detectionToImage(d, lb128));
      if (farFaces) {
        for (const d of await this.run(this.back, big, 256, minScore)) found.push(detectionToImage(d, lb256));
      }
      let faces = weightedNms(found, NMS_IOU);
      if ((options.zoomOut ?? true) && wantsZoomOut(faces, img.width, img.height)) {
        const { tensor, letterbox: lbZoom } = letterboxTensor(img, 128, buffers.small, ZOOM_OUT);
        const zoomed = (await this.run(this.front, tensor, 128, minScore)).map((d) => detectionToImage(d, lbZoom));
        faces = mergeZoomedOut(faces, weightedNms(zoomed, NMS_IOU), img.width, img.height, NMS_IOU);
      }
      return faces
        .map(toFace)
        .sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
    } finally {
      this.pool.push(buffers);
    }
  }

  private async run(session: InferenceSession, input: Float32Array, size: number, minScore: number): Promise<Detection[]> {
    const result = await session.run({ [INPUT]: new Tensor('float32', input, [1, size, size, 3]) });
    const outputs: RawOutput[] = OUTPUTS.map((o) => ({
      scores: result[o.scores].data as Float32Array,
      boxes: result[o.boxes].data as Float32Array,
    }));
    return decodeDetections(outputs, ANCHORS, size, minScore);
  }
}

function toFace(d: Detection): Face {
  const kp = d.keypoints;
  const p = (i: number): Point => ({ x: kp[2 * i], y: kp[2 * i + 1] });
  const keypoints: Keypoints = {
    rightEye: p(0),
    leftEye: p(1),
    nose: p(2),
    mouth: p(3),
    rightEar: p(4),
    leftEar: p(5),
  };
  return {
    box: { x: d.xmin, y: d.ymin, width: d.xmax - d.xmin, height: d.ymax - d.ymin },
    score: d.score,
    keypoints,
  };
}
