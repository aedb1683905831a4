// The ffmpeg edge on the committed fixtures: probing (fps, duration, rotation, codec), streaming
// frames with their times, and every broken input becoming a MediaError with the right code.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findOnPath, locateFfmpeg } from '../../src/media/video/ffmpeg-location.js';
import { frameStreamArgs, streamFrames, type FrameStreamEnd } from '../../src/media/video/frame-stream.js';
import { displayRotation, probeVideo } from '../../src/media/video/probe.js';
import { MediaError } from '../../src/media/media-error.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const fx = (name: string) => join(root, 'fixtures/video', name);

async function decodeAll(file: string, sampleFps = 2) {
  const tools = await locateFfmpeg();
  const probe = await probeVideo(tools, file);
  const grey: number[] = [];
  const samples: Array<{ time: number; width: number; height: number }> = [];
  const it = streamFrames(tools, file, probe, { sampleFps, analysisMaxSide: 160, greyMaxSide: 120 }, (g) => grey.push(g.time));
  let end: FrameStreamEnd | undefined;
  for (;;) {
    const n = await it.next();
    if (n.done) {
      end = n.value;
      break;
    }
    samples.push({ time: n.value.time, width: n.value.image.width, height: n.value.image.height });
  }
  return { probe, grey, samples, end: end! };
}

async function mediaErrorOf(p: Promise<unknown>): Promise<MediaError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(MediaError);
  return e as MediaError;
}

describe('ffmpeg location', () => {
  it('finds a decoder and says which one', async () => {
    const t = await locateFfmpeg();
    expect(['system ffmpeg', 'bundled ffmpeg']).toContain(t.source);
    expect(t.version).toMatch(/ffmpeg version/);
    if (t.source === 'bundled ffmpeg') expect(t.ffmpeg).toContain('node_modules');
  });

  it('searches PATH without a shell', () => {
    expect(findOnPath('definitely-not-a-tool-xyz')).toBeUndefined();
    expect(findOnPath('node', dirname(process.execPath))).toBe(process.execPath);
  });

  it('passes the input as file:<absolute path>, so names starting with "-" stay names', async () => {
    const t = await locateFfmpeg();
    const args = frameStreamArgs(t, '-rf', { width: 8, height: 8 }, { width: 4, height: 4 }, { sampleFps: 1, analysisMaxSide: 8, greyMaxSide: 4 });
    expect(args[args.indexOf('-i') + 1]).toBe(`file:${resolve('-rf')}`);
    expect(args.slice(0, args.indexOf('-i'))).toEqual(expect.arrayContaining(['-protocol_whitelist', 'file', '-format_whitelist']));
    expect(args).not.toContain('-rf');
  });
});

describe('probing', () => {
  it('reads size, rate, duration and codec of the clean clip', async () => {
    const p = await probeVideo(await locateFfmpeg(), fx('clean.mp4'));
    expect(p).toMatchObject({ codec: 'h264', width: 640, height: 480, rotation: 0 });
    expect(p.fps).toBeCloseTo(30, 3);
    expect(p.durationSeconds).toBeCloseTo(4, 1);
  });

  it('applies the display rotation of a phone clip to its size', async () => {
    const p = await probeVideo(await locateFfmpeg(), fx('short-rotated.mp4'));
    expect(p).toMatchObject({ rotation: 90, width: 480, height: 640, codedWidth: 640, codedHeight: 480 });
    expect(p.durationSeconds).toBeCloseTo(0.8, 1);
  });

  it('normalises both rotation conventions to clockwise degrees', () => {
    expect(displayRotation({ tags: { rotate: '90' } })).toBe(90);
    expect(displayRotation({ side_data_list: [{ rotation: -90 }] })).toBe(90);
    expect(displayRotation({ side_data_list: [{ rotation: 90 }] })).toBe(270);
    expect(displayRotation({})).toBe(0);
  });

  it.each([
    ['container.mov', 'h264'],
    ['container.webm', 'vp8'],
    ['container.mkv', 'h264'],
    ['container.avi', 'mpeg4'],
  ])('reads %s', async (name, codec) => {
    const p = await probeVideo(await locateFfmpeg(), fx(name));
    expect(p).toMatchObject({ codec, width: 320, height: 240 });
    expect(p.fps).toBeCloseTo(25, 1);
    expect(p.durationSeconds).toBeCloseTo(1.2, 1);
  });

  it.each([
    ['audio-only.m4a', 'no-video-stream'],
    ['zero-length.mp4', 'empty-video'],
    ['unsupported-codec.avi', 'unsupported-codec'],
  ])('refuses %s with %s', async (name, code) => {
    const e = await mediaErrorOf(probeVideo(await locateFfmpeg(), fx(name)));
    expect(e.code).toBe(code);
    expect(e.message).toContain(fx(name));
  });
});

