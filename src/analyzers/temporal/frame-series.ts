// Per-frame measures for every decoded frame, taken from small grey thumbnails as they stream by:
// mean brightness (whole-frame flicker), the row-banding measure (rolling-shutter flicker),
// camera motion against the previous frame (shaking) and the difference to the previous frame
// (repeated frames). Only numbers are kept, so memory grows by a few dozen bytes per frame.
import { globalMotion, motionPyramid, type MotionPyramid } from './global-motion.js';
import { bandCoefficients } from './row-bands.js';
import { RollingBandTracker, type BandWindow, type RollingBandOptions } from './rolling-bands.js';
import { StaticBandTracker, type StaticBandWindow } from './static-bands.js';

export interface GreyFrameInput {
  /** Presentation time, seconds. */
  time: number;
  width: number;
  height: number;
  data: Uint8Array;
}

/** Column-per-measure series, index = decoded frame number. */
export interface FrameSeries {
  count: number;
  /** Presentation time, seconds (NaN where ffmpeg gave none). */
  time: Float64Array;
  /** Mean luma 0..255. */
  meanLuma: Float64Array;
  /** Camera motion from the previous frame, share of the long side (NaN: first frame or flat). */
  motionX: Float64Array;
  motionY: Float64Array;
  /** Mean absolute luma difference to the previous frame, 0..255 (NaN for the first frame). */
  diff: Float64Array;
  /** Rolling-band windows (bands turning at a mains frequency). */
  bandWindows: BandWindow[];
  /** Windows of the still-standing band test (see static-bands.ts). */
  staticBandWindows: StaticBandWindow[];
}

const COLUMNS = ['time', 'meanLuma', 'motionX', 'motionY', 'diff'] as const;
type Column = (typeof COLUMNS)[number];

export class FrameSeriesBuilder {
  private cols: Record<Column, Float64Array>;
  private n = 0;
  private prev?: Uint8Array;
  private prevPyramid?: MotionPyramid;
  private bands: RollingBandTracker;
  private staticBands: StaticBandTracker;

  constructor(bandOptions: RollingBandOptions) {
    this.bands = new RollingBandTracker(bandOptions);
    this.staticBands = new StaticBandTracker(bandOptions);
    this.cols = Object.fromEntries(COLUMNS.map((c) => [c, new Float64Array(256)])) as Record<Column, Float64Array>;
  }

  add(f: GreyFrameInput): void {
    if (this.n === this.cols.meanLuma.length) this.grow();
    const i = this.n++;
    const { width, height, data } = f;
    this.cols.time[i] = f.time;
    const npx = width * height;

    let sum = 0;
    for (let p = 0; p < npx; p++) sum += data[p];
    this.cols.meanLuma[i] = sum / npx;

    let diff = NaN;
    if (this.prev && this.prev.length === npx) {
      let d = 0;
      for (let p = 0; p < npx; p++) d += Math.abs(data[p] - this.prev[p]);
      diff = d / npx;
    }
    this.cols.diff[i] = diff;

    // Camera sensors are landscape and read out along their long side, so in a portrait picture
    // (turned by metadata or in the pixels) the bands run along the long side: read it turned.
    const portrait = f.height > f.width;
    this.bands.add(f.time, bandCoefficients(f, portrait));
    this.staticBands.add(f.time, width, height, data, portrait);

    const pyr = motionPyramid(width, height, data);
    const m = this.prevPyramid ? globalMotion(this.prevPyramid, pyr) : undefined;
    this.cols.motionX[i] = m ? m.dx : NaN;
    this.cols.motionY[i] = m ? m.dy : NaN;
    this.prevPyramid = pyr;

    if (!this.prev || this.prev.length !== npx) this.prev = new Uint8Array(npx);
    this.prev.set(data);
  }

  get count(): number {
    return this.n;
  }

  /** The series so far; call once, after the last frame. */
  build(): FrameSeries {
    const out = { count: this.n, bandWindows: this.bands.finish(), staticBandWindows: this.staticBands.finish() } as FrameSeries;
    for (const c of COLUMNS) out[c] = this.cols[c].slice(0, this.n);
    return out;
  }

  private grow(): void {
    for (const c of COLUMNS) {
      const bigger = new Float64Array(this.cols[c].length * 2);
      bigger.set(this.cols[c]);
      this.cols[c] = bigger;
    }
  }
}
