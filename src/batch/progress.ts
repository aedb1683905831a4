// Batch progress on stderr, for a person watching a terminal: done/total, rate, time left, and
// failures so far. Silent unless stderr is a TTY (and not in CI, nor TERM=dumb), so pipes, logs
// and schedulers see only the results. Words come from the catalogue; the rest is numbers.
import type { Result } from '../types.js';
import type { Lang } from '../report/i18n/types.js';
import { uiText } from '../report/catalogue.js';

export interface Progress {
  add(r: Result): void;
  /** The number of inputs this run will check, once the walk has counted them. */
  setTotal(total: number): void;
  stop(): void;
}

export interface ProgressOptions {
  lang: Lang;
  stream?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  /** Let ora swallow keystrokes on a TTY stdin (not when stdin carries the input paths). */
  discardStdin?: boolean;
}

const NO_PROGRESS: Progress = { add() {}, setTotal() {}, stop() {} };

export function progressWanted(stream: NodeJS.WriteStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  // A terminal reporting 0 columns (some pseudo-terminals) would make ora's line wrapping divide by 0.
  return !!stream.isTTY && env.TERM !== 'dumb' && !('CI' in env) && (stream.columns ?? 0) > 0;
}

export async function createProgress(o: ProgressOptions): Promise<Progress> {
  const stream = o.stream ?? process.stderr;
  if (!progressWanted(stream, o.env)) return NO_PROGRESS;
  const { default: ora } = await import('ora');
  const counts = new ProgressCounts();
  const ui = uiText(o.lang);
  const spinner = ora({ stream, discardStdin: o.discardStdin ?? false, isEnabled: true }).start();
  const render = () => (spinner.text = counts.line(ui.verdict.fail, ui.verdict.error));
  render();
  const timer = setInterval(render, 1000); // time left changes between results too
  timer.unref();
  return {
    add(r) {
      counts.add(r);
      render();
    },
    setTotal(total) {
      counts.total = total;
      render();
    },
    stop() {
      clearInterval(timer);
      spinner.stop();
    },
  };
}

/** The numbers behind the progress line (pure, so it can be tested without a terminal). */
export class ProgressCounts {
  done = 0;
  failed = 0;
  errors = 0;
  total: number | undefined;
  /** Completion times of the last results, for a rate that follows the current speed. */
  private readonly recent: number[] = [];

  constructor(private readonly now: () => number = () => performance.now(), private readonly window = 64) {}

  add(r: Result): void {
    this.done++;
    if (r.verdict === 'fail') this.failed++;
    if (r.verdict === 'error') this.errors++;
    this.recent.push(this.now());
    if (this.recent.length > this.window) this.recent.shift();
  }

  /** Results per second over the recent window, or undefined before there are two. */
  rate(): number | undefined {
    const n = this.recent.length;
    if (n < 2) return undefined;
    const span = (this.recent[n - 1] - this.recent[0]) / 1000;
    return span > 0 ? (n - 1) / span : undefined;
  }

  /** Seconds left, when the total is known. */
  secondsLeft(): number | undefined {
    const rate = this.rate();
    if (this.total === undefined || rate === undefined) return undefined;
    return Math.max(0, this.total - this.done) / rate;
  }

  line(failWord: string, errorWord: string): string {
    const parts = [this.total === undefined ? `${this.done}` : `${this.done}/${this.total}`];
    const rate = this.rate();
    if (rate !== undefined) parts.push(`${rate < 10 ? rate.toFixed(1) : Math.round(rate)}/s`);
    const left = this.secondsLeft();
    if (left !== undefined) parts.push(`~${clock(left)}`);
    parts.push(`${failWord} ${this.failed}`, `${errorWord} ${this.errors}`);
    return parts.join(' · ');
  }
}

/** 75 → "1:15", 3725 → "1:02:05". */
export function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
