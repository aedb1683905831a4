// Where results go: stdout or --output FILE, in the chosen format. Each result is written with one
// write call as soon as it is ready (NDJSON lines are single appends, so a killed run leaves at
// most one torn last line, which --resume drops).
// The HTML report and --annotate pictures bring in their renderers and image encoders; they are
// imported only when asked for, so a plain run starts without compiling them.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { ChalkInstance } from 'chalk';
import type { Result, Summary, ToolInfo } from '../types.js';
import { csvHeader, csvRow } from '../report/render/csv.js';
import { jsonDocument, ndjsonLine } from '../report/render/json.js';
import { renderTextResult, renderTextSummary } from '../report/render/text.js';
import { renderBatchDetails } from '../batch/summary-text.js';
import type { Lang } from '../report/i18n/types.js';
import { UsageError } from './exit-codes.js';

export type Format = 'text' | 'json' | 'ndjson' | 'csv' | 'html';
export const FORMATS: readonly Format[] = ['text', 'json', 'ndjson', 'csv', 'html'];

export interface TextChannel {
  write(s: string): void;
  close(): void;
}

export function stdoutChannel(): TextChannel {
  return {
    write(s) {
      process.stdout.write(s);
    },
    close() {},
  };
}

/** Opens FILE for writing; `append` keeps what is there (resume). */
export function fileChannel(file: string, append: boolean): TextChannel {
  const fd = openSync(file, append ? 'a' : 'w');
  return {
    write(s) {
      const buf = Buffer.from(s);
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off);
    },
    close() {
      closeSync(fd);
    },
  };
}

/** --output FILE as a channel; a path that cannot be opened is a usage error (exit 2). */
export function outputFileChannel(file: string, append = false): TextChannel {
  try {
    return fileChannel(file, append);
  } catch (e) {
    throw new UsageError(`cannot write --output ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a writable path`);
  }
}

export interface ResultSink {
  /** html and --annotate make pictures and return a promise (never rejected; `end` throws). */
  write(r: Result): void;
  /** Await it before closing the channel. */
  end(summary: Summary): void | Promise<void>;
}

export interface SinkOptions {
  format: Format;
  tool: ToolInfo;
  lang: Lang;
  color: ChalkInstance;
  verbose?: boolean;
  /** Print the summary block after the results (text always does for more than one input). */
  summary?: boolean;
  /** Resuming: the header (CSV) is already in the file. */
  continuing?: boolean;
  /** --annotate DIR and --annotate-format: also write an annotated picture per input. */
  annotate?: string;
  annotateFormat?: string;
}

/** The sink for the options; with --annotate, DIR exists (or a UsageError said why not) once it resolves. */
export async function createSink(out: TextChannel, o: SinkOptions): Promise<ResultSink> {
  if (o.annotate === undefined && o.annotateFormat === undefined) return formatSink(out, o);
  const { annotateOptions, withAnnotations } = await import('./annotate-output.js');
  const annotate = annotateOptions(o.annotate, o.annotateFormat);
  const sink = await formatSink(out, o);
  return annotate ? withAnnotations(sink, annotate) : sink;
}

async function formatSink(out: TextChannel, o: SinkOptions): Promise<ResultSink> {
  switch (o.format) {
    case 'html': {
      // Streams: head now, one card per result (thumbnail made then), overview + script at the end.
      const { createHtmlSink } = await import('../report/render/html.js');
      return createHtmlSink(out, { tool: o.tool, lang: o.lang });
    }
    case 'ndjson':
      return {
        write: (r) => out.write(ndjsonLine(r)),
        end: (s) => {
          if (o.summary) out.write(JSON.stringify({ summary: s }) + '\n');
        },
      };
    case 'csv':
      if (!o.continuing) out.write(csvHeader());
      return { write: (r) => out.write(csvRow(r)), end: () => {} };
    case 'json': {
      // One document: results are collected (use ndjson for very large batches).
      const results: Result[] = [];
      return {
        write: (r) => results.push(r),
        end: (s) => out.write(JSON.stringify(jsonDocument(o.tool, results, s), null, 2) + '\n'),
      };
    }
    default: {
      let n = 0;
      return {
        write: (r) => {
          const text = renderTextResult(r, { lang: o.lang, color: o.color, verbose: o.verbose });
          out.write(n++ > 0 ? '\n' + text : text);
        },
        end: (s) => {
          if (o.summary || s.total > 1) out.write(renderTextSummary(s, { lang: o.lang, color: o.color }));
          if (o.summary) out.write(renderBatchDetails(s, { lang: o.lang, color: o.color }));
        },
      };
    }
  }
}
