// `npm run bench:batch`: batch scaling and memory. Figures go to docs/PERFORMANCE-BATCH.md by hand.
//
//   npm run bench:batch                     throughput of 1 vs 2 workers, in-process vs pool, first result,
//                                           and the machine's own two-core ceiling for comparison
//   npm run bench:batch -- --files 200 --rounds 3 --warm-passes 2   (each runner: untimed passes first)
//   npm run bench:batch -- --e2e-files 2000 --e2e-only   the CLI end to end on 2,000 files, --jobs 1 and 2 interleaved
//   npm run bench:batch -- --no-malloc-env   steady state without the pooled CLI's malloc settings
//   npm run bench:batch -- --rss 20000      peak RSS of a --jobs 2 run over 20,000 files, RSS every 1,000
//   npm run bench:batch -- --rss 3000 --checkpoint 500 --env MALLOC_ARENA_MAX=2   (A/B of allocator settings)
//
// Inputs are made in a temp dir (never committed): the real photos of ../shared/data/clean, cycled
// to --files, or copies of fixtures/astronaut.png when that folder is absent. The machine is
// shared, so every measurement reports the CPU the run actually got (CPU time ÷ wall time) and the
// load average; configurations are interleaved round by round so load drifts hit all alike.
import { closeSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { loadProfile } from '../src/config/profile.js';
import { expandInputs } from '../src/batch/inputs.js';
import { runBatch } from '../src/batch/run-batch.js';
import { inProcessRunner, poolRunner, type CheckRunner } from '../src/batch/runner.js';
import { BATCH_MALLOC_ENV, rerunWithBatchMalloc } from '../src/batch/malloc-rerun.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const CLEAN = path.resolve(ROOT, '../shared/data/clean');
const ASTRONAUT = path.join(ROOT, 'fixtures/astronaut.png');
const CLI = path.join(ROOT, 'bin/facedoctor.js');

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function sources(): { files: string[]; origin: string } {
  if (existsSync(CLEAN)) {
    const files = readdirSync(CLEAN).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().map((f) => path.join(CLEAN, f));
    if (files.length) return { files, origin: `../shared/data/clean (${files.length} real photos, cycled)` };
  }
  return { files: [ASTRONAUT], origin: 'fixtures/astronaut.png copies (../shared/data absent)' };
}

/** `n` inputs in `dir`, in sub-folders of 1000; hard links when possible (a 20,000-file tree costs no disk). */
function makeInputs(dir: string, n: number): string {
  const { files, origin } = sources();
  for (let i = 0; i < n; i++) {
    const sub = path.join(dir, String(Math.floor(i / 1000)).padStart(3, '0'));
    if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
    const src = files[i % files.length];
    const dst = path.join(sub, `${String(i).padStart(6, '0')}${path.extname(src)}`);
    try {
      linkSync(src, dst);
    } catch {
      copyFileSync(src, dst);
    }
  }
  return origin;
}

interface Measure {
  wallS: number;
  cpuS: number;
  results: number;
  load: number;
}

/**
 * One timed pass of a runner over every input. Runners live for the whole bench and are warmed by
 * a full untimed pass first (bench:batch's --warm-passes): a pool's workers are fresh V8 isolates
 * whose first hundreds of files cost more CPU (JIT, heap growth), while an in-process runner
 * reuses the bench's own already-warm isolate. Timing fresh pools after one warm file each — as
 * this bench did before 27 Nov — charged the pool that start-up in every round; a long audit
 * (the issue's tens of thousands of files) runs warm.
 */
async function timePass(runner: CheckRunner, dir: string): Promise<Measure> {
  const load = loadavg()[0];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let results = 0;
  await runBatch({ items: expandInputs([dir]), runner, maxInFlight: runner.maxInFlight, onResult: () => results++ });
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wallS, cpuS: (cpu.user + cpu.system) / 1e6, results, load };
}

