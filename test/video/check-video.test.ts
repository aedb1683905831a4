// Whole clips through the checker: each fixture triggers the cause it was made for and not the
// others; broken files become error results; the real clips beside the repo (if present) show no
// flicker and only the hand-held one shakes.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../../src/config/profile.js';
import { createChecker, type Checker } from '../../src/pipeline/check.js';
import { locateFfmpeg } from '../../src/media/video/ffmpeg-location.js';
import { streamFrames } from '../../src/media/video/frame-stream.js';
import { probeVideo } from '../../src/media/video/probe.js';
import { FrameSeriesBuilder } from '../../src/analyzers/temporal/frame-series.js';
import { analyzeVideoFlicker } from '../../src/analyzers/temporal/flicker.js';
import { analyzeShaking } from '../../src/analyzers/temporal/shaking.js';
import type { Result } from '../../src/types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fx = (name: string) => join(root, 'fixtures/video', name);
const REAL = resolve(root, '../shared/data/video');
const profile = loadProfile();

interface Entry {
  file: string;
  expect: string[];
  expectNot?: string[];
  error?: string;
}
const manifest = JSON.parse(readFileSync(fx('MANIFEST.json'), 'utf8')) as { files: Entry[] };

let checker: Checker;
let tmp: string;
beforeAll(async () => {
  checker = await createChecker({ profile, sampleFps: 3, timeoutMs: 120_000 });
  tmp = mkdtempSync(join(tmpdir(), 'facedoctor-video-'));
});
afterAll(async () => {
  await checker?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const codes = (r: Result) => r.causes.map((c) => c.code);

describe('fixtures', () => {
  const clips = manifest.files.filter((e) => !e.error && !e.file.startsWith('container.'));
  it.each(clips.map((e) => [e.file, e] as const))('%s', async (_name, e) => {
    const r = await checker.check(fx(e.file));
    expect(r.kind).toBe('video');
    expect(r.error).toBeUndefined();
    for (const code of e.expect) expect(codes(r), `${e.file} should show ${code}`).toContain(code);
    for (const code of e.expectNot ?? []) expect(codes(r), `${e.file} should not show ${code}`).not.toContain(code);
    expect(r.video).toMatchObject({ decoder: expect.stringMatching(/ffmpeg$/) });
  });

  it('describes the clip and gives causes their time ranges', async () => {
    const r = await checker.check(fx('frozen.mp4'));
    expect(r.video).toMatchObject({ width: 640, height: 480, codec: 'h264', rotation: 0, framesDecoded: 105 });
    const frozen = r.causes.find((c) => c.code === 'frozen-video')!;
    expect(frozen.segments!.length).toBe(2);
    expect(frozen.measured.frameShare).toBeGreaterThan(0.2);
    expect(frozen.category).toBe('motion');
    expect(frozen.message).toMatch(/frozen|Frozen|freez|stutter|Video/i);
    const flicker = (await checker.check(fx('flicker-bands-30fps-50hz.mp4'))).causes.find((c) => c.code === 'flicker')!;
    expect(flicker.measured).toMatchObject({ sourceHz: 100, mainsHz: 50 });
    expect(typeof flicker.measured.worstFrameTime).toBe('number');
  });

  it('finds the face and the face leaving', async () => {
    const r = await checker.check(fx('face-lost.mp4'));
    expect(r.faces.length).toBe(1);
    const lost = r.causes.find((c) => c.code === 'face-lost')!;
    expect(lost.segments![0][0]).toBeGreaterThan(1);
    expect(lost.segments![0][1]).toBeLessThan(4);
  });
});

describe('broken inputs become error results', () => {
  it.each([
    ['audio-only.m4a', 'no-video-stream'],
    ['zero-length.mp4', 'empty-video'],
    ['unsupported-codec.avi', 'unsupported-codec'],
  ])('%s → %s', async (name, code) => {
    const r = await checker.check(fx(name));
    expect(r).toMatchObject({ kind: 'video', verdict: 'error', error: { code } });
  });

  it('a truncated MP4', async () => {
    const file = join(tmp, 'cut.mp4');
    copyFileSync(fx('clean.mp4'), file);
    truncateSync(file, 30_000);
    const r = await checker.check(file);
    expect(r.verdict).toBe('error');
    expect(r.error!.code).toBe('corrupt-video');
    expect(r.error!.message).toMatch(/truncated/);
  });

  it('a truncated MP4 whose index was at the end (a recording cut off)', async () => {
    const whole = join(tmp, 'index-at-end.mp4');
    const tools = await locateFfmpeg();
    // Remux without +faststart: the moov index goes after the data, as phones write it.
    execFileSync(tools.ffmpeg, ['-hide_banner', '-loglevel', 'error', '-y', '-i', fx('clean.mp4'), '-c', 'copy', whole]);
    const file = join(tmp, 'cut-noindex.mp4');
    writeFileSync(file, readFileSync(whole).subarray(0, 40_000));
    const r = await checker.check(file);
    expect(r.verdict).toBe('error');
    expect(r.error!.code).toBe('corrupt-video');
    expect(r.error!.message).toContain(file);
  });

  it('a zero-byte clip', async () => {
    const file = join(tmp, 'empty.mp4');
    writeFileSync(file, '');
    const r = await checker.check(file);
    expect(r).toMatchObject({ kind: 'video', verdict: 'error', error: { code: 'empty-file' } });
  });

  it('still checks images the same way', async () => {
    const r = await checker.check(join(root, 'fixtures/astronaut.png'));
    expect(r.kind).toBe('image');
    expect(r.faces.length).toBe(1);
  });
});

describe.skipIf(!existsSync(REAL))('real clips (../shared/data/video)', () => {
  async function temporal(name: string) {
    const tools = await locateFfmpeg();
    const file = join(REAL, name);
    const probe = await probeVideo(tools, file);
    const b = new FrameSeriesBuilder({ windowSeconds: profile.values['video.flicker.windowSeconds'], hopSeconds: profile.values['video.flicker.windowSeconds'] / 2 });
    const it = streamFrames(tools, file, probe, { sampleFps: 0.5, analysisMaxSide: 32, greyMaxSide: 240 }, (g) => b.add(g));
    while (!(await it.next()).done) {
      // only the every-frame thumbnails matter here
    }
    const s = b.build();
    return { flicker: analyzeVideoFlicker(s, probe.fps, profile.values).findings, shaking: analyzeShaking(s, profile.values).findings };
  }

  it.each(['fellway__me.mp4', 'mounish2311__face.mp4', 'rohintangirala__face.mp4', 'sairamdgr8__face.mp4'])('%s has no flicker', async (name) => {
    const r = await temporal(name);
    expect(r.flicker).toEqual([]);
    expect(r.shaking.length > 0).toBe(name === 'sairamdgr8__face.mp4'); // the hand-held one
  });
});
