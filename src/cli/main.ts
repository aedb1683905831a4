// Command-line wiring (commander). Heavy modules (sharp, onnxruntime) are imported only inside the
// command that needs them, so `--help` and `causes` start fast; plain `--help` and `--version` do
// not even load commander (top-help.ts).
import type { Command as CommandType } from 'commander';
import { EXIT, UsageError } from './exit-codes.js';
import { packageInfo } from './package-info.js';
import { printable } from '../report/printable.js';
import { COMMAND_SUMMARIES, EXIT_HELP, PROGRAM_AFTER_HELP, PROGRAM_DESCRIPTION, quickAnswer } from './top-help.js';

type Commander = typeof import('commander');

const CHECK_EXAMPLES = `
Examples:
  $ facedoctor check selfie.jpg                       why does this selfie fail?
  $ facedoctor check --format json selfie.jpg         the same, for a script
  $ facedoctor check --format ndjson -o out.ndjson captures/
  $ facedoctor check --format html -o report.html captures/   a report to open in a browser
  $ facedoctor check --annotate marked/ selfie.jpg    the photo with the problems outlined
  $ find uploads -name '*.jpg' | facedoctor check -   paths from stdin
  $ facedoctor check --only too-dark,backlit 'uploads/**/*.png'
  $ facedoctor check --profile strict --fail-on warn passport-photo.png
${EXIT_HELP}`;