interface CliMeasure {
  wallS: number;
  firstMs: number;
  cpuS: number;
  /** Peak RSS: the process's own high-water mark, or with child processes the peak of the sampled
   *  sum of their RSS (which counts the pages of node and its libraries once per process). */
  peakRssMb: number;
  /** Peak of the sampled footprint: anonymous memory of every process plus the largest file-backed
   *  RSS (the processes map the same node binary and libraries), which is what a memory cgroup
   *  counts. Equal to the RSS for a single process. */
  peakFootprintMb: number;
  code: number | null;
  /** [seconds since start, tree RSS MB, result lines written so far, footprint MB] per sample. */
  samples: Array<[number, number, number, number]>;
}

interface CliRun {
  /** Extra environment for the CLI (A/B runs of allocator settings). */
  env?: Record<string, string>;
  /** Count the lines of this file at every sample, to tie RSS to files done. */
  outFile?: string;
  sampleEveryMs?: number;
}

/** The pid and its descendants (a CLI that re-executes itself runs the work in a child). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${out[i]}/task`)) {
        const kids = readFileSync(`/proc/${out[i]}/task/${task}/children`, 'utf8').trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // exited between samples
    }
  }
  return out;
}

function procStatus(pid: number): { rssKb: number; anonKb: number; fileKb: number; hwmKb: number; cpuTicks: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
    return {
      rssKb: kb('VmRSS'),
      anonKb: kb('RssAnon') + kb('RssShmem'),
      fileKb: kb('RssFile'),
      hwmKb: kb('VmHWM'),
      cpuTicks: Number(stat[11]) + Number(stat[12]), // utime + stime, all threads
    };
  } catch {
    return undefined;
  }
}

/** Newlines appended to a file since the last call (a cheap running line count of the output). */
function lineCounter(file: string): () => number {
  let offset = 0;
  let lines = 0;
  const buf = Buffer.alloc(1 << 16);
  return () => {
    let fd: number | undefined;
    try {
      fd = openSync(file, 'r');
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, offset);
        if (n <= 0) break;
        offset += n;
        for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
      }
    } catch {
      // not created yet
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return lines;
  };
}

/** Runs the CLI; CPU time and RSS from /proc while it runs (worker threads are in the same
 *  process; child processes, if any, are added in). */
function timeCli(args: string[], run: CliRun = {}): Promise<CliMeasure> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let firstMs = NaN;
    // The CLI chooses its own allocator settings (a pooled run reruns itself with them): do not
    // hand it the ones this bench may be running under, unless asked to.
    const env = { ...process.env, ...Object.fromEntries(Object.keys(BATCH_MALLOC_ENV).map((k) => [k, undefined])), ...run.env };
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'ignore'], env });
    child.stdout.on('data', () => {
      if (Number.isNaN(firstMs)) firstMs = performance.now() - t0;
    });
    const lines = run.outFile ? lineCounter(run.outFile) : () => 0;
    let peakKb = 0;
    let peakFootprintKb = 0;
    const cpu = new Map<number, number>(); // last CPU ticks seen per process
    const samples: CliMeasure['samples'] = [];
    const sample = () => {
      let rssKb = 0;
      let anonKb = 0;
      let fileKb = 0;
      for (const pid of processTree(child.pid!)) {
        const s = procStatus(pid);
        if (!s) continue;
        rssKb += s.rssKb;
        anonKb += s.anonKb;
        fileKb = Math.max(fileKb, s.fileKb);
        cpu.set(pid, s.cpuTicks);
        // A single process's own high-water mark catches peaks between samples.
        peakKb = Math.max(peakKb, s.hwmKb);
      }
      peakKb = Math.max(peakKb, rssKb);
      peakFootprintKb = Math.max(peakFootprintKb, anonKb + fileKb);
      if (rssKb) samples.push([Math.round((performance.now() - t0) / 1000), Math.round(rssKb / 1024), lines(), Math.round((anonKb + fileKb) / 1024)]);
    };
    const timer = setInterval(sample, run.sampleEveryMs ?? 250);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const cpuTicks = [...cpu.values()].reduce((a, b) => a + b, 0);
      resolve({ wallS: (performance.now() - t0) / 1000, firstMs, cpuS: cpuTicks / 100, peakRssMb: Math.round(peakKb / 1024), peakFootprintMb: Math.round(peakFootprintKb / 1024), code, samples });
    });
  });
}

