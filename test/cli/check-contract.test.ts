// The scripting contract of `facedoctor check`: output shapes, exit codes, error results, streams.
import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, copyFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../helpers/run-cli.js';

const FIX = 'fixtures/synthetic';
const CLEAN = `${FIX}/clean/astronaut-original.jpg`;
const DARK = `${FIX}/too-dark/astronaut-very-dark.jpg`;

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'fd-contract-'));
});

describe('json output', () => {
  it('is one document with schemaVersion, tool, results and summary', async () => {
    const r = await runCli(['check', '--format', 'json', CLEAN, DARK]);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.schemaVersion).toBe(1);
    expect(doc.tool).toEqual({ name: 'facedoctor', version: expect.any(String) });
    expect(doc.results).toHaveLength(2);
    expect(doc.summary.total).toBe(2);
    // Results come in completion order (parallel workers): pick them by file.
    const pick = (f: string) => doc.results.find((x: { file: string }) => x.file === f);
    const [clean, dark] = [pick(CLEAN), pick(DARK)];
    expect(clean).toMatchObject({ file: CLEAN, kind: 'image', verdict: 'pass', image: { width: 512, height: 512, format: 'jpeg' } });
    expect(clean.faces).toHaveLength(1);
    expect(clean.faces[0]).toMatchObject({ box: { x: expect.any(Number) }, score: expect.any(Number), keypoints: { rightEye: { x: expect.any(Number) } } });
    // every raw measurement is present even when nothing fires
    expect(Object.keys(clean.metrics).length).toBeGreaterThan(10);
    expect(clean.causes).toEqual([]);
    expect(dark.verdict).toBe('fail');
    const cause = dark.causes.find((c: { code: string }) => c.code === 'too-dark');
    expect(cause).toMatchObject({ category: 'lighting', severity: 'fail', message: expect.any(String) });
    expect(cause.confidence).toBeGreaterThan(0);
    expect(cause.confidence).toBeLessThanOrEqual(1);
    expect(Object.keys(cause.measured).length).toBeGreaterThan(0);
    expect(Object.keys(cause.thresholds).length).toBeGreaterThan(0);
    expect(cause.advice.length).toBeGreaterThanOrEqual(2);
    expect(r.code).toBe(1);
  });
});

describe('ndjson output', () => {
  it('writes exactly one parseable result per input per line', async () => {
    const r = await runCli(['check', '--format', 'ndjson', `${FIX}/clean`]);
    const lines = r.stdout.trim().split('\n');
    const files = readdirImages(`${FIX}/clean`);
    expect(lines).toHaveLength(files.length);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('verdict');
  });
});

describe('csv output', () => {
  it('has a header with one column per cause and one row per input', async () => {
    const r = await runCli(['check', '--format', 'csv', CLEAN, DARK]);
    const rows = r.stdout.trim().split('\n');
    expect(rows).toHaveLength(3);
    const header = rows[0].split(',');
    expect(header.slice(0, 3)).toEqual(['file', 'kind', 'verdict']);
    expect(header).toContain('too-dark');
    const dark = rows.slice(1).map((row) => row.split(',')).find((cells) => cells[0] === DARK)!;
    expect(dark[header.indexOf('too-dark')]).toBe('fail');
  });
});

