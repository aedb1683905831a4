// Pure helpers for MediaPipe BlazeFace (short-range "front" 128×128 and long-range "back"
// 256×256 models, as converted to ONNX by PINTO0309 / keijiro): letterboxing, anchors,
// decoding of the raw outputs, weighted non-max suppression. No I/O, no onnxruntime here.
//
// Conventions (checked against keijiro's Postprocess1Kernel.hlsl and on real photos):
//  * Input: NHWC float32, RGB, (pixel / 127.5) − 1, i.e. [-1, 1]; row 0 is the top of the image.
//  * Outputs, for both models: 896 anchors split in two tensors, in this order —
//      16×16 grid × 2 anchors = 512   ("Identity:0" scores [1,512,1], "Identity_2:0" boxes [1,512,16])
//       8× 8 grid × 6 anchors = 384   ("Identity_1:0" scores [1,384,1], "Identity_3:0" boxes [1,384,16])
//    Anchors are enumerated row-major over cells (y, then x), then over the anchors of a cell.
//    So the 128 model has strides 8 and 16 px, and the 256 model strides 16 and 32 px: the
//    layouts are identical in normalised coordinates. Anchor centres are ((x+0.5)/grid,
//    (y+0.5)/grid); all anchors of a cell are the same point (MediaPipe's fixed_anchor_size), so
//    the per-cell anchors differ only in what they were trained to fire on.
//  * Scores are logits (sigmoid → 0..1).
//  * Regressors are in model-input pixels: [dx, dy, w, h, then 6 keypoints × (dx, dy)], offsets
//    relative to the anchor centre. y grows downwards (keijiro's VFlip only converts to Unity's
//    bottom-up UV space).
//  * Keypoint order: the subject's right eye, left eye, nose tip, mouth centre, right ear
//    tragion, left ear tragion. "Right eye" is on the left of an unmirrored picture (smaller x);
//    keijiro's Detection struct names slot 0 "leftEye" in the sense of "left in the picture".
//  * The box is tight on the face: roughly eyebrows to chin and cheek to cheek; it excludes
//    forehead/hair and ears. Callers wanting a head box must expand it.

import type { RgbImage } from '../media/raster.js';

/** One anchor grid: `grid`×`grid` cells, `perCell` anchors in each. */
export interface AnchorLayer {
  grid: number;
  perCell: number;
}

/** The anchor layout shared by both BlazeFace models (896 anchors). */
export const BLAZEFACE_LAYERS: readonly AnchorLayer[] = [
  { grid: 16, perCell: 2 },
  { grid: 8, perCell: 6 },
];

export const NUM_KEYPOINTS = 6;
/** Regressor values per anchor: box (4) + keypoints (2 each). */
export const REGRESSORS = 4 + 2 * NUM_KEYPOINTS;

/** Anchor centres, normalised to 0..1 of the model input, as interleaved (x, y) pairs. */
export function generateAnchors(layers: readonly AnchorLayer[] = BLAZEFACE_LAYERS): Float32Array {
  const n = layers.reduce((s, l) => s + l.grid * l.grid * l.perCell, 0);
  const out = new Float32Array(n * 2);
  let i = 0;
  for (const { grid, perCell } of layers) {
    for (let y = 0; y < grid; y++) {
      for (let x = 0; x < grid; x++) {
        for (let a = 0; a < perCell; a++) {
          out[i++] = (x + 0.5) / grid;
          out[i++] = (y + 0.5) / grid;
        }
      }
    }
  }
  return out;
}

/**
 * A detection in normalised coordinates (0..1 of the square model input, or of whatever frame
 * `mapDetection` moved it to). Keypoints interleaved x,y in the model's order (see top).
 */
export interface Detection {
  score: number;
  xmin: number;
  ymin: number;
  xmax: number;
  ymax: number;
  keypoints: Float32Array; // length 2 * NUM_KEYPOINTS
}

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Inverse of sigmoid, for thresholding on raw logits. */
export function logit(p: number): number {
  const q = Math.min(1 - 1e-7, Math.max(1e-7, p));
  return Math.log(q / (1 - q));
}

/** One scores/boxes output pair, covering consecutive anchors. */
export interface RawOutput {
  scores: Float32Array; // logits, one per anchor
  boxes: Float32Array; // REGRESSORS per anchor
}

