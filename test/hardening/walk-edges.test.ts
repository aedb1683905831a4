// Two ways a folder walk can go wrong on real disks: a file name that is not UTF-8 (legal on
// Linux, common in archives from old Windows or Latin-1 systems), and a run writing its annotated
// pictures into the very folder it is checking.
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expandInputs, type InputItem } from '../../src/batch/inputs.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { parseResults, removeScratchDirs, runGuarded, scratchDir } from './helpers.js';

afterAll(removeScratchDirs);

async function list(dir: string): Promise<InputItem[]> {
  const out: InputItem[] = [];
  for await (const item of expandInputs([dir])) out.push(item);
  return out;
}

describe('folder walking edge cases', () => {
  it('a Latin-1 file name is one clear error, not a misleading "not found"', async () => {
    const dir = scratchDir('fd-latin1-');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/astronaut.png'), path.join(dir, 'ok.png'));
    // "café.png" in Latin-1: the é is the single byte 0xE9, invalid as UTF-8.
    const latin1 = Buffer.concat([Buffer.from(path.join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.png')]);
    writeFileSync(latin1, 'not read');
    const items = await list(dir);
    expect(items).toHaveLength(2);
    const bad = items.find((i) => i.problem);
    expect(bad?.problem?.code).toBe('unreadable');
    expect(bad?.problem?.message).toMatch(/not valid UTF-8.*rename/);
    expect(bad?.file).toContain('caf\ufffd.png');

    const run = await runGuarded(['check', '--format', 'ndjson', dir], { killAfterMs: 50_000 });
    const results = parseResults(run.stdout);
    expect(results.map((r) => r.verdict === 'error' ? r.error?.code : 'checked').sort()).toEqual(['checked', 'unreadable']);
    // 3 when the good photo passes, 1 if it fails on its own merits: never 0 with an input lost.
    expect([1, 3]).toContain(run.code);
  }, 60_000);

  it('--annotate inside the checked folder does not feed its pictures back in', async () => {
    const dir = scratchDir('fd-annot-');
    copyFileSync(path.join(REPO_ROOT, 'fixtures/astronaut.png'), path.join(dir, 'selfie.png'));
    const annotated = path.join(dir, 'annotated');
    for (let run = 1; run <= 2; run++) {
      // The second run starts with last run's picture already in the folder.
      const r = await runGuarded(['check', '--format', 'ndjson', '--jobs', '1', '--annotate', annotated, dir], { killAfterMs: 50_000 });
      expect(parseResults(r.stdout).map((x) => path.basename(x.file))).toEqual(['selfie.png']);
      expect(readdirSync(annotated)).toHaveLength(1);
    }
    // Given explicitly, the folder is an input like any other (no silent skipping of what was asked).
    mkdirSync(path.join(dir, 'other'));
    const direct = await runGuarded(['check', '--format', 'ndjson', annotated], { killAfterMs: 50_000 });
    expect(parseResults(direct.stdout)).toHaveLength(1);
  }, 120_000);
});
