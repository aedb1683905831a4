// Camera motion between two consecutive frames: Lucas–Kanade translation per block on a two-level
// pyramid, then the median over the blocks, so a person moving in front of a still camera moves a
// few blocks but not the median. Works on log-luma with each sensor row's mean removed (the rows
// run along the long side: picture rows in landscape, picture columns in portrait), which removes
// brightness changes (auto-exposure) and flicker bands, both of which would otherwise read as motion.

export interface MotionPyramid {
  levels: Array<{ width: number; height: number; data: Float32Array }>;
}

const GRID_COLS = 4;
const GRID_ROWS = 3;
const MIN_VALID_BLOCKS = 3;
/** Smallest eigenvalue of the per-pixel structure tensor (log-luma units × 64, squared) a block
 *  needs to be trusted: below it the block is flat (a wall) and its motion is undefined. */
const MIN_TEXTURE = 0.6;

const LOG_LUT = (() => {
  const lut = new Float32Array(256);
  for (let i = 0; i < 256; i++) lut[i] = 64 * Math.log(i + 4);
  return lut;
})();

/** Half-size log-luma of an 8-bit frame (2×2 averaged), sensor rows normalised, plus one more level. */
export function motionPyramid(width: number, height: number, data: Uint8Array): MotionPyramid {
  const w0 = Math.max(4, width >> 1);
  const h0 = Math.max(4, height >> 1);
  const l0 = new Float32Array(w0 * h0);
  for (let y = 0; y < h0; y++) {
    const ya = Math.min(height - 1, 2 * y);
    const yb = Math.min(height - 1, 2 * y + 1);
    for (let x = 0; x < w0; x++) {
      const xa = Math.min(width - 1, 2 * x);
      const xb = Math.min(width - 1, 2 * x + 1);
      l0[y * w0 + x] = (LOG_LUT[data[ya * width + xa]] + LOG_LUT[data[ya * width + xb]] + LOG_LUT[data[yb * width + xa]] + LOG_LUT[data[yb * width + xb]]) * 0.25;
    }
  }
  if (height > width) {
    for (let x = 0; x < w0; x++) {
      let m = 0;
      for (let y = 0; y < h0; y++) m += l0[y * w0 + x];
      m /= h0;
      for (let y = 0; y < h0; y++) l0[y * w0 + x] -= m;
    }
  } else {
    for (let y = 0; y < h0; y++) {
      let m = 0;
      for (let x = 0; x < w0; x++) m += l0[y * w0 + x];
      m /= w0;
      for (let x = 0; x < w0; x++) l0[y * w0 + x] -= m;
    }
  }
  const w1 = Math.max(2, w0 >> 1);
  const h1 = Math.max(2, h0 >> 1);
  const l1 = new Float32Array(w1 * h1);
  for (let y = 0; y < h1; y++) {
    for (let x = 0; x < w1; x++) {
      const i = 2 * y * w0 + 2 * x;
      l1[y * w1 + x] = (l0[i] + l0[i + 1] + l0[i + w0] + l0[i + w0 + 1]) * 0.25;
    }
  }
  return { levels: [{ width: w0, height: h0, data: l0 }, { width: w1, height: h1, data: l1 }] };
}

function sample(img: Float32Array, w: number, h: number, x: number, y: number): number {
  const xc = x < 0 ? 0 : x > w - 1.001 ? w - 1.001 : x;
  const yc = y < 0 ? 0 : y > h - 1.001 ? h - 1.001 : y;
  const x0 = xc | 0;
  const y0 = yc | 0;
  const fx = xc - x0;
  const fy = yc - y0;
  const i = y0 * w + x0;
  const top = img[i] + (img[i + 1] - img[i]) * fx;
  const bot = img[i + w] + (img[i + w + 1] - img[i + w]) * fx;
  return top + (bot - top) * fy;
}

