// `facedoctor check`: wiring only — options in, inputs streamed through the checker (in this
// thread for one input, else a worker pool, also for --jobs 1), results out as they complete.
import { loadProfile, ProfileError } from '../../config/profile.js';
import { isCauseCode } from '../../report/codes.js';
import { langOption } from '../lang.js';
import { SummaryBuilder } from '../../report/verdict.js';
import type { CheckOptions } from '../../pipeline/check.js';
import { isLivenessAction, LIVENESS_ACTIONS } from '../../analyzers/temporal/actions.js';
import { expandInputs, type InputItem } from '../../batch/inputs.js';
import { FileSet } from '../../batch/file-set.js';
import { openCheckpoint, CheckpointError, type Checkpoint } from '../../batch/checkpoint.js';
import { parseShard, shardFromEnv, ShardSpecError, formatShard, type Shard } from '../../batch/shard.js';
import { countInputs, selectInputs, type Selection } from '../../batch/select.js';
import { peek } from '../../batch/peek.js';
import { defaultJobs, inProcessRunner, poolRunner, type CheckRunner } from '../../batch/runner.js';
import { runBatch } from '../../batch/run-batch.js';
import { listenForStop, INTERRUPT_EXIT } from '../../batch/interrupt.js';
import { createProgress } from '../../batch/progress.js';
import { colorFor } from '../color.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { assertOutputIsNotAnInput } from '../guards.js';
import { createSink, FORMATS, outputFileChannel, stdoutChannel, type Format } from '../output.js';
import { packageInfo } from '../package-info.js';
import type { Result, Summary } from '../../types.js';
import { realpathSync } from 'node:fs';

export interface CheckCliOptions {
  format: string;
  output?: string;
  profile?: string;
  only?: string;
  skip?: string;
  failOn: string;
  lang?: string;
  color: boolean;
  verbose?: boolean;
  summary?: boolean;
  followSymlinks?: boolean;
  timeout?: string;
  // --annotate DIR / --annotate-format png|jpeg (issue 6), handled by createSink
  annotate?: string;
  annotateFormat?: string;
  jobs?: string;
  resume?: boolean;
  shard?: string;
  shardIndexEnv?: string;
  shardCount?: string;
  /** commander's --no-progress: false turns the TTY progress line off. */
  progress?: boolean;
  /** Video: --expect blink,open-mouth,turn-head and --sample-fps N. */
  expect?: string;
  sampleFps?: string;
}

/** Jobs above this are a typo on any machine facedoctor runs on (each loads its own models). */
const MAX_JOBS = 256;

export function parseCodes(list: string | undefined, flag: string): string[] | undefined {
  if (!list) return undefined;
  const codes = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = codes.filter((c) => !isCauseCode(c));
  if (bad.length) throw new UsageError(`${flag}: unknown cause code ${bad.join(', ')}; run \`facedoctor causes\` for the list`);
  return codes;
}

export function exitCodeFor(s: Summary, failOn: 'fail' | 'warn'): number {
  if (s.byVerdict.fail > 0 || (failOn === 'warn' && s.byVerdict.warn > 0)) return EXIT.failed;
  if (s.byVerdict.error > 0) return EXIT.incomplete;
  return EXIT.ok;
}

export function parseJobs(v: string | undefined): number {
  if (v === undefined) return defaultJobs();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS) throw new UsageError(`--jobs takes a whole number from 1 to ${MAX_JOBS} (got "${v}")`);
  return n;
}

function parseShardOptions(o: CheckCliOptions): Shard | undefined {
  try {
    if (o.shard !== undefined && o.shardIndexEnv !== undefined) throw new ShardSpecError('use either --shard K/N or --shard-index-env VAR, not both');
    if (o.shardIndexEnv !== undefined) return shardFromEnv(o.shardIndexEnv, o.shardCount);
    if (o.shardCount !== undefined) throw new ShardSpecError('--shard-count goes with --shard-index-env VAR');
    return o.shard === undefined ? undefined : parseShard(o.shard);
  } catch (e) {
    if (e instanceof ShardSpecError) throw new UsageError(e.message);
    throw e;
  }
}

function checkerOptions(o: CheckCliOptions): CheckOptions {
  const timeoutMs = o.timeout === undefined ? undefined : Number(o.timeout) * 1000;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new UsageError('--timeout takes a number of seconds greater than 0');
  let profile;
  try {
    profile = loadProfile(o.profile);
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(e.message);
    throw e;
  }
  return {
    profile,
    only: parseCodes(o.only, '--only'),
    skip: parseCodes(o.skip, '--skip'),
    lang: langOption(o.lang),
    timeoutMs,
    ...parseVideoOptions(o),
  };
}

