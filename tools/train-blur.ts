// Fit the blur model (src/analyzers/blur-model.ts): a logistic regression over the handful of
// band-ratio features of src/analyzers/blur-measure.ts, measured exactly as the analyzer measures
// them (decode → BlazeFace → subject → canonical inner-face crop).
//
//   npm run build
//   node dist/tools/make-eval-set.js --split tune --codes blur          # → .tmp/eval-tune/{clean,blur}
//   node dist/tools/train-blur.js [--pos DIR,...] [--neg DIR,...] [--folds 5] [--lambda 1] [--write]
//
// Without --write it only prints the cross-validated figures. Folds are grouped by photo (a clean
// photo and every degraded copy of it share a fold; NUAA webcam frames by session, see
// tools/make-eval-set.ts splitKey), so no person's photo is scored by a model that saw it.
// Only the `tune` half is meant for training; the `test` half and ../shared/data/blur are for
// reporting, never for fitting.
//
// Data note: the default training photos are ../shared/data/clean (see its SOURCES.md), which
// includes CelebA images — CelebA is for non-commercial research only. The committed weights are
// six numbers derived from those photos; anyone shipping facedoctor commercially should refit
// them on data they may use (this tool does that from any folder of sharp/blurred photos).
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AnalysisContext } from '../src/analyzers/context.js';
import { blurFeatures, type BlurFeatures } from '../src/analyzers/blur-measure.js';
import { BLUR_FEATURES } from '../src/analyzers/blur-model.js';
import { loadProfile } from '../src/config/profile.js';
import { decodeImage } from '../src/media/decode-image.js';
import { FaceDetector } from '../src/vision/face-detector.js';
import { isImageFile, listFiles, repoRoot } from './synth/files.js';
import { splitKey } from './make-eval-set.js';

export interface Sample {
  file: string;
  group: string;
  label: 0 | 1;
  x: number[];
  wideByDir: number[];
}

export interface LogisticModel {
  weights: number[];
  bias: number;
}

/** L2-regularised logistic regression by Newton's method on standardised features, weights returned in raw units. */
export function fitLogistic(X: number[][], y: number[], lambda: number): LogisticModel {
  const n = X.length;
  const d = X[0].length;
  const mu = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j], 0) / n);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(X.reduce((s, r) => s + (r[j] - mu[j]) ** 2, 0) / n) || 1);
  const Z = X.map((r) => r.map((v, j) => (v - mu[j]) / sd[j]));
  // Balance the classes so the fit does not lean on whichever folder is larger.
  const pos = y.filter((v) => v === 1).length;
  const cw = y.map((v) => (v === 1 ? n / (2 * pos) : n / (2 * (n - pos))));
  let w = new Array<number>(d + 1).fill(0); // last = bias
  for (let iter = 0; iter < 50; iter++) {
    const g = new Array<number>(d + 1).fill(0);
    const H = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let i = 0; i < n; i++) {
      const zi = [...Z[i], 1];
      const p = 1 / (1 + Math.exp(-zi.reduce((s, v, j) => s + v * w[j], 0)));
      const r = cw[i] * (p - y[i]);
      const h = cw[i] * p * (1 - p);
      for (let a = 0; a <= d; a++) {
        g[a] += r * zi[a];
        for (let b = 0; b <= d; b++) H[a][b] += h * zi[a] * zi[b];
      }
    }
    for (let a = 0; a < d; a++) {
      g[a] += lambda * w[a];
      H[a][a] += lambda;
    }
    const step = solve(H, g);
    w = w.map((v, j) => v - step[j]);
    if (Math.max(...step.map(Math.abs)) < 1e-9) break;
  }
  const weights = w.slice(0, d).map((v, j) => v / sd[j]);
  const bias = w[d] - weights.reduce((s, v, j) => s + v * mu[j], 0);
  return { weights, bias };
}

function solve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    [M[c], M[p]] = [M[p], M[c]];
    const piv = M[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / piv;
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((r, i) => r[n] / (M[i][i] || 1e-12));
}

