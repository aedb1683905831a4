// Sharding: a stable, deterministic slice of the inputs, so one audit can run as N independent jobs
// on an existing scheduler (GNU parallel, xargs, a Kubernetes Indexed Job, an AWS Batch array job).
//
// An input belongs to shard k (0-based) when hash(key) mod N = k, where the key is the path
// relative to the directory argument it was found under (so `check /mnt/a/photos` and
// `check photos` slice alike on every machine), or the path as given for file, glob and stdin
// inputs. The slice depends on nothing but the key: not on the walk order, the other inputs or
// the machine, so the N shards' union is the unsharded run with no overlap.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { InputItem } from './inputs.js';

/** `index` is 0-based internally; the command line speaks 1-based K/N (see parseShard). */
export interface Shard {
  index: number;
  count: number;
}

export class ShardSpecError extends Error {
  override name = 'ShardSpecError';
}

/** Shard counts above this are surely a typo (a million jobs would each get a few files). */
export const MAX_SHARDS = 100_000;

/**
 * `--shard K/N`, K from 1 to N (like Jest's and Playwright's --shard): "1/4" is the first of four.
 * 0/N is refused rather than read as 0-based, so a scheduler's 0-based index passed by mistake
 * fails loudly instead of silently leaving one slice unchecked; use `--shard-index-env` for those.
 */
export function parseShard(spec: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  if (!m) throw new ShardSpecError(`--shard takes K/N, e.g. --shard 1/4 for the first of four shards (got "${spec}")`);
  const k = Number(m[1]);
  const n = Number(m[2]);
  checkCount(n, '--shard');
  if (k < 1 || k > n) {
    throw new ShardSpecError(
      `--shard ${spec}: K counts from 1 to ${n}; for a 0-based scheduler index use --shard-index-env VAR --shard-count ${n}`,
    );
  }
  return { index: k - 1, count: n };
}

/**
 * The shard from a scheduler's 0-based index in an environment variable (JOB_COMPLETION_INDEX on
 * Kubernetes, AWS_BATCH_JOB_ARRAY_INDEX on AWS Batch), so no shell arithmetic is needed.
 */
export function shardFromEnv(variable: string, count: string | number | undefined, env: NodeJS.ProcessEnv = process.env): Shard {
  const n = Number(count);
  if (count === undefined) throw new ShardSpecError(`--shard-index-env ${variable} needs --shard-count N (the number of shards)`);
  checkCount(n, '--shard-count');
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') {
    throw new ShardSpecError(`--shard-index-env: the environment variable ${variable} is not set`);
  }
  if (!/^\d+$/.test(raw.trim())) throw new ShardSpecError(`--shard-index-env: ${variable}="${raw}" is not a whole number`);
  const index = Number(raw.trim());
  if (index >= n) throw new ShardSpecError(`--shard-index-env: ${variable}=${index} is not below --shard-count ${n} (it is 0-based)`);
  return { index, count: n };
}

function checkCount(n: number, flag: string): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_SHARDS) throw new ShardSpecError(`${flag}: the number of shards must be a whole number from 1 to ${MAX_SHARDS}`);
}

/** The key an input is hashed by: path relative to its directory argument, '/'-separated. */
export function shardKey(item: Pick<InputItem, 'file' | 'root'>): string {
  const rel = item.root ? path.relative(item.root, item.file) : item.file;
  return rel.split(path.sep).join('/');
}

/** Which shard (0-based) a key falls in. SHA-1 because it is stable everywhere, fast, and evenly spread. */
export function shardOf(key: string, count: number): number {
  if (count === 1) return 0;
  const d = createHash('sha1').update(key, 'utf8').digest();
  // 48 bits of the digest: exact in a double, and an unbiased enough spread for any count ≤ MAX_SHARDS.
  return d.readUIntBE(0, 6) % count;
}

export function inShard(item: Pick<InputItem, 'file' | 'root'>, shard: Shard | undefined): boolean {
  return !shard || shardOf(shardKey(item), shard.count) === shard.index;
}

/** Human form, 1-based like the flag. */
export function formatShard(s: Shard): string {
  return `${s.index + 1}/${s.count}`;
}
