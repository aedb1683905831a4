// Input expansion: plain files, folders and glob patterns (tinyglobby is loaded only for paths
// that do not exist, so these also pin that the lazy path still expands patterns).
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandInputs, type InputItem } from '../../src/batch/inputs.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fd-inputs-'));
for (const f of ['b.jpg', 'a.jpg', 'notes.txt', 'sub/c.png']) {
  mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
  writeFileSync(path.join(dir, f), 'x');
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(args: string[]): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of expandInputs(args)) out.push(item);
  return out;
}

describe('expandInputs', () => {
  it('expands a glob to its matches, sorted', async () => {
    const items = await collect([path.join(dir, '*.jpg')]);
    expect(items.map((i) => path.basename(i.file))).toEqual(['a.jpg', 'b.jpg']);
    expect(items.every((i) => !i.problem && i.root === '')).toBe(true);
  });

  it('names matches the way the pattern was written: absolute stays absolute, relative stays relative', async () => {
    const absolute = await collect([path.join(dir, '*.jpg')]);
    expect(absolute.map((i) => i.file)).toEqual([path.join(dir, 'a.jpg'), path.join(dir, 'b.jpg')]);
    const relativeDir = path.relative(process.cwd(), dir);
    const relative = await collect([path.join(relativeDir, '*.jpg')]);
    expect(relative.map((i) => i.file)).toEqual([path.join(relativeDir, 'a.jpg'), path.join(relativeDir, 'b.jpg')]);
  });

  it('reports a pattern that matches nothing, and passes a missing plain path on to the checker', async () => {
    const [pattern] = await collect([path.join(dir, '*.webp')]);
    expect(pattern.problem?.code).toBe('not-found');
    const missing = path.join(dir, 'gone.jpg');
    expect(await collect([missing])).toEqual([{ file: missing, root: '' }]);
  });

  it('gives a file as is and walks a folder for media files only', async () => {
    const file = path.join(dir, 'a.jpg');
    expect(await collect([file])).toEqual([{ file, root: '' }]);
    const walked = await collect([dir]);
    expect(walked.map((i) => path.relative(dir, i.file)).sort()).toEqual(['a.jpg', 'b.jpg', path.join('sub', 'c.png')]);
  });
});
