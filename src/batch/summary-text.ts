// The batch part of a text summary (--summary): slowest files and the error list, below the
// verdict and cause counts the report layer prints. Words from the catalogue.
import type { ChalkInstance } from 'chalk';
import type { Summary } from '../types.js';
import type { Lang } from '../report/i18n/types.js';
import { uiText } from '../report/catalogue.js';
import { printable } from '../report/printable.js';

/** Errors listed in text; the rest is counted (JSON carries up to SummaryBuilder's limit). */
const MAX_ERRORS_SHOWN = 20;
const MAX_SLOWEST_SHOWN = 5;

export function renderBatchDetails(s: Summary, o: { lang: Lang; color: ChalkInstance }): string {
  const ui = uiText(o.lang);
  const c = o.color;
  const lines: string[] = [];
  const slow = s.slowest.slice(0, MAX_SLOWEST_SHOWN);
  if (s.total > 1 && slow.length) {
    lines.push(`${ui.slowest}: ` + slow.map((f) => `${printable(f.file)} ${(f.elapsedMs / 1000).toFixed(1)} ${ui.seconds}`).join(', '));
  }
  if (s.errors.length) {
    lines.push(c.magenta(`${ui.errors} (${s.byVerdict.error}):`));
    for (const e of s.errors.slice(0, MAX_ERRORS_SHOWN)) lines.push(`  ${printable(e.file)}: ${printable(e.message)} ${c.dim(`[${e.code}]`)}`);
    const more = s.byVerdict.error - Math.min(s.errors.length, MAX_ERRORS_SHOWN);
    if (more > 0) lines.push(c.dim(`  … +${more}`));
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
