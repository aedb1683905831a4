// Video speed and memory benchmark (numbers for docs/PERFORMANCE-VIDEO.md):
//  1. speed: a 720p30 clip of the astronaut scene (face present, so face analysis runs on every
//     sampled frame) through the checker, one file at a time, ffmpeg on one decoder thread;
//     reports real-time factors by wall clock and by total CPU time (node + ffmpeg);
//  2. memory: a 10-minute 1080p30 clip made with ffmpeg's lavfi test source (cheap to encode; the
//     decoder's memory depends on the frame size, not the picture), peak RSS of node plus its
//     ffmpeg child, sampled from /proc every 200 ms.
// Clips are made in a temporary folder and removed. Run with `npm run build && npm run bench:video`
// (--skip-long leaves out the 10-minute clip; --minutes N changes its length).
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadProfile } from '../src/config/profile.js';
import { createChecker } from '../src/pipeline/check.js';
import { locateFfmpeg } from '../src/media/video/ffmpeg-location.js';
import type { Result } from '../src/types.js';
import { renderSceneClip } from './video-synth/clips.js';
import { runFfmpeg } from './video-synth/ffmpeg-io.js';
import { repoRootDir } from './video-synth/paths.js';
import { calmPath, loadPhoto } from './video-synth/scene.js';

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds of this process and of its reaped children (ffmpeg), from /proc/self/stat. */
function cpuSeconds(): { self: number; children: number } {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
    // fields after "comm)": state(0) … utime(11) stime(12) cutime(13) cstime(14)
    return { self: (Number(f[11]) + Number(f[12])) / TICKS, children: (Number(f[13]) + Number(f[14])) / TICKS };
  } catch {
    const u = process.cpuUsage();
    return { self: (u.user + u.system) / 1e6, children: NaN };
  }
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function childPids(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const list = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) out.push(...list.split(/\s+/).map(Number));
    }
  } catch {
    // not Linux, or no children file
  }
  return out;
}

/** Samples node's + children's RSS while `work` runs; returns the peak (MB) and the peaks apart. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakMb: number; nodeMb: number; childMb: number }> {
  let peak = 0, nodePeak = 0, childPeak = 0;
  const sample = () => {
    const self = rssKb(process.pid);
    const kids = childPids(process.pid).reduce((s, p) => s + rssKb(p), 0);
    peak = Math.max(peak, self + kids);
    nodePeak = Math.max(nodePeak, self);
    childPeak = Math.max(childPeak, kids);
  };
  const timer = setInterval(sample, 200);
  try {
    const value = await work();
    sample();
    return { value, peakMb: peak / 1024, nodeMb: nodePeak / 1024, childMb: childPeak / 1024 };
  } finally {
    clearInterval(timer);
  }
}

async function timed(file: string, seconds: number, label: string): Promise<string> {
  const checker = await createChecker({ profile: loadProfile(), timeoutMs: 0 });
  try {
    await checker.check(join(repoRootDir(), 'fixtures', 'video', 'short-rotated.mp4')); // warm-up: models, ffmpeg lookup
    const c0 = cpuSeconds();
    const t0 = performance.now();
    const { value: r, peakMb, nodeMb, childMb } = await withPeakRss<Result>(() => checker.check(file));
    const wall = (performance.now() - t0) / 1000;
    const c1 = cpuSeconds();
    const node = c1.self - c0.self;
    const ff = c1.children - c0.children;
    if (r.error) throw new Error(`${label}: ${r.error.message}`);
    const v = r.video as { framesDecoded: number; framesAnalyzed: number; width: number; height: number };
    return `| ${label} | ${v.width}×${v.height}, ${seconds} s, ${v.framesDecoded} frames, ${v.framesAnalyzed} analysed | ${wall.toFixed(1)} s | ${(seconds / wall).toFixed(1)}× | ${node.toFixed(1)} + ${ff.toFixed(1)} s | ${(seconds / (node + ff)).toFixed(1)}× | ${peakMb.toFixed(0)} MB (node ${nodeMb.toFixed(0)}, ffmpeg ${childMb.toFixed(0)}) |`;
  } finally {
    await checker.close();
  }
}

export async function main(): Promise<void> {
  const skipLong = process.argv.includes('--skip-long');
  const mi = process.argv.indexOf('--minutes');
  const minutes = mi > 0 ? Number(process.argv[mi + 1]) : 10;
  const tools = await locateFfmpeg();
  const dir = await mkdtemp(join(tmpdir(), 'facedoctor-bench-video-'));
  const rows: string[] = [];
  try {
    const photo = await loadPhoto(join(repoRootDir(), 'fixtures', 'astronaut.png'));
    const clip720 = join(dir, 'astronaut-720p30.mp4');
    const seconds = 30;
    process.stderr.write(`making a ${seconds} s 720p30 clip…\n`);
    await renderSceneClip(tools, photo, calmPath, clip720, { fps: 30, seconds, width: 1280, height: 720, seed: 21, output: ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p'] });
    rows.push(await timed(clip720, seconds, '720p30 astronaut (face in every frame)'));
    process.stderr.write(`${rows[0]}\n`);
    if (!skipLong) {
      const long = join(dir, 'lavfi-1080p30.mp4');
      process.stderr.write(`making a ${minutes}-minute 1080p30 clip with lavfi…\n`);
      await runFfmpeg(tools.ffmpeg, ['-f', 'lavfi', '-i', 'testsrc=size=1920x1080:rate=30', '-t', String(minutes * 60), '-c:v', 'libx264', '-preset', 'ultrafast', '-crf', '35', '-g', '60', '-pix_fmt', 'yuv420p', long]);
      rows.push(await timed(long, minutes * 60, `${minutes}-min 1080p30 lavfi testsrc (no face)`));
      process.stderr.write(`${rows[rows.length - 1]}\n`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const out = [
    `# Video benchmark (${new Date().toISOString().slice(0, 10)}, ${tools.source}, node ${process.version})`,
    '',
    '| clip | content | wall | × real time (wall) | CPU node + ffmpeg | × real time (one core) | peak RSS |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  process.stdout.write(out);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
