// Resource limits at the decoder: pixel counts are checked before any pixel is decoded, and the
// per-file time limit really stops a slow decode instead of leaving it running in the background.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from '../../src/media/sharp.js';
import { decodeImage, MAX_INPUT_PIXELS } from '../../src/media/decode-image.js';
import { MediaError } from '../../src/media/media-error.js';
import { heicSource, heifWithSize, jpegWithSize, pngBomb, webpCanvasBomb } from '../../tools/make-bad-inputs.js';
import { parseResults, removeScratchDirs, runGuarded, scratchDir, STACK_FRAME } from './helpers.js';

afterAll(removeScratchDirs);

async function decodeError(bytes: Uint8Array, opts?: { timeoutMs?: number }): Promise<MediaError> {
  try {
    await decodeImage(bytes, 'input', opts);
  } catch (e) {
    expect(e).toBeInstanceOf(MediaError);
    return e as MediaError;
  }
  throw new Error('decoded, but should have been refused');
}

/** Side of a square just under the pixel limit: legal, tiny as a file, slow to decode. */
const UNDER_LIMIT_SIDE = Math.floor(Math.sqrt(MAX_INPUT_PIXELS) * 0.995);

describe('decompression bombs are refused from their headers', () => {
  it('PNG declaring 100000×100000', async () => {
    const e = await decodeError(pngBomb(100_000, 100_000));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/120 MP limit/);
  });

  it('JPEG whose SOF claims 65000×65000', async () => {
    const jpeg = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#888' } }).jpeg().toBuffer();
    expect((await decodeError(jpegWithSize(jpeg, 65_000, 65_000))).code).toBe('too-large');
  });

  it('animated WebP with a 16383×16383 canvas around a 1×1 frame', async () => {
    expect((await decodeError(await webpCanvasBomb(16_383, 16_383))).code).toBe('too-large');
  });

  it('HEIC whose ispe box claims 20000×20000 (checked before libheif decodes)', async (ctx) => {
    const heic = await heicSource();
    if (!heic) return ctx.skip('no HEIC sample: needs heif-enc (libheif-examples) or fixtures/formats/astronaut.heic');
    const e = await decodeError(heifWithSize(heic, 20_000, 20_000));
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/20000×20000/);
  });
});

describe('the time limit stops a slow decode', () => {
  // An animated WebP canvas just under the pixel limit: ~100 bytes, seconds of decoding and
  // ~500 MB of canvas. Without the limit reaching libvips, the decode would finish regardless.
  it('decodeImage with a 1 s budget fails with "timeout" instead of finishing the decode', async () => {
    const slow = await webpCanvasBomb(UNDER_LIMIT_SIDE, UNDER_LIMIT_SIDE);
    const e = await decodeError(slow, { timeoutMs: 1000 });
    expect(e.code).toBe('timeout');
  }, 30_000);

  it('the CLI gives the slow file a timeout error, checks the next file, and exits', async () => {
    const dir = scratchDir('fd-slow-');
    const slow = path.join(dir, 'slow.webp');
    writeFileSync(slow, await webpCanvasBomb(UNDER_LIMIT_SIDE, UNDER_LIMIT_SIDE));
    const run = await runGuarded(['check', '--format', 'ndjson', '--timeout', '1', slow, 'fixtures/astronaut.png'], { killAfterMs: 45_000 });
    expect(run.killed, 'the run did not end').toBe(false);
    const results = parseResults(run.stdout);
    expect(results).toHaveLength(2);
    // Results arrive as they finish, not in argument order.
    const a = results.find((r) => r.file === slow)!;
    const b = results.find((r) => r.file !== slow)!;
    expect(a).toMatchObject({ file: slow, verdict: 'error', error: { code: 'timeout' } });
    expect(a.error!.message).toContain(slow);
    expect(b.file).toBe('fixtures/astronaut.png');
    expect(b.verdict).not.toBe('error');
    expect(run.stderr).not.toMatch(STACK_FRAME);
  }, 60_000);
});