const fmt = (x: number, d = 2) => x.toFixed(d);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function throughput(): Promise<void> {
  // The pooled CLI runs under BATCH_MALLOC_ENV (src/batch/malloc-rerun.ts), so the steady-state
  // runners here do too (the in-process one barely notices: few threads); --no-malloc-env to compare.
  if (!process.argv.includes('--no-malloc-env')) {
    const rerun = rerunWithBatchMalloc();
    if (rerun) {
      process.exitCode = await rerun;
      return;
    }
  }
  const n = arg('files', 200);
  const rounds = arg('rounds', 3);
  const dir = mkdtempSync(path.join(tmpdir(), 'facedoctor-bench-batch-'));
  const cleanup = [dir];
  try {
    const origin = makeInputs(dir, n);
    // The end-to-end rows may use a larger tree: with 200 files start-up is most of the time.
    const e2eFiles = arg('e2e-files', n);
    const e2eDir = e2eFiles === n ? dir : mkdtempSync(path.join(tmpdir(), 'facedoctor-bench-batch-e2e-'));
    if (e2eDir !== dir) {
      cleanup.push(e2eDir);
      makeInputs(e2eDir, e2eFiles);
    }
    if (process.argv.includes('--e2e-only')) {
      await endToEnd(e2eDir, e2eFiles, rounds);
      return;
    }
    const warm = sources().files[0];
    const profile = loadProfile();
    const configs: Array<[string, () => Promise<CheckRunner> | CheckRunner]> = [
      ['in-process (1)', () => inProcessRunner({ profile })],
      ['pool, 1 worker', () => poolRunner({ profile }, 1)],
      ['pool, 2 workers', () => poolRunner({ profile }, 2)],
    ];
    const warmPasses = arg('warm-passes', 1);
    const out: Record<string, Measure[]> = Object.fromEntries(configs.map(([k]) => [k, []]));
    const mallocEnv = Object.keys(BATCH_MALLOC_ENV).map((k) => `${k}=${process.env[k] ?? '(unset)'}`).join(' ');
    process.stdout.write(
      `bench:batch ${new Date().toISOString()}  ${n} files from ${origin}, ${process.version}, ${rounds} rounds after ${warmPasses} untimed pass(es) per runner, steady state under ${mallocEnv}\n`,
    );
    // Every runner is started and warmed once, then kept: idle workers cost no CPU meanwhile.
    const runners = new Map<string, CheckRunner>();
    try {
      for (const [name, make] of configs) {
        const runner = await make();
        runners.set(name, runner);
        for (let w = 0; w < warmPasses; w++) await timePass(runner, dir);
      }
      const ceilings: number[] = [];
      for (let r = 0; r < rounds; r++) {
        const c = await parallelCeiling();
        ceilings.push(c.ratio);
        process.stdout.write(`  round ${r + 1} machine ceiling  one kernel ${fmt(c.oneS)} s, two at once ${fmt(c.twoS)} s: ${fmt(c.ratio)}×\n`);
        // Rotate the order each round so no configuration always runs in the same load phase.
        for (let k = 0; k < configs.length; k++) {
          const [name] = configs[(k + r) % configs.length];
          const m = await timePass(runners.get(name)!, dir);
          out[name].push(m);
          process.stdout.write(
            `  round ${r + 1} ${name.padEnd(16)} ${fmt(m.results / m.wallS)} files/s  wall ${fmt(m.wallS, 1)} s  cpu ${fmt(m.cpuS, 1)} s  (${fmt(m.cpuS / m.wallS)} cores)  load ${fmt(m.load, 1)}\n`,
          );
        }
      }
      process.stdout.write(
        `  machine ceiling (a fixed pure-JS kernel, two processes at once ÷ one): ${fmt(median(ceilings))}×  (per round: ${ceilings.map((x) => fmt(x)).join(', ')})\n`,
      );
    } finally {
      for (const runner of runners.values()) await runner.close();
    }
    process.stdout.write('\nsteady state (models loaded), median of rounds:\n');
    const rate = (k: string) => median(out[k].map((m) => m.results / m.wallS));
    const cpuPerFile = (k: string) => median(out[k].map((m) => (m.cpuS / m.results) * 1000));
    const cores = (k: string) => median(out[k].map((m) => m.cpuS / m.wallS));
    for (const [k] of configs) {
      process.stdout.write(`  ${k.padEnd(16)} ${fmt(rate(k))} files/s   ${fmt(cpuPerFile(k), 0)} ms CPU/file   ${fmt(cores(k))} cores used\n`);
    }
    const speedup = rate('pool, 2 workers') / rate('in-process (1)');
    const perRound = out['pool, 2 workers'].map((m, i) => m.results / m.wallS / (out['in-process (1)'][i].results / out['in-process (1)'][i].wallS));
    process.stdout.write(`  2 workers ÷ 1 (in-process): ${fmt(speedup)}×  (per round: ${perRound.map((x) => fmt(x)).join(', ')})  target ≥ 1.7×\n`);
    process.stdout.write(`  2 workers ÷ pool of 1:      ${fmt(rate('pool, 2 workers') / rate('pool, 1 worker'))}×\n`);
    process.stdout.write(
      `  CPU-bound estimate (CPU/file of 1 ÷ CPU/file of 2, ×2 cores): ${fmt((2 * cpuPerFile('in-process (1)')) / cpuPerFile('pool, 2 workers'))}×\n`,
    );

    await endToEnd(e2eDir, e2eFiles, rounds);
    const first: number[] = [];
    const one = path.join(dir, '000', `000000${path.extname(warm)}`);
    for (let i = 0; i < 5; i++) first.push((await timeCli(['check', '--format', 'ndjson', one])).firstMs);
    process.stdout.write(`  first result, one file (default --jobs): median ${fmt(median(first), 0)} ms of ${first.map((x) => fmt(x, 0)).join(', ')}  target ≤ 500 ms\n`);
  } finally {
    for (const d of cleanup) rmSync(d, { recursive: true, force: true });
  }
}

