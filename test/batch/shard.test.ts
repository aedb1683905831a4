// Shard selection: the K/N convention, scheduler indexes from the environment, and a slice that
// depends only on the path relative to the given root.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { parseShard, shardFromEnv, shardKey, shardOf, inShard, ShardSpecError } from '../../src/batch/shard.js';

describe('--shard K/N', () => {
  it('is 1-based: 1/4 is the first of four, 4/4 the last', () => {
    expect(parseShard('1/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard('4/4')).toEqual({ index: 3, count: 4 });
    expect(parseShard(' 2 / 3 ')).toEqual({ index: 1, count: 3 });
  });

  it('refuses 0/N (a 0-based index passed by mistake), K > N and malformed specs', () => {
    expect(() => parseShard('0/4')).toThrow(/--shard-index-env/);
    expect(() => parseShard('5/4')).toThrow(ShardSpecError);
    expect(() => parseShard('1/0')).toThrow(ShardSpecError);
    expect(() => parseShard('1-4')).toThrow(/K\/N/);
    expect(() => parseShard('a/4')).toThrow(ShardSpecError);
  });
});

describe('--shard-index-env VAR --shard-count N', () => {
  it('reads a 0-based index (Kubernetes JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX)', () => {
    expect(shardFromEnv('JOB_COMPLETION_INDEX', '4', { JOB_COMPLETION_INDEX: '0' })).toEqual({ index: 0, count: 4 });
    expect(shardFromEnv('AWS_BATCH_JOB_ARRAY_INDEX', 4, { AWS_BATCH_JOB_ARRAY_INDEX: '3' })).toEqual({ index: 3, count: 4 });
  });

  it('fails loudly when the variable is missing, not a number, or out of range', () => {
    expect(() => shardFromEnv('JOB_COMPLETION_INDEX', '4', {})).toThrow(/not set/);
    expect(() => shardFromEnv('I', '4', { I: 'x' })).toThrow(/whole number/);
    expect(() => shardFromEnv('I', '4', { I: '4' })).toThrow(/0-based/);
    expect(() => shardFromEnv('I', undefined, { I: '1' })).toThrow(/--shard-count/);
  });
});

describe('shard keys and slices', () => {
  it('hashes the path relative to the directory argument, however the root is spelled', () => {
    const abs = path.resolve('audit/2024');
    expect(shardKey({ file: path.join(abs, 'a', 'x.jpg'), root: abs })).toBe('a/x.jpg');
    expect(shardKey({ file: path.join('audit/2024', 'a', 'x.jpg'), root: 'audit/2024' })).toBe('a/x.jpg');
    expect(shardKey({ file: path.join('audit/2024/', 'a', 'x.jpg'), root: 'audit/2024/' })).toBe('a/x.jpg');
    // file arguments (root '') keep the path as given
    expect(shardKey({ file: 'uploads/x.jpg', root: '' })).toBe('uploads/x.jpg');
  });

  it('is pinned: the same key always lands in the same shard (running audits depend on it)', () => {
    // If this changes, shards computed by an older version no longer line up with new ones.
    expect([2, 3, 7, 10, 100].map((n) => shardOf('set-0/original.png', n))).toEqual([0, 2, 3, 2, 42]);
    expect(shardOf('a/x.jpg', 1)).toBe(0);
    expect([shardOf('a/x.jpg', 4), shardOf('b/y.jpg', 4), shardOf('c/z.png', 4)]).toEqual(PINNED);
  });

  it('puts every key in exactly one of N shards, spread evenly', () => {
    const n = 7;
    const counts = new Array(n).fill(0);
    let notExactlyOne = 0;
    for (let i = 0; i < 7000; i++) {
      const item = { file: `root/d${i % 37}/IMG_${i}.jpg`, root: 'root' };
      if (i < 700) {
        let hits = 0;
        for (let k = 0; k < n; k++) if (inShard(item, { index: k, count: n })) hits++;
        if (hits !== 1) notExactlyOne++;
      }
      counts[shardOf(shardKey(item), n)]++;
    }
    expect(notExactlyOne).toBe(0);
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });
});

// SHA-1 of the key, first 48 bits, mod 4 — computed once and frozen here.
const PINNED = [0, 2, 2];
