// Score facedoctor on a labelled tree `<dir>/<label>/...`:
//   npm run eval -- <dir> [--json] [--profile NAME] [--concurrency N] [--only a,b] [--skip a,b]
//                         [--limit N] [--out FILE]
// Labels are cause codes (as written by tools/make-eval-set.ts) or the shared real-photo folders:
// `dark` → too-dark, `hat` → headwear, `blur`/`mask`/`sunglasses`/`bangs` are codes already. `clean`
// holds negatives for every cause; `eyeglasses` holds negatives for `sunglasses` and
// `glasses-glare` only; any other folder is reported as "which codes fired", without recall.
// A file counts as detected when the cause is present (severity warn or fail). Recall counts
// files that errored as misses; errors are shown beside it.
import { existsSync, statSync } from 'node:fs';
import { readdir, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadProfile } from '../src/config/profile.js';
import { createChecker } from '../src/pipeline/check.js';
import { CAUSE_CODES, isCauseCode } from '../src/report/codes.js';
import type { Result } from '../src/types.js';
import { isMediaFile, listFiles, sourceOf } from './synth/files.js';

// ---------------------------------------------------------------- labels

/** Real-data folder names that are not cause codes themselves. */
export const LABEL_ALIASES: Record<string, string> = { dark: 'too-dark', hat: 'headwear' };

/** Folders that are negatives for some causes only (and say nothing about the others). */
export const PARTIAL_NEGATIVES: Record<string, string[]> = { eyeglasses: ['sunglasses', 'glasses-glare'] };

export type LabelRole =
  | { kind: 'positive'; code: string }
  | { kind: 'clean' }
  | { kind: 'negative-for'; codes: string[] }
  | { kind: 'unknown' };

export function roleOf(label: string): LabelRole {
  const l = label.toLowerCase();
  if (l === 'clean') return { kind: 'clean' };
  if (PARTIAL_NEGATIVES[l]) return { kind: 'negative-for', codes: PARTIAL_NEGATIVES[l] };
  const code = LABEL_ALIASES[l] ?? l;
  if (isCauseCode(code)) return { kind: 'positive', code };
  return { kind: 'unknown' };
}

// ---------------------------------------------------------------- scoring

export interface FileOutcome {
  file: string;
  label: string;
  source: string;
  verdict: Result['verdict'];
  fired: string[];
  error?: string;
  elapsedMs?: number;
}

interface Tally {
  n: number;
  hits: number;
  errors: number;
}

export interface RateBlock extends Tally {
  rate: number | null;
  bySource: Record<string, Tally & { rate: number | null }>;
}

export interface CauseScore {
  code: string;
  positiveLabels: string[];
  /** Recall on the cause's own folder(s); hits = files where the cause fired. */
  recall: RateBlock | null;
  /** False alarms on `clean`; hits = clean files where the cause fired. */
  falseAlarms: RateBlock | null;
  /** False alarms on partial-negative folders (eyeglasses for sunglasses/glasses-glare). */
  otherNegatives: Record<string, RateBlock>;
}

export interface LabelSummary {
  label: string;
  role: LabelRole['kind'];
  code?: string;
  n: number;
  errors: number;
  byVerdict: Record<string, number>;
  fired: Record<string, number>;
}

export interface EvalReport {
  dir: string;
  profile: string;
  files: number;
  errors: number;
  elapsedMs: number;
  causes: CauseScore[];
  labels: LabelSummary[];
  errorSamples: Array<{ file: string; message: string }>;
  outcomes?: FileOutcome[];
}

const SRC_NONE = '(no prefix)';

function rateBlock(outcomes: FileOutcome[], hit: (o: FileOutcome) => boolean): RateBlock {
  const tally = (os: FileOutcome[]) => {
    const n = os.length;
    const hits = os.filter(hit).length;
    const errors = os.filter((o) => o.verdict === 'error').length;
    return { n, hits, errors, rate: n > 0 ? hits / n : null };
  };
  const bySource: RateBlock['bySource'] = {};
  const sources = [...new Set(outcomes.map((o) => o.source))].sort();
  for (const s of sources) bySource[s] = tally(outcomes.filter((o) => o.source === s));
  return { ...tally(outcomes), bySource };
}

