// Training maths for the obstruction classifiers (used by tools/train-obstructions.ts and the
// held-out test): class-balanced L2 logistic regression fitted with L-BFGS, grouped k-fold splits
// and threshold picking at a false-alarm budget. Pure; no I/O.

export interface Dataset {
  /** Row-major n × d inputs. */
  x: Float64Array[];
  y: Uint8Array;
}

export interface Standardizer {
  mean: Float64Array;
  /** 0 for a dimension that does not vary (its weight is dropped). */
  invStd: Float64Array;
}

export function fitStandardizer(rows: readonly Float64Array[]): Standardizer {
  const d = rows[0].length;
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j] += r[j];
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) sq[j] += (r[j] - mean[j]) ** 2;
  const invStd = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(sq[j] / rows.length);
    invStd[j] = sd > 1e-3 ? 1 / sd : 0;
  }
  return { mean, invStd };
}

export interface LinearModel {
  /** Weights on the raw (unstandardised) inputs. */
  w: Float64Array;
  b: number;
}

const logAddExp0 = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

/**
 * L2-regularised logistic regression on standardised inputs, each class weighted to half the
 * total (balanced), minimised by L-BFGS; the returned weights apply to the raw inputs.
 */
export function fitLogistic(rows: readonly Float64Array[], y: ArrayLike<number>, lambda: number, maxIter = 400): LinearModel {
  const st = fitStandardizer(rows);
  const n = rows.length;
  const d = rows[0].length;
  const xs = rows.map((r) => Float64Array.from(r, (v, j) => (v - st.mean[j]) * st.invStd[j]));
  let pos = 0;
  for (let i = 0; i < n; i++) pos += y[i];
  const wPos = pos > 0 ? n / (2 * pos) : 0;
  const wNeg = pos < n ? n / (2 * (n - pos)) : 0;
  const sw = Float64Array.from({ length: n }, (_, i) => (y[i] ? wPos : wNeg));
  // Parameters: d weights then the bias.
  const f = (beta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      let z = beta[d];
      for (let j = 0; j < d; j++) z += beta[j] * x[j];
      loss += sw[i] * (logAddExp0(z) - y[i] * z);
      const g = sw[i] * (1 / (1 + Math.exp(-z)) - y[i]);
      for (let j = 0; j < d; j++) grad[j] += g * x[j];
      grad[d] += g;
    }
    for (let j = 0; j < d; j++) {
      loss += 0.5 * lambda * beta[j] * beta[j];
      grad[j] += lambda * beta[j];
    }
    return loss;
  };
  const beta = lbfgs(f, new Float64Array(d + 1), maxIter);
  const w = Float64Array.from({ length: d }, (_, j) => beta[j] * st.invStd[j]);
  let b = beta[d];
  for (let j = 0; j < d; j++) b -= w[j] * st.mean[j];
  return { w, b };
}

export function predictLogit(m: LinearModel, x: ArrayLike<number>): number {
  let z = m.b;
  for (let j = 0; j < m.w.length; j++) z += m.w[j] * x[j];
  return z;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Limited-memory BFGS (m = 10) with a backtracking Armijo line search. */
export function lbfgs(f: (x: Float64Array, g: Float64Array) => number, x0: Float64Array, maxIter: number, tol = 1e-6): Float64Array {
  const m = 10;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let fx = f(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  for (let it = 0; it < maxIter; it++) {
    const gnorm = Math.sqrt(dot(g, g));
    if (gnorm < tol * Math.max(1, Math.sqrt(dot(x, x)))) break;
    // Two-loop recursion: direction = −H·g.
    const q = Float64Array.from(g);
    const alpha: number[] = new Array(S.length);
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], q);
      for (let i = 0; i < n; i++) q[i] -= alpha[k] * Y[k][i];
    }
    const gamma = S.length ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / gnorm;
    for (let i = 0; i < n; i++) q[i] *= gamma;
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], q);
      for (let i = 0; i < n; i++) q[i] += S[k][i] * (alpha[k] - beta);
    }
    const dir = q.map((v) => -v);
    let slope = dot(g, dir);
    if (slope >= 0) {
      // Not a descent direction (curvature went wrong): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) dir[i] = -g[i] / gnorm;
      slope = dot(g, dir);
    }
    let step = 1;
    const xn = new Float64Array(n);
    const gn = new Float64Array(n);
    let fn = Infinity;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) xn[i] = x[i] + step * dir[i];
      fn = f(xn, gn);
      if (fn <= fx + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(fn < fx)) break;
    const s = xn.map((v, i) => v - x[i]);
    const yv = gn.map((v, i) => v - g[i]);
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      S.push(s);
      Y.push(yv);
      rho.push(1 / sy);
      if (S.length > m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
    }
    const improvement = fx - fn;
    x = xn;
    g = gn;
    fx = fn;
    if (improvement < 1e-9 * Math.max(1, Math.abs(fx))) break;
  }
  return x;
}

/** Union–find over item indices (for grouping near-duplicates and same-person files). */
export class Groups {
  private parent: number[];
  constructor(n: number) {
    this.parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]];
      i = this.parent[i];
    }
    return i;
  }
  union(a: number, b: number): void {
    this.parent[this.find(a)] = this.find(b);
  }
  ids(): number[] {
    return this.parent.map((_, i) => this.find(i));
  }
}

/**
 * Assigns whole groups to k folds, largest groups first, each to the currently smallest fold, with
 * ties broken by a seeded shuffle: folds of nearly equal size that never split a group.
 */
export function groupFolds(groupIds: readonly number[], k: number, seed = 1): number[] {
  const sizes = new Map<number, number>();
  for (const g of groupIds) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  let s = seed >>> 0 || 1;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const order = [...sizes.keys()].map((g) => ({ g, r: rand() })).sort((a, b) => sizes.get(b.g)! - sizes.get(a.g)! || a.r - b.r);
  const load = new Array<number>(k).fill(0);
  const fold = new Map<number, number>();
  for (const { g } of order) {
    let best = 0;
    for (let f = 1; f < k; f++) if (load[f] < load[best]) best = f;
    fold.set(g, best);
    load[best] += sizes.get(g)!;
  }
  return groupIds.map((g) => fold.get(g)!);
}

/**
 * The lowest score threshold (fire when score > threshold) at which at most `maxShare` of each
 * negative set fires. Scores of files without a face are NaN and never fire.
 */
export function thresholdAt(negatives: Array<{ scores: readonly number[]; maxShare: number }>): number {
  let t = -Infinity;
  for (const { scores, maxShare } of negatives) {
    const s = scores.filter((v) => Number.isFinite(v)).sort((a, b) => b - a);
    const allowed = Math.floor(maxShare * scores.length + 1e-9);
    if (allowed < s.length) t = Math.max(t, s[allowed]);
  }
  return t;
}
