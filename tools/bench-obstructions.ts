// What landmarks and the obstruction analyzers add per face, on one core:
//   npm run bench:obstructions -- [--runs 60] [image ...]
// Times each stage on already decoded and detected faces (the astronaut fixture, plus the given
// images): face mesh, faceres on the face crop with the eye-band pooling (at the size the pipeline
// uses, and at the converted 224 for comparison), iris, region features, and the four pure
// analyzers. Reports median and best wall time and mean CPU time per face (CPU time is less
// disturbed by other jobs on a shared machine).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AnalysisContext } from '../src/analyzers/context.js';
import { OBSTRUCTION_ANALYZERS } from '../src/analyzers/obstructions/index.js';
import { FEATURE_CROP_SIZE, featureFrame, obstructionFeatures } from '../src/analyzers/obstructions/features.js';
import { loadProfile } from '../src/config/profile.js';
import { decodeImage } from '../src/media/decode-image.js';
import type { RgbImage } from '../src/media/raster.js';
import type { Face } from '../src/types.js';
import { EMBEDDING_CROP_ENLARGE, EMBEDDING_INPUT_SIZE, FaceDescriber, irisEyeOpening } from '../src/vision/face-embedding.js';
import { FaceDetector } from '../src/vision/face-detector.js';
import { FACEMESH_SIZE, FaceMesh, Iris, detectFaceLandmarks, faceCropFrame, sampleCrop, type FaceLandmarks } from '../src/vision/landmarks.js';
import { repoRoot } from './synth/files.js';

interface Timing {
  wall: number[];
  cpu: number[];
}

async function time(t: Timing, fn: () => unknown): Promise<void> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  await fn();
  t.wall.push(performance.now() - w0);
  const c = process.cpuUsage(c0);
  t.cpu.push((c.user + c.system) / 1000);
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { runs: { type: 'string', default: '60' } } });
  const runs = Number(values.runs);
  // Default faces: the astronaut (98 px), and from ../shared/data when present a large masked face
  // (258 px in an 800-px working image: the crops supersample) and a mid-size sunglasses selfie.
  const shared = join(repoRoot(), '..', 'shared', 'data');
  const defaults = ['mask/cdfmd__with_mask364.jpg', 'sunglasses/sgselfie__selfies_5_images_798.jpeg'].map((f) => join(shared, f)).filter((f) => existsSync(f));
  const files = [join(repoRoot(), 'fixtures', 'astronaut.png'), ...(positionals.length ? positionals : defaults)];
  const profile = loadProfile();
  const detector = await FaceDetector.load();
  const faces: Array<{ img: RgbImage; face: Face; lm?: FaceLandmarks; emb?: Float32Array; eyes?: Float32Array; scale: number; all: Face[] }> = [];
  for (const f of files) {
    const d = await decodeImage(new Uint8Array(readFileSync(f)), f);
    const all = (await detector.detect(d.image)).filter((x) => x.score >= profile.values['face.minScore']);
    const main = new AnalysisContext(d.image, d.scale, all, profile).subject.main;
    if (main) faces.push({ img: d.image, face: main, scale: d.scale, all });
    else console.error(`bench-obstructions: no face in ${f}; skipped`);
  }
  const mesh = await FaceMesh.load();
  const describer = await FaceDescriber.load();
  const iris = await Iris.load();
  const stages: Record<string, Timing> = {};
  const stage = (name: string) => (stages[name] ??= { wall: [], cpu: [] });
  // Warm-up, then interleaved runs so slow phases of a busy machine hit every stage alike.
  for (const x of faces) {
    x.lm = await detectFaceLandmarks(mesh, x.img, x.face);
    const d = await describer.describeFace(x.img, x.face, x.lm);
    x.emb = d.embedding;
    x.eyes = d.eyeEmbedding;
    await describer.describe(x.img, x.face, 224);
  }
  for (let r = 0; r < runs; r++) {
    for (const x of faces) {
      await time(stage('face mesh (192²)'), () => detectFaceLandmarks(mesh, x.img, x.face));
      await time(stage(`faceres, face crop ${EMBEDDING_INPUT_SIZE}² + eye-band pooling`), () => describer.describeFace(x.img, x.face, x.lm));
      await time(stage('iris lid contour (64², one eye; only if in doubt)'), () => irisEyeOpening(iris, x.img, x.lm!, 'right'));
      await time(stage('faceres embedding (224², not used)'), () => describer.describe(x.img, x.face, 224));
      await time(stage('crop resampling alone (JS; inside the stages above)'), () => {
        sampleCrop(x.img, x.lm!.frame, FACEMESH_SIZE);
        sampleCrop(x.img, faceCropFrame(x.face.box, x.face.keypoints, EMBEDDING_CROP_ENLARGE), EMBEDDING_INPUT_SIZE, { scale: 255 });
        sampleCrop(x.img, featureFrame(x.lm!.frame), FEATURE_CROP_SIZE, { scale: 255 });
      });
      await time(stage('region features (128² crop)'), () => obstructionFeatures(x.img, x.lm!.mesh, x.lm!.frame, x.lm!.faceScore));
      await time(stage('analyzers (4, pure; features included)'), () => {
        const ctx = new AnalysisContext(x.img, x.scale, x.all, profile, { landmarks: x.lm, embedding: x.emb, eyeEmbedding: x.eyes });
        for (const a of OBSTRUCTION_ANALYZERS) a.analyze(ctx);
      });
    }
  }
  const rows = Object.entries(stages).map(([name, t]) => ({ name, median: median(t.wall), best: Math.min(...t.wall), cpu: mean(t.cpu) }));
  const used = rows.filter((r) => !r.name.includes('not used') && !r.name.startsWith('region') && !r.name.startsWith('crop'));
  const total = { median: used.reduce((s, r) => s + r.median, 0), best: used.reduce((s, r) => s + r.best, 0), cpu: used.reduce((s, r) => s + r.cpu, 0) };
  const fmt = (v: number) => v.toFixed(1).padStart(7);
  console.log(`bench-obstructions: ${faces.length} face(s) × ${runs} runs, one thread (ms per face)`);
  console.log(`${'stage'.padEnd(50)}  median     best  cpu mean`);
  for (const r of rows) console.log(`${r.name.padEnd(50)}${fmt(r.median)}  ${fmt(r.best)}  ${fmt(r.cpu)}`);
  console.log(`${'total per face, worst case (all of the above but 224²)'.padEnd(50)}${fmt(total.median)}  ${fmt(total.best)}  ${fmt(total.cpu)}`);
  await mesh.release();
  await describer.release();
  await iris.release();
  await detector.close?.();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
