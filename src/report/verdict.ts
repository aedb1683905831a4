// Verdicts and the batch summary: pure functions over results.
import type { Cause, Result, Summary, Verdict } from '../types.js';

export function verdictOf(causes: readonly Pick<Cause, 'severity'>[]): Verdict {
  if (causes.some((c) => c.severity === 'fail')) return 'fail';
  if (causes.some((c) => c.severity === 'warn')) return 'warn';
  return 'pass';
}

/** fail before warn, then the more confident first: the first cause is the one to fix first. */
export function sortCauses<T extends Pick<Cause, 'severity' | 'confidence'>>(causes: T[]): T[] {
  return [...causes].sort((a, b) => (a.severity === b.severity ? b.confidence - a.confidence : a.severity === 'fail' ? -1 : 1));
}

/** Accumulates a summary one result at a time, so memory stays flat for any number of inputs. */
export class SummaryBuilder {
  private byVerdict: Record<Verdict, number> = { pass: 0, warn: 0, fail: 0, error: 0 };
  private byCause: Record<string, number> = {};
  private slowest: Array<{ file: string; elapsedMs: number }> = [];
  private errors: Summary['errors'] = [];
  private total = 0;

  constructor(private readonly keepSlowest = 10, private readonly keepErrors = 1000) {}

  add(r: Result): void {
    this.total++;
    this.byVerdict[r.verdict]++;
    for (const c of r.causes) this.byCause[c.code] = (this.byCause[c.code] ?? 0) + 1;
    if (r.error && this.errors.length < this.keepErrors) this.errors.push({ file: r.file, code: r.error.code, message: r.error.message });
    if (r.elapsedMs !== undefined) {
      this.slowest.push({ file: r.file, elapsedMs: r.elapsedMs });
      if (this.slowest.length > this.keepSlowest * 4) this.trimSlowest();
    }
  }

  private trimSlowest(): void {
    this.slowest.sort((a, b) => b.elapsedMs - a.elapsedMs);
    this.slowest.length = Math.min(this.slowest.length, this.keepSlowest);
  }

  build(): Summary {
    this.trimSlowest();
    const topCauses = Object.entries(this.byCause)
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, 10);
    return {
      total: this.total,
      byVerdict: { ...this.byVerdict },
      byCause: Object.fromEntries(Object.entries(this.byCause).sort(([a], [b]) => a.localeCompare(b))),
      topCauses,
      slowest: [...this.slowest],
      errors: [...this.errors],
    };
  }
}

export function summarize(results: Iterable<Result>): Summary {
  const b = new SummaryBuilder();
  for (const r of results) b.add(r);
  return b.build();
}