export function score(outcomes: FileOutcome[], meta: { dir: string; profile: string; elapsedMs: number }): EvalReport {
  const labels = [...new Set(outcomes.map((o) => o.label))].sort();
  const roles = new Map(labels.map((l) => [l, roleOf(l)]));
  const inLabels = (pred: (r: LabelRole) => boolean) => outcomes.filter((o) => pred(roles.get(o.label)!));
  const clean = inLabels((r) => r.kind === 'clean');
  const positiveCodes = new Set<string>();
  for (const r of roles.values()) if (r.kind === 'positive') positiveCodes.add(r.code);
  const firedOnNegatives = new Set<string>();
  for (const o of outcomes) {
    const r = roles.get(o.label)!;
    if (r.kind === 'clean') o.fired.forEach((c) => firedOnNegatives.add(c));
    if (r.kind === 'negative-for') o.fired.filter((c) => r.codes.includes(c)).forEach((c) => firedOnNegatives.add(c));
  }
  const codes = [...CAUSE_CODES.filter((c) => positiveCodes.has(c) || firedOnNegatives.has(c))];
  for (const c of firedOnNegatives) if (!codes.includes(c as (typeof CAUSE_CODES)[number])) codes.push(c as (typeof CAUSE_CODES)[number]);
  const causes: CauseScore[] = codes.map((code) => {
    const posLabels = labels.filter((l) => {
      const r = roles.get(l)!;
      return r.kind === 'positive' && r.code === code;
    });
    const pos = outcomes.filter((o) => posLabels.includes(o.label));
    const fired = (o: FileOutcome) => o.fired.includes(code);
    const otherNegatives: Record<string, RateBlock> = {};
    for (const l of labels) {
      const r = roles.get(l)!;
      if (r.kind === 'negative-for' && r.codes.includes(code)) otherNegatives[l] = rateBlock(outcomes.filter((o) => o.label === l), fired);
    }
    return {
      code,
      positiveLabels: posLabels,
      recall: pos.length ? rateBlock(pos, fired) : null,
      falseAlarms: clean.length ? rateBlock(clean, fired) : null,
      otherNegatives,
    };
  });
  const labelSummaries: LabelSummary[] = labels.map((label) => {
    const os = outcomes.filter((o) => o.label === label);
    const r = roles.get(label)!;
    const byVerdict: Record<string, number> = {};
    const fired: Record<string, number> = {};
    for (const o of os) {
      byVerdict[o.verdict] = (byVerdict[o.verdict] ?? 0) + 1;
      for (const c of o.fired) fired[c] = (fired[c] ?? 0) + 1;
    }
    const sortedFired = Object.fromEntries(Object.entries(fired).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
    return {
      label,
      role: r.kind,
      ...(r.kind === 'positive' ? { code: r.code } : {}),
      n: os.length,
      errors: os.filter((o) => o.verdict === 'error').length,
      byVerdict,
      fired: sortedFired,
    };
  });
  const errs = outcomes.filter((o) => o.verdict === 'error');
  return {
    dir: meta.dir,
    profile: meta.profile,
    files: outcomes.length,
    errors: errs.length,
    elapsedMs: meta.elapsedMs,
    causes,
    labels: labelSummaries,
    errorSamples: errs.slice(0, 20).map((o) => ({ file: o.file, message: o.error ?? 'error' })),
  };
}

// ---------------------------------------------------------------- text output

const pct = (r: number | null) => (r === null ? '–' : `${(100 * r).toFixed(1)}%`);

function table(rows: string[][], header: string[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 || i === r.length - 1 ? (c ?? '').padEnd(widths[i]) : (c ?? '').padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderText(rep: EvalReport): string {
  const out: string[] = [];
  out.push(
    `facedoctor eval  ${rep.dir}  profile ${rep.profile}  ${rep.files} files  ${rep.errors} errors  ${(rep.elapsedMs / 1000).toFixed(1)} s`,
  );
  out.push('');
  const rows = rep.causes.map((c) => {
    const r = c.recall;
    const f = c.falseAlarms;
    const bySrc = f
      ? Object.entries(f.bySource)
          .map(([s, t]) => `${s} ${t.hits}/${t.n}`)
          .join(' · ')
      : '';
    const other = Object.entries(c.otherNegatives)
      .map(([l, b]) => `${l} ${b.hits}/${b.n} ${pct(b.rate)}`)
      .join(' · ');
    return [
      c.code,
      c.positiveLabels.join(',') || '–',
      r ? String(r.n) : '',
      r ? `${r.hits}` : '',
      r ? pct(r.rate) : '–',
      r ? String(r.errors) : '',
      f ? `${f.hits}/${f.n}` : '–',
      f ? pct(f.rate) : '–',
      [bySrc, other].filter(Boolean).join('  |  '),
    ];
  });
  out.push(table(rows, ['cause', 'folder', 'n', 'hit', 'recall', 'err', 'clean FA', 'FA rate', 'FA by source  |  other negatives']));
  out.push('');
  out.push('Folders (codes that fired, most frequent first):');
  const lrows = rep.labels.map((l) => [
    l.label,
    l.role === 'positive' ? `→ ${l.code}` : l.role === 'negative-for' ? 'partial negative' : l.role,
    String(l.n),
    String(l.errors),
    Object.entries(l.fired)
      .slice(0, 6)
      .map(([c, k]) => `${c} ${k}`)
      .join(', ') || '(none)',
  ]);
  out.push(table(lrows, ['folder', 'role', 'n', 'err', 'fired']));
  if (rep.errorSamples.length) {
    out.push('');
    out.push(`Errors (${rep.errors}${rep.errors > rep.errorSamples.length ? `, first ${rep.errorSamples.length}` : ''}):`);
    for (const e of rep.errorSamples) out.push(`  ${e.file}: ${e.message}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------- running

async function mapPool<T, R>(items: T[], n: number, fn: (t: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}

const USAGE = `usage: npm run eval -- <dir> [options]
  <dir>              labelled tree <dir>/<label>/... (labels = cause codes, clean, or dark/hat/eyeglasses/…)
  --json             print the report as JSON (with per-file outcomes)
  --profile NAME     threshold profile name or JSON file (default: the built-in default)
  --concurrency N    files checked at once (default 2)
  --only a,b         run only these cause checks
  --skip a,b         skip these cause checks
  --limit N          score at most N files per folder (quick runs)
  --out FILE         also write the JSON report to FILE`;

const csv = (s: string | undefined) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : undefined);

export async function main(argv: string[]): Promise<number> {
  let values;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        profile: { type: 'string' },
        concurrency: { type: 'string', default: '2' },
        only: { type: 'string' },
        skip: { type: 'string' },
        limit: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    console.error(USAGE);
    return 2;
  }
  const dir = resolve(positionals[0]);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    console.error(`eval: ${positionals[0]} not found (or not a folder); nothing to score — skipped`);
    return 0;
  }
  const concurrency = Number(values.concurrency);
  const limit = values.limit !== undefined ? Number(values.limit) : undefined;
  if (!(concurrency >= 1) || (limit !== undefined && !(limit >= 1))) {
    console.error(`--concurrency and --limit take positive numbers\n${USAGE}`);
    return 2;
  }
  let profile;
  try {
    profile = loadProfile(values.profile);
  } catch (e) {
    console.error(`eval: ${(e as Error).message}`);
    return 2;
  }
  const labelDirs = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .map((e) => e.name)
    .sort();
  const jobs: Array<{ file: string; label: string }> = [];
  for (const label of labelDirs) {
    let files = await listFiles(join(dir, label), isMediaFile);
    if (limit !== undefined) files = files.slice(0, limit);
    for (const file of files) jobs.push({ file, label });
  }
  if (jobs.length === 0) {
    console.error(`eval: no images or videos under ${dir}/<label>/; nothing to score`);
    return 0;
  }
  const checker = await createChecker({ profile, only: csv(values.only), skip: csv(values.skip) });
  const t0 = performance.now();
  const tty = process.stderr.isTTY;
  let done = 0;
  let outcomes: FileOutcome[];
  try {
    outcomes = await mapPool(jobs, concurrency, async ({ file, label }) => {
      let r: Result;
      try {
        r = await checker.check(file);
      } catch (e) {
        r = { file, kind: 'image', verdict: 'error', error: { code: 'internal', message: (e as Error).message }, faces: [], causes: [], metrics: {} };
      }
      done++;
      if (tty) process.stderr.write(`\r  ${done}/${jobs.length} `);
      else if (done % 100 === 0 || done === jobs.length) process.stderr.write(`  ${done}/${jobs.length}\n`);
      return {
        file: relative(dir, file),
        label,
        source: sourceOf(basename(file)) ?? SRC_NONE,
        verdict: r.verdict,
        fired: [...new Set(r.causes.filter((c) => c.severity === 'warn' || c.severity === 'fail').map((c) => c.code))].sort(),
        ...(r.error ? { error: `${r.error.code}: ${r.error.message}` } : {}),
        ...(r.elapsedMs !== undefined ? { elapsedMs: r.elapsedMs } : {}),
      };
    });
  } finally {
    await checker.close();
    if (tty) process.stderr.write('\n');
  }
  const report = score(outcomes, { dir: positionals[0], profile: profile.name, elapsedMs: Math.round(performance.now() - t0) });
  const full = { ...report, outcomes };
  if (values.out) await writeFile(values.out, JSON.stringify(full, null, 2) + '\n');
  if (values.json) process.stdout.write(JSON.stringify(full, null, 2) + '\n');
  else process.stdout.write(renderText(report) + '\n');
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(`eval: ${(e as Error).stack ?? e}`);
      process.exit(1);
    },
  );
}
