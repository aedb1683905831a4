// Numeric helpers over time series: medians, centred moving averages, a DFT at chosen
// frequencies that uses the real frame times (so variable frame rates and gaps are handled).

/** Median of the finite values; NaN when there are none. */
export function median(values: ArrayLike<number>): number {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) v.push(values[i]);
  if (v.length === 0) return NaN;
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** q-quantile (0..1) of the finite values, linear interpolation; NaN when there are none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) v.push(values[i]);
  if (v.length === 0) return NaN;
  v.sort((a, b) => a - b);
  const pos = Math.min(1, Math.max(0, q)) * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(v.length - 1, lo + 1);
  return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

/**
 * Centred moving average over `window` samples (odd windows are symmetric); non-finite samples
 * are skipped and the window shrinks at the ends.
 */
export function movingAverage(x: ArrayLike<number>, window: number): Float64Array {
  const n = x.length;
  const half = Math.max(0, Math.floor(window / 2));
  const sum = new Float64Array(n + 1);
  const cnt = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const ok = Number.isFinite(x[i]);
    sum[i + 1] = sum[i] + (ok ? x[i] : 0);
    cnt[i + 1] = cnt[i] + (ok ? 1 : 0);
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = Math.max(0, i - half);
    const b = Math.min(n, i + half + 1);
    const c = cnt[b] - cnt[a];
    out[i] = c > 0 ? (sum[b] - sum[a]) / c : NaN;
  }
  return out;
}

/** x minus its centred moving average: keeps what changes faster than ~1/(window) samples. */
export function highPass(x: ArrayLike<number>, window: number): Float64Array {
  const ma = movingAverage(x, window);
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] - ma[i];
  return out;
}

/** Root mean square of the finite values (NaN when there are none). */
export function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    if (!Number.isFinite(x[i])) continue;
    s += x[i] * x[i];
    n++;
  }
  return n ? Math.sqrt(s / n) : NaN;
}

/**
 * Amplitude of the sinusoid at `freq` Hz in samples x(t) taken at times t (seconds): 2|X(f)|/N
 * after removing the mean. Exact for any sampling times, so frame-rate jitter does not smear it.
 */
export function sinusoidAmplitude(t: ArrayLike<number>, x: ArrayLike<number>, freq: number, from = 0, to = x.length): number {
  let mean = 0;
  let n = 0;
  for (let i = from; i < to; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(t[i])) continue;
    mean += x[i];
    n++;
  }
  if (n < 3) return NaN;
  mean /= n;
  let re = 0;
  let im = 0;
  const w = 2 * Math.PI * freq;
  for (let i = from; i < to; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(t[i])) continue;
    const v = x[i] - mean;
    re += v * Math.cos(w * t[i]);
    im -= v * Math.sin(w * t[i]);
  }
  return (2 * Math.hypot(re, im)) / n;
}

/** The frequency a light pulsing at `source` Hz appears at when sampled at `fps`: |f − round(f/fps)·fps|. */
export function aliasedFrequency(source: number, fps: number): number {
  return Math.abs(source - Math.round(source / fps) * fps);
}

/** Per-frame drift (in cycles, −0.5..0.5) of a pattern pulsing at `source` Hz seen at `fps`. */
export function cycleDrift(source: number, fps: number): number {
  const c = source / fps;
  return c - Math.round(c);
}

/** Wraps an angle to (−π, π]. */
export function wrapAngle(a: number): number {
  const w = a - 2 * Math.PI * Math.round(a / (2 * Math.PI));
  return w <= -Math.PI ? w + 2 * Math.PI : w;
}

/** Median spacing of consecutive finite times (the typical frame interval). */
export function medianInterval(t: ArrayLike<number>): number {
  const d: number[] = [];
  for (let i = 1; i < t.length; i++) {
    const v = t[i] - t[i - 1];
    if (Number.isFinite(v) && v > 0) d.push(v);
  }
  return median(d);
}
