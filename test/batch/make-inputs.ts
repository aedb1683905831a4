// Batch test inputs made from the public-domain fixtures/astronaut.png into a temp dir (never
// committed): 7 pixel variants with different verdicts, 4 copies each in sub-folders, plus two
// files that cannot be analyzed — 30 inputs with a mix of pass, warn, fail and error.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import sharp from '../../src/media/sharp.js';
import { REPO_ROOT } from '../helpers/run-cli.js';

const ASTRONAUT = path.join(REPO_ROOT, 'fixtures/astronaut.png');

const VARIANTS: Array<[string, (s: sharp.Sharp) => sharp.Sharp]> = [
  ['original.png', (s) => s.png()],
  ['portrait.jpg', (s) => s.extract({ left: 115, top: 10, width: 220, height: 260 }).resize(440).jpeg()],
  ['dark.jpg', (s) => s.linear(0.12, 0).jpeg()],
  ['bright.jpg', (s) => s.linear(1.4, 50).jpeg()],
  ['blurred.jpg', (s) => s.blur(3.5).jpeg()],
  ['tiny.png', (s) => s.resize(80).png()],
  ['no-face.jpg', (s) => s.extract({ left: 0, top: 300, width: 512, height: 212 }).jpeg()],
];

export const INPUT_COUNT = VARIANTS.length * 4 + 2;

/** Writes the inputs under `dir` and returns their paths as the walk will list them. */
export async function makeBatchInputs(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (let copy = 0; copy < 4; copy++) {
    const sub = path.join(dir, `set-${copy}`);
    mkdirSync(sub, { recursive: true });
    for (const [name, make] of VARIANTS) {
      const file = path.join(sub, name);
      await make(sharp(ASTRONAUT)).toFile(file);
      files.push(file);
    }
  }
  mkdirSync(path.join(dir, 'broken'), { recursive: true });
  writeFileSync(path.join(dir, 'broken', 'empty.jpg'), '');
  writeFileSync(path.join(dir, 'broken', 'not-an-image.png'), 'this is text, not a PNG\n');
  files.push(path.join(dir, 'broken', 'empty.jpg'), path.join(dir, 'broken', 'not-an-image.png'));
  return files;
}