/**
 * The CLI end to end (start-up, warm-up and the last files' tail included), `--jobs 1` and
 * `--jobs 2` interleaved within each round, order alternating, so the VM's drift from minute to
 * minute falls on both alike; the ratio is taken per round, then the median.
 */
async function endToEnd(dir: string, files: number, rounds: number): Promise<void> {
  process.stdout.write(`\nend to end (the CLI, start-up included, ${files} files), --jobs 1 and 2 interleaved, median of rounds (${new Date().toISOString()}):\n`);
  const runs: Record<string, CliMeasure[]> = { '1': [], '2': [] };
  for (let r = 0; r < rounds; r++) {
    for (const jobs of r % 2 ? ['2', '1'] : ['1', '2']) {
      const m = await timeCli(['check', '--format', 'ndjson', '--no-progress', '-o', '/dev/null', '--jobs', jobs, dir]);
      runs[jobs].push(m);
      process.stdout.write(`  round ${r + 1} --jobs ${jobs}: wall ${fmt(m.wallS, 1)} s  peak RSS ${m.peakRssMb} MB  load ${fmt(loadavg()[0], 1)}\n`);
    }
  }
  for (const jobs of ['1', '2']) {
    const wall = median(runs[jobs].map((m) => m.wallS));
    process.stdout.write(`  --jobs ${jobs}: ${fmt(files / wall)} files/s  wall ${fmt(wall, 1)} s  peak RSS ${median(runs[jobs].map((m) => m.peakRssMb))} MB\n`);
  }
  const ratios = runs['1'].map((m, i) => m.wallS / runs['2'][i].wallS);
  process.stdout.write(`  --jobs 2 ÷ --jobs 1: ${fmt(median(ratios))}×  (per round: ${ratios.map((x) => fmt(x)).join(', ')})  target ≥ 1.7×\n`);
}

/**
 * What two cores give on this machine for work that shares nothing: a fixed floating-point loop
 * over a small (cache-resident) array in one child process, then in two at once. Two vCPUs of a
 * VM can be hyperthreads of one host core or lose clock speed when both run, so the batch's
 * 2-workers ratio is read against this, measured in the same round.
 */
