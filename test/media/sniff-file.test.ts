// The pool's main thread sniffs each input and reads an image's bytes through the same open file,
// so workers get the bytes instead of doing the file I/O between their model runs.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sniffFileKind } from '../../src/media/video/sniff-file.js';

const PNG = 'fixtures/astronaut.png';
const CLIP = 'fixtures/video/clean.mp4';

describe('sniffFileKind with readImageUpTo', () => {
  it('returns an image file whole, byte for byte, in a buffer of its own', async () => {
    const kind = await sniffFileKind(PNG, { readImageUpTo: 64 << 20 });
    expect(kind.video).toBe(false);
    expect(kind.bytes).toBeDefined();
    expect(Buffer.from(kind.bytes!).equals(readFileSync(PNG))).toBe(true);
    expect(kind.bytes!.byteOffset).toBe(0);
    expect(kind.bytes!.byteLength).toBe(kind.bytes!.buffer.byteLength);
  });

  it('copies a small file out of Node’s shared buffer pool, so transferring it detaches nothing else', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fd-sniff-'));
    const file = path.join(dir, 'tiny.jpg');
    writeFileSync(file, 'not a picture');
    const kind = await sniffFileKind(file, { readImageUpTo: 1024 });
    expect(new TextDecoder().decode(kind.bytes)).toBe('not a picture');
    expect(kind.bytes!.byteLength).toBe(kind.bytes!.buffer.byteLength);
  });

  it('leaves the bytes unread for a video, a file above the limit, and when not asked', async () => {
    const clip = await sniffFileKind(CLIP, { readImageUpTo: 64 << 20 });
    expect(clip.video).toBe(true);
    expect(clip.bytes).toBeUndefined();
    const big = await sniffFileKind(PNG, { readImageUpTo: 1000 });
    expect(big).toMatchObject({ video: false });
    expect(big.bytes).toBeUndefined();
    expect((await sniffFileKind(PNG)).bytes).toBeUndefined();
  });

  it('gives no bytes for a missing file (the worker reads it and reports the error)', async () => {
    expect(await sniffFileKind('fixtures/no-such-file.jpg', { readImageUpTo: 1024 })).toEqual({ video: false, size: 0 });
  });
});
