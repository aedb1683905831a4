// Rolling bands over time. Under a light pulsing at f Hz (100 or 120), a rolling-shutter frame
// taken at time t carries a·cos(2π·c·y/H ± 2π·f·t + φ₀): the band phase turns at exactly f Hz.
// Demodulating each frame's band coefficient z(t) with e^{∓i·2π·f·t} at the real frame times
// (variable frame rates and gaps included) adds the bands up coherently across a window while
// scene structure, which does not turn at f Hz, averages away. Bands whose phase does not move
// (f an exact multiple of the frame rate) cancel here; the single-frame test covers those.
import { aliasedFrequency, medianInterval } from './signal.js';
import { BAND_CELLS, type BandCoefficients } from './row-bands.js';

export interface BandWindow {
  start: number;
  end: number;
  frames: number;
  /** Band amplitude (log-luma) of the strongest mains-locked rolling pattern. */
  amplitude: number;
  cycles: number;
  /** Light frequency that pattern turns at (100 or 120 Hz, ± a little for mains drift). */
  sourceHz: number;
  /** Peak power ÷ median power at off-mains frequencies for the same band spacing. */
  prominence: number;
  /** Agreement of the demodulated pattern across the frame's cells (1 = everywhere the same). */
  consistency: number;
}

export interface RollingBandOptions {
  windowSeconds: number;
  hopSeconds: number;
}

/** Light frequencies searched: the two mains doublings, with room for mains drift. */
const SOURCES = [100, 120];
const DRIFT = [-0.3, -0.15, 0, 0.15, 0.3];
/** Alias frequencies (Hz) the noise floor is sampled at. */
const REFERENCE_STEP = 0.5;
/** Carriers aliasing below this (Hz) are skipped: slow scene and exposure changes live there. */
export const MIN_ALIAS_HZ = 1.5;

interface Entry {
  t: number;
  coeffs: Float32Array;
}

/** Streams frames in; evaluates overlapping windows as they fill. */
export class RollingBandTracker {
  private buf: Entry[] = [];
  private nextStart = NaN;
  private cycles: readonly number[] = [];
  readonly windows: BandWindow[] = [];

  constructor(private readonly o: RollingBandOptions) {}

  add(t: number, c: BandCoefficients): void {
    if (!Number.isFinite(t)) return;
    this.cycles = c.cycles;
    if (Number.isNaN(this.nextStart)) this.nextStart = t;
    this.buf.push({ t, coeffs: c.data });
    while (t >= this.nextStart + this.o.windowSeconds) this.evaluate(false);
  }

  finish(): BandWindow[] {
    if (this.buf.length > 0 && this.buf[this.buf.length - 1].t >= this.nextStart + 0.5 * this.o.windowSeconds) this.evaluate(true);
    this.buf = [];
    return this.windows;
  }

  private evaluate(last: boolean): void {
    const t0 = this.nextStart;
    const t1 = t0 + this.o.windowSeconds;
    const win = this.buf.filter((e) => e.t >= t0 && (last || e.t < t1));
    if (win.length >= 8) {
      const w = analyzeWindow(win, this.cycles);
      if (w) this.windows.push(w);
    }
    this.nextStart += this.o.hopSeconds;
    this.buf = this.buf.filter((e) => e.t >= this.nextStart);
  }
}

/** Per frame, the coefficient averaged over `cells` at cycle index k, minus its window mean. */
function centred(win: Entry[], k: number, cells: readonly number[]): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(win.length);
  const im = new Float64Array(win.length);
  const off = k * BAND_CELLS * 2;
  let mr = 0, mi = 0;
  for (let i = 0; i < win.length; i++) {
    let zr = 0, zi = 0;
    for (const j of cells) {
      zr += win[i].coeffs[off + j * 2];
      zi += win[i].coeffs[off + j * 2 + 1];
    }
    re[i] = zr / cells.length;
    im[i] = zi / cells.length;
    mr += re[i];
    mi += im[i];
  }
  mr /= win.length;
  mi /= win.length;
  for (let i = 0; i < win.length; i++) {
    re[i] -= mr;
    im[i] -= mi;
  }
  return { re, im };
}

