// Findings an analyzer declares unreliable next to another cause (Analyzer.unreliableWhen) are
// withheld, and the result says which codes were not judged and why: first the rule on plain
// data, then the whole pipeline on the bundled fixtures (a blurred and a clean astronaut).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analyzer } from '../../src/analyzers/analyzer.js';
import { loadProfile } from '../../src/config/profile.js';
import { withholdUnreliable } from '../../src/pipeline/analyze-image.js';
import { createChecker, type Checker } from '../../src/pipeline/check.js';
import type { Finding, Metrics } from '../../src/types.js';
import { root } from './helpers.js';

const values = loadProfile().values;

const finding = (code: string, severity: 'warn' | 'fail'): Finding => ({ code, severity, confidence: 0.9, measured: {}, thresholds: {} });

/** Runs the rule over `findings` (mutated) and returns what is left and the metrics. */
function withhold(a: Analyzer, findings: Finding[], metrics: Metrics = {}): { codes: string[]; metrics: Metrics } {
  withholdUnreliable([a], findings, metrics, (k) => values[k]);
  return { codes: findings.map((f) => f.code), metrics };
}

const covers: Analyzer = {
  id: 'covers',
  description: 'test analyzer',
  codes: ['mask', 'sunglasses'],
  requires: [],
  unreliableWhen: [
    { cause: 'blur', severity: 'fail' },
    { cause: 'too-bright', severity: 'warn', codes: ['sunglasses'] },
  ],
  analyze: () => ({ metrics: {}, findings: [] }),
};

describe('withholdUnreliable', () => {
  it('drops the declared codes when the other cause is found at the declared severity, and says why', () => {
    const { codes, metrics } = withhold(covers, [finding('blur', 'fail'), finding('mask', 'fail'), finding('noise', 'warn')]);
    expect(codes).toEqual(['blur', 'noise']);
    expect(metrics['covers.notJudged']).toBe('mask,sunglasses');
    expect(metrics['covers.notJudgedBecause']).toBe('blur');
  });

  it('keeps everything when the other cause is absent or below the declared severity', () => {
    const { codes, metrics } = withhold(covers, [finding('blur', 'warn'), finding('mask', 'fail')]);
    expect(codes).toEqual(['blur', 'mask']);
    expect(metrics['covers.notJudged']).toBeNull();
    expect(metrics['covers.notJudgedBecause']).toBeNull();
  });

  it('withholds only the codes a rule names', () => {
    const { codes, metrics } = withhold(covers, [finding('too-bright', 'warn'), finding('mask', 'fail'), finding('sunglasses', 'fail')]);
    expect(codes).toEqual(['too-bright', 'mask']);
    expect(metrics['covers.notJudged']).toBe('sunglasses');
    expect(metrics['covers.notJudgedBecause']).toBe('too-bright');
  });
});

describe('withholdUnreliable with a measured condition', () => {
  const clipped: Analyzer = {
    ...covers,
    unreliableWhen: [{ cause: 'too-bright', severity: 'warn', measuredAtLeast: { key: 'faceClipShare', limit: 'obstruction.maxFaceClipShare' } }],
  };
  const bright = (clip: number): Finding => ({ ...finding('too-bright', 'warn'), measured: { faceClipShare: clip } });
  const limit = values['obstruction.maxFaceClipShare'];

  it('withholds only when the other finding measured at least the limit', () => {
    const over = withhold(clipped, [bright(limit + 0.01), finding('mask', 'fail')]);
    expect(over.codes).toEqual(['too-bright']);
    expect(over.metrics['covers.notJudgedBecause']).toBe('too-bright');

    const under = withhold(clipped, [bright(limit - 0.01), finding('mask', 'fail')]);
    expect(under.codes).toEqual(['too-bright', 'mask']);
    expect(under.metrics['covers.notJudged']).toBeNull();
  });
});

describe('obstructions next to a heavy blur (whole pipeline)', () => {
  let checker: Checker;
  beforeAll(async () => {
    checker = await createChecker({ profile: loadProfile() });
  }, 120_000);
  afterAll(() => checker?.close());

  it('a blurred clean portrait gets blur, no obstruction finding, and says obstructions were not judged', async () => {
    const r = await checker.check(join(root, 'fixtures/synthetic/blur/astronaut-gaussian-moderate.jpg'));
    const codes = r.causes.map((c) => c.code);
    expect(r.causes.find((c) => c.code === 'blur')?.severity).toBe('fail');
    for (const c of ['mask', 'sunglasses', 'bangs', 'headwear']) expect(codes).not.toContain(c);
    expect(r.metrics['obstructions.notJudged']).toBe('mask,sunglasses,bangs,headwear');
    expect(r.metrics['obstructions.notJudgedBecause']).toBe('blur');
    // The classifiers' raw scores are still reported: withheld, not hidden.
    expect(r.metrics['headwear.score']).toBeTypeOf('number');
  }, 60_000);

  it('an overexposed portrait clipped white over most of the face is not judged for a mask or a hat', async () => {
    // astronaut-strong: face 81 % clipped; the classifiers read the white face as a mask (0.73).
    const r = await checker.check(join(root, 'fixtures/synthetic/too-bright/astronaut-strong.jpg'));
    const bright = r.causes.find((c) => c.code === 'too-bright');
    expect(bright?.measured.faceClipShare as number).toBeGreaterThanOrEqual(values['obstruction.maxFaceClipShare']);
    const codes = r.causes.map((c) => c.code);
    for (const c of ['mask', 'headwear']) expect(codes).not.toContain(c);
    expect(String(r.metrics['obstructions.notJudged'])).toContain('mask');
    expect(r.metrics['mask.score'] as number).toBeGreaterThan(values['mask.score.warn']); // what was withheld
  }, 60_000);

  it('the same portrait unblurred is judged', async () => {
    const r = await checker.check(join(root, 'fixtures/astronaut.png'));
    expect(r.metrics['obstructions.notJudged']).toBeNull();
    expect(r.metrics['mask.score']).toBeTypeOf('number');
  }, 60_000);
});
