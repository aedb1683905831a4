// A wider check of the standing-band flicker test than the five clip sources of eval-video: real
// photos from ../shared/data (one split half, tools/make-eval-set.ts' split) turned into 2-second
// "clips" in-process — a camera drifting slowly over the photo, sensor noise — once clean and once
// with standing mains bands (2–4.5 cycles a frame, depth 0.12–0.18, random phase; 120 Hz at 30 fps
// or 100 Hz at 25 fps). The grey thumbnails go straight to the frame-series builder (no ffmpeg, no
// H.264), so this measures the scene's part of the problem: which faces and rooms look like bands.
// Close-up portraits (the face filling the frame) are the hard negatives.
// Run: `npm run build && node dist/tools/eval-video-photos.js [--split tune|test] [--count 40]`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadProfile } from '../src/config/profile.js';
import { analyzeVideoFlicker } from '../src/analyzers/temporal/flicker.js';
import { FrameSeriesBuilder } from '../src/analyzers/temporal/frame-series.js';
import { splitOf, type Split } from './make-eval-set.js';
import { sharedDataDir } from './synth/files.js';
import { applyFlicker, type FlickerSpec } from './video-synth/flicker.js';
import { BASE_WINDOW, loadPhoto, renderFrame, rng, type Photo } from './video-synth/scene.js';

const FOLDERS = ['clean', 'hat', 'eyeglasses'];
const W = 240;
const H = 180;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** True when the flicker analyzer reports standing bands (or any flicker) on the clip. */
function flickerOn(photo: Photo, fps: number, seed: number, spec: FlickerSpec | undefined): boolean {
  const v = loadProfile().values;
  const b = new FrameSeriesBuilder({ windowSeconds: v['video.flicker.windowSeconds'], hopSeconds: v['video.flicker.windowSeconds'] / 2 });
  // The window shows 85 % of the photo, drifting by 1 % of it: a still camera on a person.
  const zoom = BASE_WINDOW.width / (0.85 * Math.min(photo.width, (photo.height * 4) / 3));
  const r = rng(seed);
  const p1 = 6.28 * r(), p2 = 6.28 * r();
  for (let k = 0; k <= 2 * fps; k++) {
    const t = k / fps;
    const pose = { cx: photo.width * (0.5 + 0.01 * Math.sin(0.8 * t + p1)), cy: photo.height * (0.5 + 0.01 * Math.sin(0.6 * t + p2)), zoom };
    const frame = renderFrame(photo, pose, W, H, 1.5, rng(seed * 1000 + k));
    if (spec) applyFlicker(frame, t, spec);
    const grey = new Uint8Array(W * H);
    for (let p = 0; p < W * H; p++) grey[p] = Math.round(0.299 * frame.data[3 * p] + 0.587 * frame.data[3 * p + 1] + 0.114 * frame.data[3 * p + 2]);
    b.add({ time: t, width: W, height: H, data: grey });
  }
  return analyzeVideoFlicker(b.build(), fps, v).findings.length > 0;
}

export async function main(): Promise<void> {
  const split = (arg('--split') === 'test' ? 'test' : 'tune') as Split;
  const count = Number(arg('--count') ?? 40);
  const files = FOLDERS.flatMap((d) => readdirSync(join(sharedDataDir(), d)).filter((f) => /\.(jpe?g|png)$/i.test(f)).map((f) => join(sharedDataDir(), d, f)))
    .filter((f) => splitOf(f) === split)
    .sort()
    .slice(0, count);
  let hits = 0, alarms = 0;
  const alarmed: string[] = [];
  const missed: string[] = [];
  for (const [i, file] of files.entries()) {
    const photo = await loadPhoto(file);
    const fps = i % 2 ? 30 : 25;
    const r = rng(7919 * (i + 1));
    const cycles = 2 + 2.5 * r();
    const mainsHz = fps === 30 ? 60 : 50;
    const spec: FlickerSpec = { kind: 'bands', mainsHz, depth: 0.12 + 0.06 * r(), readout: cycles / (2 * mainsHz), phase: 6.28 * r() };
    const name = file.split('/').slice(-2).join('/');
    if (flickerOn(photo, fps, i + 1, undefined)) { alarms++; alarmed.push(name); }
    if (flickerOn(photo, fps, i + 1, spec)) hits++;
    else missed.push(`${name} (${cycles.toFixed(1)} cycles, depth ${spec.depth.toFixed(2)})`);
    process.stderr.write('.');
  }
  process.stderr.write('\n');
  const n = files.length;
  process.stdout.write(
    [
      `# Standing bands on animated photos, ${split} half (${new Date().toISOString().slice(0, 10)})`,
      '',
      `| measure | result |`,
      `|---|---|`,
      `| recall, standing bands | ${hits}/${n} = ${(hits / Math.max(1, n)).toFixed(3)} |`,
      `| false alarms, the same clips clean | ${alarms}/${n} = ${(alarms / Math.max(1, n)).toFixed(3)} |`,
      '',
      `false alarms: ${alarmed.join(', ') || 'none'}`,
      '',
      `missed: ${missed.join(', ') || 'none'}`,
      '',
    ].join('\n'),
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