interface Carrier {
  freq: number;
  cos: Float64Array;
  sin: Float64Array;
}

function carrier(win: Entry[], freq: number): Carrier {
  const cos = new Float64Array(win.length);
  const sin = new Float64Array(win.length);
  const w = 2 * Math.PI * freq;
  for (let i = 0; i < win.length; i++) {
    cos[i] = Math.cos(w * win[i].t);
    sin[i] = -Math.sin(w * win[i].t);
  }
  return { freq, cos, sin };
}

/** Power of mean_t z(t)·e^{−i·2π·f·t}, with the phasor as well. */
function demodulate(z: { re: Float64Array; im: Float64Array }, c: Carrier): [number, number] {
  let re = 0, im = 0;
  for (let i = 0; i < z.re.length; i++) {
    re += z.re[i] * c.cos[i] - z.im[i] * c.sin[i];
    im += z.re[i] * c.sin[i] + z.im[i] * c.cos[i];
  }
  return [re / z.re.length, im / z.re.length];
}

const ALL_CELLS = Array.from({ length: BAND_CELLS }, (_, j) => j);

export function analyzeWindow(win: Entry[], cycles: readonly number[]): BandWindow | undefined {
  // The window's own frame rate (median interval): a clip's average rate hides gaps and VFR.
  const fps = 1 / medianInterval(win.map((e) => e.t));
  if (!(fps > 0)) return undefined;
  const nyquist = fps / 2;
  // Skip carriers whose bands hardly move at this frame rate: demodulation sees nothing there.
  const carriers: Carrier[] = [];
  for (const f of SOURCES) {
    for (const d of DRIFT) {
      if (aliasedFrequency(f + d, fps) < MIN_ALIAS_HZ) continue;
      carriers.push(carrier(win, f + d), carrier(win, -(f + d)));
    }
  }
  if (carriers.length === 0) return undefined;
  let best = { p: -1, k: 0, c: carriers[0] };
  for (let k = 0; k < cycles.length; k++) {
    const z = centred(win, k, ALL_CELLS);
    for (const c of carriers) {
      const [re, im] = demodulate(z, c);
      const p = re * re + im * im;
      if (p > best.p) best = { p, k, c };
    }
  }
  // Noise floor: the same band spacing demodulated at frequencies away from the found alias.
  const z = centred(win, best.k, ALL_CELLS);
  const alias = aliasedFrequency(Math.abs(best.c.freq), fps);
  const ref: number[] = [];
  for (let a = REFERENCE_STEP; a < nyquist - 0.25; a += REFERENCE_STEP) {
    if (Math.abs(a - alias) < 1) continue;
    for (const sign of [1, -1]) {
      const [re, im] = demodulate(z, carrier(win, sign * a));
      ref.push(re * re + im * im);
    }
  }
  ref.sort((x, y) => x - y);
  const floor = ref.length ? ref[ref.length >> 1] : 0;
  // Consistency: the demodulated pattern of each cell should point the same way.
  let sr = 0, si = 0, mag = 0;
  for (const j of ALL_CELLS) {
    const [re, im] = demodulate(centred(win, best.k, [j]), best.c);
    sr += re; si += im; mag += Math.hypot(re, im);
  }
  return {
    start: win[0].t,
    end: win[win.length - 1].t,
    frames: win.length,
    amplitude: Math.sqrt(best.p),
    cycles: cycles[best.k],
    sourceHz: Math.abs(best.c.freq) >= 110 ? 120 : 100,
    prominence: floor > 0 ? best.p / floor : Infinity,
    consistency: mag > 0 ? Math.hypot(sr, si) / mag : 0,
  };
}
