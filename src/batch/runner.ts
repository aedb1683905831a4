// Where files get checked: in this thread (one input, or --jobs 1) or in a pool of worker threads
// (piscina), one per job, each with its own models. Both look the same to the batch loop.
import os from 'node:os';
import type { Checker, CheckOptions } from '../pipeline/check.js';
import type { ImageHeader } from '../media/decode-image.js';
import { DEFAULT_TIMEOUT_MS, MAX_IMAGE_BYTES, watchdogMs } from '../pipeline/limits.js';
import { sniffFileKind, type FileKind } from '../media/video/sniff-file.js';
import { settleWithin } from './settle-within.js';
import { startStallWatchdog, type StallWatchdog } from './stall-watchdog.js';
import type { Result } from '../types.js';

/** What the pool passes on when its read-ahead of an input gave up: nothing (the worker reads). */
const NOT_READ: FileKind = { video: false, size: 0 };

/** V8 young-generation cap of each pool worker, MB (see the pool options). */
const WORKER_YOUNG_GENERATION_MB = 8;

export interface CheckRunner {
  /** Never rejects for a bad input (that is an `error` result); rejects only when checking cannot work at all. */
  check(file: string): Promise<Result>;
  close(): Promise<void>;
  /** How many files it checks at once. */
  readonly parallelism: number;
  /** Checks to keep in flight: one in-process (strict input order), two per worker in a pool. */
  readonly maxInFlight: number;
}

/** What a worker is started with: the checker options (plain data, cloned into each thread). */
export type WorkerSetup = CheckOptions;
/** One file to check; `id` ties the worker's "started" message to the task. */
export interface WorkerTask {
  id: number;
  file: string;
  /** The image's bytes, read by the main thread and transferred (absent: the worker reads the file). */
  bytes?: Uint8Array;
  /** Their header, read by the main thread too (absent: the worker's decode reads it). */
  header?: ImageHeader;
}
/** Posted by a worker (through parentPort) when it begins a task: the watchdog's clock starts
 *  then, not while the worker is still loading its models or busy with its other file. */
export interface WorkerStarted {
  started: number;
}
export type WorkerReply = Result | { initError: { name: string; message: string } };

/** A failure that stops the whole run (e.g. a damaged model file), with the original error name. */
export class RunnerFailure extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

export function defaultJobs(): number {
  return os.availableParallelism();
}

/**
 * Checks in the calling thread: no worker start-up, best for a single input. The models load on
 * the first check, so a run with nothing to check (all resumed, or only listing errors) skips it.
 * Images are watched by a small watchdog thread (stall-watchdog.ts): analysis stuck in synchronous
 * code is abandoned at the same limit as in the pool and becomes a `timeout` result.
 */
