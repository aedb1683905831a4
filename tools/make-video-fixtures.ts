// Deterministically synthesise the video fixtures in fixtures/video/ from fixtures/astronaut.png
// (public domain, NASA): a clean "selfie" clip with slow natural camera drift, then variants with
// mains flicker (rolling bands and whole-frame pulsing at 25/30 fps for 50/60 Hz), hand shake,
// freezes and dropped frames, the face leaving the frame, a too-short rotated clip, the same clip in
// every container facedoctor reads, and broken inputs. Writes MANIFEST.json (what each file should
// trigger). Run with `npm run build && npm run fixtures:video`; uses the bundled ffmpeg so every
// machine makes the same files.
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { locateFfmpeg, type FfmpegTools } from '../src/media/video/ffmpeg-location.js';
import { renderSceneClip } from './video-synth/clips.js';
import { runFfmpeg } from './video-synth/ffmpeg-io.js';
import { applyFlicker, type FlickerSpec } from './video-synth/flicker.js';
import { calmPath, faceLostPath, loadPhoto, shakyPath, type Photo } from './video-synth/scene.js';
import { repoRootDir } from './video-synth/paths.js';

export interface FixtureEntry {
  file: string;
  /** Cause codes the file must produce (or, for broken files, the error code). */
  expect: string[];
  /** Cause codes it must not produce. */
  expectNot?: string[];
  error?: string;
  /** A cause the file has but facedoctor is known not to find (documented limitation). */
  knownMiss?: string;
  description: string;
  params?: Record<string, unknown>;
}

const W = 640;
const H = 480;

/** The flicker fixtures: every kind × frame rate × mains combination whose flicker shows in pixels. */
export const FLICKER_FIXTURES: Array<{ name: string; fps: number; spec: FlickerSpec }> = [];
for (const fps of [25, 30]) {
  for (const mainsHz of [50, 60] as const) {
    FLICKER_FIXTURES.push({ name: `flicker-bands-${fps}fps-${mainsHz}hz`, fps, spec: { kind: 'bands', mainsHz, depth: 0.35, readout: 0.03, phase: 0.8 } });
    // Whole-frame pulsing is invisible when the light frequency is a multiple of the frame rate
    // (100 Hz at 25 fps, 120 Hz at 30 fps: every frame sees the same phase), so no fixture there.
    if ((2 * mainsHz) % fps !== 0) FLICKER_FIXTURES.push({ name: `flicker-pulse-${fps}fps-${mainsHz}hz`, fps, spec: { kind: 'pulse', mainsHz, depth: 0.2, phase: 0.3 } });
  }
}

