// Are the eyebrows' upper edges visible? The bangs classifier learnt CelebA's "Bangs" label, which
// means any fringe over the forehead; the cause is narrower: hair over the eyebrows or eyes. A
// fringe that stops above the brows leaves a strip of skin just over them, which this measures:
// the share of skin-coloured samples in short columns rising from the brows' upper contour.
// Pure: pixels and mesh in, numbers out. Sampled straight from the image (about 100 bilinear
// reads), so it resolves the strip at the face's own resolution.
import type { RgbImage } from '../../media/raster.js';
import type { Mesh } from '../face-state.js';

/** Upper brow contour, outer to inner: subject's right, then left. */
const BROW_TOPS = [
  [70, 63, 105, 66, 107],
  [300, 293, 334, 296, 336],
] as const;
/** Cheek and under-eye points whose surroundings give the face's own skin colour. */
const SKIN_POINTS = [205, 425, 50, 280] as const;

/** The strip above the brows: from 0.02 to 0.10 of the outer-eye-corner distance (a fringe that
 *  lies on the brows leaves none of it, a forehead shows all of it). */
const STRIP_FROM = 0.02;
const STRIP_TO = 0.1;
const STRIP_STEP = 0.01;
/** Skin-like: chromaticity within this of the cheeks' and luma within these ratios of theirs
 *  (foreheads are often brighter or shinier than cheeks, hair is darker or differently tinted). */
const CHROMA_TOL = 0.03;
const LUMA_LO = 0.55;
const LUMA_HI = 1.6;

export interface BrowExposure {
  /** Share (0..1) of skin-like samples in the strips just above both brows. */
  exposure: number;
  /** Distance between the outer eye corners, working-image pixels: how finely the strip is seen
   *  (its height is a tenth of this). */
  eyeSpanPx: number;
}

function bilinear(img: RgbImage, x: number, y: number, out: Float64Array): void {
  const { width, height, data } = img;
  const xc = Math.min(width - 1.001, Math.max(0, x - 0.5));
  const yc = Math.min(height - 1.001, Math.max(0, y - 0.5));
  const x0 = Math.floor(xc);
  const y0 = Math.floor(yc);
  const fx = xc - x0;
  const fy = yc - y0;
  const p = (y0 * width + x0) * 3;
  const q = p + width * 3;
  for (let c = 0; c < 3; c++) {
    const top = data[p + c] * (1 - fx) + data[p + 3 + c] * fx;
    const bottom = data[q + c] * (1 - fx) + data[q + 3 + c] * fx;
    out[c] = top * (1 - fy) + bottom * fy;
  }
}

const luma = (v: ArrayLike<number>) => 0.299 * v[0] + 0.587 * v[1] + 0.114 * v[2];

/**
 * Brow exposure of one face. `mesh` is in image pixels; `angle` is the face's roll (the mesh
 * crop's, radians), so "up" follows the head.
 */
export function browExposure(img: RgbImage, mesh: Mesh, angle: number): BrowExposure {
  const pt = (i: number) => ({ x: mesh[i * 3], y: mesh[i * 3 + 1] });
  const a = pt(33);
  const b = pt(263);
  const span = Math.hypot(a.x - b.x, a.y - b.y);
  // "up" in the image for this head: the crop's −y axis rotated by the roll.
  const ux = Math.sin(angle);
  const uy = -Math.cos(angle);
  const v = new Float64Array(3);
  // Skin reference: mean colour of small patches on the cheeks and under the eyes.
  const skin = [0, 0, 0];
  let n = 0;
  const h = 0.08 * span;
  const step = Math.max(h / 4, 0.5);
  // Integer tap counts: a float loop `dy += step` ran 8 or 9 rows depending on the rounding of h,
  // so a landmark shift of 1e-6 px could move the skin reference.
  const taps = Math.floor((2 * h) / step + 1e-9);
  for (const i of SKIN_POINTS) {
    const c = pt(i);
    for (let iy = 0; iy <= taps; iy++) {
      for (let ix = 0; ix <= taps; ix++) {
        bilinear(img, c.x - h + ix * step, c.y - h + iy * step, v);
        skin[0] += v[0];
        skin[1] += v[1];
        skin[2] += v[2];
        n++;
      }
    }
  }
  for (let c = 0; c < 3; c++) skin[c] /= n;
  const skinLuma = luma(skin);
  const skinSum = skin[0] + skin[1] + skin[2] + 1;
  const sr = skin[0] / skinSum;
  const sg = skin[1] / skinSum;
  let hits = 0;
  let samples = 0;
  for (const brow of BROW_TOPS) {
    for (const i of brow) {
      const p = pt(i);
      for (let t = STRIP_FROM; t <= STRIP_TO + 1e-9; t += STRIP_STEP) {
        bilinear(img, p.x + ux * t * span, p.y + uy * t * span, v);
        const l = luma(v);
        const sum = v[0] + v[1] + v[2] + 1;
        const chroma = Math.hypot(v[0] / sum - sr, v[1] / sum - sg);
        if (chroma < CHROMA_TOL && l > LUMA_LO * skinLuma && l < LUMA_HI * skinLuma) hits++;
        samples++;
      }
    }
  }
  return { exposure: samples ? hits / samples : 0, eyeSpanPx: span };
}
