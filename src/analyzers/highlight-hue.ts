// Does the skin change colour from its darker to its brighter tones? On a face, shading changes
// brightness, not hue: lit and shaded skin share one hue. Overexposure breaks that in a known way.
// Skin is red > green > blue, so the red channel reaches full scale first; beyond it red stays
// pinned at 255 while green keeps rising, and the bright skin swings from orange-red toward yellow
// (HSV hue = 60° × (G − B) / (R − B) climbs toward 60°) before it finally burns to white. A pale
// face that is correctly exposed keeps one skin hue all the way into its highlights.
// Pure: plain pixels and a rectangle in, numbers out.
import type { RgbImage } from '../media/raster.js';
import type { Box } from '../types.js';

export interface HighlightHue {
  /** Median hue of the brighter half minus that of the darker tones, degrees (+ = toward yellow). */
  shiftDeg: number;
  /** Median chroma ((max − min) / max) of the brighter half's unclipped pixels, 0..1. */
  brightChroma: number;
  /** Pixels that voted for each median (hue counted only on visibly coloured pixels). */
  brightCount: number;
  darkCount: number;
}

/** Below this chroma a pixel's hue is mostly JPEG and sensor noise: a few levels swing it by tens of degrees. */
const MIN_HUE_CHROMA = 0.05;
/** Luma at or above this is burnt to white: it has no hue left to measure. */
const WHITE = 250;
/** Fewer coloured pixels than this on either side and the comparison is not made. */
const MIN_VOTES = 20;

/**
 * Hue shift between the brighter half (luma from the region's median up to just below white) and
 * the darker tones (10th percentile to median: skin in shade, clear of brows, lashes and pupils)
 * of the rectangle. NaN fields when the region has too few coloured pixels to say.
 */
export function highlightHue(img: RgbImage, rect: Box): HighlightHue {
  const x0 = Math.max(0, Math.floor(rect.x));
  const y0 = Math.max(0, Math.floor(rect.y));
  const x1 = Math.min(img.width, Math.ceil(rect.x + rect.width));
  const y1 = Math.min(img.height, Math.ceil(rect.y + rect.height));
  const none: HighlightHue = { shiftDeg: NaN, brightChroma: NaN, brightCount: 0, darkCount: 0 };
  if (x1 <= x0 || y1 <= y0) return none;
  const { data, width } = img;

  // Pass 1: luma percentiles of the region (same Rec.601 luma as the rest of the analyzers).
  const lumaBins = new Uint32Array(256);
  let n = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x++, i += 3) {
      lumaBins[Math.min(255, (0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2]) | 0)]++;
      n++;
    }
  }
  const p10 = levelAt(lumaBins, n, 0.1);
  const p50 = levelAt(lumaBins, n, 0.5);

  // Pass 2: hue histograms (1° bins over −180..180) of the two tone ranges, chroma of the bright one.
  const hueBright = new Uint32Array(360);
  const hueDark = new Uint32Array(360);
  const chromaBright = new Uint32Array(101);
  let nChroma = 0;
  let nb = 0;
  let nd = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0, i = (y * width + x0) * 3; x < x1; x++, i += 3) {
      const r = data[i];
      const g = data[i + 1];
      const b = data[i + 2];
      const luma = (0.299 * r + 0.587 * g + 0.114 * b) | 0;
      const bright = luma >= p50 && luma < WHITE;
      if (!bright && (luma < p10 || luma >= p50)) continue;
      const mx = Math.max(r, g, b);
      const mn = Math.min(r, g, b);
      const chroma = mx > 0 ? (mx - mn) / mx : 0;
      if (bright) {
        chromaBright[Math.round(chroma * 100)]++;
        nChroma++;
      }
      if (chroma < MIN_HUE_CHROMA) continue;
      const bin = Math.min(359, Math.floor(hueDeg(r, g, b, mx, mn) + 180));
      if (bright) {
        hueBright[bin]++;
        nb++;
      } else {
        hueDark[bin]++;
        nd++;
      }
    }
  }
  if (nb < MIN_VOTES || nd < MIN_VOTES) return { ...none, brightChroma: nChroma ? levelAt(chromaBright, nChroma, 0.5) / 100 : NaN, brightCount: nb, darkCount: nd };
  return {
    shiftDeg: levelAt(hueBright, nb, 0.5) - levelAt(hueDark, nd, 0.5),
    brightChroma: levelAt(chromaBright, nChroma, 0.5) / 100,
    brightCount: nb,
    darkCount: nd,
  };
}

/** HSV hue in degrees, −180..180 (skin sits near +15°, yellow at +60°, magenta-red just below 0). */
function hueDeg(r: number, g: number, b: number, mx: number, mn: number): number {
  const d = mx - mn;
  let h: number;
  if (mx === r) h = 60 * ((g - b) / d);
  else if (mx === g) h = 60 * ((b - r) / d + 2);
  else h = 60 * ((r - g) / d + 4);
  return h > 180 ? h - 360 : h;
}

/** The bin index below which `q` of the `count` samples fall. */
function levelAt(bins: Uint32Array, count: number, q: number): number {
  const target = q * (count - 1);
  let acc = 0;
  for (let i = 0; i < bins.length; i++) {
    acc += bins[i];
    if (acc > target) return i;
  }
  return bins.length - 1;
}
