// The context's fused and direct fast paths must give exactly what the plain functions give:
// they replace them in the pipeline for speed only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lumaWithHistogram } from '../../src/analyzers/context.js';
import { histogramEllipse, histogramRect, histogramWhere } from '../../src/analyzers/stats.js';
import { decodeImage } from '../../src/media/decode-image.js';
import { lumaPlane, type RgbImage } from '../../src/media/raster.js';
import { areaMean, boxMean, integralImage } from '../../src/media/resample.js';
import { root } from './helpers.js';

async function astronaut(): Promise<RgbImage> {
  const file = join(root, 'fixtures/astronaut.png');
  return (await decodeImage(new Uint8Array(await readFile(file)), file)).image;
}

/** A crop with an odd pixel count, so the four-at-a-time loop has a tail. */
function oddCrop(img: RgbImage, w: number, h: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) data.set(img.data.subarray(y * img.width * 3, (y * img.width + w) * 3), y * w * 3);
  return { width: w, height: h, data };
}

describe('lumaWithHistogram', () => {
  it('equals lumaPlane plus histogramWhere, value for value', async () => {
    const full = await astronaut();
    for (const img of [full, oddCrop(full, 101, 37)]) {
      const fused = lumaWithHistogram(img);
      const luma = lumaPlane(img);
      expect(fused.luma.width).toBe(luma.width);
      expect(fused.luma.data).toEqual(luma.data);
      const h = histogramWhere(luma);
      expect(fused.histogram.count).toBe(h.count);
      expect(Array.from(fused.histogram.bins)).toEqual(Array.from(h.bins));
    }
  });

  it('bins pure black and pure white at the ends', () => {
    const img: RgbImage = { width: 5, height: 1, data: new Uint8Array([0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 255, 255]) };
    const { histogram } = lumaWithHistogram(img);
    expect(histogram.bins[0]).toBe(2);
    expect(histogram.bins[255]).toBe(3);
  });
});

describe('boxMean', () => {
  it('matches areaMean on the integral image, including boxes past the edges', async () => {
    const luma = lumaPlane(await astronaut());
    const ii = integralImage(luma);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < 500; k++) {
      const x = rnd() * (luma.width + 40) - 20;
      const y = rnd() * (luma.height + 40) - 20;
      const r = 0.5 + rnd() * 12;
      const want = areaMean(ii, x - r, y - r, x + r, y + r);
      const got = boxMean(luma, x - r, y - r, x + r, y + r);
      if (Number.isNaN(want)) expect(got).toBeNaN();
      else expect(got).toBeCloseTo(want, 6);
    }
    expect(boxMean(luma, -10, -10, -1, -1)).toBeNaN();
  });
});

describe('span histograms', () => {
  it('histogramRect and histogramEllipse count exactly the pixels histogramWhere selects', async () => {
    const luma = lumaPlane(await astronaut());
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let k = 0; k < 40; k++) {
      const box = { x: rnd() * luma.width - 50, y: rnd() * luma.height - 50, width: 3 + rnd() * 300, height: 3 + rnd() * 300 };
      const rect = histogramRect(luma, box);
      // Pixel x is in the rect when its centre x + 0.5 lies in [box.x, box.x + width] (the rasteriser's rounding).
      const inRect = (x: number, y: number) =>
        x >= Math.ceil(box.x - 0.5) && x <= Math.floor(box.x + box.width - 0.5) && y >= Math.floor(box.y) && y < Math.ceil(box.y + box.height);
      const ref = histogramWhere(luma, inRect);
      expect(rect.count).toBe(ref.count);
      expect(Array.from(rect.bins)).toEqual(Array.from(ref.bins));
      const cx = box.x + box.width / 2, cy = box.y + box.height / 2, rx = box.width / 2, ry = box.height / 2;
      const ell = histogramEllipse(luma, cx, cy, rx, ry);
      const inEll = (x: number, y: number) => {
        if (y < Math.floor(cy - ry) || y >= Math.ceil(cy + ry)) return false;
        const v = (y + 0.5 - cy) / ry;
        if (v * v >= 1) return false;
        const half = rx * Math.sqrt(1 - v * v);
        return x >= Math.ceil(cx - half - 0.5) && x <= Math.floor(cx + half - 0.5);
      };
      const refE = histogramWhere(luma, inEll);
      expect(ell.count).toBe(refE.count);
      expect(Array.from(ell.bins)).toEqual(Array.from(refE.bins));
    }
  });
});
