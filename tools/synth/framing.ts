// Framing and face-count failures: subject too far, too close, off-centre, a second person, no
// face at all. Geometry is driven by the face box; every result says where the face(s) went.
import type { RgbImage } from '../../src/media/raster.js';
import type { Box } from '../../src/types.js';
import {
  aperiodicTexture,
  blurPlane,
  fillAround,
  boxCenter,
  clamp,
  cropImage,
  extendScene,
  fromSharp,
  lerp,
  mapBox,
  resize,
  sev,
  smoothstep,
  toSharp,
  withFaces,
  type SynthImage,
} from './pixels.js';
import { Rng } from './rng.js';

/** Crop a window that may reach outside the photo; the outside is filled by continuing the scene. */
async function windowOf(
  img: RgbImage,
  x: number,
  y: number,
  w: number,
  h: number,
  outW: number,
  outH: number,
  seed: number,
  face: Box,
): Promise<RgbImage> {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.ceil(x + w);
  const y1 = Math.ceil(y + h);
  const pad = { left: Math.max(0, -x0), top: Math.max(0, -y0), right: Math.max(0, x1 - img.width), bottom: Math.max(0, y1 - img.height) };
  const ext = pad.left + pad.top + pad.right + pad.bottom > 0 ? extendScene(img, pad, { seed, protect: [face] }) : img;
  const win = cropImage(ext, x0 + pad.left, y0 + pad.top, Math.min(x1 - x0, ext.width), Math.min(y1 - y0, ext.height));
  return resize(win, outW, outH, 'lanczos3');
}

// ---------------------------------------------------------------- too far

export interface PlaceFarParams {
  /** Face width as a share of the output frame width. */
  faceFrac: number;
  /** Output size relative to the input (small inputs get a larger canvas so the face keeps some pixels). */
  canvasScale: number;
  /** Where the face centre lands, as shares of the output width and height. */
  cx: number;
  cy: number;
}

export function placeFarParams(severity: number, seed = 1, size?: { width: number; height: number }): PlaceFarParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  const canvasScale = size ? Math.round(clamp(480 / Math.max(size.width, size.height), 1, 2) * 100) / 100 : 1;
  return { faceFrac: lerp(0.13, 0.05, s), canvasScale, cx: rng.uniform(0.4, 0.6), cy: rng.uniform(0.35, 0.5) };
}

/** Brightness variation of the invented surround (log units, one standard deviation ≈ ±12 %). */
const SURROUND_TEXTURE = 0.12;

/**
 * Subject far from the camera: the whole photo is shrunk so the face is faceFrac of the frame
 * width and set into a larger canvas that continues the scene outward: the photo's colours bleed
 * out smoothly and settle to its average (a room around the person, out of focus), with
 * aperiodic 1/f brightness texture so it is neither flat nor repetitive. The edges are neither
 * mirrored nor smeared: mirrored copies repeat the photo's rows down the canvas, and smeared
 * edges run as streaks along whole rows and columns — full-width coherent patterns no real room
 * has (they read as mains flicker).
 */
export async function placeFar(img: RgbImage, face: Box, p: number | PlaceFarParams, seed = 1): Promise<SynthImage> {
  const P = typeof p === 'number' ? placeFarParams(p, seed, img) : p;
  const W = Math.round(img.width * P.canvasScale);
  const H = Math.round(img.height * P.canvasScale);
  const k = Math.min((P.faceFrac * W) / face.width, 0.85 * Math.min(W / img.width, H / img.height));
  const sw = Math.max(1, Math.round(img.width * k));
  const sh = Math.max(1, Math.round(img.height * k));
  const small = await resize(img, sw, sh, 'lanczos3');
  const sx = sw / img.width;
  const sy = sh / img.height;
  const c = boxCenter(face);
  const ox = Math.round(clamp(P.cx * W - c.x * sx, 0, W - sw));
  const oy = Math.round(clamp(P.cy * H - c.y * sy, 0, H - sh));
  const out = fillAround(small, W, H, ox, oy);
  addSurroundTexture(out, { x: ox, y: oy, width: sw, height: sh }, seed);
  return withFaces(out, [mapBox(face, sx, sy, ox, oy)]);
}

