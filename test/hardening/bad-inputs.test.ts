// The generated corpus of hostile and broken inputs (tools/make-bad-inputs.ts) through the real
// CLI: every input gets exactly one result of the expected kind, nobody sees a stack trace, the run
// ends, memory stays bounded although bombs declare gigapixels, and no socket is opened.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { makeBadInputs, type BadInput, type Corpus } from '../../tools/make-bad-inputs.js';
import type { Result } from '../../src/types.js';
import { networkAttempts, parseResults, peakRssMB, removeScratchDirs, runGuarded, scratchDir, STACK_FRAME, type GuardedRun } from './helpers.js';

afterAll(removeScratchDirs);

/** A process that decoded any of the bombs would need gigabytes; the whole run needs far less. */
const MAX_PEAK_RSS_MB = 900;

let corpus: Corpus;
beforeAll(async () => {
  corpus = await makeBadInputs(scratchDir('fd-bad-inputs-'));
  for (const s of corpus.skipped) console.warn(`make-bad-inputs skipped ${s}`);
}, 120_000);

/** Problems with one result against its corpus entry, in words (empty when it is as expected). */
function mismatch(entry: BadInput, r: Result): string[] {
  const out: string[] = [];
  const where = `${entry.rel} (${entry.why})`;
  if (r.error?.code === 'internal') out.push(`${where}: internal error "${r.error.message}"`);
  if (entry.expect === 'analyzed' && r.verdict === 'error') out.push(`${where}: expected an analysis, got error ${r.error?.code} "${r.error?.message}"`);
  if (entry.expect === 'error' && r.verdict !== 'error') out.push(`${where}: expected an error result, got verdict ${r.verdict}`);
  if (r.verdict === 'error') {
    if (entry.errorCodes && !entry.errorCodes.includes(r.error!.code)) out.push(`${where}: error code ${r.error!.code} not in [${entry.errorCodes.join(', ')}] ("${r.error!.message}")`);
    if (!r.error!.message.includes(r.file)) out.push(`${where}: error message does not name the file: "${r.error!.message}"`);
  } else {
    const size = r.kind === 'video' ? (r.video as { width?: number; height?: number } | undefined) : r.image;
    if (!size || !((size.width ?? 0) > 0 && (size.height ?? 0) > 0)) out.push(`${where}: analyzed without a ${r.kind} size`);
    if (entry.size && (r.image?.width !== entry.size.width || r.image?.height !== entry.size.height)) {
      out.push(`${where}: reported ${r.image?.width}×${r.image?.height}, expected ${entry.size.width}×${entry.size.height}`);
    }
  }
  return out;
}

/** Matches results to entries one-to-one by path; reports missing, duplicate and unexpected ones. */
function matchResults(results: Result[], entries: BadInput[], pathOf: (e: BadInput) => string): { problems: string[]; pairs: Array<[BadInput, Result]> } {
  const problems: string[] = [];
  const pairs: Array<[BadInput, Result]> = [];
  const byFile = new Map<string, Result[]>();
  for (const r of results) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  for (const e of entries) {
    const got = byFile.get(pathOf(e)) ?? [];
    byFile.delete(pathOf(e));
    if (got.length !== 1) problems.push(`${e.rel}: ${got.length} results (expected exactly one)`);
    if (got[0]) pairs.push([e, got[0]]);
  }
  for (const file of byFile.keys()) problems.push(`unexpected result for ${JSON.stringify(file)}`);
  return { problems, pairs };
}