/** --expect and --sample-fps (video only; images ignore them). */
export function parseVideoOptions(o: Pick<CheckCliOptions, 'expect' | 'sampleFps'>): Pick<CheckOptions, 'expect' | 'sampleFps'> {
  const out: Pick<CheckOptions, 'expect' | 'sampleFps'> = {};
  if (o.expect !== undefined) {
    const actions = o.expect.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = actions.filter((a) => !isLivenessAction(a));
    if (bad.length || actions.length === 0) {
      throw new UsageError(`--expect: unknown action ${bad.join(', ') || '(none given)'}; use ${LIVENESS_ACTIONS.join(', ')}`);
    }
    out.expect = actions.filter(isLivenessAction);
  }
  if (o.sampleFps !== undefined) {
    const n = Number(o.sampleFps);
    if (!(n >= 0.5 && n <= 60)) throw new UsageError(`--sample-fps takes a number of frames per second from 0.5 to 60 (got "${o.sampleFps}")`);
    out.sampleFps = n;
  }
  return out;
}

export async function runCheck(paths: string[], o: CheckCliOptions): Promise<number> {
  if (!FORMATS.includes(o.format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  if (o.failOn !== 'fail' && o.failOn !== 'warn') throw new UsageError('--fail-on must be "fail" or "warn"');
  if (o.resume && (o.format !== 'ndjson' || !o.output)) {
    throw new UsageError('--resume continues an NDJSON results file: use it with --format ndjson --output FILE');
  }
  const checkOpts = checkerOptions(o);
  const lang = checkOpts.lang ?? 'en';
  const jobs = parseJobs(o.jobs);
  const shard = parseShardOptions(o);
  if (o.output) assertOutputIsNotAnInput(o.output, paths);
  const { name, version } = packageInfo();

  // Resume: the existing output holds the finished inputs (and their part of the summary).
  const summary = new SummaryBuilder();
  const checkpoint = o.resume && o.output ? await resumeFrom(o.output, (r) => summary.add(r)) : undefined;
  const out = o.output ? outputFileChannel(o.output, !!checkpoint) : stdoutChannel();
  const color = o.output ? colorFor({ isTTY: false } as NodeJS.WriteStream, true) : colorFor(process.stdout, !o.color);
  const sink = await createSink(out, { format: o.format as Format, tool: { name, version }, lang, color, verbose: o.verbose, summary: o.summary, annotate: o.annotate, annotateFormat: o.annotateFormat });

  // The sink has created the --annotate folder by now; its real path keeps the walk out of it.
  const walk = { followSymlinks: o.followSymlinks, excludeDirs: new Set(o.annotate ? [realpathSync(o.annotate)] : []) };
  const selection: Selection = { shard, skip: checkpoint?.done, taken: checkpoint ? new FileSet() : undefined };
  const inputs = await peek(selectInputs(expandInputs(paths, walk), selection), 2);
  const readsStdin = paths.includes('-');

  const progress = o.progress === false ? undefined : await createProgress({ lang, discardStdin: !readsStdin });
  if (progress && !readsStdin) void countInputs(paths, walk, selection).then((n) => n !== undefined && progress.setTotal(n), () => {});
  const emit = (r: Result) => {
    summary.add(r);
    sink.write(r);
    progress?.add(r);
  };

  const runner = await chooseRunner(checkOpts, jobs, inputs.head);
  const stop = listenForStop();
  let stopped = false;
  try {
    ({ stopped } = await runBatch({ items: inputs.all, runner, maxInFlight: runner.maxInFlight, stop, onResult: emit }));
  } finally {
    stop.dispose();
    progress?.stop();
    await runner.close();
  }
  const s = summary.build();
  await sink.end(s); // html and --annotate finish their last pictures first
  out.close();
  if (stopped && stop.reason) {
    if (readsStdin) process.stdin.destroy(); // a pending read of paths would keep the process alive
    reportInterrupted(stop.reason, s, o, shard);
    return INTERRUPT_EXIT[stop.reason];
  }
  return exitCodeFor(s, o.failOn as 'fail' | 'warn');
}

/**
 * One input: check in this thread — no worker start-up, so the first result comes soonest (a
 * watchdog thread keeps the time limit). More, even with --jobs 1: a pool of `jobs` workers, each
 * with its own models, whose watchdog can replace a stuck worker and go on with the next file.
 */
async function chooseRunner(opts: CheckOptions, jobs: number, head: InputItem[]): Promise<CheckRunner> {
  const toCheck = head.filter((i) => !i.problem).length;
  if (toCheck <= 1) return inProcessRunner(opts);
  return poolRunner(opts, jobs);
}

async function resumeFrom(file: string, onResult: (r: Result) => void): Promise<Checkpoint> {
  try {
    return await openCheckpoint(file, onResult);
  } catch (e) {
    if (e instanceof CheckpointError) throw new UsageError(e.message);
    throw e;
  }
}

function reportInterrupted(reason: keyof typeof INTERRUPT_EXIT, s: Summary, o: CheckCliOptions, shard: Shard | undefined): void {
  const again = o.format === 'ndjson' && o.output
    ? `rerun the same command with --resume${o.resume ? '' : ' added'} to check the rest${shard ? ` of shard ${formatShard(shard)}` : ''}`
    : 'use --format ndjson --output FILE --resume to be able to continue an interrupted run';
  process.stderr.write(`facedoctor: stopped by ${reason} after ${s.total} result(s); ${again}\n`);
}