/** LK iterations for one block on one level; returns the refined shift or undefined if flat. */
function lkBlock(
  prev: Float32Array,
  cur: Float32Array,
  w: number,
  h: number,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  u: number,
  v: number,
  iterations: number,
): [number, number] | undefined {
  let gxx = 0, gxy = 0, gyy = 0, n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = y * w + x;
      const ix = (prev[i + 1] - prev[i - 1]) * 0.5;
      const iy = (prev[i + w] - prev[i - w]) * 0.5;
      gxx += ix * ix; gxy += ix * iy; gyy += iy * iy; n++;
    }
  }
  if (n === 0) return undefined;
  const tr = (gxx + gyy) / n;
  const det = (gxx * gyy - gxy * gxy) / (n * n);
  const lambdaMin = tr / 2 - Math.sqrt(Math.max(0, (tr * tr) / 4 - det));
  if (lambdaMin < MIN_TEXTURE) return undefined;
  const d = gxx * gyy - gxy * gxy;
  for (let it = 0; it < iterations; it++) {
    let bx = 0, by = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const i = y * w + x;
        const ix = (prev[i + 1] - prev[i - 1]) * 0.5;
        const iy = (prev[i + w] - prev[i - w]) * 0.5;
        const itv = sample(cur, w, h, x + u, y + v) - prev[i];
        bx += ix * itv; by += iy * itv;
      }
    }
    const du = -(gyy * bx - gxy * by) / d;
    const dv = -(gxx * by - gxy * bx) / d;
    u += du; v += dv;
    if (Math.abs(du) < 0.01 && Math.abs(dv) < 0.01) break;
  }
  return [u, v];
}

function medianOf(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Global translation from `prev` to `cur` as a share of the frame's long side (x right, y down),
 * or undefined when too few blocks have texture to tell.
 */
export function globalMotion(prev: MotionPyramid, cur: MotionPyramid): { dx: number; dy: number; blocks: number } | undefined {
  const [p0, p1] = prev.levels;
  const [c0, c1] = cur.levels;
  if (p0.width !== c0.width || p0.height !== c0.height) return undefined;
  const us: number[] = [];
  const vs: number[] = [];
  for (let by = 0; by < GRID_ROWS; by++) {
    for (let bx = 0; bx < GRID_COLS; bx++) {
      // Coarse level, then the fine level starting from twice the coarse shift.
      const cx0 = Math.max(1, Math.floor((bx * p1.width) / GRID_COLS));
      const cx1 = Math.min(p1.width - 1, Math.floor(((bx + 1) * p1.width) / GRID_COLS));
      const cy0 = Math.max(1, Math.floor((by * p1.height) / GRID_ROWS));
      const cy1 = Math.min(p1.height - 1, Math.floor(((by + 1) * p1.height) / GRID_ROWS));
      const coarse = lkBlock(p1.data, c1.data, p1.width, p1.height, cx0, cy0, cx1, cy1, 0, 0, 3);
      const fx0 = Math.max(1, Math.floor((bx * p0.width) / GRID_COLS));
      const fx1 = Math.min(p0.width - 1, Math.floor(((bx + 1) * p0.width) / GRID_COLS));
      const fy0 = Math.max(1, Math.floor((by * p0.height) / GRID_ROWS));
      const fy1 = Math.min(p0.height - 1, Math.floor(((by + 1) * p0.height) / GRID_ROWS));
      const fine = lkBlock(p0.data, c0.data, p0.width, p0.height, fx0, fy0, fx1, fy1, coarse ? 2 * coarse[0] : 0, coarse ? 2 * coarse[1] : 0, 3);
      if (!fine || !Number.isFinite(fine[0]) || !Number.isFinite(fine[1])) continue;
      us.push(fine[0]);
      vs.push(fine[1]);
    }
  }
  if (us.length < MIN_VALID_BLOCKS) return undefined;
  const long = Math.max(p0.width, p0.height);
  return { dx: medianOf(us) / long, dy: medianOf(vs) / long, blocks: us.length };
}