export const logit = (m: LogisticModel, x: number[]) => m.bias + m.weights.reduce((s, w, j) => s + w * x[j], 0);

/** Area under the ROC curve: the chance a random positive outscores a random negative. */
export function auc(pos: number[], neg: number[]): number {
  let s = 0;
  for (const p of pos) for (const q of neg) s += p > q ? 1 : p === q ? 0.5 : 0;
  return s / Math.max(1, pos.length * neg.length);
}

/** Recall at the strictest score threshold that keeps the negatives' false-alarm rate ≤ `fa`. */
export function recallAtFalseAlarm(pos: number[], neg: number[], fa: number): { recall: number; threshold: number } {
  const sorted = [...neg].sort((a, b) => b - a);
  const allowed = Math.floor(fa * neg.length);
  const threshold = sorted[allowed] ?? -Infinity;
  return { recall: pos.filter((p) => p > threshold).length / Math.max(1, pos.length), threshold };
}

/** Out-of-fold logits, folds formed from whole groups (deterministic: groups sorted by name). */
export function crossValidate(samples: Sample[], folds: number, lambda: number): number[] {
  const groups = [...new Set(samples.map((s) => s.group))].sort();
  const foldOf = new Map(groups.map((g, i) => [g, i % folds]));
  const out = new Array<number>(samples.length).fill(0);
  for (let k = 0; k < folds; k++) {
    const train = samples.filter((s) => foldOf.get(s.group) !== k);
    const m = fitLogistic(train.map((s) => s.x), train.map((s) => s.label), lambda);
    samples.forEach((s, i) => {
      if (foldOf.get(s.group) === k) out[i] = logit(m, s.x);
    });
  }
  return out;
}

export type FeatureName = Exclude<keyof BlurFeatures, 'fineByDir' | 'wideByDir'>;

export function featureVector(f: BlurFeatures, names: readonly FeatureName[] = BLUR_FEATURES): number[] {
  return names.map((k) => f[k]);
}

async function measure(files: string[], label: 0 | 1, detector: FaceDetector, names: readonly FeatureName[], log: (s: string) => void): Promise<Sample[]> {
  const profile = loadProfile();
  const out: Sample[] = [];
  for (const file of files) {
    try {
      const decoded = await decodeImage(new Uint8Array(await readFile(file)), file);
      const faces = (await detector.detect(decoded.image, { minScore: 0.5 })).filter((f) => f.score >= profile.values['face.minScore']);
      const ctx = new AnalysisContext(decoded.image, decoded.scale, faces, profile);
      const crop = ctx.canonicalFace;
      if (!crop) {
        log(`  no face: ${file}`);
        continue;
      }
      const f = blurFeatures(crop);
      out.push({ file, group: splitKey(file), label, x: featureVector(f, names), wideByDir: f.wideByDir });
    } catch (e) {
      log(`  skip ${file}: ${(e as Error).message}`);
    }
  }
  return out;
}

const round = (v: number, d = 4) => Math.round(v * 10 ** d) / 10 ** d;