/** Multiply the area outside `photo` by exp(SURROUND_TEXTURE · texture), faded in over a few % of the frame. */
function addSurroundTexture(img: RgbImage, photo: Box, seed: number): void {
  const { width: W, height: H, data } = img;
  const tex = aperiodicTexture(W, H, seed ^ 0x5eed);
  const fade = 0.04 * Math.max(W, H);
  for (let y = 0; y < H; y++) {
    const dy = Math.max(photo.y - y, 0, y - (photo.y + photo.height - 1));
    for (let x = 0; x < W; x++) {
      const dx = Math.max(photo.x - x, 0, x - (photo.x + photo.width - 1));
      if (dx === 0 && dy === 0) continue;
      const g = Math.exp(SURROUND_TEXTURE * smoothstep(0, fade, Math.hypot(dx, dy)) * tex[y * W + x]);
      for (let c = 0, p = (y * W + x) * 3; c < 3; c++, p++) data[p] = Math.min(255, Math.round(data[p] * g));
    }
  }
}

// ---------------------------------------------------------------- too close

export interface CropCloseParams {
  /** Face width as a share of the output frame's short side (> 1: the face spills over the edges). */
  faceFill: number;
  /** Offset of the crop centre from the face centre, in face widths / heights. */
  dx: number;
  dy: number;
  /** Most the crop is enlarged by (a phone held close has the pixels; an upscale should stay mild). */
  maxUpscale: number;
}

/**
 * Face width over the frame's short side falls as 1/distance: a phone selfie at arm's length
 * (30–50 cm, an ~80° lens) gives 0.3–0.5, a tight passport-style crop 0.6–0.77. Too close starts
 * below ~19 cm, 0.8 (mildest: the ears and hair touch the frame edges), up to 1.4 at ~11 cm (cheeks
 * and chin cut, the face spilling past the frame). The phone held close records the face with
 * more pixels, never fewer: the crop is enlarged at most 1.25× (what an app's digital zoom or
 * upload resize does without visible softening), so the result is a smaller picture rather than
 * a blurred one.
 */
export function cropCloseParams(severity: number, seed = 1): CropCloseParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  return { faceFill: lerp(0.8, 1.4, s), dx: rng.uniform(-0.06, 0.06), dy: rng.uniform(-0.04, 0.1), maxUpscale: 1.25 };
}

/** Phone held too close: a crop (same aspect) in which the face fills most of the frame or spills over. */
export async function cropClose(img: RgbImage, face: Box, p: number | CropCloseParams, seed = 1): Promise<SynthImage> {
  const P = typeof p === 'number' ? cropCloseParams(p, seed) : p;
  const { width: W, height: H } = img;
  // Crop size with the photo's aspect whose short side is face.width / faceFill.
  const short = face.width / P.faceFill;
  const cw = Math.min(W, W <= H ? short : (short * W) / H);
  const ch = (cw * H) / W;
  const c = boxCenter(face);
  const x = c.x + P.dx * face.width - cw / 2;
  const y = c.y + P.dy * face.height - ch / 2;
  const up = Math.max(1, Math.min(P.maxUpscale, W / cw));
  const outW = Math.round(cw * up);
  const outH = Math.round(ch * up);
  const out = await windowOf(img, x, y, cw, ch, outW, outH, seed, face);
  return withFaces(out, [mapBox(face, outW / cw, outH / ch, -x * (outW / cw), -y * (outH / ch))]);
}

// ---------------------------------------------------------------- off centre

export type Edge = 'left' | 'right' | 'top' | 'bottom' | 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';

export interface OffCenterParams {
  /** Face centre's distance from the chosen edge(s), as a share of the frame (0 = cut in half). */
  edgePos: number;
  edge: Edge;
  /** Window size relative to the photo (< 1 zooms in a little so less scene has to be invented). */
  zoom: number;
}

export function offCenterParams(severity: number, seed = 1): OffCenterParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  const edges: Edge[] = ['left', 'right', 'left', 'right', 'top', 'bottom', 'top-left', 'top-right', 'bottom-left', 'bottom-right'];
  return { edgePos: lerp(0.27, 0.04, s), edge: rng.pick(edges), zoom: 0.85 };
}