/**
 * Decodes the model outputs (given in anchor order, e.g. [16×16 layer, 8×8 layer]) into the
 * detections whose score exceeds `minScore`. `inputSize` is the model's input side in pixels.
 */
export function decodeDetections(
  outputs: readonly RawOutput[],
  anchors: Float32Array,
  inputSize: number,
  minScore: number,
): Detection[] {
  const total = outputs.reduce((n, o) => n + o.scores.length, 0);
  if (total * 2 !== anchors.length) {
    throw new Error(`BlazeFace outputs cover ${total} anchors, expected ${anchors.length / 2}`);
  }
  const minLogit = logit(minScore);
  const inv = 1 / inputSize;
  const dets: Detection[] = [];
  let a = 0;
  for (const { scores, boxes } of outputs) {
    if (boxes.length !== scores.length * REGRESSORS) {
      throw new Error(`BlazeFace output mismatch: ${scores.length} scores but ${boxes.length} regressors`);
    }
    for (let i = 0; i < scores.length; i++, a++) {
      // MediaPipe clips logits to ±100 before the sigmoid.
      const raw = Math.max(-100, Math.min(100, scores[i]));
      if (!(raw > minLogit)) continue;
      const ax = anchors[2 * a];
      const ay = anchors[2 * a + 1];
      const r = i * REGRESSORS;
      const cx = ax + boxes[r] * inv;
      const cy = ay + boxes[r + 1] * inv;
      const hw = 0.5 * boxes[r + 2] * inv;
      const hh = 0.5 * boxes[r + 3] * inv;
      if (!(hw > 0 && hh > 0)) continue;
      const keypoints = new Float32Array(2 * NUM_KEYPOINTS);
      for (let k = 0; k < NUM_KEYPOINTS; k++) {
        keypoints[2 * k] = ax + boxes[r + 4 + 2 * k] * inv;
        keypoints[2 * k + 1] = ay + boxes[r + 5 + 2 * k] * inv;
      }
      dets.push({ score: sigmoid(raw), xmin: cx - hw, ymin: cy - hh, xmax: cx + hw, ymax: cy + hh, keypoints });
    }
  }
  return dets;
}

export function iou(a: Detection, b: Detection): number {
  const ix = Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin);
  const iy = Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin);
  if (ix <= 0 || iy <= 0) return 0;
  const inter = ix * iy;
  const union = (a.xmax - a.xmin) * (a.ymax - a.ymin) + (b.xmax - b.xmin) * (b.ymax - b.ymin) - inter;
  return union > 0 ? inter / union : 0;
}

const byScoreDescending = (p: Detection, q: Detection) => q.score - p.score;

/**
 * MediaPipe's weighted NMS ("blending"): repeatedly take the best remaining detection, gather
 * every remaining detection overlapping it by IoU > `iouThreshold` (itself included), and
 * replace the group by its score-weighted mean box and keypoints, keeping the best score.
 * Averaging the many anchors that fire on one face gives steadier boxes than plain NMS.
 * Returns detections sorted by score, descending. The input is not modified.
 */
export function weightedNms(detections: readonly Detection[], iouThreshold = 0.3): Detection[] {
  let remaining = [...detections].sort(byScoreDescending);
  const out: Detection[] = [];
  while (remaining.length > 0) {
    const top = remaining[0];
    const rest: Detection[] = [];
    let wSum = 0;
    let xmin = 0, ymin = 0, xmax = 0, ymax = 0;
    const kp = new Float32Array(2 * NUM_KEYPOINTS);
    for (const d of remaining) {
      if (d !== top && iou(top, d) <= iouThreshold) {
        rest.push(d);
        continue;
      }
      const w = d.score;
      wSum += w;
      xmin += w * d.xmin;
      ymin += w * d.ymin;
      xmax += w * d.xmax;
      ymax += w * d.ymax;
      for (let k = 0; k < kp.length; k++) kp[k] += w * d.keypoints[k];
    }
    for (let k = 0; k < kp.length; k++) kp[k] /= wSum;
    out.push({ score: top.score, xmin: xmin / wSum, ymin: ymin / wSum, xmax: xmax / wSum, ymax: ymax / wSum, keypoints: kp });
    remaining = rest;
  }
  return out;
}

