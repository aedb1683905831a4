// Combining the NDJSON outputs of shard jobs (or of any runs) into one stream of results. Each
// input is kept once: a file found in two outputs means the shards overlap (a different N, root
// or input list between jobs) and is reported. Torn last lines (a job killed mid-write) and lines
// that are not results are skipped and reported, since the combined counts are then incomplete.
import { FileSet } from './file-set.js';
import { readNdjson, type NdjsonTail } from './ndjson-file.js';
import type { Result } from '../types.js';

export interface MergeIssue {
  source: string;
  /** 1-based line number; for a torn line, the line after the last complete one. */
  lineNo: number;
  detail: string;
}

export interface MergeReport {
  sources: number;
  /** Results passed on (each input once). */
  results: number;
  /** Result lines dropped because their input was already seen. */
  duplicates: number;
  /** The first few duplicated inputs, for the message. */
  duplicateExamples: Array<{ file: string; source: string }>;
  torn: MergeIssue[];
  bad: MergeIssue[];
}

const MAX_EXAMPLES = 5;
const MAX_ISSUES = 100;

export class MergeSourceError extends Error {
  override name = 'MergeSourceError';
}

export async function mergeResults(sources: string[], onResult: (r: Result) => void): Promise<MergeReport> {
  const seen = new FileSet();
  const report: MergeReport = { sources: sources.length, results: 0, duplicates: 0, duplicateExamples: [], torn: [], bad: [] };
  for (const source of sources) {
    const lines = readNdjson(source);
    let tail: NdjsonTail;
    let lastLine = 0;
    try {
      for (;;) {
        const next = await lines.next();
        if (next.done) {
          tail = next.value;
          break;
        }
        const rec = next.value;
        lastLine = rec.lineNo;
        if (rec.kind === 'summary') continue; // recomputed over the merged results
        if (rec.kind === 'bad') {
          if (report.bad.length < MAX_ISSUES) report.bad.push({ source, lineNo: rec.lineNo, detail: rec.text });
          continue;
        }
        if (!seen.add(rec.result.file)) {
          report.duplicates++;
          if (report.duplicateExamples.length < MAX_EXAMPLES) report.duplicateExamples.push({ file: rec.result.file, source });
          continue;
        }
        report.results++;
        onResult(rec.result);
      }
    } catch (e) {
      throw new MergeSourceError(`cannot read ${source} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (tail.tornBytes > 0) report.torn.push({ source, lineNo: lastLine + 1, detail: `${tail.tornBytes} bytes without a final newline` });
  }
  return report;
}

/** Warnings for stderr, one per line, or none. */
export function describeMergeIssues(r: MergeReport): string[] {
  const out: string[] = [];
  if (r.duplicates > 0) {
    const ex = r.duplicateExamples.map((d) => `${d.file} (again in ${d.source})`).join(', ');
    out.push(
      `${r.duplicates} result(s) were for inputs already seen in an earlier file and were dropped (first kept): ${ex}. Shards overlap when the jobs used different --shard counts, roots or input lists.`,
    );
  }
  for (const t of r.torn) {
    out.push(`${t.source}: line ${t.lineNo} is torn (${t.detail}), probably a job killed mid-write; skipped. Rerun that job with --resume to complete it.`);
  }
  for (const b of r.bad) out.push(`${b.source}: line ${b.lineNo} is not a facedoctor result ("${b.detail}"); skipped.`);
  return out;
}