describe('bad inputs', () => {
  it('turns corrupt, empty and missing files into error results and goes on (exit 3)', async () => {
    const empty = path.join(tmp, 'empty.jpg');
    writeFileSync(empty, '');
    const text = path.join(tmp, 'notes.jpg');
    writeFileSync(text, 'this is not an image at all\n');
    const truncated = path.join(tmp, 'truncated.jpg');
    const full = readFileSync(CLEAN);
    writeFileSync(truncated, full.subarray(0, Math.floor(full.length / 3)));
    const missing = path.join(tmp, 'missing.jpg');
    const r = await runCli(['check', '--format', 'ndjson', empty, text, truncated, missing, CLEAN]);
    // NDJSON lines come in completion order (parallel workers): match them up by file.
    const byFile = new Map(r.stdout.trim().split('\n').map((l) => JSON.parse(l)).map((x) => [x.file, x]));
    const results = [empty, text, truncated, missing, CLEAN].map((f) => byFile.get(f));
    expect(results.map((x) => x.verdict)).toEqual(['error', 'error', 'error', 'error', 'pass']);
    expect(results[0].error).toMatchObject({ code: 'empty-file' });
    expect(results[1].error).toMatchObject({ code: 'unsupported-format' });
    expect(results[2].error.code).toMatch(/corrupt-image|decode-failed/);
    expect(results[3].error).toMatchObject({ code: 'not-found' });
    for (const x of results.slice(0, 4)) expect(x.error.message).toContain(x.file);
    expect(r.code).toBe(3);
  });

  it('reads a PNG saved with a .jpg name (format is sniffed, not taken from the extension)', async () => {
    const mislabelled = path.join(tmp, 'really-a-png.jpg');
    copyFileSync('fixtures/astronaut.png', mislabelled);
    const r = await runCli(['check', '--format', 'json', mislabelled]);
    expect(JSON.parse(r.stdout).results[0].image.format).toBe('png');
  });
});

describe('exit codes and usage', () => {
  it('exits 0 when nothing fails', async () => {
    expect((await runCli(['check', '--format', 'json', CLEAN])).code).toBe(0);
  });

  it('--fail-on warn turns warnings into exit 1', async () => {
    const warnOnly = `${FIX}/off-center/astronaut-left-mild.jpg`;
    const plain = await runCli(['check', '--format', 'json', warnOnly]);
    const verdict = JSON.parse(plain.stdout).results[0].verdict;
    expect(verdict).toBe('warn');
    expect(plain.code).toBe(0);
    expect((await runCli(['check', '--fail-on', 'warn', '--format', 'json', warnOnly])).code).toBe(1);
  });

  it('usage errors exit 2 with a message on stderr and nothing on stdout', async () => {
    for (const args of [
      ['check', '--format', 'yaml', CLEAN],
      ['check', '--only', 'not-a-cause', CLEAN],
      ['check', '--profile', 'no-such-profile', CLEAN],
      ['explain', 'not-a-cause'],
      ['check'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.length).toBeGreaterThan(0);
    }
  });

  it('--only limits the analyzers that report', async () => {
    const r = await runCli(['check', '--format', 'json', '--only', 'blur', DARK]);
    const res = JSON.parse(r.stdout).results[0];
    expect(res.causes.every((c: { code: string }) => c.code === 'blur')).toBe(true);
  });

  it('a profile file overrides single thresholds', async () => {
    const file = path.join(tmp, 'lenient.json');
    writeFileSync(file, JSON.stringify({ extends: 'kyc-selfie', thresholds: { 'dark.faceP90.warn': 1, 'dark.faceP90.fail': 0, 'dark.headroom.warn': 1000, 'dark.headroom.fail': 2000 } }));
    const r = await runCli(['check', '--format', 'json', '--only', 'too-dark', '--profile', file, DARK]);
    expect(JSON.parse(r.stdout).results[0].causes).toEqual([]);
    const bad = path.join(tmp, 'bad.json');
    writeFileSync(bad, JSON.stringify({ thresholds: { 'no.such.key': 1 } }));
    expect((await runCli(['check', '--profile', bad, CLEAN])).code).toBe(2);
  });
});

describe('text output', () => {
  it('names the cause and gives numbered steps, without colour codes when piped', async () => {
    const r = await runCli(['check', DARK]);
    expect(r.stdout).toContain('too-dark');
    expect(r.stdout).toMatch(/\n\s+1\. /);
    expect(r.stdout).not.toMatch(/\x1b\[/);
  });

  it('causes lists every code and explain prints the advice', async () => {
    const list = await runCli(['causes']);
    expect(list.stdout).toContain('backlit');
    const ex = await runCli(['explain', 'too-far']);
    expect(ex.stdout).toMatch(/30.50 cm/);
    const fr = await runCli(['explain', 'too-far', '--lang', 'fr']);
    expect(fr.stdout).not.toBe(ex.stdout);
  });
});

function readdirImages(dir: string): string[] {
  return readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f));
}
