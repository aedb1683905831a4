// `facedoctor --help` / `--version` are answered without commander (top-help.ts); they must read
// exactly as commander would print them for the program main.ts builds, at any terminal width.
import { describe, expect, it } from 'vitest';
import * as commander from 'commander';
import { buildProgram } from '../../src/cli/main.js';
import { quickAnswer, topHelp } from '../../src/cli/top-help.js';
import { packageInfo } from '../../src/cli/package-info.js';
import { runCli } from '../helpers/run-cli.js';

/** What commander itself prints for `facedoctor --help` at `width` columns. */
function commanderHelp(width: number): string {
  const program = buildProgram(commander);
  let out = '';
  program.configureOutput({ writeOut: (s) => (out += s), getOutHelpWidth: () => width });
  program.exitOverride();
  try {
    program.parse(['node', 'facedoctor', '--help']);
  } catch (e) {
    if (!(e instanceof commander.CommanderError) || e.code !== 'commander.helpDisplayed') throw e;
  }
  return out;
}

describe('top-level help without commander', () => {
  it.each([20, 40, 60, 72, 80, 100, 120, 200])('matches commander at %i columns', (width) => {
    expect(topHelp(width)).toBe(commanderHelp(width));
  });

  it('answers only a lone --help/-h or --version/-V', () => {
    const v = packageInfo().version;
    expect(quickAnswer(['--help'], v, 80)).toBe(commanderHelp(80));
    expect(quickAnswer(['-h'], v, 80)).toBe(commanderHelp(80));
    expect(quickAnswer(['-V'], v)).toBe(`${v}\n`);
    expect(quickAnswer(['--version'], v)).toBe(`${v}\n`);
    // anything more goes to commander (--version --verbose, check --help, unknown options)
    for (const args of [[], ['--version', '--verbose'], ['check', '--help'], ['--help', 'check'], ['--helpx'], ['help']]) {
      expect(quickAnswer(args, v, 80)).toBeUndefined();
    }
  });

  it('is what the CLI prints, with exit code 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(commanderHelp(80));
    const v = await runCli(['--version']);
    expect(v.stdout).toBe(`${packageInfo().version}\n`);
    expect(v.code).toBe(0);
  });
});
