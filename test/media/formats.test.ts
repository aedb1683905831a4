// Every supported container decodes to the same upright picture: same size, same face position.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeImage } from '../../src/media/decode-image.js';
import { sniffFormat } from '../../src/media/sniff.js';
import { FaceDetector } from '../../src/vision/face-detector.js';

const DIR = 'fixtures/formats';
const CASES: Array<[string, string]> = [
  ['astronaut.webp', 'webp'],
  ['astronaut.avif', 'avif'],
  ['astronaut.tiff', 'tiff'],
  ['astronaut.gif', 'gif'],
  ['astronaut.heic', 'heic'],
];

describe('image containers', () => {
  it.each(CASES)('%s is sniffed as %s and shows one face where the PNG has it', async (name, format) => {
    const bytes = new Uint8Array(readFileSync(`${DIR}/${name}`));
    expect(sniffFormat(bytes)).toBe(format);
    const d = await decodeImage(bytes, name);
    expect(d.info).toMatchObject({ width: 384, height: 384, format });
    const faces = await (await FaceDetector.load()).detect(d.image);
    expect(faces).toHaveLength(1);
    const box = faces[0].box;
    // astronaut.png (512 px) has her face box at about x 176, y 78 → ×0.75 at 384 px
    expect(box.x * d.scale).toBeGreaterThan(120);
    expect(box.x * d.scale).toBeLessThan(145);
    expect(box.y * d.scale).toBeGreaterThan(48);
    expect(box.y * d.scale).toBeLessThan(70);
  });

  it('applies EXIF orientation: a sideways-stored portrait comes out upright with swapped size', async () => {
    const d = await decodeImage(new Uint8Array(readFileSync(`${DIR}/astronaut-exif6.jpg`)), 'exif6');
    expect(d.info).toMatchObject({ width: 320, height: 384 });
    const [face] = await (await FaceDetector.load()).detect(d.image);
    // upright: eyes above the mouth, subject's right eye on the picture's left
    expect(face.keypoints.rightEye.y).toBeLessThan(face.keypoints.mouth.y);
    expect(face.keypoints.rightEye.x).toBeLessThan(face.keypoints.leftEye.x);
  });
});
