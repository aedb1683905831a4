// `facedoctor --help` and `--version` without loading commander. Commander (and the child_process
// module it pulls in) is a quarter of the start-up of a help run, and those two answers are
// plain text: they are laid out here the way commander lays out a program's help, from the same
// texts main.ts gives commander. test/cli/top-help.test.ts compares the two at several widths,
// so a command added to main.ts but not here fails a test instead of showing stale help.

export const PROGRAM_DESCRIPTION = 'Tells why a face-verification capture (KYC selfie or liveness video) fails, and what to do about it.';

export const EXIT_HELP = `
Exit codes:
  0  no input got a failing verdict
  1  at least one input got a "fail" verdict (or "warn" with --fail-on warn)
  2  usage or configuration error (bad option, unknown profile or cause code, model file damaged)
  3  nothing failed, but at least one input could not be analyzed (an "error" result)
  130/143  stopped by SIGINT/SIGTERM (results finished so far are written; --resume continues)
`;

export const PROGRAM_AFTER_HELP = `\nRun "facedoctor check --help" for the main command.\n${EXIT_HELP}`;

/** One line per command in the top-level help; `term` is what commander derives from the command's
 *  name, options and arguments. */
export const COMMAND_SUMMARIES = {
  check: { term: 'check [options] <path...>', description: 'diagnose face-capture images: files, folders (recursive), globs, or - for paths on stdin' },
  merge: { term: 'merge [options] <ndjson...>', description: 'combine the NDJSON outputs of shard jobs into one summary, CSV, JSON or NDJSON (each input once)' },
  causes: { term: 'causes [options]', description: 'list every cause code with its category and title' },
  explain: { term: 'explain [options] <code>', description: 'print the full advice for one cause code (for pasting into a reply)' },
} as const;

const HELP_DESCRIPTION = 'display help for command';
const OPTIONS: Array<[string, string]> = [
  ['-V, --version', 'output the version number'],
  ['-h, --help', HELP_DESCRIPTION],
];
/** Below this many columns for a description, commander stops wrapping. */
const MIN_WIDTH_TO_WRAP = 40;

/**
 * The text for `facedoctor --help`/`-h` or `--version`/`-V` (nothing else on the line), or
 * undefined for anything commander should parse. `width` is the terminal's columns (commander's
 * default 80 when stdout is not a terminal).
 */
export function quickAnswer(args: readonly string[], version: string, width = helpWidth()): string | undefined {
  if (args.length !== 1) return undefined;
  if (args[0] === '--help' || args[0] === '-h') return topHelp(width);
  if (args[0] === '--version' || args[0] === '-V') return `${version}\n`;
  return undefined;
}

/** Commander's help width for stdout. */
export function helpWidth(): number {
  return (process.stdout.isTTY ? process.stdout.columns : undefined) ?? 80;
}

export function topHelp(width: number): string {
  const commands: Array<[string, string]> = [
    ...Object.values(COMMAND_SUMMARIES).map((c): [string, string] => [c.term, c.description]),
    ['help [command]', HELP_DESCRIPTION],
  ];
  const termWidth = Math.max(...[...OPTIONS, ...commands].map(([t]) => t.length));
  const item = ([term, description]: [string, string]) => {
    const room = width - termWidth - 4; // two spaces before the term, two after it
    const text = room < MIN_WIDTH_TO_WRAP ? description : wrap(description, room).replace(/\n/g, '\n' + ' '.repeat(termWidth + 4));
    return `  ${term.padEnd(termWidth)}  ${text}`;
  };
  return [
    'Usage: facedoctor [options] [command]',
    '',
    width < MIN_WIDTH_TO_WRAP ? PROGRAM_DESCRIPTION : wrap(PROGRAM_DESCRIPTION, width),
    '',
    'Options:',
    ...OPTIONS.map(item),
    '',
    'Commands:',
    ...commands.map(item),
    PROGRAM_AFTER_HELP,
  ].join('\n') + '\n';
}

/** Greedy word wrap at `width` columns (the texts are ASCII, one column per character). */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join('\n');
}