function modelSource(m: LogisticModel, names: readonly FeatureName[], prior: number[], info: string[]): string {
  return `// GENERATED by tools/train-blur.ts — do not edit by hand; rerun the tool (see its header).
${info.map((l) => `// ${l}`).join('\n')}
//
// Licence note: fitted on photos that include CelebA images (non-commercial research use only);
// see tools/train-blur.ts for how to refit on other data.

/** Feature names (BlurFeatures keys) in the order of BLUR_MODEL.weights. */
export const BLUR_FEATURES = ${JSON.stringify(names)} as const;

export const BLUR_MODEL = {
  /** logit(P(blurred)) = bias + Σ weights[i] · feature[i]; features are ln band-energy ratios. */
  weights: ${JSON.stringify(m.weights.map((v) => round(v)))},
  bias: ${round(m.bias)},
  /** Mean ln(E1/E4) per direction (0°, 90°, 45°, 135°) on sharp faces: a face's own directional structure, removed before reading a smear direction. */
  directionPrior: ${JSON.stringify(prior.map((v) => round(v)))},
};
`;
}

const USAGE = `usage: node dist/tools/train-blur.js [--pos DIR,...] [--neg DIR,...] [--folds N] [--lambda L] [--write]
  --pos     folders of blurred photos (default .tmp/eval-tune/blur)
  --neg     folders of sharp photos (default .tmp/eval-tune/clean)
  --folds   cross-validation folds, grouped by photo/session (default 5)
  --lambda  L2 penalty on standardised weights (default 1)
  --features  BlurFeatures to use (default: those of the committed model)
  --write   write src/analyzers/blur-model.ts (otherwise only print the figures)`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      pos: { type: 'string' },
      neg: { type: 'string' },
      folds: { type: 'string', default: '5' },
      lambda: { type: 'string', default: '1' },
      features: { type: 'string' },
      write: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const root = repoRoot();
  const dirs = (s: string | undefined, d: string) => (s ?? d).split(',').map((p) => resolve(p));
  const posDirs = dirs(values.pos, join(root, '.tmp', 'eval-tune', 'blur'));
  const negDirs = dirs(values.neg, join(root, '.tmp', 'eval-tune', 'clean'));
  const log = (s: string) => process.stderr.write(s + '\n');
  const list = async (ds: string[]) => (await Promise.all(ds.map((d) => listFiles(d, isImageFile)))).flat();
  const detector = await FaceDetector.load();
  const names = (values.features ? values.features.split(',') : [...BLUR_FEATURES]) as FeatureName[];
  const pos = await measure(await list(posDirs), 1, detector, names, log);
  const neg = await measure(await list(negDirs), 0, detector, names, log);
  await detector.close();
  if (pos.length < 10 || neg.length < 10) {
    console.error(`train-blur: need ≥ 10 photos of each kind with a face (got ${pos.length} blurred, ${neg.length} sharp); build them with make-eval-set first`);
    return 2;
  }
  const samples = [...pos, ...neg];
  const lambda = Number(values.lambda);
  const folds = Number(values.folds);
  const cv = crossValidate(samples, folds, lambda);
  const cvPos = cv.filter((_, i) => samples[i].label === 1);
  const cvNeg = cv.filter((_, i) => samples[i].label === 0);
  const r1 = recallAtFalseAlarm(cvPos, cvNeg, 0.01);
  const r3 = recallAtFalseAlarm(cvPos, cvNeg, 0.03);
  const model = fitLogistic(samples.map((s) => s.x), samples.map((s) => s.label), lambda);
  const prior = [0, 1, 2, 3].map((j) => neg.reduce((s, n) => s + n.wideByDir[j], 0) / neg.length);
  const info = [
    `Trained ${new Date().toISOString().slice(0, 10)} on ${pos.length} blurred and ${neg.length} sharp faces from`,
    `  ${[...posDirs, ...negDirs].map((d) => basename(resolve(d, '..')) + '/' + basename(d)).join(', ')} (lambda ${lambda}); features ${names.join(', ')}.`,
    `${folds}-fold CV grouped by photo: AUC ${round(auc(cvPos, cvNeg), 3)}, recall ${round(r1.recall, 3)} at ≤1% false alarms,`,
    `  ${round(r3.recall, 3)} at ≤3% (figures on the training half; report held-out figures from tools/eval).`,
  ];
  for (const l of info) console.log(l);
  console.log(`weights ${JSON.stringify(model.weights.map((v) => round(v)))} bias ${round(model.bias)}; direction prior ${JSON.stringify(prior.map((v) => round(v)))}`);
  if (values.write) {
    const out = join(root, 'src', 'analyzers', 'blur-model.ts');
    await writeFile(out, modelSource(model, names, prior, info));
    console.log(`wrote ${out}; rebuild (npm run build) and re-tune blur.score.* on the tune half if the scale moved`);
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`train-blur: ${(e as Error).message ?? e}`);
      process.exit(1);
    },
  );
}
