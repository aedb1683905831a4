// The NDJSON output as a checkpoint (resume) and as merge input: torn last lines, trailing summary
// lines, foreign lines and duplicates, on files written the way the CLI writes them.
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, appendFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openCheckpoint, CheckpointError } from '../../src/batch/checkpoint.js';
import { mergeResults, describeMergeIssues } from '../../src/batch/merge.js';
import { ndjsonLine } from '../../src/report/render/json.js';
import { summarize } from '../../src/report/verdict.js';
import { ProgressCounts, clock } from '../../src/batch/progress.js';
import type { Result, Verdict } from '../../src/types.js';

function result(file: string, verdict: Verdict = 'pass'): Result {
  return { file, kind: 'image', verdict, faces: [], causes: [], metrics: { 'faces.count': 1 }, elapsedMs: 12 };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'fd-checkpoint-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('openCheckpoint (--resume)', () => {
  it('starts fresh when the output does not exist yet', async () => {
    const cp = await openCheckpoint(path.join(dir, 'none.ndjson'), () => {});
    expect(cp.kept).toBe(0);
    expect(cp.done.size).toBe(0);
  });

  it('keeps complete lines, cuts a torn last line and truncates the file to the last newline', async () => {
    const f = path.join(dir, 'out.ndjson');
    const complete = ndjsonLine(result('a.jpg')) + ndjsonLine(result('b.jpg', 'fail'));
    writeFileSync(f, complete + ndjsonLine(result('c.jpg')).slice(0, 25)); // killed mid-write
    const seen: string[] = [];
    const cp = await openCheckpoint(f, (r) => seen.push(r.file));
    expect(seen).toEqual(['a.jpg', 'b.jpg']);
    expect(cp.tornBytes).toBe(25);
    expect(cp.done.has('a.jpg') && cp.done.has('b.jpg')).toBe(true);
    expect(cp.done.has('c.jpg')).toBe(false);
    expect(readFileSync(f, 'utf8')).toBe(complete);
  });

  it('cuts a trailing summary line (it is rewritten at the end of the resumed run)', async () => {
    const f = path.join(dir, 'out.ndjson');
    const lines = [result('a.jpg'), result('b.jpg')].map(ndjsonLine).join('');
    writeFileSync(f, lines + JSON.stringify({ summary: summarize([result('a.jpg'), result('b.jpg')]) }) + '\n');
    const cp = await openCheckpoint(f, () => {});
    expect(cp.droppedSummary).toBe(true);
    expect(cp.kept).toBe(2);
    expect(readFileSync(f, 'utf8')).toBe(lines);
  });

  it('leaves a cleanly ended file untouched', async () => {
    const f = path.join(dir, 'out.ndjson');
    writeFileSync(f, ndjsonLine(result('a.jpg')));
    const before = statSync(f).mtimeMs;
    await openCheckpoint(f, () => {});
    expect(statSync(f).mtimeMs).toBe(before);
  });

  it('refuses a file that is not facedoctor NDJSON rather than appending to it', async () => {
    const f = path.join(dir, 'out.csv');
    writeFileSync(f, 'file,kind,verdict\na.jpg,image,pass\n');
    await expect(openCheckpoint(f, () => {})).rejects.toThrow(CheckpointError);
    await expect(openCheckpoint(f, () => {})).rejects.toThrow(/line 1 is not a facedoctor result/);
    expect(readFileSync(f, 'utf8')).toBe('file,kind,verdict\na.jpg,image,pass\n');
  });

  it('counts an input listed twice once', async () => {
    const f = path.join(dir, 'out.ndjson');
    writeFileSync(f, ndjsonLine(result('a.jpg')) + ndjsonLine(result('a.jpg', 'fail')));
    const seen: Result[] = [];
    const cp = await openCheckpoint(f, (r) => seen.push(r));
    expect(cp.kept).toBe(1);
    expect(seen.map((r) => r.verdict)).toEqual(['pass']);
  });
});

describe('mergeResults', () => {
  it('passes each input once, and reports overlaps, torn lines and foreign lines', async () => {
    const s1 = path.join(dir, 's1.ndjson');
    const s2 = path.join(dir, 's2.ndjson');
    const s3 = path.join(dir, 's3.ndjson');
    writeFileSync(s1, ndjsonLine(result('a.jpg')) + ndjsonLine(result('b.jpg', 'fail')) + JSON.stringify({ summary: summarize([]) }) + '\n');
    writeFileSync(s2, ndjsonLine(result('c.jpg', 'warn')) + ndjsonLine(result('a.jpg', 'fail')) + 'not json\n');
    writeFileSync(s3, ndjsonLine(result('d.jpg')));
    appendFileSync(s3, ndjsonLine(result('e.jpg')).slice(0, 30));
    const merged: Result[] = [];
    const report = await mergeResults([s1, s2, s3], (r) => merged.push(r));
    expect(merged.map((r) => `${r.file}:${r.verdict}`)).toEqual(['a.jpg:pass', 'b.jpg:fail', 'c.jpg:warn', 'd.jpg:pass']);
    expect(report.duplicates).toBe(1);
    expect(report.duplicateExamples).toEqual([{ file: 'a.jpg', source: s2 }]);
    expect(report.bad).toEqual([{ source: s2, lineNo: 3, detail: 'not json' }]);
    expect(report.torn).toEqual([{ source: s3, lineNo: 2, detail: '30 bytes without a final newline' }]);
    const text = describeMergeIssues(report).join('\n');
    expect(text).toMatch(/1 result\(s\) were for inputs already seen/);
    expect(text).toMatch(/s3\.ndjson: line 2 is torn/);
    expect(text).toMatch(/s2\.ndjson: line 3 is not a facedoctor result/);
  });
});

describe('progress numbers', () => {
  it('shows done/total, the recent rate, time left and failures', () => {
    let t = 0;
    const p = new ProgressCounts(() => t);
    p.add(result('a', 'pass'));
    expect(p.line('Fail', 'Error')).toBe('1 · Fail 0 · Error 0'); // no rate from one point, total unknown
    for (const v of ['fail', 'error', 'pass'] as Verdict[]) {
      t += 500;
      p.add(result('x', v));
    }
    p.total = 10;
    expect(p.rate()).toBeCloseTo(2, 6);
    expect(p.line('Fail', 'Error')).toBe('4/10 · 2.0/s · ~0:03 · Fail 1 · Error 1');
  });

  it('formats time left as a clock', () => {
    expect(clock(75)).toBe('1:15');
    expect(clock(3725)).toBe('1:02:05');
    expect(clock(0.4)).toBe('0:00');
  });
});
