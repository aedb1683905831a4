// `npm run bench`: speed of `check` against the decode-only floor (sharp decoding the same files),
// peak RSS, `--help` latency and time to first result. Figures go to docs/PERFORMANCE.md by hand.
//
// Inputs: ≥ 150 phone/web-size photos (≈ 1600 px long side) made in a temp dir from the real photos
// in ../shared/data (resized, never committed), or from the repo's synthetic fixtures if absent.
import { mkdtempSync, readdirSync, existsSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import sharp from 'sharp';
import { createChecker } from '../src/pipeline/check.js';
import { loadProfile } from '../src/config/profile.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SHARED = path.resolve(ROOT, '../shared/data');
const LONG_SIDE = 1600;
const WANT = Number(process.env.BENCH_FILES ?? 160);

function listImages(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(jpe?g|png)$/i.test(d.name))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

async function prepareInputs(out: string): Promise<string[]> {
  let sources = ['clean', 'eyeglasses', 'mask', 'sunglasses', 'hat', 'dark'].flatMap((d) => listImages(path.join(SHARED, d)));
  let origin = '../shared/data';
  if (sources.length === 0) {
    sources = listImages(path.join(ROOT, 'fixtures/synthetic'));
    origin = 'fixtures/synthetic (../shared/data absent)';
  }
  // Spread the picks over all sources deterministically.
  const step = Math.max(1, sources.length / WANT);
  const picks: string[] = [];
  for (let i = 0; picks.length < WANT && Math.floor(i) < sources.length * 4; i += step) picks.push(sources[Math.floor(i) % sources.length]);
  const files: string[] = [];
  for (const [i, src] of picks.entries()) {
    const dst = path.join(out, `${String(i).padStart(4, '0')}.jpg`);
    // A phone-size JPEG at quality 90, like an upload from a KYC web page or app.
    await sharp(src).rotate().resize({ width: LONG_SIDE, height: LONG_SIDE, fit: 'inside' }).jpeg({ quality: 90 }).toFile(dst);
    files.push(dst);
  }
  process.stderr.write(`bench: ${files.length} inputs at ${LONG_SIDE} px long side from ${origin}\n`);
  return files;
}

async function timeDecodeOnly(files: string[]): Promise<number> {
  sharp.concurrency(1);
  sharp.cache(false);
  const t0 = performance.now();
  for (const f of files) await sharp(f).rotate().raw().toBuffer();
  return performance.now() - t0;
}

async function timePipeline(files: string[]): Promise<{ ms: number; verdicts: Record<string, number> }> {
  const checker = await createChecker({ profile: loadProfile() });
  await checker.check(files[0]); // warm-up: model sessions and JIT, as in any batch after file 1
  const verdicts: Record<string, number> = {};
  const t0 = performance.now();
  for (const f of files) {
    const r = await checker.check(f);
    verdicts[r.verdict] = (verdicts[r.verdict] ?? 0) + 1;
  }
  const ms = performance.now() - t0;
  await checker.close();
  return { ms, verdicts };
}

/** Runs the CLI; resolves with ms until the first stdout byte and until exit. */
function timeCli(args: string[]): Promise<{ firstOutputMs: number; totalMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let first = NaN;
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/facedoctor.js'), ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', () => {
      if (Number.isNaN(first)) first = performance.now() - t0;
    });
    child.on('error', reject);
    child.on('close', () => resolve({ firstOutputMs: first, totalMs: performance.now() - t0 }));
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'facedoctor-bench-'));
  try {
    const files = await prepareInputs(dir);
    const bytes = files.reduce((s, f) => s + statSync(f).size, 0);
    // Interleave the two measurements and keep the best of each, so load from other processes
    // on a shared machine does not favour either.
    const decode: number[] = [];
    const pipe: number[] = [];
    let verdicts: Record<string, number> = {};
    for (let round = 0; round < 2; round++) {
      decode.push(await timeDecodeOnly(files));
      const p = await timePipeline(files);
      pipe.push(p.ms);
      verdicts = p.verdicts;
    }
    const decodeMs = Math.min(...decode);
    const pipeMs = Math.min(...pipe);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    const help: number[] = [];
    for (let i = 0; i < 7; i++) help.push((await timeCli(['--help'])).totalMs);
    const first: number[] = [];
    for (let i = 0; i < 5; i++) first.push((await timeCli(['check', '--format', 'ndjson', files[i]])).firstOutputMs);
    const report = {
      date: new Date().toISOString().slice(0, 10),
      node: process.version,
      files: files.length,
      megabytes: Math.round(bytes / 1e5) / 10,
      decodeOnlyMsPerFile: +(decodeMs / files.length).toFixed(2),
      pipelineMsPerFile: +(pipeMs / files.length).toFixed(2),
      ratioToDecode: +(pipeMs / decodeMs).toFixed(2),
      peakRssMb: Math.round(rssMb),
      helpMsMedian: Math.round(median(help)),
      firstResultMsMedian: Math.round(median(first)),
      verdicts,
    };
    const targets = { ratioToDecode: 2.0, peakRssMb: 300, helpMsMedian: 150, firstResultMsMedian: 500 };
    if (process.argv.includes('--json')) {
      process.stdout.write(JSON.stringify({ ...report, targets }, null, 2) + '\n');
    } else {
      const rows: Array<[string, string, string]> = [
        ['decode only (sharp, full size)', `${report.decodeOnlyMsPerFile} ms/file`, 'floor'],
        ['check pipeline', `${report.pipelineMsPerFile} ms/file`, ''],
        ['pipeline ÷ decode', `${report.ratioToDecode}×`, `≤ ${targets.ratioToDecode}×`],
        ['peak RSS', `${report.peakRssMb} MB`, `≤ ${targets.peakRssMb} MB`],
        ['--help', `${report.helpMsMedian} ms`, `≤ ${targets.helpMsMedian} ms`],
        ['first result', `${report.firstResultMsMedian} ms`, `≤ ${targets.firstResultMsMedian} ms`],
      ];
      process.stdout.write(`facedoctor bench ${report.date}, ${report.files} files (${report.megabytes} MB), ${report.node}, one core\n`);
      for (const [k, v, t] of rows) process.stdout.write(`  ${k.padEnd(32)} ${v.padStart(14)}   ${t}\n`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