describe('streaming frames', () => {
  it('gives every frame with its time and the samples at the asked rate', async () => {
    const { grey, samples } = await decodeAll(fx('clean.mp4'), 2);
    expect(grey).toHaveLength(120);
    expect(grey[0]).toBe(0);
    expect(grey[119]).toBeCloseTo(119 / 30, 3);
    expect(samples).toHaveLength(8);
    expect(samples.map((s) => s.time)).toEqual([0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5]);
    expect(samples[0]).toMatchObject({ width: 160, height: 120 });
  });

  it('delivers rotated clips upright and keeps timestamp gaps', async () => {
    const rotated = await decodeAll(fx('short-rotated.mp4'), 5);
    expect(rotated.samples[0]).toMatchObject({ width: 120, height: 160 });
    const frozen = await decodeAll(fx('frozen.mp4'), 1);
    const gaps = frozen.grey.slice(1).map((t, i) => t - frozen.grey[i]);
    expect(Math.max(...gaps)).toBeCloseTo(16 / 30, 2); // frames 80–94 dropped
    expect(frozen.grey).toHaveLength(105);
  });

  it('reads every container facedoctor accepts', async () => {
    for (const name of ['container.mov', 'container.webm', 'container.mkv', 'container.avi']) {
      const { grey } = await decodeAll(fx(name), 1);
      expect(grey.length, name).toBe(30);
    }
  });

  it('stops ffmpeg when the reader stops early', async () => {
    const tools = await locateFfmpeg();
    const probe = await probeVideo(tools, fx('clean.mp4'));
    const it = streamFrames(tools, fx('clean.mp4'), probe, { sampleFps: 5, analysisMaxSide: 160, greyMaxSide: 120 }, () => {});
    const first = await it.next();
    expect(first.done).toBe(false);
    await it.return(undefined as never);
  });

  it('refuses playlists and concat lists that would make ffmpeg open other files or URLs', async () => {
    const tools = await locateFfmpeg();
    const dir = mkdtempSync(join(tmpdir(), 'facedoctor-playlist-'));
    try {
      // Both name a readable local clip: without the whitelists ffmpeg would follow them.
      const hls = join(dir, 'upload.m3u8');
      writeFileSync(hls, `#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\n${fx('clean.mp4')}\n#EXT-X-ENDLIST\n`);
      const concat = join(dir, 'upload.txt');
      writeFileSync(concat, `ffconcat version 1.0\nfile '${fx('clean.mp4')}'\n`);
      const remote = join(dir, 'remote.m3u8');
      writeFileSync(remote, '#EXTM3U\n#EXT-X-TARGETDURATION:4\n#EXTINF:4.0,\nhttp://127.0.0.1:9/x.ts\n#EXT-X-ENDLIST\n');
      for (const f of [hls, concat, remote]) {
        const e = await mediaErrorOf(probeVideo(tools, f));
        expect(['unsupported-format', 'corrupt-video'], `${f}: ${e.message}`).toContain(e.code);
      }
      const hlsErr = await mediaErrorOf(probeVideo(tools, hls));
      expect(hlsErr.code).toBe('unsupported-format');
      // And frame streaming refuses it the same way.
      const probe = await probeVideo(tools, fx('clean.mp4'));
      const it = streamFrames(tools, hls, probe, { sampleFps: 1, analysisMaxSide: 64, greyMaxSide: 64 }, () => {});
      await mediaErrorOf(it.next());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decodes a clip whose name starts with "-"', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facedoctor-dash-'));
    try {
      const file = join(dir, '-y -i evil.mp4');
      copyFileSync(fx('clean.mp4'), file);
      const { probe, grey } = await decodeAll(file, 1);
      expect(probe.width).toBe(640);
      expect(grey).toHaveLength(120);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is fed the fixtures described in the manifest', () => {
    const m = JSON.parse(readFileSync(fx('MANIFEST.json'), 'utf8')) as { source: string; files: Array<{ file: string }> };
    expect(m.source).toContain('astronaut.png');
    expect(m.files.length).toBeGreaterThanOrEqual(15);
  });
});