async function build(tools: FfmpegTools, photo: Photo, dir: string): Promise<FixtureEntry[]> {
  const out = (name: string) => join(dir, name);
  const entries: FixtureEntry[] = [];
  const h264 = (crf: number) => ['-c:v', 'libx264', '-preset', 'medium', '-crf', String(crf), '-pix_fmt', 'yuv420p', '-movflags', '+faststart'];

  await renderSceneClip(tools, photo, calmPath, out('clean.mp4'), { fps: 30, seconds: 4, width: W, height: H, seed: 1, output: h264(26) });
  entries.push({
    file: 'clean.mp4',
    expect: [],
    expectNot: ['flicker', 'shaking', 'frozen-video', 'face-lost', 'too-short', 'moving-too-fast', 'no-face'],
    description: 'astronaut photo seen by a still camera with slow drift and zoom breathing, sensor noise σ 1.5; 640×480, 30 fps, 4 s',
  });

  for (const f of FLICKER_FIXTURES) {
    const file = `${f.name}.mp4`;
    await renderSceneClip(tools, photo, calmPath, out(file), {
      fps: f.fps, seconds: 3, width: W, height: H, seed: 2, output: h264(28),
      hook: (frame, _k, t) => applyFlicker(frame, t, f.spec),
    });
    // Bands that stand still (light frequency a multiple of the frame rate) are only caught when
    // they dominate single frames; at this depth the astronaut scene's own structure is larger.
    const still = f.spec.kind === 'bands' && (2 * f.spec.mainsHz) % f.fps === 0;
    entries.push({ file, expect: still ? [] : ['flicker'], expectNot: ['shaking', 'frozen-video'], ...(still ? { knownMiss: 'flicker (static bands)' } : {}), description: `the clean scene under a ${f.spec.mainsHz} Hz-mains light (${2 * f.spec.mainsHz} Hz pulses), ${f.spec.kind === 'bands' ? 'rolling shutter: bands' : 'global shutter: whole frame pulsing'}, ${f.fps} fps, 3 s`, params: { ...f.spec, fps: f.fps } });
  }

  await renderSceneClip(tools, photo, shakyPath(5), out('shaky.mp4'), { fps: 30, seconds: 4, width: W, height: H, seed: 3, output: h264(28) });
  entries.push({ file: 'shaky.mp4', expect: ['shaking'], expectNot: ['flicker', 'frozen-video'], description: 'clean path plus 4–9 Hz hand tremor of ±5 photo px (≈ 1.3 % of the frame width)', params: { amplitudePx: 5 } });

  // Freeze: frames 30–50 repeat frame 29 (0.7 s); then frames 80–94 are dropped (a 0.5 s timestamp gap).
  await renderSceneClip(tools, photo, calmPath, out('frozen.mp4'), {
    fps: 30, seconds: 4, width: W, height: H, seed: 4,
    frameAt: (k) => (k >= 30 && k <= 50 ? 29 : k),
    filter: "select='not(between(n\\,80\\,94))'",
    output: ['-vsync', '0', ...h264(28)],
  });
  entries.push({ file: 'frozen.mp4', expect: ['frozen-video'], expectNot: ['flicker'], description: 'clean clip whose picture repeats for 0.7 s from 1.0 s, and with frames 2.67–3.13 s missing (timestamp gap)', params: { repeated: [30, 50], dropped: [80, 94] } });

  await renderSceneClip(tools, photo, faceLostPath(1.0, 3.2, 0.8), out('face-lost.mp4'), { fps: 30, seconds: 5, width: W, height: H, seed: 5, output: h264(28) });
  entries.push({ file: 'face-lost.mp4', expect: ['face-lost'], expectNot: ['flicker', 'no-face', 'shaking'], description: 'the camera tilts down to the suit from 1.0 s (0.8 s move, face out of frame until 3.2 s), then back', params: { away: 1.0, back: 3.2, ramp: 0.8 } });

  // Encoded, then remuxed with the rotation (ffmpeg drops stream metadata when encoding from raw
  // frames). ffmpeg 4.1 stores "rotate=270" as a display matrix that players read as 90° clockwise.
  const unrotated = out('short-unrotated.mp4');
  await renderSceneClip(tools, photo, calmPath, unrotated, { fps: 30, seconds: 0.8, width: W, height: H, seed: 6, output: h264(28) });
  await runFfmpeg(tools.ffmpeg, ['-i', unrotated, '-c', 'copy', '-metadata:s:v:0', 'rotate=270', '-movflags', '+faststart', out('short-rotated.mp4')]);
  await rm(unrotated);
  entries.push({ file: 'short-rotated.mp4', expect: ['too-short'], description: '0.8 s clip stored landscape with a 90° display rotation (as phones record portrait)', params: { rotation: 90, seconds: 0.8 } });

  // One small clip per container facedoctor reads.
  const small = out('small-source.mp4');
  await renderSceneClip(tools, photo, calmPath, small, { fps: 25, seconds: 1.2, width: 320, height: 240, seed: 7, output: h264(30) });
  const containers: Array<[string, string[]]> = [
    ['container.mov', ['-c:v', 'libx264', '-crf', '30', '-pix_fmt', 'yuv420p', '-f', 'mov']],
    ['container.webm', ['-c:v', 'libvpx', '-b:v', '150k', '-f', 'webm']],
    ['container.mkv', ['-c:v', 'libx264', '-crf', '30', '-pix_fmt', 'yuv420p', '-f', 'matroska']],
    ['container.avi', ['-c:v', 'mpeg4', '-q:v', '8', '-f', 'avi']],
  ];
  for (const [name, args] of containers) {
    await runFfmpeg(tools.ffmpeg, ['-i', small, '-an', ...args, out(name)]);
    entries.push({ file: name, expect: ['too-short'], description: `the clean scene, 320×240, 25 fps, 1.2 s, in ${name.split('.')[1].toUpperCase()}`, params: { fps: 25, seconds: 1.2 } });
  }
  await rm(small);

  // Broken inputs.
  await runFfmpeg(tools.ffmpeg, ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=16000', '-t', '1', '-c:a', 'aac', '-b:a', '24k', out('audio-only.m4a')]);
  await runFfmpeg(tools.ffmpeg, ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-frames:v', '0', '-c:v', 'libx264', out('zero-length.mp4')]);
  entries.push({ file: 'zero-length.mp4', expect: [], error: 'empty-video', description: 'an MP4 container written with zero frames' });
  entries.push({ file: 'audio-only.m4a', expect: [], error: 'no-video-stream', description: '1 s of a 440 Hz tone, AAC in MP4, no video track' });
  // An AVI whose codec tag was changed to one no decoder knows.
  const avi = out('unsupported-codec.avi');
  await runFfmpeg(tools.ffmpeg, ['-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10', '-t', '0.5', '-c:v', 'mjpeg', avi]);
  const bytes = await readFile(avi);
  let tagged = 0;
  for (let i = 0; i + 4 <= bytes.length; i++) {
    if (bytes.toString('latin1', i, i + 4) === 'MJPG') {
      bytes.write('QQQQ', i, 'latin1');
      tagged++;
    }
  }
  if (tagged === 0) throw new Error('could not find the MJPG tag to replace');
  await writeFile(avi, bytes);
  entries.push({ file: 'unsupported-codec.avi', expect: [], error: 'unsupported-codec', description: 'a 64×48 MJPEG AVI with its codec tag replaced by "QQQQ"' });
  return entries;
}

export async function main(): Promise<void> {
  process.env.FACEDOCTOR_FFMPEG = 'bundled'; // same encoder everywhere → same files
  const root = repoRootDir();
  const dir = join(root, 'fixtures', 'video');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const tools = await locateFfmpeg();
  const photo = await loadPhoto(join(root, 'fixtures', 'astronaut.png'));
  const entries = await build(tools, photo, dir);
  await writeFile(
    join(dir, 'MANIFEST.json'),
    JSON.stringify({ generator: 'tools/make-video-fixtures.ts', source: 'fixtures/astronaut.png (public domain, NASA)', encoder: tools.version, files: entries }, null, 2) + '\n',
  );
  let total = 0;
  for (const e of entries) total += (await stat(join(dir, e.file))).size;
  process.stderr.write(`wrote ${entries.length} files, ${(total / 1024).toFixed(0)} KB, to ${relative(process.cwd(), dir) || dir}\n`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
