// Writes fixtures/formats/: the public-domain astronaut portrait in every container facedoctor
// reads, plus a JPEG stored sideways with EXIF orientation 6 (as phones save portrait shots).
// HEIC needs Debian's `heif-enc` (package libheif-examples, x265 encoder); the committed file was
// made with libheif 1.15.1. Run: npm run build && node dist/tools/make-format-fixtures.js
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import sharp from '../src/media/sharp.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const SRC = path.join(ROOT, 'fixtures/astronaut.png');
const OUT = path.join(ROOT, 'fixtures/formats');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const base = sharp(SRC).resize(384, 384);
  await base.clone().webp({ quality: 85 }).toFile(path.join(OUT, 'astronaut.webp'));
  await base.clone().avif({ quality: 60, effort: 2 }).toFile(path.join(OUT, 'astronaut.avif'));
  await base.clone().tiff({ compression: 'jpeg', quality: 85 }).toFile(path.join(OUT, 'astronaut.tiff'));
  await base.clone().gif().toFile(path.join(OUT, 'astronaut.gif'));
  // Pixels stored rotated 90° counter-clockwise, with orientation 6 telling viewers to turn them
  // clockwise: a correct reader shows her upright.
  // A portrait crop (320×384) so a reader that ignores orientation also gets the size wrong.
  const portrait = await base.clone().extract({ left: 32, top: 0, width: 320, height: 384 }).png().toBuffer();
  await sharp(portrait).rotate(-90).withMetadata({ orientation: 6 }).jpeg({ quality: 88 }).toFile(path.join(OUT, 'astronaut-exif6.jpg'));
  const tmpJpeg = path.join(OUT, '.heic-src.jpg');
  await base.clone().jpeg({ quality: 95 }).toFile(tmpJpeg);
  try {
    execFileSync('heif-enc', ['-q', '60', '-o', path.join(OUT, 'astronaut.heic'), tmpJpeg], { stdio: 'inherit' });
  } catch {
    process.stderr.write('heif-enc not found (apt-get install libheif-examples); kept the committed astronaut.heic\n');
  } finally {
    rmSync(tmpJpeg, { force: true });
  }
}

await main();
