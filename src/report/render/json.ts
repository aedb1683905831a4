// JSON and NDJSON: the machine-readable output contract (schemaVersion 1, see README).
import { SCHEMA_VERSION, type JsonDocument, type Result, type Summary, type ToolInfo } from '../../types.js';

export function jsonDocument(tool: ToolInfo, results: Result[], summary: Summary): JsonDocument {
  return { schemaVersion: SCHEMA_VERSION, tool, results, summary };
}

/** One line per result; each line is a complete JSON object in the same shape as `results[i]`. */
export function ndjsonLine(r: Result): string {
  return JSON.stringify(r) + '\n';
}
