// A pooled `check` reruns itself in a child process with flat-memory glibc malloc settings. The
// child must be invisible to the user: same stdin, stdout, exit code; it must get the settings,
// and it must die with the parent (SIGKILL of the parent cannot be relayed).
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { makeBatchInputs, INPUT_COUNT } from './make-inputs.js';
import { BATCH_MALLOC_ENV } from '../../src/batch/malloc-rerun.js';

const SLOW = 300_000;
const glibc = process.platform === 'linux' && Boolean((process.report?.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime);
// Tests must see the default behaviour even when the developer's shell sets allocator variables.
const CLEAN_ENV = Object.fromEntries(Object.keys(BATCH_MALLOC_ENV).map((k) => [k, undefined]));

let tmp: string;
let inputs: string;
let files: string[];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'facedoctor-rerun-'));
  inputs = path.join(tmp, 'inputs');
  files = await makeBatchInputs(inputs);
}, SLOW);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function children(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((t) =>
      readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function environ(pid: number): Record<string, string> {
  let pairs: string[] = [];
  try {
    pairs = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  } catch {
    // exited
  }
  return Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
}

async function until<T>(probe: () => T | undefined, ms: number): Promise<T | undefined> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts the CLI and returns the pid of the node child it starts, if it starts one within `ms`. */
async function startAndFindChild(args: string[], env: NodeJS.ProcessEnv, ms: number) {
  const parent = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
  const exited = new Promise<void>((r) => parent.on('close', () => r()));
  const child = await until(() => children(parent.pid!)[0], ms);
  return { parent, exited, child };
}

describe.skipIf(!glibc)('pooled check on glibc Linux', () => {
  it('runs the batch in a child with the malloc settings, and the child dies with a SIGKILLed parent', async () => {
    const { parent, exited, child } = await startAndFindChild(['check', '--format', 'ndjson', '--jobs', '2', '-o', path.join(tmp, 'k.ndjson'), inputs], CLEAN_ENV, 20_000);
    expect(child, 'a child process was started').toBeDefined();
    // Right after fork the child still shows the parent's environment; wait for its exec.
    const env = await until(() => {
      const e = environ(child!);
      return e.FACEDOCTOR_BATCH_CHILD ? e : undefined;
    }, 10_000);
    expect(env, 'the child was exec-ed with the rerun marker').toBeDefined();
    for (const [k, v] of Object.entries(BATCH_MALLOC_ENV)) expect(env![k]).toBe(v);
    parent.kill('SIGKILL');
    await exited;
    const gone = await until(() => (existsSync(`/proc/${child}`) ? undefined : true), 10_000);
    expect(gone, 'the child outlived its parent').toBe(true);
  }, SLOW);

  it('keeps stdin paths, stdout and the exit code', async () => {
    const input = files.join('\n') + '\n';
    const pooled = await runCli(['check', '--format', 'ndjson', '--jobs', '2', '-'], { input, env: CLEAN_ENV });
    const alone = await runCli(['check', '--format', 'ndjson', '--jobs', '1', '-'], { input, env: CLEAN_ENV });
    expect(pooled.code).toBe(1); // the inputs include failing captures
    expect(pooled.code).toBe(alone.code);
    const verdicts = (out: string) => out.trim().split('\n').map((l) => JSON.parse(l) as { file: string; verdict: string }).map((l) => `${l.file} ${l.verdict}`).sort();
    expect(verdicts(pooled.stdout)).toHaveLength(INPUT_COUNT);
    expect(verdicts(pooled.stdout)).toEqual(verdicts(alone.stdout));
  }, SLOW);

  it('starts no child for one file, --jobs 1, or when the user set the allocator variables', async () => {
    for (const [args, env] of [
      [['check', '--jobs', '2', files[0]], CLEAN_ENV],
      [['check', '--jobs', '1', inputs], CLEAN_ENV],
      [['check', '--jobs', '2', inputs], { ...CLEAN_ENV, MALLOC_ARENA_MAX: '4' }],
    ] as Array<[string[], NodeJS.ProcessEnv]>) {
      const { parent, exited, child } = await startAndFindChild(args, env, 3_000);
      parent.kill('SIGKILL');
      await exited;
      expect(child, args.join(' ')).toBeUndefined();
    }
  }, SLOW);
});