/** Face near an edge of the frame (or cut by it): the frame is moved over the scene, the uncovered side continued. */
export async function shiftOffCenter(img: RgbImage, face: Box, p: number | OffCenterParams, seed = 1): Promise<SynthImage> {
  const P = typeof p === 'number' ? offCenterParams(p, seed) : p;
  const { width: W, height: H } = img;
  const zoom = face.width / W > 0.35 ? 1 : P.zoom;
  const ww = W * zoom;
  const wh = H * zoom;
  const c = boxCenter(face);
  // Default: keep the face's relative position on the untouched axis.
  let x = c.x - (c.x / W) * ww;
  let y = c.y - (c.y / H) * wh;
  if (P.edge.includes('left')) x = c.x - P.edgePos * ww;
  if (P.edge.includes('right')) x = c.x - (1 - P.edgePos) * ww;
  if (P.edge.includes('top')) y = c.y - P.edgePos * wh;
  if (P.edge.includes('bottom')) y = c.y - (1 - P.edgePos) * wh;
  const out = await windowOf(img, x, y, ww, wh, W, H, seed, face);
  return withFaces(out, [mapBox(face, W / ww, H / wh, -x * (W / ww), -y * (H / wh))]);
}

// ---------------------------------------------------------------- two people

export interface DuplicateParams {
  /** Second face's size relative to the first (small = someone further back). */
  scale: number;
  /** Vertical offset of the second face, in face heights. */
  dy: number;
  /** Mirror the second head so it is not an identical twin facing the same way. */
  flip: boolean;
  /** Exposure of the second person relative to the first, stops. */
  gainStops: number;
}

export function duplicateParams(severity: number, seed = 1): DuplicateParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  return { scale: lerp(0.5, 1, s), dy: rng.uniform(-0.3, 0.3), flip: rng.next() < 0.7, gainStops: rng.uniform(-0.4, 0.2) };
}

/** Put `img` at (ox, oy) in a W×H canvas, continuing the scene wherever it does not reach. */
function placeInCanvas(img: RgbImage, ox: number, oy: number, W: number, H: number, seed: number, protect: Box[]): RgbImage {
  const x = Math.round(ox);
  const y = Math.round(oy);
  const pad = { left: Math.max(0, x), top: Math.max(0, y), right: Math.max(0, W - (x + img.width)), bottom: Math.max(0, H - (y + img.height)) };
  const ext = pad.left + pad.top + pad.right + pad.bottom > 0 ? extendScene(img, pad, { seed, protect }) : img;
  return cropImage(ext, Math.max(0, -x), Math.max(0, -y), W, H);
}

/**
 * A second person: the head (face box plus hair and chin margins) is cut out with a feathered
 * ellipse, scaled, optionally mirrored, and pasted beside the first face without covering it. When
 * the frame has no room beside the face, the scene is shifted and, if need be, shrunk into a
 * continued canvas so both heads fit.
 */
