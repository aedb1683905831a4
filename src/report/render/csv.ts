// CSV for spreadsheets: one row per input, one column per cause code (its severity, or empty).
// Cells are quoted per RFC 4180 and neutralised against formula injection (=, +, -, @ at the start).
import { CAUSE_CODES } from '../codes.js';
import type { Result } from '../../types.js';

const BASE_COLUMNS = ['file', 'kind', 'verdict', 'error_code', 'error_message', 'width', 'height', 'format', 'faces', 'causes'];

export function csvHeader(): string {
  return [...BASE_COLUMNS, ...CAUSE_CODES].map(csvCell).join(',') + '\n';
}

export function csvRow(r: Result): string {
  const severity = new Map(r.causes.map((c) => [c.code, c.severity]));
  const cells: Array<string | number | undefined> = [
    r.file,
    r.kind,
    r.verdict,
    r.error?.code,
    r.error?.message,
    r.image?.width,
    r.image?.height,
    r.image?.format,
    r.verdict === 'error' ? undefined : r.faces.length,
    r.causes.map((c) => c.code).join(' '),
    ...CAUSE_CODES.map((c) => severity.get(c)),
  ];
  return cells.map(csvCell).join(',') + '\n';
}

export function csvCell(v: string | number | undefined): string {
  if (v === undefined || v === null) return '';
  let s = String(v);
  // A spreadsheet would run a cell starting with these as a formula (CSV injection).
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r']/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}
