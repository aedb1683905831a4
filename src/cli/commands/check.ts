// `facedoctor check`: wiring only — options in, inputs streamed through the checker, results out.
import { loadProfile, ProfileError } from '../../config/profile.js';
import { isCauseCode } from '../../report/codes.js';
import { langOption } from '../lang.js';
import { SummaryBuilder } from '../../report/verdict.js';
import { createChecker, errorResult, type CheckOptions } from '../../pipeline/check.js';
import { isLivenessAction, LIVENESS_ACTIONS } from '../../analyzers/temporal/actions.js';
import { expandInputs } from '../../batch/inputs.js';
import { MediaError, type MediaErrorCode } from '../../media/media-error.js';
import { colorFor } from '../color.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { createSink, fileChannel, FORMATS, stdoutChannel, type Format } from '../output.js';
import { packageInfo } from '../package-info.js';
import type { Result, Summary } from '../../types.js';

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
  /** Video: --expect blink,open-mouth,turn-head and --sample-fps N. */
  expect?: string;
  sampleFps?: string;
}

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

export async function runCheck(paths: string[], o: CheckCliOptions): Promise<number> {
  if (!FORMATS.includes(o.format as Format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  if (o.failOn !== 'fail' && o.failOn !== 'warn') throw new UsageError('--fail-on must be "fail" or "warn"');
  const timeoutMs = o.timeout === undefined ? undefined : Number(o.timeout) * 1000;
  if (timeoutMs !== undefined && !(timeoutMs > 0)) throw new UsageError('--timeout takes a number of seconds greater than 0');
  let profile;
  try {
    profile = loadProfile(o.profile);
  } catch (e) {
    if (e instanceof ProfileError) throw new UsageError(e.message);
    throw e;
  }
  const only = parseCodes(o.only, '--only');
  const skip = parseCodes(o.skip, '--skip');
  const lang = langOption(o.lang);
  const { name, version } = packageInfo();

  const out = o.output ? openOutput(o.output) : stdoutChannel();
  const color = o.output ? colorFor({ isTTY: false } as NodeJS.WriteStream, true) : colorFor(process.stdout, !o.color);
  const sink = createSink(out, { format: o.format as Format, tool: { name, version }, lang, color, verbose: o.verbose, summary: o.summary, annotate: o.annotate, annotateFormat: o.annotateFormat });
  const summary = new SummaryBuilder();
  const emit = (r: Result) => {
    summary.add(r);
    sink.write(r);
  };

  const checker = await createChecker({ profile, only, skip, lang, timeoutMs, ...parseVideoOptions(o) });
  try {
    for await (const item of expandInputs(paths, { followSymlinks: o.followSymlinks })) {
      if (item.problem) {
        emit(errorResult(item.file, new MediaError(item.problem.code as MediaErrorCode, item.problem.message)));
        continue;
      }
      emit(await checker.check(item.file));
    }
  } finally {
    await checker.close();
  }
  const s = summary.build();
  await sink.end(s); // html and --annotate finish their last pictures first
  out.close();
  return exitCodeFor(s, o.failOn);
}

function openOutput(file: string) {
  try {
    return fileChannel(file, false);
  } catch (e) {
    throw new UsageError(`cannot write --output ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a writable path`);
  }
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
