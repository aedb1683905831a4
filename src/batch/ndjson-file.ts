// Reading an NDJSON results file line by line, with byte offsets, as the checkpoint and merge
// input. A run killed mid-write can leave one torn last line (no newline at the end): it is
// reported separately, never parsed as a result. Streams, so memory does not grow with the file.
import { createReadStream } from 'node:fs';
import type { Result, Summary, Verdict } from '../types.js';

export type NdjsonRecord =
  | { kind: 'result'; result: Result; lineNo: number; start: number; end: number }
  | { kind: 'summary'; summary: Summary; lineNo: number; start: number; end: number }
  /** A complete line that is not a result: hand-edited, or a file that is not facedoctor output. */
  | { kind: 'bad'; text: string; lineNo: number; start: number; end: number };

export interface NdjsonTail {
  /** Byte length of the complete lines (everything up to and including the last newline). */
  completeBytes: number;
  /** Bytes after the last newline: a torn line from a killed run (0 when the file ends cleanly). */
  tornBytes: number;
  /** The start of the torn bytes as text, for messages. */
  tornPreview: string;
}

const VERDICTS: ReadonlySet<Verdict> = new Set(['pass', 'warn', 'fail', 'error']);
const NEWLINE = 0x0a;

/** Yields every complete line, then returns what follows the last newline. */
export async function* readNdjson(file: string): AsyncGenerator<NdjsonRecord, NdjsonTail> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let offset = 0; // bytes consumed before the current chunk
  let lineStart = 0;
  let lineNo = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
      const piece = chunk.subarray(from, nl);
      const bytes = pendingBytes ? Buffer.concat([...pending, piece]) : piece;
      pending = [];
      pendingBytes = 0;
      const end = offset + nl + 1;
      lineNo++;
      const record = parseLine(bytes.toString('utf8'), lineNo, lineStart, end);
      if (record) yield record;
      lineStart = end;
      from = nl + 1;
    }
    if (from < chunk.length) {
      pending.push(chunk.subarray(from));
      pendingBytes += chunk.length - from;
    }
    offset += chunk.length;
  }
  const torn = Buffer.concat(pending);
  return { completeBytes: lineStart, tornBytes: torn.length, tornPreview: torn.subarray(0, 80).toString('utf8') };
}

function parseLine(text: string, lineNo: number, start: number, end: number): NdjsonRecord | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(trimmed);
  } catch {
    return { kind: 'bad', text: trimmed.slice(0, 80), lineNo, start, end };
  }
  if (isResult(v)) return { kind: 'result', result: v, lineNo, start, end };
  if (typeof v === 'object' && v !== null && 'summary' in v && Object.keys(v).length === 1) {
    return { kind: 'summary', summary: (v as { summary: Summary }).summary, lineNo, start, end };
  }
  return { kind: 'bad', text: trimmed.slice(0, 80), lineNo, start, end };
}

function isResult(v: unknown): v is Result {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Partial<Result>;
  return typeof r.file === 'string' && typeof r.verdict === 'string' && VERDICTS.has(r.verdict) && Array.isArray(r.causes);
}
