// Build a labelled evaluation tree from a folder of clean real photos:
//   <out>/clean/<name>                 untouched copies (negatives)
//   <out>/<cause-code>/<stem>.jpg      one synthetic failure per photo and code
//   <out>/MANIFEST.json                what was applied to which photo, with which parameters
// Photos are split deterministically into `tune` and `test` halves by a hash of the file name
// (frames of one NUAA webcam session share a key, so near-duplicates never straddle the halves),
// so thresholds can be tuned on one half and reported on the other. Each degradation's severity is
// drawn, seeded per photo and code, uniformly from 0..1 — i.e. across that code's whole realistic
// range (see the *Params functions in tools/synth), not only the extreme end.
//
//   node dist/tools/make-eval-set.js [--split tune|test] [--src DIR] [--manifest CSV] [--out DIR]
//                                    [--seed N] [--codes a,b] [--limit N] [--quality Q]
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Box } from '../src/types.js';
import { isSynthCode, SYNTH_CODES, synthesize, type SynthCode } from './synth/degrade.js';
import { isImageFile, listFiles, readManifest, repoRoot, sharedDataDir, sourceOf, writeImage, type ManifestRow } from './synth/files.js';
import { readRgb, roundBox } from './synth/pixels.js';
import { hashSeed, Rng } from './synth/rng.js';

export type Split = 'tune' | 'test';

/**
 * The key a photo is split by: its file name, except NUAA webcam frames
 * (`nuaa__<subject>_<glasses>_<pos>_<session>_<frame>`), which are keyed by session.
 */
export function splitKey(file: string): string {
  const name = basename(file, extname(file));
  const nuaa = /^(nuaa__\d+_\d+_\d+_\d+)_\d+$/.exec(name);
  return nuaa ? nuaa[1] : name;
}

export function splitOf(file: string): Split {
  return (hashSeed('facedoctor-eval-split', splitKey(file)) & 1) === 0 ? 'tune' : 'test';
}

/** A centred guess when the manifest has no box: a face about a third of the width, upper middle. */
function guessFace(w: number, h: number): Box {
  const fw = 0.34 * Math.min(w, h);
  return { x: (w - fw) / 2, y: 0.22 * h, width: fw, height: 1.15 * fw };
}

function faceFor(row: ManifestRow | undefined, w: number, h: number): { face: Box; from: 'manifest' | 'guess' } {
  const f = row?.face;
  if (f && row && row.width > 0 && row.height > 0) {
    // The manifest measured the stored (oriented) image; rescale if the decoded size differs.
    const sx = w / row.width;
    const sy = h / row.height;
    if (Math.abs(sx - sy) < 0.02) {
      const b = { x: f.x * sx, y: f.y * sy, width: f.width * sx, height: f.height * sy };
      const inside = b.x >= -0.2 * b.width && b.y >= -0.2 * b.height && b.x + b.width <= w * 1.05 && b.y + b.height <= h * 1.05;
      if (inside && b.width >= 8) return { face: b, from: 'manifest' };
    }
  }
  return { face: guessFace(w, h), from: 'guess' };
}

export interface EvalSetOptions {
  split: Split;
  src: string;
  manifest: string;
  out: string;
  seed: number;
  codes: SynthCode[];
  limit?: number;
  quality: number;
  log?: (s: string) => void;
}

export interface EvalItem {
  file: string;
  label: string;
  original: string;
  source: string | null;
  degradation: string;
  severity: number | null;
  seed: number | null;
  params: Record<string, unknown>;
  faceFrom: 'manifest' | 'guess';
  faces: Box[];
}

