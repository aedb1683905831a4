// Pixel edits for the face-state and obstruction tests: mirrored and rotated copies of a picture.
import type { RgbImage } from '../../src/media/raster.js';

export function mirror(img: RgbImage): RgbImage {
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const s = (y * img.width + x) * 3;
      const d = (y * img.width + (img.width - 1 - x)) * 3;
      out[d] = img.data[s];
      out[d + 1] = img.data[s + 1];
      out[d + 2] = img.data[s + 2];
    }
  }
  return { ...img, data: out };
}

/** Rotates the picture by `deg` clockwise on screen about its centre (bilinear, edges clamped). */
export function rotate(img: RgbImage, deg: number): RgbImage {
  const a = (-deg * Math.PI) / 180;
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(data.length);
  const cx = w / 2;
  const cy = h / 2;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = Math.min(w - 1.001, Math.max(0, cx + (x - cx) * Math.cos(a) - (y - cy) * Math.sin(a)));
      const sy = Math.min(h - 1.001, Math.max(0, cy + (x - cx) * Math.sin(a) + (y - cy) * Math.cos(a)));
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < 3; c++) {
        const p = (yy: number, xx: number) => data[(yy * w + xx) * 3 + c];
        out[(y * w + x) * 3 + c] = Math.round(
          p(y0, x0) * (1 - fx) * (1 - fy) + p(y0, x0 + 1) * fx * (1 - fy) + p(y0 + 1, x0) * (1 - fx) * fy + p(y0 + 1, x0 + 1) * fx * fy,
        );
      }
    }
  }
  return { ...img, data: out };
}
