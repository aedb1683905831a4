// --output never overwrites a capture: not an input given by name (or through a symlink or hard
// link), not a media-named file inside a folder being checked, not an existing image or video.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assertOutputIsNotAnInput } from '../../src/cli/guards.js';
import { UsageError } from '../../src/cli/exit-codes.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { removeScratchDirs, runGuarded, scratchDir, STACK_FRAME } from './helpers.js';

afterAll(removeScratchDirs);

const SOURCE = path.join(REPO_ROOT, 'fixtures/astronaut.png');
let dir: string;
let photo: string;

beforeEach(() => {
  dir = scratchDir('fd-output-');
  mkdirSync(path.join(dir, 'captures'));
  photo = path.join(dir, 'captures/selfie.png');
  copyFileSync(SOURCE, photo);
});

const refused = (output: string, inputs: string[]) => () => assertOutputIsNotAnInput(output, inputs);

describe('assertOutputIsNotAnInput', () => {
  it('refuses the input itself, by any path', () => {
    expect(refused(photo, [photo])).toThrow(UsageError);
    expect(refused(path.join(dir, 'captures/../captures/selfie.png'), [photo])).toThrow(/is the input/);
    const link = path.join(dir, 'link.png');
    symlinkSync(photo, link);
    expect(refused(link, [photo])).toThrow(/is the input/);
    const hard = path.join(dir, 'hard.png');
    linkSync(photo, hard);
    expect(refused(hard, [photo])).toThrow(/is the input/);
  });

  it('refuses a media-named output inside a folder being checked, even if it does not exist yet', () => {
    expect(refused(path.join(dir, 'captures/new.jpg'), [path.join(dir, 'captures')])).toThrow(/inside the folder/);
    expect(refused(path.join(dir, 'captures/sub/../x.mp4'), [dir])).toThrow(/inside the folder/);
  });

  it('refuses an existing file whose bytes are an image, whatever its name (globs, stdin lists)', () => {
    const disguised = path.join(dir, 'results.csv');
    copyFileSync(SOURCE, disguised);
    expect(refused(disguised, ['-'])).toThrow(/already holds an image/);
  });

  it('allows ordinary result files, new or existing, next to or inside the inputs', () => {
    expect(refused(path.join(dir, 'results.ndjson'), [photo])).not.toThrow();
    expect(refused(path.join(dir, 'captures/report.csv'), [path.join(dir, 'captures')])).not.toThrow();
    const old = path.join(dir, 'old.ndjson');
    writeFileSync(old, '{"file":"x"}\n');
    expect(refused(old, [photo, '-'])).not.toThrow();
    expect(refused(path.join(dir, 'missing-folder/out.json'), [photo])).not.toThrow(); // opening it reports that
  });
});

describe('facedoctor check --output', () => {
  it('exits 2 without touching the capture when --output is the input', async () => {
    const before = readFileSync(photo);
    const run = await runGuarded(['check', '--format', 'csv', '--output', photo, photo]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--output .*selfie\.png is the input/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
    expect(readFileSync(photo).equals(before)).toBe(true);
  });

  it('exits 2 when --output would land among the files of a folder being checked', async () => {
    const run = await runGuarded(['check', '--output', path.join(dir, 'captures/zz-results.png'), path.join(dir, 'captures')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/inside the folder/);
  });

  it('writes an ordinary --output file', async () => {
    const out = path.join(dir, 'results.ndjson');
    const run = await runGuarded(['check', '--format', 'ndjson', '--output', out, photo]);
    expect(run.code).not.toBe(2);
    expect(JSON.parse(readFileSync(out, 'utf8').trim()).file).toBe(photo);
  });
});
