// The batch pool's main thread reads an image's header ahead, so a worker decodes in one step.
// Decoding with that header must give exactly what decoding without it gives.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeImage, readImageHeader } from '../../src/media/decode-image.js';

const bytesOf = (f: string) => new Uint8Array(readFileSync(f));

describe('readImageHeader', () => {
  it('reads size, orientation and format, and decoding with it matches decoding without', async () => {
    for (const file of ['fixtures/astronaut.png', 'fixtures/formats/astronaut-exif6.jpg', 'fixtures/formats/astronaut.webp']) {
      const bytes = bytesOf(file);
      const header = await readImageHeader(bytes);
      expect(header?.width).toBeGreaterThan(0);
      const withHeader = await decodeImage(bytes, file, { header });
      const without = await decodeImage(bytes, file);
      expect(withHeader.info).toEqual(without.info);
      expect(withHeader.scale).toBe(without.scale);
      expect(Buffer.from(withHeader.image.data).equals(Buffer.from(without.image.data))).toBe(true);
    }
    expect(await readImageHeader(bytesOf('fixtures/formats/astronaut-exif6.jpg'))).toMatchObject({ orientation: 6, format: 'jpeg' });
  });

  it('gives nothing for what decodeImage must read and report itself', async () => {
    expect(await readImageHeader(new Uint8Array(0))).toBeUndefined();
    expect(await readImageHeader(new TextEncoder().encode('not a picture at all'))).toBeUndefined();
    expect(await readImageHeader(bytesOf('fixtures/formats/astronaut.heic'))).toBeUndefined();
    const truncated = bytesOf('fixtures/astronaut.png').subarray(0, 12);
    expect(await readImageHeader(truncated)).toBeUndefined();
  });
});
