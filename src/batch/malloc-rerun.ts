// Long batch runs under glibc: the allocator has to be told at process start (environment
// variables it reads once) to keep its footprint flat, so a pooled `check` runs itself once more
// as a child process with those variables set, and the parent only relays signals and the exit
// code. Measurements behind the values: docs/PERFORMANCE-BATCH.md.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import os from 'node:os';

/**
 * - MALLOC_ARENA_MAX: glibc otherwise gives each of the many threads (workers, libuv's pool,
 *   libvips, onnxruntime) its own arena, and each arena keeps the memory it once needed.
 * - MALLOC_MMAP_THRESHOLD_: a fixed value stops glibc from raising the threshold after every
 *   freed decoded image, so whole decoded photos (4 MiB and more) stay mmapped and go back to the
 *   system when freed instead of fragmenting an arena. Smaller buffers (tensors, crops, the
 *   working raster) are reused from the arenas: at 128 KiB every one of them was mapped, faulted
 *   in page by page and unmapped again per file — about 10 % more CPU per file.
 * Together: 432 → 351 MB peak over 3,000 files with --jobs 2 at 128 KiB; at 4 MiB 332 MB peak
 * over 20,000 files, 34.8 files/s (docs/PERFORMANCE-BATCH.md).
 */
export const BATCH_MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: String(4 * 1024 * 1024),
};

/** Set in the child so it does not start another one (and knows it has a parent to watch). */
const MARKER = 'FACEDOCTOR_BATCH_CHILD';

/** True when the user has already chosen allocator settings (theirs win) or we are the child. */
function alreadyTuned(env: NodeJS.ProcessEnv): boolean {
  return env[MARKER] !== undefined || Object.keys(BATCH_MALLOC_ENV).some((k) => env[k] !== undefined) || /glibc\.malloc/.test(env.GLIBC_TUNABLES ?? '');
}

function isGlibc(): boolean {
  if (process.platform !== 'linux') return false;
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return Boolean(report?.header?.glibcVersionRuntime);
}

/**
 * For `check`: reruns in a child when the run may use the worker pool (more than one job, and
 * inputs other than a single file), so one-file checks never pay for a second start-up. `jobs` is
 * the raw --jobs value; a bad one is left for the check command to report.
 */
export function rerunPooledCheck(paths: string[], jobs: string | undefined): Promise<number> | undefined {
  const n = jobs === undefined ? os.availableParallelism() : Number(jobs);
  if (!(n > 1) || (paths.length === 1 && isFile(paths[0]))) return undefined;
  return rerunWithBatchMalloc();
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Runs this same command line in a child process with BATCH_MALLOC_ENV and resolves with the
 * child's exit code; resolves undefined when the caller should do the work itself (not glibc,
 * settings already present, or this is the child). The child shares stdin, stdout and stderr,
 * gets the SIGINT/SIGTERM sent to this process, and is killed if this process dies.
 */
export function rerunWithBatchMalloc(): Promise<number> | undefined {
  if (process.env[MARKER] !== undefined) {
    watchParent();
    return undefined;
  }
  if (alreadyTuned(process.env) || !isGlibc()) return undefined;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      // The child leads its own process group, so a Ctrl-C from the terminal reaches only this
      // process and is relayed once; two SIGINTs would mean "stop at once" to the child.
      detached: true,
      env: { ...process.env, ...BATCH_MALLOC_ENV, [MARKER]: '1' },
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    });
    const relay = (signal: NodeJS.Signals) => child.kill(signal);
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const s of signals) process.on(s, relay);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const s of signals) process.off(s, relay);
      if (signal) {
        // Die the way the child did (e.g. OOM-killed), so the shell sees the same status.
        process.kill(process.pid, signal);
        return;
      }
      resolve(code ?? 1);
    });
  });
}

/** In the child: die with the parent (SIGKILL, crash), whose IPC channel then closes. */
function watchParent(): void {
  delete process.env[MARKER]; // programs this one starts are not "the child"
  const die = (): void => void process.kill(process.pid, 'SIGKILL');
  // The parent may have died while this process was starting: the channel is already gone.
  if (!process.channel || !process.connected) return die();
  process.channel.unref(); // the channel alone must not keep the child running
  process.on('disconnect', die);
}