export async function duplicateFace(img: RgbImage, face: Box, p: number | DuplicateParams, seed = 1): Promise<SynthImage> {
  const P = typeof p === 'number' ? duplicateParams(p, seed) : p;
  const { width: W, height: H } = img;
  const c0 = boxCenter(face);
  // Centre distance between the two faces, and how much of the second face may leave the frame.
  const gapFor = (fw: number) => 0.7 * fw * (1 + P.scale);
  const outside = 0.15;
  const reach = (fw: number) => gapFor(fw) + (0.5 - outside) * P.scale * fw;
  const rng = new Rng(seed ^ 0x5bd1e995);
  const rightOk = c0.x + reach(face.width) <= W;
  const leftOk = c0.x - reach(face.width) >= 0;
  let base: RgbImage = img;
  let f = face;
  let goRight: boolean;
  if (rightOk || leftOk) {
    goRight = rightOk && leftOk ? rng.next() < 0.5 : rightOk;
  } else {
    // No room: move (and shrink if needed) the scene so the pair is centred in the frame.
    goRight = W - c0.x >= c0.x;
    const need1 = face.width * 0.5 + reach(face.width);
    const k = clamp((0.97 * W) / need1, 0.3, 1);
    const margin = Math.max(0, (W - need1 * k) / 2);
    const xm = goRight ? margin + 0.5 * face.width * k : W - margin - 0.5 * face.width * k;
    const sw = Math.round(W * k);
    const sh = Math.round(H * k);
    const small = k < 1 ? await resize(img, sw, sh, 'lanczos3') : img;
    const ox = xm - c0.x * (sw / W);
    const oy = (H - sh) * clamp(c0.y / H, 0, 1);
    base = placeInCanvas(small, ox, oy, W, H, seed, [mapBox(face, sw / W, sh / H, 0, 0)]);
    f = mapBox(face, sw / W, sh / H, Math.round(ox), Math.round(oy));
  }
  const fc = boxCenter(f);
  // Head patch in the source photo.
  const hx0 = clamp(c0.x - 0.85 * face.width, 0, W - 1);
  const hy0 = clamp(face.y - 0.35 * face.height, 0, H - 1);
  const hx1 = clamp(c0.x + 0.85 * face.width, hx0 + 1, W);
  const hy1 = clamp(face.y + 1.4 * face.height, hy0 + 1, H);
  const k = (f.width / face.width) * P.scale;
  const pw = Math.max(2, Math.round((hx1 - hx0) * k));
  const ph = Math.max(2, Math.round((hy1 - hy0) * k));
  let patchS = toSharp(cropImage(img, hx0, hy0, hx1 - hx0, hy1 - hy0)).resize(pw, ph, { fit: 'fill', kernel: 'lanczos3' });
  if (P.flip) patchS = patchS.flop();
  const patch = await fromSharp(patchS);
  // Where the second face lands, in patch coordinates then frame coordinates.
  const faceInPatch = mapBox(face, pw / (hx1 - hx0), ph / (hy1 - hy0), -hx0 * (pw / (hx1 - hx0)), -hy0 * (ph / (hy1 - hy0)));
  if (P.flip) faceInPatch.x = pw - faceInPatch.x - faceInPatch.width;
  const scx = fc.x + (goRight ? 1 : -1) * gapFor(f.width);
  const scy = clamp(fc.y + P.dy * f.height, faceInPatch.height / 2, H - faceInPatch.height / 2);
  const px0 = Math.round(scx - (faceInPatch.x + faceInPatch.width / 2));
  const py0 = Math.round(scy - (faceInPatch.y + faceInPatch.height / 2));
  const out = base.data.slice();
  const gain = Math.pow(2, P.gainStops / 2.2);
  for (let y = 0; y < ph; y++) {
    const oy = py0 + y;
    if (oy < 0 || oy >= H) continue;
    const ey = (y + 0.5 - ph / 2) / (ph / 2);
    for (let x = 0; x < pw; x++) {
      const ox = px0 + x;
      if (ox < 0 || ox >= W) continue;
      const ex = (x + 0.5 - pw / 2) / (pw / 2);
      const a = 1 - smoothstep(0.72, 1, Math.hypot(ex, ey));
      if (a <= 0) continue;
      const s = (y * pw + x) * 3;
      const d = (oy * W + ox) * 3;
      for (let c = 0; c < 3; c++) out[d + c] = Math.round(clamp(lerp(out[d + c], patch.data[s + c] * gain, a), 0, 255));
    }
  }
  const second = { x: faceInPatch.x + px0, y: faceInPatch.y + py0, width: faceInPatch.width, height: faceInPatch.height };
  return withFaces({ width: W, height: H, data: out }, [f, second]);
}

// ---------------------------------------------------------------- no face

export type RemoveMode = 'below' | 'side' | 'obliterate';

export interface RemoveFaceParams {
  /** below: the camera pointed at the chest; side: only the background beside the person;
   *  obliterate: the head region is filled in from its surroundings. */
  mode: RemoveMode;
  /** Clearance between the face and the crop (face heights), or growth of the filled region. */
  margin: number;
}

export function removeFaceParams(severity: number, seed = 1): RemoveFaceParams {
  const s = sev(severity);
  const rng = new Rng(seed);
  return { mode: rng.pick(['below', 'side', 'obliterate'] as const), margin: lerp(0.15, 0.45, s) };
}