export function buildProgram({ Command, Option }: Commander): CommandType {
  const { version } = packageInfo();
  const program = new Command()
    .name('facedoctor')
    .description(PROGRAM_DESCRIPTION)
    .version(version, '-V, --version')
    .showSuggestionAfterError()
    .addHelpText('after', PROGRAM_AFTER_HELP);

  program
    .command('check')
    .description(COMMAND_SUMMARIES.check.description)
    .argument('<path...>', 'inputs')
    .addOption(new Option('-f, --format <format>', 'output format (html: a report to open in a browser)').choices(['text', 'json', 'ndjson', 'csv', 'html']).default('text'))
    .option('-o, --output <file>', 'write results to a file instead of stdout')
    .option('-p, --profile <name|file>', 'thresholds profile: kyc-selfie (default), strict, or a JSON file overriding single thresholds')
    .option('--only <codes>', 'run only these cause codes (comma-separated)')
    .option('--skip <codes>', 'do not report these cause codes (comma-separated)')
    .addOption(new Option('--fail-on <verdict>', 'which verdict makes the exit code 1').choices(['fail', 'warn']).default('fail'))
    .option('--lang <lang>', 'advice language: en, zh, ja, ko, es, fr (default: from LC_ALL/LANG)')
    .option('--summary', 'print a summary after the results (ndjson: a final {"summary":…} line)')
    .option('--follow-symlinks', 'follow symbolic links to folders while walking')
    .option('--timeout <seconds>', 'per-file time limit', '30')
    .option('--annotate <dir>', 'also write each input as a picture with the face and problem areas marked, into DIR')
    .addOption(new Option('--annotate-format <format>', 'picture format for --annotate (default png)').choices(['png', 'jpeg']))
    .option('-j, --jobs <n>', 'files checked in parallel, one worker thread each (default: number of cores)')
    .option('--resume', 'continue an interrupted run: skip inputs already in --output (needs --format ndjson)')
    .option('--shard <K/N>', 'check only slice K of N (1-based), a stable split for parallel jobs; see docs/BATCH.md')
    .option('--shard-index-env <var>', "take the 0-based slice from env var VAR (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX)")
    .option('--shard-count <n>', 'the number of slices, with --shard-index-env')
    .option('--no-progress', 'no progress line on stderr (it shows only on a terminal anyway)')
    .option('--expect <actions>', 'video: liveness actions that should be seen (comma-separated: blink, open-mouth, turn-head)')
    .option('--sample-fps <n>', 'video: frames per second given to face analysis (default 5; 10 when a blink is expected)')
    .option('-v, --verbose', 'text output: also show why each cause matters and every metric')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .addHelpText('after', CHECK_EXAMPLES)
    .action(async (paths: string[], opts) => {
      // A batch reruns itself in a child with flat-memory malloc settings; decided before the
      // check module loads, so the waiting parent stays small.
      const { rerunPooledCheck } = await import('../batch/malloc-rerun.js');
      const rerun = rerunPooledCheck(paths, opts.jobs);
      if (rerun) return void (process.exitCode = await rerun);
      const { runCheck } = await import('./commands/check.js');
      process.exitCode = await runCheck(paths, opts);
    });

  program
    .command('merge')
    .description(COMMAND_SUMMARIES.merge.description)
    .argument('<ndjson...>', 'outputs of facedoctor check --format ndjson')
    .addOption(new Option('-f, --format <format>', 'text: the summary; ndjson/csv/json: every result').choices(['text', 'json', 'ndjson', 'csv']).default('text'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--summary', 'ndjson: end with a {"summary":…} line (text and json always have it)')
    .addOption(new Option('--fail-on <verdict>', 'which verdict makes the exit code 1').choices(['fail', 'warn']).default('fail'))
    .option('--lang <lang>', 'language of the text summary: en, zh, ja, ko, es, fr')
    .option('--no-color', 'no colours')
    .action(async (files: string[], opts) => {
      const { runMerge } = await import('./commands/merge.js');
      process.exitCode = await runMerge(files, opts);
    });

  program
    .command('causes')
    .description(COMMAND_SUMMARIES.causes.description)
    .option('--lang <lang>', 'language: en, zh, ja, ko, es, fr')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-color', 'no colours')
    .action(async (opts) => {
      const { runCauses } = await import('./commands/causes.js');
      process.exitCode = runCauses(opts);
    });

  program
    .command('explain')
    .description(COMMAND_SUMMARIES.explain.description)
    .argument('<code>', 'a cause code, e.g. too-dark')
    .option('--lang <lang>', 'language: en, zh, ja, ko, es, fr')
    .option('--no-color', 'no colours')
    .action(async (code: string, opts) => {
      const { runExplain } = await import('./commands/causes.js');
      process.exitCode = runExplain(code, opts);
    });

  return program;
}

/** `facedoctor --version --verbose`: the version plus what the build runs with (video decoder). */
async function verboseVersion(args: string[]): Promise<boolean> {
  const flags = new Set(args);
  const isVersion = flags.has('--version') || flags.has('-V');
  const isVerbose = flags.has('--verbose') || flags.has('-v');
  if (!isVersion || !isVerbose || args.some((a) => !['--version', '-V', '--verbose', '-v'].includes(a))) return false;
  const { name, version } = packageInfo();
  const { describeDecoder } = await import('../media/video/ffmpeg-location.js');
  const lines = [`${name} ${version}`, `node ${process.version} (${process.platform} ${process.arch})`, ...(await describeDecoder())];
  process.stdout.write(lines.join('\n') + '\n');
  return true;
}

export async function main(argv: string[]): Promise<void> {
  const quick = quickAnswer(argv.slice(2), packageInfo().version);
  if (quick !== undefined) {
    process.stdout.write(quick);
    return;
  }
  if (await verboseVersion(argv.slice(2))) return;
  const commander = await import('commander');
  const { CommanderError } = commander;
  const program = buildProgram(commander);
  program.exitOverride();
  program.configureOutput({ outputError: (s, write) => write(s) });
  for (const cmd of program.commands) cmd.exitOverride();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version are not errors; everything else commander rejects is a usage error
      process.exitCode = e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : EXIT.usage;
      return;
    }
    if (e instanceof UsageError || (e as Error)?.name === 'ModelIntegrityError') {
      process.stderr.write(`facedoctor: ${printable((e as Error).message)}\n`);
      process.exitCode = EXIT.usage;
      return;
    }
    process.stderr.write(`facedoctor: unexpected error: ${printable((e as Error)?.stack ?? String(e)).replaceAll('\\x0a', '\n')}\n`);
    process.exitCode = EXIT.usage;
  }
}