export async function makeEvalSet(o: EvalSetOptions): Promise<EvalItem[]> {
  const log = o.log ?? ((s: string) => process.stderr.write(s + '\n'));
  const out = resolve(o.out);
  const src = resolve(o.src);
  if (src === out || src.startsWith(out + sep) || out.startsWith(resolve(sharedDataDir()) + sep) || out === resolve(sharedDataDir())) {
    throw new Error(`refusing to write into ${out}: it holds (or is inside) the source photos`);
  }
  const manifest = readManifest(o.manifest);
  const byName = new Map<string, ManifestRow>();
  for (const r of manifest.values()) byName.set(basename(r.file), r);
  const all = await listFiles(o.src, isImageFile);
  let photos = all.filter((f) => splitOf(f) === o.split);
  if (o.limit !== undefined) photos = photos.slice(0, o.limit);
  log(`make-eval-set: ${photos.length} of ${all.length} photos in ${o.src} fall in the "${o.split}" half; writing ${o.out}`);
  await mkdir(o.out, { recursive: true });
  for (const label of ['clean', ...o.codes]) await rm(join(o.out, label), { recursive: true, force: true });
  const items: EvalItem[] = [];
  let n = 0;
  let failures = 0;
  const skipped: Array<{ file: string; code: string; reason: string }> = [];
  for (const file of photos) {
    n++;
    const name = basename(file);
    const stem = basename(name, extname(name));
    const row = manifest.get(`${basename(o.src)}/${name}`) ?? byName.get(name);
    let img;
    try {
      img = await readRgb(file);
    } catch (e) {
      log(`  skip ${name}: cannot decode (${(e as Error).message})`);
      continue;
    }
    const { face, from } = faceFor(row, img.width, img.height);
    const cleanOut = join(o.out, 'clean', name);
    await mkdir(dirname(cleanOut), { recursive: true });
    await copyFile(file, cleanOut);
    const base = { original: relative(o.out, file), source: sourceOf(name), faceFrom: from };
    items.push({ ...base, file: relative(o.out, cleanOut), label: 'clean', degradation: 'none', severity: null, seed: null, params: {}, faces: [roundBox(face)] });
    for (const code of o.codes) {
      // A photo with other people in it cannot be made face-free by removing the main face.
      if (code === 'no-face' && (row?.facesDetected ?? 1) > 1) {
        skipped.push({ file: name, code, reason: `${row?.facesDetected} faces detected in the original` });
        continue;
      }
      const seed = hashSeed(o.seed, code, name);
      const severity = Math.round(new Rng(hashSeed(seed, 'severity')).next() * 1000) / 1000;
      let r;
      try {
        r = await synthesize(code, img, face, severity, seed);
      } catch (e) {
        failures++;
        log(`  ${code} failed on ${name} (severity ${severity}): ${(e as Error).message}`);
        continue;
      }
      const outFile = join(o.out, code, `${stem}.jpg`);
      await writeImage(r.image, outFile, { quality: o.quality });
      const params: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r.params)) params[k] = typeof v === 'number' ? Math.round(v * 10000) / 10000 : v;
      items.push({
        ...base,
        file: relative(o.out, outFile),
        label: code,
        degradation: r.degradation,
        severity,
        seed,
        params,
        faces: (r.image.faces ?? []).map(roundBox),
      });
    }
    if (n % 10 === 0 || n === photos.length) log(`  ${n}/${photos.length}`);
  }
  const doc = {
    generator: 'tools/make-eval-set.ts',
    split: o.split,
    src: o.src,
    seed: o.seed,
    codes: o.codes,
    severity: 'uniform 0..1 per photo and code; 0 = mildest case that should still be reported, 1 = extreme',
    skipped,
    items,
  };
  await writeFile(join(o.out, 'MANIFEST.json'), JSON.stringify(doc, null, 2) + '\n');
  const cleanCount = items.filter((i) => i.label === 'clean').length;
  log(`make-eval-set: wrote ${items.length} files (${cleanCount} clean + ${items.length - cleanCount} degraded)${skipped.length ? `; ${skipped.length} skipped (see MANIFEST.json)` : ''}${failures ? `; ${failures} degradations failed` : ''}`);
  return items;
}

const USAGE = `usage: node dist/tools/make-eval-set.js [options]
  --split tune|test   which half of the photos to use (default tune)
  --src DIR           folder of clean real photos (default ../shared/data/clean)
  --manifest CSV      face boxes (default <src>/../manifest.csv; a centred guess when absent)
  --out DIR           output tree (default .tmp/eval-<split>, git-ignored)
  --seed N            base seed (default 1)
  --codes a,b         cause codes to synthesise (default all ${SYNTH_CODES.length})
  --limit N           use only the first N photos of the half
  --quality Q         JPEG quality of the degraded files (default 92)`;

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      split: { type: 'string', default: 'tune' },
      src: { type: 'string' },
      manifest: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      codes: { type: 'string' },
      limit: { type: 'string' },
      quality: { type: 'string', default: '92' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const split = values.split;
  if (split !== 'tune' && split !== 'test') {
    console.error(`--split must be tune or test, not "${split}"\n${USAGE}`);
    return 2;
  }
  const codes = values.codes ? values.codes.split(',').map((s) => s.trim()).filter(Boolean) : [...SYNTH_CODES];
  const bad = codes.filter((c) => !isSynthCode(c));
  if (bad.length) {
    console.error(`cannot synthesise ${bad.join(', ')}; known: ${SYNTH_CODES.join(', ')}`);
    return 2;
  }
  const src = resolve(values.src ?? join(sharedDataDir(), 'clean'));
  if (!existsSync(src)) {
    console.error(`make-eval-set: ${src} not found; nothing to build (the shared real photos are not on this machine)`);
    return 0;
  }
  const num = (s: string | undefined, what: string) => {
    const v = Number(s);
    if (s === undefined || !Number.isFinite(v)) throw new Error(`${what} must be a number`);
    return v;
  };
  await makeEvalSet({
    split,
    src,
    manifest: resolve(values.manifest ?? join(dirname(src), 'manifest.csv')),
    out: resolve(values.out ?? join(repoRoot(), '.tmp', `eval-${split}`)),
    seed: num(values.seed, '--seed'),
    codes: codes as SynthCode[],
    limit: values.limit !== undefined ? num(values.limit, '--limit') : undefined,
    quality: num(values.quality, '--quality'),
  });
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`make-eval-set: ${(e as Error).message ?? e}`);
      process.exit(1);
    },
  );
}