function obliterate(img: RgbImage, face: Box, margin: number, seed: number): RgbImage {
  const { width: W, height: H } = img;
  const c = boxCenter(face);
  const hy = face.y + 0.4 * face.height;
  const ellipse = (ax: number, ay: number) => {
    const m = new Float32Array(W * H);
    let inside = 0;
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const ex = (x - c.x) / ax;
        const ey = (y - hy) / ay;
        if (ex * ex + ey * ey <= 1) {
          m[y * W + x] = 1;
          inside++;
        }
      }
    }
    return { m, share: inside / (W * H) };
  };
  // Head with hair; in a tight head shot, only the face, so some surroundings remain to fill from.
  let { m: hard, share } = ellipse((0.75 + margin) * face.width, (0.85 + margin) * face.height);
  if (share > 0.7) ({ m: hard, share } = ellipse(0.62 * face.width, 0.7 * face.height));
  const soft = blurPlane(hard, W, H, 0.08 * face.width);
  const sigma = 0.45 * face.width;
  // Normalised convolution: average of the surroundings only, so no face colour leaks in.
  const keep = new Float32Array(W * H);
  const mean = [0, 0, 0];
  let kept = 0;
  for (let i = 0; i < keep.length; i++) {
    keep[i] = 1 - hard[i];
    if (keep[i] > 0) {
      kept++;
      for (let ch = 0; ch < 3; ch++) mean[ch] += img.data[i * 3 + ch];
    }
  }
  for (let ch = 0; ch < 3; ch++) mean[ch] = kept > 0 ? mean[ch] / kept : 128;
  const den = blurPlane(keep, W, H, sigma);
  const planes = [0, 1, 2].map((ch) => {
    const p = new Float32Array(W * H);
    for (let i = 0; i < p.length; i++) p[i] = img.data[i * 3 + ch] * keep[i];
    return blurPlane(p, W, H, sigma);
  });
  const rng = new Rng(seed);
  const out = new Uint8Array(img.data.length);
  for (let i = 0; i < W * H; i++) {
    const m = soft[i];
    const grain = 2 * rng.normal();
    const w = clamp(den[i] / 0.05, 0, 1);
    for (let ch = 0; ch < 3; ch++) {
      const local = den[i] > 1e-6 ? planes[ch][i] / den[i] : mean[ch];
      const fill = lerp(mean[ch], local, w) + grain;
      out[i * 3 + ch] = Math.round(clamp(lerp(img.data[i * 3 + ch], fill, m), 0, 255));
    }
  }
  return { width: W, height: H, data: out };
}

/**
 * No face in the frame: a crop of the chest (camera pointed too low) or of the background beside
 * the person, or the head filled in from its surroundings. A crop needs room: when the requested
 * one does not fit (tight head shots), the next one that does is used, then the fill.
 */
export async function removeFace(img: RgbImage, face: Box, p: number | RemoveFaceParams, seed = 1): Promise<SynthImage> {
  const P = typeof p === 'number' ? removeFaceParams(p, seed) : p;
  const { width: W, height: H } = img;
  const aspect = H / W;
  const c = boxCenter(face);
  const fit = async (x: number, y: number, cw: number, ch: number) => {
    const up = Math.min(2, W / cw);
    return withFaces(await resize(cropImage(img, x, y, cw, ch), cw * up, ch * up, 'lanczos3'), []);
  };
  const below = async () => {
    const y0 = Math.ceil(face.y + face.height * (1 + P.margin));
    const avail = H - y0;
    if (avail < 0.25 * H) return null;
    let cw = Math.min(W, avail / aspect);
    let ch = cw * aspect;
    if (ch > avail) {
      ch = avail;
      cw = ch / aspect;
    }
    const x = clamp(c.x - cw / 2, 0, W - cw);
    return fit(Math.floor(x), y0, Math.floor(cw), Math.floor(ch));
  };
  const side = async () => {
    const gap = P.margin * face.width;
    const leftW = Math.floor(face.x - 0.15 * face.width - gap);
    const rightX = Math.ceil(face.x + 1.15 * face.width + gap);
    const rightW = W - rightX;
    const useLeft = leftW >= rightW;
    const avail = useLeft ? leftW : rightW;
    if (avail < 0.25 * W) return null;
    let cw = avail;
    let ch = cw * aspect;
    if (ch > H) {
      ch = H;
      cw = ch / aspect;
    }
    const x = useLeft ? leftW - cw : rightX;
    const y = clamp(c.y - ch / 2, 0, H - ch);
    return fit(Math.floor(x), Math.floor(y), Math.floor(cw), Math.floor(ch));
  };
  const order = P.mode === 'below' ? [below, side] : P.mode === 'side' ? [side, below] : [];
  for (const attempt of order) {
    const r = await attempt();
    if (r) return r;
  }
  return withFaces(obliterate(img, face, P.margin, seed), []);
}
