// Walking folders safely: folder symlinks are not followed unless asked, loops end with one
// reported problem each, and special files named like captures are reported, never opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expandInputs, type InputItem } from '../../src/batch/inputs.js';
import { removeScratchDirs, scratchDir } from './helpers.js';

afterAll(removeScratchDirs);

let root: string;
let tree: string;

beforeAll(() => {
  root = scratchDir('fd-walk-');
  tree = path.join(root, 'tree');
  mkdirSync(path.join(tree, 'a'), { recursive: true });
  mkdirSync(path.join(root, 'outside'));
  mkdirSync(path.join(tree, 'p/q'), { recursive: true });
  mkdirSync(path.join(tree, 'm1'));
  mkdirSync(path.join(tree, 'm2'));
  writeFileSync(path.join(tree, 'a/img.jpg'), 'x');
  writeFileSync(path.join(root, 'outside/secret.jpg'), 'x');
  symlinkSync('a', path.join(tree, 'link-to-a')); // a second way into a/
  symlinkSync('../outside', path.join(tree, 'escape')); // leads out of the folder given
  symlinkSync('.', path.join(tree, 'self'));
  symlinkSync('../..', path.join(tree, 'p/q/up')); // back to tree/
  symlinkSync('../m2', path.join(tree, 'm1/to-m2')); // m1 → m2 → m1 …
  symlinkSync('../m1', path.join(tree, 'm2/to-m1'));
});

/** Collects a walk, failing instead of hanging if it runs away. */
async function walk(args: string[], followSymlinks: boolean): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of expandInputs(args, { followSymlinks })) {
    out.push(item);
    if (out.length > 500) throw new Error('the walk did not terminate (more than 500 items)');
  }
  return out;
}

const rel = (items: InputItem[]) => items.map((i) => `${path.relative(tree, i.file)}${i.problem ? ` !${i.problem.code}` : ''}`).sort();

describe('walking a folder with symlinks', () => {
  it('does not follow folder symlinks by default: no escapes, no loops, no duplicates', async () => {
    expect(rel(await walk([tree], false))).toEqual(['a/img.jpg']);
  });

  it('--follow-symlinks follows them, and reports every loop once instead of recursing', async () => {
    const items = await walk([tree], true);
    expect(rel(items)).toEqual([
      'a/img.jpg',
      'escape/secret.jpg',
      'link-to-a/img.jpg',
      'm1/to-m2/to-m1 !unreadable',
      'm2/to-m1/to-m2 !unreadable',
      'p/q/up !unreadable',
      'self !unreadable',
    ]);
    for (const i of items.filter((x) => x.problem)) expect(i.problem!.message).toMatch(/symlink loop/);
  });

  it('a symlink loop given directly as an argument is one error, not a crash', async () => {
    const dir = scratchDir('fd-eloop-');
    symlinkSync('b.jpg', path.join(dir, 'a.jpg'));
    symlinkSync('a.jpg', path.join(dir, 'b.jpg'));
    const items = await walk([path.join(dir, 'a.jpg')], false);
    expect(items).toHaveLength(1);
    expect(items[0].problem?.code).toBe('unreadable');
    expect(items[0].problem?.message).toContain('a.jpg');
  });
});

describe('special files named like captures', () => {
  it('a named pipe is reported as not a regular file, whether found in a folder or given as an argument', async (ctx) => {
    const dir = scratchDir('fd-fifo-');
    const fifo = path.join(dir, 'upload.jpg');
    try {
      execFileSync('mkfifo', [fifo]);
    } catch {
      return ctx.skip('mkfifo is not available');
    }
    for (const items of [await walk([dir], false), await walk([fifo], false)]) {
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ file: fifo, problem: { code: 'not-a-file' } });
    }
  });

  it('a device given as an argument is reported, not read', async () => {
    const items = await walk(['/dev/zero'], false);
    expect(items).toEqual([expect.objectContaining({ file: '/dev/zero', problem: expect.objectContaining({ code: 'not-a-file' }) })]);
  });
});
