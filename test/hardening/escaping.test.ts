// File names are attacker-chosen text. In CSV they must stay one cell and never become a formula
// in a spreadsheet; in HTML they must stay text, never markup.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { csvCell, csvHeader } from '../../src/report/render/csv.js';
import { escapeHtml } from '../../src/report/render/html/escape.js';
import { FORMATS } from '../../src/cli/output.js';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { removeScratchDirs, runGuarded, scratchDir } from './helpers.js';

afterAll(removeScratchDirs);

/** Characters that make Excel, LibreOffice or Google Sheets treat a cell as a formula (OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180 reader: rows of cells, quotes doubled inside quoted cells, newlines allowed there. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += ch;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

const HOSTILE_NAMES = [
  '=HYPERLINK("http:,evil","click").png',
  '+cmd|calc!A0.png',
  '-2+3.png',
  '@SUM(A1:A9).png',
  '\tTAB=1.png',
  'quote"inside, comma.png',
  'multi\nline\r\nname.png',
  '<img src=x onerror=alert(1)>.png',
  '"><svg onload=alert(2)>.png',
];

describe('csvCell', () => {
  it('neutralises formula starts and quotes what needs quoting', () => {
    const read = (v: string) => parseCsv(csvCell(v) + '\n')[0][0];
    expect(read('=1+1')).toBe("'=1+1");
    expect(read('-2+3')).toBe("'-2+3");
    expect(read('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(read('+cmd')).toBe("'+cmd");
    expect(csvCell('a"b')).toBe('"a""b"');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell(-2)).toBe('-2'); // our own numbers stay numbers
  });

  it('for any text: one cell that reads back as the text (with a leading apostrophe if it could be a formula)', () => {
    const text = fc.tuple(fc.constantFrom('', '=', '+', '-', '@', '\t', '\r', '"', ' ', "'"), fc.string({ unit: 'binary', maxLength: 40 })).map(([a, b]) => a + b);
    fc.assert(
      fc.property(text, fc.string({ maxLength: 5 }), (s, other) => {
        const rows = parseCsv(`${csvCell(s)},${csvCell(other)}\n`);
        const cell = rows[0]?.[0] ?? '';
        return rows.length === 1 && rows[0].length === 2 && !FORMULA_START.test(cell) && cell === (FORMULA_START.test(s) ? `'${s}` : s);
      }),
      { numRuns: 500 },
    );
  });
});

describe('escapeHtml', () => {
  it('for any text: no markup characters survive, and the text reads back', () => {
    const unescape = (h: string) => h.replace(/&lt;|&gt;|&quot;|&#39;|&amp;/g, (e) => ({ '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' })[e]!);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const h = escapeHtml(s);
        // Only XML-invalid control characters are replaced; everything else round-trips.
        return !/[<>"']/.test(h) && unescape(h) === s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
      }),
      { numRuns: 500 },
    );
  });
});

describe('hostile file names through the CLI', () => {
  let dir: string;
  beforeAll(() => {
    dir = scratchDir('fd-names-');
    for (const name of HOSTILE_NAMES) copyFileSync(path.join(REPO_ROOT, 'fixtures/astronaut.png'), path.join(dir, name));
    // A folder name ending in "<" puts "</script>" into the path (a file name cannot hold "/").
    mkdirSync(path.join(dir, 'a<'));
    copyFileSync(path.join(REPO_ROOT, 'fixtures/astronaut.png'), path.join(dir, 'a<', 'script><img src=y onerror=alert(3)>.png'));
  });

  it('CSV: one row per file, every file cell reads back as its path and none starts a formula', async () => {
    const run = await runGuarded(['check', '--format', 'csv', dir], { killAfterMs: 50_000 });
    const rows = parseCsv(run.stdout);
    const header = parseCsv(csvHeader())[0];
    expect(rows[0]).toEqual(header);
    expect(rows).toHaveLength(HOSTILE_NAMES.length + 2);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(header.length);
      for (const cell of row) expect(cell).not.toMatch(FORMULA_START);
    }
    const files = rows.slice(1).map((r) => r[0].replace(/^'(?=[=+\-@\t\r])/, ''));
    expect(files.sort()).toEqual([...HOSTILE_NAMES.map((n) => path.join(dir, n)), path.join(dir, 'a<', 'script><img src=y onerror=alert(3)>.png')].sort());
  }, 60_000);

  // A name can carry terminal control sequences: ESC ] 0 ; … BEL retitles the window, ESC [ 2 J
  // clears the screen, OSC 52 can write the clipboard. Text output is read in terminals.
  it('text: control characters in names never reach the terminal raw', async () => {
    const named = scratchDir('fd-ctrl-');
    const name = 'x\u001b]0;PWNED\u0007\u001b[2J\u009b31m.png';
    copyFileSync(path.join(REPO_ROOT, 'fixtures/astronaut.png'), path.join(named, name));
    // An empty file too: its name then also appears in the summary's error list.
    writeFileSync(path.join(named, 'empty\u001b[2J\u001b]52;c;ZXZpbA==\u0007.jpg'), '');
    const run = await runGuarded(['check', '--format', 'text', '--summary', '--no-color', named], { killAfterMs: 50_000 });
    expect(run.stdout).toContain('PWNED'); // the name is shown…
    expect(run.stdout.match(/empty\\x1b\[2J/g)?.length).toBeGreaterThanOrEqual(2); // result and error list
    for (const out of [run.stdout, run.stderr]) expect(out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/); // …but no control character is
  }, 60_000);

  it.runIf(FORMATS.includes('html' as never))('HTML: file names appear as text, never as markup', async () => {
    const run = await runGuarded(['check', '--format', 'html', dir], { killAfterMs: 50_000 });
    expect(run.code).not.toBe(2);
    const html = run.stdout;
    for (const payload of ['<img src=x onerror', '<svg onload', '<img src=y onerror', '</script><img']) expect(html).not.toContain(payload);
    expect(html).toContain(escapeHtml('<img src=x onerror=alert(1)>.png'));
    expect(html).toContain(escapeHtml('"><svg onload=alert(2)>.png'));
    // The report's own script block is the only one.
    expect(html.match(/<script\b/gi)?.length ?? 0).toBeLessThanOrEqual(1);
  }, 60_000);
});