/**
 * How an image sits in a square model input: scaled uniformly by `scale` (input px per image
 * px) and centred, with `padX`/`padY` input pixels of black padding on the left/top.
 * `zoomOut` > 1 places the image in a canvas that many times larger (still centred), so that a
 * face bigger than the frame appears whole, with black where the frame cut it.
 */
export interface Letterbox {
  size: number;
  scale: number;
  padX: number;
  padY: number;
}

export function letterbox(width: number, height: number, size: number, zoomOut = 1): Letterbox {
  if (!(zoomOut >= 1)) throw new RangeError(`letterbox: zoomOut must be >= 1, got ${zoomOut}`);
  const scale = size / (zoomOut * Math.max(width, height));
  return { size, scale, padX: (size - width * scale) / 2, padY: (size - height * scale) / 2 };
}

/** Maps a detection from normalised model-input coordinates to image pixels. */
export function detectionToImage(d: Detection, lb: Letterbox): Detection {
  const k = lb.size / lb.scale;
  const ox = lb.padX / lb.scale;
  const oy = lb.padY / lb.scale;
  const keypoints = new Float32Array(d.keypoints.length);
  for (let i = 0; i < keypoints.length; i += 2) {
    keypoints[i] = d.keypoints[i] * k - ox;
    keypoints[i + 1] = d.keypoints[i + 1] * k - oy;
  }
  return { score: d.score, xmin: d.xmin * k - ox, ymin: d.ymin * k - oy, xmax: d.xmax * k - ox, ymax: d.ymax * k - oy, keypoints };
}

/**
 * Letterboxes `img` into a `size`×`size` NHWC float32 tensor in [-1, 1] (black padding = -1),
 * written to `out` if given. Model pixels whose centre falls outside the image are padding.
 *
 * Shrinking supersamples: each model pixel averages m×m source pixels spread evenly over its
 * footprint (m = 2, at ¼ and ¾, for shrinks up to 4×, i.e. the ≤ 1024 px working images).
 * That equals an area average at 2× and is anti-aliased enough for a detector beyond, at a
 * cost of 4 reads per model pixel whatever the source size. Enlarging (sources under `size`
 * px) is bilinear.
 *
 * Why not sharp: for 1024×768 → 256 a sharp/libvips round trip measured 5–7 ms on the dev
 * machine (it copies the raw buffer in and out), an exact area average in JS ~3 ms (every
 * source byte read: ~1.3 ns/byte there), this ~1 ms.
 */
