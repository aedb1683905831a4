// onnxruntime-node sessions, created only from sha256-verified model bytes.
//
// Each session runs on one thread (intra- and inter-op): facedoctor parallelises across input
// files (one worker per core), so threads inside a model would only oversubscribe the CPU.

import ort from 'onnxruntime-node';
import { loadVerifiedModel, type LoadModelOptions, type ModelName } from './model-files.js';

export type InferenceSession = ort.InferenceSession;
export type Tensor = ort.Tensor;
export const Tensor = ort.Tensor;

export const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  // 3 = error. At "warning" the converted BlazeFace graphs print harmless notes about unused
  // initializers on every load.
  logSeverityLevel: 3,
};

/** A new session from already-verified bytes (not cached). */
export function createSessionFromBytes(bytes: Uint8Array): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(bytes, SESSION_OPTIONS);
}

const cache = new Map<ModelName, Promise<ort.InferenceSession>>();

/**
 * The process-wide session for a model, created on first use from the verified file.
 * Concurrent callers share one load; a failed load is not cached, so a later call retries.
 */
export function getSession(name: ModelName): Promise<ort.InferenceSession> {
  let p = cache.get(name);
  if (!p) {
    const created = loadVerifiedModel(name).then(createSessionFromBytes);
    cache.set(name, created);
    created.catch(() => {
      if (cache.get(name) === created) cache.delete(name);
    });
    p = created;
  }
  return p;
}

/** An uncached session from a model file in another directory (tests, custom installs). */
export async function createSession(name: ModelName, options: LoadModelOptions = {}): Promise<ort.InferenceSession> {
  return createSessionFromBytes(await loadVerifiedModel(name, options));
}

/** Releases every cached session (mainly for tests and clean worker shutdown). */
export async function releaseSessions(): Promise<void> {
  const sessions = [...cache.values()];
  cache.clear();
  for (const p of sessions) {
    try {
      await (await p).release();
    } catch {
      // A session that failed to load has nothing to release.
    }
  }
}
