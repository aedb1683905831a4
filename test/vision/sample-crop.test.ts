// sampleCrop (src/vision/landmarks.ts) is hand-optimised (it runs 4–6 times per face): it must
// give what the plain definition gives — every output pixel the mean of ss×ss bilinear taps at
// the sub-pixel centres mapped through the crop's affine, taps off the image black — on real
// pixels, for plain, supersampled, capped, mirrored, scaled and off-the-edge crops. A few values
// are also pinned (computed before the optimisation) so the reference cannot drift with it. Writing
// into a reused array must give the same values as a fresh one.

import { join } from 'node:path';
import sharp from '../../src/media/sharp.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RgbImage } from '../../src/media/raster.js';
import { cropToImage, sampleCrop, type CropFrame } from '../../src/vision/landmarks.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The definition, one pixel at a time, with nothing shared between pixels. */
function referenceCrop(img: RgbImage, frame: CropFrame, size: number, options: { flip?: boolean; scale?: number } = {}): Float32Array {
  const m = cropToImage(frame, size);
  const ss = Math.max(1, Math.min(4, Math.ceil(frame.side / size / 2)));
  const out = new Float32Array(size * size * 3);
  const px = (x: number, y: number, c: number) => (x < 0 || y < 0 || x >= img.width || y >= img.height ? 0 : img.data[(y * img.width + x) * 3 + c]);
  for (let v = 0; v < size; v++) {
    for (let u = 0; u < size; u++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const cu = u + (sx + 0.5) / ss;
          const cv = v + (sy + 0.5) / ss;
          const x = m.a * cu + m.b * cv + m.c - 0.5;
          const y = m.d * cu + m.e * cv + m.f - 0.5;
          const x0 = Math.floor(x);
          const y0 = Math.floor(y);
          const fx = x - x0;
          const fy = y - y0;
          for (let c = 0; c < 3; c++) {
            sum[c] += (1 - fx) * (1 - fy) * px(x0, y0, c) + fx * (1 - fy) * px(x0 + 1, y0, c) + (1 - fx) * fy * px(x0, y0 + 1, c) + fx * fy * px(x0 + 1, y0 + 1, c);
          }
        }
      }
      const o = (v * size + (options.flip ? size - 1 - u : u)) * 3;
      for (let c = 0; c < 3; c++) out[o + c] = (sum[c] / (ss * ss) / 255) * (options.scale ?? 1);
    }
  }
  return out;
}

const CASES: Array<{ name: string; frame: CropFrame; size: number; options: { flip?: boolean; scale?: number }; pinned: { sum: number; probe: number; last: number } }> = [
  { name: 'face crop, 192², no supersampling', frame: { center: { x: 225, y: 130 }, side: 150, angle: 0.11 }, size: 192, options: {}, pinned: { sum: 53605.42281237526, probe: 0.6940009593963623, last: 0.4336664080619812 } },
  { name: 'big and off the image edge, 3×3 taps, scale 255', frame: { center: { x: 60, y: 480 }, side: 700, angle: -0.4 }, size: 128, options: { scale: 255 }, pinned: { sum: 1697426.8176514395, probe: 38.35203170776367, last: 0 } },
  { name: 'mirrored, 2×2 taps', frame: { center: { x: 204, y: 102 }, side: 300, angle: 0.2 }, size: 64, options: { flip: true }, pinned: { sum: 5763.000795344726, probe: 0.1373162865638733, last: 0.6330146789550781 } },
  { name: 'upsampled eye', frame: { center: { x: 204, y: 102 }, side: 23, angle: 0.05 }, size: 64, options: {}, pinned: { sum: 8004.34310981445, probe: 0.16984236240386963, last: 0.6955235004425049 } },
  { name: 'taps capped at 4×4, mostly outside', frame: { center: { x: 256, y: 256 }, side: 2000, angle: 1.0 }, size: 128, options: {}, pinned: { sum: 1447.0209800547896, probe: 0, last: 0 } },
];

describe('sampleCrop', () => {
  let img: RgbImage;
  beforeAll(async () => {
    const { data, info } = await sharp(join(ROOT, 'fixtures', 'astronaut.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    img = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  });

  for (const c of CASES) {
    it(`${c.name}: equals the per-pixel definition and the pinned values`, () => {
      const fast = sampleCrop(img, c.frame, c.size, c.options);
      const ref = referenceCrop(img, c.frame, c.size, c.options);
      const range = c.options.scale ?? 1;
      let maxDiff = 0;
      for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs(fast[i] - ref[i]));
      // float32 rounding of the same sums (the fast path walks the map incrementally)
      expect(maxDiff / range).toBeLessThan(1e-6);
      let sum = 0;
      for (const v of fast) sum += v;
      expect(sum).toBeCloseTo(c.pinned.sum, 6);
      expect(fast[Math.floor(fast.length / 3) + 1]).toBeCloseTo(c.pinned.probe, 6);
      expect(fast[fast.length - 2]).toBeCloseTo(c.pinned.last, 6);
    });

    it(`${c.name}: into a reused, dirty array gives the same values bit for bit`, () => {
      // Region features reuse their crop array from face to face: every value must be overwritten.
      const into = new Float32Array(c.size * c.size * 3).fill(Number.NaN);
      const out = sampleCrop(img, c.frame, c.size, { ...c.options, into });
      expect(out).toBe(into);
      expect(Array.from(out)).toEqual(Array.from(sampleCrop(img, c.frame, c.size, c.options)));
    });

    it(`${c.name}: with spans, those pixels equal the full crop's bit for bit and the rest is untouched`, () => {
      const full = sampleCrop(img, c.frame, c.size, c.options);
      // A ragged set of row spans: some rows empty, some starting mid-row, one the whole row.
      const spans = new Int32Array(2 * c.size);
      for (let v = 0; v < c.size; v++) {
        spans[2 * v] = v % 5 === 0 ? c.size : (v * 7) % (c.size >> 1);
        spans[2 * v + 1] = v === 1 ? c.size : Math.min(c.size, spans[2 * v] + 3 + ((v * 13) % (c.size >> 1)));
      }
      spans[2] = 0;
      const out = sampleCrop(img, c.frame, c.size, { ...c.options, spans, into: new Float32Array(c.size * c.size * 3).fill(Number.NaN) });
      let sampled = 0;
      let differ = 0;
      let written = 0;
      for (let v = 0; v < c.size; v++) {
        for (let u = 0; u < c.size; u++) {
          const o = (v * c.size + (c.options.flip ? c.size - 1 - u : u)) * 3;
          const inSpan = u >= spans[2 * v] && u < spans[2 * v + 1];
          for (let ch = 0; ch < 3; ch++) {
            if (inSpan && !Object.is(out[o + ch], full[o + ch])) differ++;
            if (!inSpan && !Number.isNaN(out[o + ch])) written++;
          }
          if (inSpan) sampled++;
        }
      }
      expect({ differ, written }).toEqual({ differ: 0, written: 0 });
      expect(sampled).toBeGreaterThan(c.size);
    });
  }

  it('rejects an into array of the wrong size', () => {
    expect(() => sampleCrop(img, CASES[0].frame, 64, { into: new Float32Array(10) })).toThrow(/64×64×3/);
  });
});
