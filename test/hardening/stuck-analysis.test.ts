// The per-file time limit holds even when analysis is stuck in synchronous code, where no timer in
// the same thread can fire: with one input (checked in the main thread, watched by a watchdog
// thread) and with --jobs 1 (a pool of one worker, watched from outside). FACEDOCTOR_TEST_STALL
// (src/pipeline/limits.ts) makes analysis of a matching file spin forever after decoding.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseResults, removeScratchDirs, runGuarded, scratchDir, STACK_FRAME, type GuardedRun } from './helpers.js';

afterAll(removeScratchDirs);

const STUCK = 'fixtures/synthetic/clean/astronaut-q60.jpg';
const FINE = 'fixtures/synthetic/too-dark/astronaut-dark.jpg';
const stall = { FACEDOCTOR_TEST_STALL: 'astronaut-q60' };
// Generous: a 1 s limit (3 s for the watchdog) plus model loading on a loaded shared machine.
const KILL_AFTER_MS = 120_000;
const TEST_MS = 150_000;

function expectEnded(run: GuardedRun): void {
  expect(run.killed, `the run hung (stderr: ${run.stderr})`).toBe(false);
  expect(run.signal).toBeNull();
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.stderr).not.toMatch(/debugger/i);
}

describe('analysis stuck in synchronous code', () => {
  it('one input, NDJSON on stdout: one timeout result and exit code 3', async () => {
    const run = await runGuarded(['check', '--format', 'ndjson', '--timeout', '1', STUCK], { env: stall, killAfterMs: KILL_AFTER_MS });
    expectEnded(run);
    const results = parseResults(run.stdout);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ file: STUCK, verdict: 'error', error: { code: 'timeout' } });
    expect(results[0]!.error!.message).toContain(STUCK);
    expect(run.code).toBe(3);
  }, TEST_MS);

  it('one input, CSV to --output: the header and one timeout row, exit code 3', async () => {
    const out = path.join(scratchDir('fd-stuck-'), 'out.csv');
    const run = await runGuarded(['check', '--format', 'csv', '--output', out, '--timeout', '1', STUCK], { env: stall, killAfterMs: KILL_AFTER_MS });
    expectEnded(run);
    expect(run.stdout).toBe('');
    const rows = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^file,kind,verdict,error_code,/);
    expect(rows[1]).toMatch(new RegExp(`^${STUCK},image,error,timeout,`));
    expect(run.code).toBe(3);
  }, TEST_MS);

  it('--jobs 1 with two inputs: the stuck one times out, the other still gets its real result', async () => {
    // 5 s: room for the good file on a loaded machine (the stuck one waits 7.5 s, twice: once
    // beside the other file's worker task, once alone).
    const run = await runGuarded(['check', '--format', 'ndjson', '--jobs', '1', '--timeout', '5', STUCK, FINE], { env: stall, killAfterMs: KILL_AFTER_MS });
    expectEnded(run);
    const results = parseResults(run.stdout);
    expect(results.map((r) => r.file).sort()).toEqual([STUCK, FINE].sort());
    expect(results.find((r) => r.file === STUCK)).toMatchObject({ verdict: 'error', error: { code: 'timeout' } });
    const fine = results.find((r) => r.file === FINE)!;
    expect(fine.verdict).toBe('fail'); // the too-dark fixture, analyzed normally
    expect(fine.causes.map((c) => c.code)).toContain('too-dark');
    expect(run.code).toBe(1); // a fail outranks the error
  }, TEST_MS);

  it('the hook touches nothing else: the same single input without it is analyzed', async () => {
    const run = await runGuarded(['check', '--format', 'ndjson', FINE], { env: stall, killAfterMs: KILL_AFTER_MS });
    expectEnded(run);
    expect(parseResults(run.stdout)).toMatchObject([{ file: FINE, verdict: 'fail' }]);
  }, TEST_MS);
});
