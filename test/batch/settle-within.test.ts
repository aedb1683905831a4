// The pool's read-ahead of an input must never hold the batch up: a stalled read is given up.
import { describe, expect, it } from 'vitest';
import { settleWithin } from '../../src/batch/settle-within.js';

describe('settleWithin', () => {
  it('uses the fallback when the promise has not settled in time', async () => {
    const never = new Promise<string>(() => {});
    const t0 = performance.now();
    expect(await settleWithin(never, 50, 'fallback')).toBe('fallback');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
  });

  it('passes a prompt value or rejection through unchanged', async () => {
    expect(await settleWithin(Promise.resolve('read'), 1000, 'fallback')).toBe('read');
    await expect(settleWithin(Promise.reject(new Error('boom')), 1000, 'fallback')).rejects.toThrow('boom');
  });

  it('has no deadline when the limit is off', async () => {
    const late = new Promise<string>((resolve) => setTimeout(() => resolve('late'), 30));
    expect(await settleWithin(late, Infinity, 'fallback')).toBe('late');
  });
});