describe('checking a folder of hostile inputs', () => {
  let run: GuardedRun;
  let results: Result[];
  beforeAll(async () => {
    // Generous: on an idle 2-core machine this takes ~15 s; the limit only catches a real hang.
    run = await runGuarded(['check', '--format', 'ndjson', '--timeout', '20', corpus.root], { killAfterMs: 170_000 });
    results = parseResults(run.stdout);
  }, 180_000);

  it('ends by itself, with exit code 1 (some fail) — not a crash, a signal or a usage error', () => {
    expect(run.killed, 'the run hung and was killed').toBe(false);
    expect(run.signal).toBeNull();
    expect([1, 3]).toContain(run.code);
  });

  it('gives every input the walk finds exactly one result, of the expected kind', () => {
    const walked = corpus.inputs.filter((e) => e.walked === 'yes');
    const { problems, pairs } = matchResults(results, walked, (e) => path.join(corpus.root, e.rel));
    for (const [e, r] of pairs) problems.push(...mismatch(e, r));
    expect(problems).toEqual([]);
  });

  it('never shows a stack trace', () => {
    expect(run.stderr).not.toMatch(STACK_FRAME);
    for (const r of results) expect(r.error?.message ?? '').not.toMatch(STACK_FRAME);
  });

  it('opens no socket and resolves no host name', () => {
    expect(run.records.some((r) => r.kind === 'loaded'), 'the sentinel was not preloaded').toBe(true);
    expect(networkAttempts(run)).toEqual([]);
  });

  it(`keeps peak memory under ${MAX_PEAK_RSS_MB} MB although bombs declare up to 30 GB of pixels`, () => {
    expect(peakRssMB(run)).toBeLessThan(MAX_PEAK_RSS_MB);
  });
});

describe('inputs given as arguments', () => {
  it('treats names starting with "-" after "--" as files, and reports pipes and symlink loops', async () => {
    const names = path.join(corpus.root, 'names');
    const special = ['../fs/ping.jpg', '../fs/dangling.jpg', '../fs/fifo.jpg'].filter((a) => corpus.inputs.some((e) => `../${e.rel}` === a));
    const args = ['-rf.jpg', '--help.jpg', '-dir', 'with space.jpg', 'new\nline.jpg', 'ünïcödé-顔-😀.jpg', ...special];
    if (corpus.inputs.some((e) => e.rel === 'names/-clip.mp4')) args.push('-clip.mp4', 'concat:clip.mp4|x.mp4');
    const run = await runGuarded(['check', '--format', 'ndjson', '--', ...args], { cwd: names, killAfterMs: 40_000 });
    expect(run.killed, 'the run hung (a FIFO opened for reading blocks)').toBe(false);
    const results = parseResults(run.stdout);
    const expected = corpus.inputs.filter((e) => e.rel.startsWith('names/') ? args.some((a) => e.rel === `names/${a}` || e.rel.startsWith(`names/${a}/`)) : args.includes(`../${e.rel}`));
    const { problems, pairs } = matchResults(results, expected, (e) => (e.rel.startsWith('names/') ? e.rel.slice('names/'.length) : `../${e.rel}`));
    for (const [e, r] of pairs) problems.push(...mismatch(e, r));
    expect(problems).toEqual([]);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  }, 60_000);

  it('without "--", a leading dash is an option: a usage error (exit 2), not a crash', async () => {
    const run = await runGuarded(['check', '-rf.jpg'], { cwd: path.join(corpus.root, 'names'), killAfterMs: 20_000 });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/-rf\.jpg/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });
});

describe('--follow-symlinks', () => {
  it('follows folder links but reports each loop once instead of walking forever', async () => {
    const fsDir = path.join(corpus.root, 'fs');
    const run = await runGuarded(['check', '--format', 'ndjson', '--follow-symlinks', fsDir], { killAfterMs: 40_000 });
    expect(run.killed).toBe(false);
    const entries = corpus.inputs.filter((e) => e.rel.startsWith('fs/') && e.walked !== 'no');
    const { problems, pairs } = matchResults(parseResults(run.stdout), entries, (e) => path.join(corpus.root, e.rel));
    for (const [e, r] of pairs) problems.push(...mismatch(e, r));
    expect(problems).toEqual([]);
    const loops = parseResults(run.stdout).filter((r) => r.file.includes(`${path.sep}loop${path.sep}`));
    for (const r of loops) expect(r.error?.message).toMatch(/loop/);
  }, 60_000);
});
