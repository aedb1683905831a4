// `facedoctor merge <ndjson...>`: the outputs of shard jobs (or several runs) as one report.
// text: the combined summary, for people (per-result text for a whole audit is not read by anyone);
// ndjson/csv/json: every result once, for machines, with the summary as `check` writes it.
import { existsSync, statSync } from 'node:fs';
import { SummaryBuilder } from '../../report/verdict.js';
import { renderTextSummary } from '../../report/render/text.js';
import { renderBatchDetails } from '../../batch/summary-text.js';
import { describeMergeIssues, mergeResults, MergeSourceError, type MergeReport } from '../../batch/merge.js';
import { colorFor } from '../color.js';
import { langOption } from '../lang.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { createSink, FORMATS, outputFileChannel, stdoutChannel, type Format } from '../output.js';
import { packageInfo } from '../package-info.js';
import { exitCodeFor } from './check.js';

export interface MergeCliOptions {
  format: string;
  output?: string;
  summary?: boolean;
  failOn: string;
  lang?: string;
  color: boolean;
}

export async function runMerge(sources: string[], o: MergeCliOptions): Promise<number> {
  if (!FORMATS.includes(o.format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  if (o.failOn !== 'fail' && o.failOn !== 'warn') throw new UsageError('--fail-on must be "fail" or "warn"');
  for (const s of sources) {
    if (!existsSync(s) || !statSync(s).isFile()) throw new UsageError(`merge: ${s} is not a file; pass the NDJSON outputs of facedoctor check`);
    if (o.output && samePath(s, o.output)) throw new UsageError(`merge: --output ${o.output} is also an input; write the merged result elsewhere`);
  }
  const lang = langOption(o.lang);
  const { name, version } = packageInfo();
  const out = o.output ? outputFileChannel(o.output) : stdoutChannel();
  const color = o.output ? colorFor({ isTTY: false } as NodeJS.WriteStream, true) : colorFor(process.stdout, !o.color);
  const summary = new SummaryBuilder();
  const textOnly = o.format === 'text';
  const sink = textOnly ? undefined : await createSink(out, { format: o.format as Format, tool: { name, version }, lang, color, summary: o.summary });

  let report: MergeReport;
  try {
    report = await mergeResults(sources, (r) => {
      summary.add(r);
      sink?.write(r);
    });
  } catch (e) {
    if (e instanceof MergeSourceError) throw new UsageError(e.message);
    throw e;
  }
  const s = summary.build();
  if (sink) await sink.end(s);
  else out.write(renderTextSummary(s, { lang, color }) + renderBatchDetails(s, { lang, color }));
  out.close();

  for (const line of describeMergeIssues(report)) process.stderr.write(`facedoctor merge: ${line}\n`);
  const code = exitCodeFor(s, o.failOn);
  // Torn or foreign lines mean some inputs are missing from the counts: not a clean result.
  if (code === EXIT.ok && (report.torn.length > 0 || report.bad.length > 0)) return EXIT.incomplete;
  return code;
}

function samePath(a: string, b: string): boolean {
  try {
    return existsSync(b) && statSync(a).ino === statSync(b).ino && statSync(a).dev === statSync(b).dev;
  } catch {
    return false;
  }
}