export function letterboxTensor(
  img: RgbImage,
  size: number,
  out: Float32Array = new Float32Array(size * size * 3),
  zoomOut = 1,
): { tensor: Float32Array; letterbox: Letterbox } {
  const { width: w, height: h, data } = img;
  if (out.length !== size * size * 3) throw new Error(`letterboxTensor: out must hold ${size}×${size}×3 floats`);
  if (!(w >= 1 && h >= 1) || data.length < w * h * 3) throw new Error(`letterboxTensor: bad ${w}×${h} RGB image`);
  const lb = letterbox(w, h, size, zoomOut);
  const { scale, padX, padY } = lb;
  // Model pixels u whose centre (u + ½ − pad) / scale lies in [0, w).
  const u0 = Math.max(0, Math.ceil(padX - 0.5));
  const u1 = Math.min(size, Math.ceil(padX + w * scale - 0.5));
  const v0 = Math.max(0, Math.ceil(padY - 0.5));
  const v1 = Math.min(size, Math.ceil(padY + h * scale - 0.5));
  const rowLen = size * 3;
  const stride = w * 3;
  out.fill(-1);
  const clampX = (x: number): number => Math.min(w - 1, Math.max(0, Math.floor(x)));
  const clampY = (y: number): number => Math.min(h - 1, Math.max(0, Math.floor(y)));

  if (scale < 1) {
    // m×m samples per model pixel, at the centres of an m×m split of its footprint: m = 2
    // up to a 4× shrink (the ≤ 1024 px working images), more beyond so that samples stay
    // ≤ 2 source pixels apart.
    const m = Math.max(2, Math.ceil(0.5 / scale));
    const xs = new Int32Array(m * size); // byte offsets of the sample columns of model column u
    const ys = new Int32Array(m * size); // byte offsets of the sample rows of model row v
    for (let u = u0; u < u1; u++) {
      for (let i = 0; i < m; i++) xs[m * u + i] = 3 * clampX((u + (i + 0.5) / m - padX) / scale);
    }
    for (let v = v0; v < v1; v++) {
      for (let i = 0; i < m; i++) ys[m * v + i] = stride * clampY((v + (i + 0.5) / m - padY) / scale);
    }
    const k = 1 / (m * m * 127.5);
    if (m === 2) {
      for (let v = v0; v < v1; v++) {
        const ra = ys[2 * v];
        const rb = ys[2 * v + 1];
        for (let u = u0, o = v * rowLen + u0 * 3; u < u1; u++, o += 3) {
          const a = ra + xs[2 * u], b = ra + xs[2 * u + 1], c = rb + xs[2 * u], d = rb + xs[2 * u + 1];
          out[o] = (data[a] + data[b] + data[c] + data[d]) * k - 1;
          out[o + 1] = (data[a + 1] + data[b + 1] + data[c + 1] + data[d + 1]) * k - 1;
          out[o + 2] = (data[a + 2] + data[b + 2] + data[c + 2] + data[d + 2]) * k - 1;
        }
      }
    } else {
      for (let v = v0; v < v1; v++) {
        for (let u = u0, o = v * rowLen + u0 * 3; u < u1; u++, o += 3) {
          let r = 0, g = 0, b = 0;
          for (let j = 0; j < m; j++) {
            const row = ys[m * v + j];
            for (let i = 0; i < m; i++) {
              const p = row + xs[m * u + i];
              r += data[p];
              g += data[p + 1];
              b += data[p + 2];
            }
          }
          out[o] = r * k - 1;
          out[o + 1] = g * k - 1;
          out[o + 2] = b * k - 1;
        }
      }
    }
  } else {
    const k = 1 / 127.5;
    for (let v = v0; v < v1; v++) {
      const y = Math.min(h - 1, Math.max(0, (v + 0.5 - padY) / scale - 0.5));
      const y0 = Math.floor(y);
      const y1 = Math.min(h - 1, y0 + 1);
      const fy = y - y0;
      for (let u = u0, o = v * rowLen + u0 * 3; u < u1; u++, o += 3) {
        const x = Math.min(w - 1, Math.max(0, (u + 0.5 - padX) / scale - 0.5));
        const x0 = Math.floor(x);
        const x1 = Math.min(w - 1, x0 + 1);
        const fx = x - x0;
        const w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy;
        const p00 = y0 * stride + x0 * 3, p01 = y0 * stride + x1 * 3, p10 = y1 * stride + x0 * 3, p11 = y1 * stride + x1 * 3;
        for (let c = 0; c < 3; c++) {
          out[o + c] = (data[p00 + c] * w00 + data[p01 + c] * w01 + data[p10 + c] * w10 + data[p11 + c] * w11) * k - 1;
        }
      }
    }
  }
  return { tensor: out, letterbox: lb };
}

/** Halves a square NHWC tensor by 2×2 averaging (an exact area downscale: same letterbox, size/2). */
export function halveTensor(
  src: Float32Array,
  size: number,
  out: Float32Array = new Float32Array((size >> 1) * (size >> 1) * 3),
): Float32Array {
  const half = size >> 1;
  const row = size * 3;
  for (let v = 0; v < half; v++) {
    let s = 2 * v * row;
    let o = v * half * 3;
    for (let u = 0; u < half; u++, s += 6, o += 3) {
      out[o] = 0.25 * (src[s] + src[s + 3] + src[s + row] + src[s + row + 3]);
      out[o + 1] = 0.25 * (src[s + 1] + src[s + 4] + src[s + row + 1] + src[s + row + 4]);
      out[o + 2] = 0.25 * (src[s + 2] + src[s + 5] + src[s + row + 2] + src[s + row + 5]);
    }
  }
  return out;
}

/** The letterbox of a tensor made by halveTensor from one with letterbox `lb`. */
export function halveLetterbox(lb: Letterbox): Letterbox {
  return { size: lb.size / 2, scale: lb.scale / 2, padX: lb.padX / 2, padY: lb.padY / 2 };
}
