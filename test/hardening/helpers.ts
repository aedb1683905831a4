// Shared by the hardening tests: run the built CLI with the network/memory sentinel preloaded and
// a hard time limit, and read what the sentinel recorded.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, REPO_ROOT } from '../helpers/run-cli.js';
import type { Result } from '../../src/types.js';

export const SENTINEL = path.join(REPO_ROOT, 'test/hardening/sentinel.cjs');

const scratch: string[] = [];
/** A fresh temp folder, removed by removeScratchDirs (call it from afterAll). */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}
export function removeScratchDirs(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export interface SentinelRecord {
  kind: 'loaded' | 'network' | 'exit';
  api?: string;
  args?: string;
  stack?: string;
  main?: boolean;
  maxRssKB?: number;
  cpuUserMs?: number;
  thread: number;
}

export interface GuardedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The run was killed for exceeding `killAfterMs` (a hang). */
  killed: boolean;
  records: SentinelRecord[];
}

/** Runs `node bin/facedoctor.js …args` with the sentinel preloaded; kills it after `killAfterMs`. */
export function runGuarded(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; killAfterMs?: number; input?: string } = {}): Promise<GuardedRun> {
  const logDir = mkdtempSync(path.join(tmpdir(), 'fd-sentinel-'));
  const log = path.join(logDir, 'log.ndjson');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, NODE_OPTIONS: `--require ${SENTINEL}`, FD_SENTINEL_LOG: log, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, opts.killAfterMs ?? 50_000);
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const records = existsSync(log)
        ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as SentinelRecord)
        : [];
      rmSync(logDir, { recursive: true, force: true });
      resolve({ code, signal, stdout, stderr, killed, records });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** NDJSON results; a line that is not JSON fails loudly (something wrote to stdout besides results). */
export function parseResults(stdout: string): Result[] {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Result;
      } catch {
        throw new Error(`stdout line is not a JSON result (stdout is for results only): ${JSON.stringify(line.slice(0, 200))}`);
      }
    });
}

/** A JavaScript stack frame ("    at fn (file:1:2)"): users must never see one for bad input. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

export function networkAttempts(run: GuardedRun): SentinelRecord[] {
  return run.records.filter((r) => r.kind === 'network');
}

export function peakRssMB(run: GuardedRun): number {
  const exit = run.records.find((r) => r.kind === 'exit');
  if (!exit?.maxRssKB) throw new Error('the sentinel recorded no exit (was it preloaded?)');
  return exit.maxRssKB / 1024;
}