export function inProcessRunner(opts: CheckOptions): CheckRunner {
  let checker: Promise<Checker> | undefined;
  let watchdog: StallWatchdog | undefined;
  const limitMs = watchdogMs(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const load = async () => {
    // Imported here so the pool path never loads the models in the main thread.
    const { createChecker } = await import('../pipeline/check.js');
    return createChecker(opts);
  };
  return {
    parallelism: 1,
    maxInFlight: 1,
    async check(file) {
      // Started before the models load, so on a machine with a spare core its start-up overlaps.
      if (Number.isFinite(limitMs) && !watchdog) watchdog = startStallWatchdog();
      checker ??= load();
      const c = await checker;
      // Videos keep their own duration-stretched deadline, as in the pool.
      if (!watchdog || (await sniffFileKind(file)).video) return c.check(file);
      return watchdog.watch(file, () => c.check(file), limitMs, () => watchdogResult(file, limitMs, 'in-process'));
    },
    async close() {
      watchdog?.close();
      if (checker) await (await checker).close();
    },
  };
}

export interface PoolOptions {
  /** The worker module; tests swap in a stand-in to exercise the watchdog. */
  workerUrl?: URL;
}

/** Checks in `threads` worker threads; the workers start (and load models) right away. */
export async function poolRunner(opts: CheckOptions, threads: number, poolOptions: PoolOptions = {}): Promise<CheckRunner> {
  // sharp's shared libraries must stay loaded in the main thread, or glibc unloads them when a
  // worker exits while others still use them (sharp's documented worker_threads caveat).
  await import('../media/sharp.js');
  const { readImageHeader } = await import('../media/decode-image.js');
  const { Piscina } = await import('piscina');
  const filename = (poolOptions.workerUrl ?? new URL('./worker.js', import.meta.url)).href;
  const pool = new Piscina<WorkerTask, WorkerReply>({
    filename,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity, // workers hold loaded models: never let one go idle and reload
    // Two files per worker: while one is analyzed in the worker's thread, the next is read and
    // decoded on libuv's threads, so the worker's core does not sit idle waiting for I/O
    // (measured: 1.91 instead of 1.81 of 2 cores busy; docs/PERFORMANCE-BATCH.md).
    concurrentTasksPerWorker: 2,
    // Tasks are async native work (sharp, onnxruntime): plain message passing, no Atomics.wait
    // parking the worker's event loop between tasks.
    atomics: 'disabled',
    // A small young generation per worker: a file's garbage is a few MB of short-lived arrays,
    // and V8's default nursery lets each worker's heap sit tens of MB higher over a long batch
    // (a 720-file screen: peak 349 vs 372 MB summed RSS; docs/PERFORMANCE-BATCH.md).
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    workerData: opts satisfies WorkerSetup,
  });
  // Files whose worker died (or was stopped by the watchdog) are checked again here, one at a
  // time: the worker they shared held another file too, and only alone is it clear which of the
  // two was at fault. Started on first need and let go when idle.
  let quarantine: typeof pool | undefined;
  const isolated = () => {
    if (!quarantine) {
      quarantine = new Piscina<WorkerTask, WorkerReply>({
        filename,
        minThreads: 0,
        maxThreads: 1,
        idleTimeout: 5_000,
        concurrentTasksPerWorker: 1,
        atomics: 'disabled',
        workerData: opts satisfies WorkerSetup,
      });
      quarantine.on('message', onStarted);
    }
    return quarantine;
  };

  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const limitMs = watchdogMs(timeoutMs);
  const clocks = new Map<number, () => void>(); // task id → starts its watchdog
  let nextId = 0;
  function onStarted(message: unknown): void {
    const id = (message as Partial<WorkerStarted> | null)?.started;
    if (typeof id === 'number') clocks.get(id)?.();
  }
  pool.on('message', onStarted);

  type Attempt = WorkerReply | { failed: 'watchdog' | 'crash'; error: unknown };
  async function attempt(where: typeof pool, file: string, watched: boolean, bytes?: Uint8Array, header?: ImageHeader): Promise<Attempt> {
    const id = nextId++;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    if (watched) clocks.set(id, () => (timer = setTimeout(() => abort.abort(), limitMs)));
    try {
      return await where.run(
        { id, file, ...(bytes ? { bytes } : {}), ...(header ? { header } : {}) },
        { ...(watched ? { signal: abort.signal } : {}), ...(bytes ? { transferList: [bytes.buffer as ArrayBuffer] } : {}) },
      );
    } catch (error) {
      return { failed: abort.signal.aborted ? 'watchdog' : 'crash', error };
    } finally {
      clearTimeout(timer);
      clocks.delete(id);
    }
  }

  return {
    parallelism: threads,
    // Exactly the files the workers are working on (two each): none wait in a queue.
    maxInFlight: threads * 2,
    async check(file) {
      // Videos keep their own, duration-stretched deadline (ffmpeg is killed asynchronously);
      // images get the watchdog, which terminates a worker stuck in synchronous analysis.
      // The main thread reads each image (its event loop is free) and hands the bytes over: a
      // worker busy analysing one file would otherwise advance the next file's open/stat/read
      // steps only between its model runs, and then wait for them (docs/PERFORMANCE-BATCH.md).
      // Given up after the per-file time limit (a stalled network file system): the worker then
      // opens the file itself, under its own time limit, and reports it.
      const kind = await settleWithin(sniffFileKind(file, { readImageUpTo: MAX_IMAGE_BYTES }), timeoutMs, NOT_READ);
      const watched = Number.isFinite(limitMs) && !kind.video;
      // The header too: the worker's decode is then one round trip to libuv's threads, issued at
      // its first free moment, rather than two, the second often only after its current file.
      const header = kind.bytes ? await settleWithin(readImageHeader(kind.bytes), timeoutMs, undefined) : undefined;
      let reply = await attempt(pool, file, watched, kind.bytes, header);
      // The bytes went to the failed worker: the retry reads the file itself.
      if ('failed' in reply) reply = await attempt(isolated(), file, watched);
      if ('failed' in reply) return reply.failed === 'watchdog' ? watchdogResult(file, limitMs, 'pool') : workerCrashResult(file, reply.error);
      if ('initError' in reply) throw new RunnerFailure(reply.initError.name, reply.initError.message);
      return reply;
    },
    async close() {
      await Promise.all([pool.close(), quarantine?.close()]);
    },
  };
}

/** The `timeout` result of a file the watchdog gave up on (in the pool: its worker was replaced;
 *  in-process: the analysis was abandoned). */
export function watchdogResult(file: string, limitMs: number, where: 'pool' | 'in-process'): Result {
  const stopped = where === 'pool' ? 'was stopped (its worker was restarted)' : 'was stopped';
  return {
    file,
    kind: 'image',
    verdict: 'error',
    error: {
      code: 'timeout',
      message: `${file}: analysis did not finish within ${Math.round(limitMs / 1000)} s and ${stopped}; raise --timeout if the file is legitimately slow, otherwise report it with the file`,
    },
    faces: [],
    causes: [],
    metrics: {},
  };
}

function workerCrashResult(file: string, e: unknown): Result {
  return {
    file,
    kind: 'image',
    verdict: 'error',
    error: { code: 'internal', message: `${file}: the worker checking it stopped (${(e as Error)?.message ?? String(e)}); please report this with the file` },
    faces: [],
    causes: [],
    metrics: {},
  };
}