async function parallelCeiling(): Promise<{ oneS: number; twoS: number; ratio: number }> {
  // Inside a function: top-level `let` in `node -e` is a script global, several times slower.
  const kernel = '(()=>{const a=new Float64Array(4096).map((_,i)=>i%7);let s=0;for(let k=0;k<250000;k++)for(let i=0;i<4096;i++)s+=a[i]*1.0001;if(!(s>0))process.exit(1)})()';
  const run = (copies: number) =>
    new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      let left = copies;
      for (let i = 0; i < copies; i++) {
        spawn(process.execPath, ['-e', kernel], { stdio: 'ignore' })
          .on('error', reject)
          .on('close', (code) => {
            if (code !== 0) reject(new Error(`ceiling kernel exited with ${code}`));
            else if (--left === 0) resolve((performance.now() - t0) / 1000);
          });
      }
    });
  // One, two, one: the VM's speed drifts within seconds, so the pair brackets the two-at-once run.
  const before = await run(1);
  const twoS = await run(2);
  const oneS = (before + (await run(1))) / 2;
  return { oneS, twoS, ratio: (2 * oneS) / twoS };
}

/** `--env K=V` (repeatable): extra environment for the CLI under test. */
function envArgs(): Record<string, string> {
  const env: Record<string, string> = {};
  process.argv.forEach((a, i) => {
    if (a !== '--env') return;
    const [k, ...v] = (process.argv[i + 1] ?? '').split('=');
    if (k) env[k] = v.join('=');
  });
  return env;
}

async function rss(n: number): Promise<void> {
  const every = arg('checkpoint', 1000);
  const env = envArgs();
  const dir = mkdtempSync(path.join(tmpdir(), 'facedoctor-bench-rss-'));
  const outFile = path.join(dir, 'out.ndjson');
  try {
    const origin = makeInputs(path.join(dir, 'in'), n);
    const envText = Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ') || '(no extra env)';
    process.stdout.write(`bench:batch --rss ${new Date().toISOString()}  ${n} files from ${origin}, --jobs 2, ${envText}, ${process.version}, load ${fmt(loadavg()[0], 1)}\n`);
    const m = await timeCli(['check', '--format', 'ndjson', '--no-progress', '--summary', '-o', outFile, '--jobs', '2', path.join(dir, 'in')], { env, outFile, sampleEveryMs: 1000 });
    const lines = readFileSync(outFile, 'utf8').split('\n').filter(Boolean).length;
    process.stdout.write(`  exit ${m.code}, ${lines - 1} result lines + summary, wall ${fmt(m.wallS, 0)} s, ${fmt(n / m.wallS)} files/s, cpu ${fmt(m.cpuS, 0)} s, load now ${fmt(loadavg()[0], 1)}\n`);
    process.stdout.write(`  peak RSS (whole process incl. worker threads; with a child process, sum of both): ${m.peakRssMb} MB  target ≤ 400 MB\n`);
    process.stdout.write(`  peak footprint (anonymous memory of all processes + shared file pages once): ${m.peakFootprintMb} MB\n`);
    // Flat memory: the RSS at each checkpoint (first sample past every `every` files) and the
    // highest sample up to it stop rising once the workers are warm.
    const rows: string[] = [];
    let next = every;
    let maxSoFar = 0;
    for (const [t, mb, done, footprint] of m.samples) {
      maxSoFar = Math.max(maxSoFar, mb);
      if (done >= next) {
        rows.push(`${String(Math.floor(done / every) * every).padStart(6)} files  ${String(t).padStart(5)} s  RSS ${mb} MB  max so far ${maxSoFar} MB  footprint ${footprint} MB`);
        while (next <= done) next += every;
      }
    }
    process.stdout.write(`  checkpoints (sampled once a second):\n${rows.map((r) => `    ${r}\n`).join('')}`);
    const lastHalf = m.samples.slice(Math.floor(m.samples.length / 2));
    const firstHalf = m.samples.slice(Math.min(5, m.samples.length), Math.floor(m.samples.length / 2));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    process.stdout.write(`  mean RSS first half (after 5 s) ${fmt(mean(firstHalf.map((s) => s[1])), 0)} MB, second half ${fmt(mean(lastHalf.map((s) => s[1])), 0)} MB\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


const rssFiles = arg('rss', 0);
if (rssFiles > 0) await rss(rssFiles);
else await throughput();
