// Resampling of single-channel planes. Downscaling averages the exact source area (box filter via
// an integral image) so no aliasing sneaks into blur and noise measurements; upscaling is bilinear.
import type { Plane } from './raster.js';
import type { Box } from '../types.js';

/** Summed-area table with one extra row and column of zeros. */
export interface IntegralImage {
  width: number;
  height: number;
  sums: Float64Array; // (width+1) * (height+1)
}

export function integralImage(p: Plane): IntegralImage {
  const w = p.width + 1;
  const sums = new Float64Array(w * (p.height + 1));
  for (let y = 0; y < p.height; y++) {
    let rowSum = 0;
    const src = y * p.width;
    const dst = (y + 1) * w;
    for (let x = 0; x < p.width; x++) {
      rowSum += p.data[src + x];
      sums[dst + x + 1] = sums[dst - w + x + 1] + rowSum;
    }
  }
  return { width: p.width, height: p.height, sums };
}

/**
 * The fractional rectangle [x0,x1)×[y0,y1) clamped to a width×height image and rounded outwards
 * to whole pixels, or undefined when nothing is left. Integer corners are exact; rounding the
 * fractional edges is plenty for ≥ 2× downscales.
 */
function pixelRect(width: number, height: number, x0: number, y0: number, x1: number, y1: number): { ax: number; bx: number; ay: number; by: number } | undefined {
  const cx0 = Math.max(0, Math.min(width, x0));
  const cx1 = Math.max(0, Math.min(width, x1));
  const cy0 = Math.max(0, Math.min(height, y0));
  const cy1 = Math.max(0, Math.min(height, y1));
  if (cx1 <= cx0 || cy1 <= cy0) return undefined;
  return { ax: Math.floor(cx0), bx: Math.ceil(cx1), ay: Math.floor(cy0), by: Math.ceil(cy1) };
}

/** Mean over the fractional rectangle [x0,x1)×[y0,y1), clamped to the image. */
export function areaMean(ii: IntegralImage, x0: number, y0: number, x1: number, y1: number): number {
  const r = pixelRect(ii.width, ii.height, x0, y0, x1, y1);
  if (!r) return NaN;
  const { ax, bx, ay, by } = r;
  const w = ii.width + 1;
  const s = ii.sums[by * w + bx] - ii.sums[ay * w + bx] - ii.sums[by * w + ax] + ii.sums[ay * w + ax];
  return s / ((bx - ax) * (by - ay));
}

/**
 * areaMean's rectangle mean (same clamping and outward rounding of fractional edges), summed
 * directly from the plane: for a few small boxes this is far cheaper than a whole-frame integral
 * image.
 */
export function boxMean(p: Plane, x0: number, y0: number, x1: number, y1: number): number {
  const r = pixelRect(p.width, p.height, x0, y0, x1, y1);
  if (!r) return NaN;
  const { ax, bx, ay, by } = r;
  const { data, width } = p;
  let s = 0;
  for (let y = ay; y < by; y++) {
    for (let i = y * width + ax, end = y * width + bx; i < end; i++) s += data[i];
  }
  return s / ((bx - ax) * (by - ay));
}

function bilinear(p: Plane, x: number, y: number): number {
  const xc = Math.max(0, Math.min(p.width - 1, x));
  const yc = Math.max(0, Math.min(p.height - 1, y));
  const x0 = Math.floor(xc), y0 = Math.floor(yc);
  const x1 = Math.min(p.width - 1, x0 + 1), y1 = Math.min(p.height - 1, y0 + 1);
  const fx = xc - x0, fy = yc - y0;
  const d = p.data, w = p.width;
  const top = d[y0 * w + x0] * (1 - fx) + d[y0 * w + x1] * fx;
  const bottom = d[y1 * w + x0] * (1 - fx) + d[y1 * w + x1] * fx;
  return top * (1 - fy) + bottom * fy;
}

/**
 * Crop `box` (may extend past the edges: edge pixels repeat) and resample it to outW×outH.
 * Pass the plane's integral image to get area averaging when shrinking.
 */
export function cropResample(p: Plane, box: Box, outW: number, outH: number, ii?: IntegralImage): Plane {
  const out = new Float32Array(outW * outH);
  const sx = box.width / outW;
  const sy = box.height / outH;
  const shrink = ii && sx >= 1.5 && sy >= 1.5;
  for (let y = 0; y < outH; y++) {
    for (let x = 0; x < outW; x++) {
      const srcX = box.x + x * sx;
      const srcY = box.y + y * sy;
      let v = shrink ? areaMean(ii!, srcX, srcY, srcX + sx, srcY + sy) : NaN;
      if (!Number.isFinite(v)) v = bilinear(p, srcX + sx / 2 - 0.5, srcY + sy / 2 - 0.5);
      out[y * outW + x] = v;
    }
  }
  return { width: outW, height: outH, data: out };
}
