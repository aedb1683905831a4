// The text report: a video cause says when it held, on what share of the frames, and when its
// worst frame is; an image says which codes were not judged and what to fix first — in the chosen language.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { describeCause, uiText } from '../../src/report/catalogue.js';
import { renderTextResult, videoTiming } from '../../src/report/render/text.js';
import type { Result } from '../../src/types.js';

const color = new Chalk({ level: 0 });
const shaking = describeCause(
  { code: 'shaking', severity: 'fail', confidence: 1, measured: { jitter: 0.02, frameShare: 0.4, worstFrameTime: 7.25 }, thresholds: { jitter: 0.006 }, segments: [[1, 2.5], [6, 8]] },
  'en',
);
const clip: Result = {
  file: 'clip.mp4',
  kind: 'video',
  verdict: 'fail',
  video: { durationSeconds: 10, fps: 30, width: 1280, height: 720 },
  faces: [],
  causes: [shaking],
  metrics: {},
};

describe('text report of a video', () => {
  it('prints segments, share of frames and worst frame time under the cause', () => {
    const out = renderTextResult(clip, { lang: 'en', color });
    expect(out).toContain('1280×720 30 fps, 10 s');
    expect(out).toContain('When: 1–2.5 s, 6–8 s · share of frames 40% · worst frame at 7.25 s');
  });

  it('prints the timing once: on the When line with its limit, not again in the message', () => {
    const held = describeCause({ ...shaking, code: 'shaking', thresholds: { jitter: 0.006, minFrameShare: 0.3 } }, 'en');
    expect(held.message).toBe('Camera shaking — jitter 0.02 (limit 0.006)');
    const out = renderTextResult({ ...clip, causes: [held] }, { lang: 'en', color });
    expect(out.match(/40%|0\.4\b/g)).toHaveLength(1);
    expect(out).toContain('share of frames 40% (limit ≥30%) · worst frame at 7.25 s');
    expect(held.measured).toMatchObject({ frameShare: 0.4, worstFrameTime: 7.25 });
  });

  it('says it in the chosen language, and prints nothing of the kind for an image cause', () => {
    const fr = describeCause({ ...shaking, code: 'shaking' }, 'fr');
    expect(videoTiming(fr, uiText('fr'))).toContain(uiText('fr').frameShare);
    expect(videoTiming(fr, uiText('fr'))).toContain(uiText('fr').worstFrameAt);
    const still = describeCause({ code: 'too-dark', severity: 'fail', confidence: 1, measured: { stops: -2 }, thresholds: {} }, 'en');
    expect(videoTiming(still, uiText('en'))).toBe('');
  });
});

describe('text report of codes not judged', () => {
  it('names the withheld codes and the cause to fix first, in the chosen language', () => {
    const photo: Result = {
      file: 'selfie.jpg',
      kind: 'image',
      verdict: 'fail',
      faces: [],
      causes: [],
      metrics: { 'obstructions.notJudged': 'mask,headwear', 'obstructions.notJudgedBecause': 'blur', 'glare.notJudged': null },
    };
    expect(renderTextResult(photo, { lang: 'en', color })).toContain('Not judged on this picture: mask, headwear (fix first: blur)');
    const ui = uiText('fr');
    expect(renderTextResult(photo, { lang: 'fr', color })).toContain(`${ui.notJudged}: mask, headwear (${ui.fixFirst}: blur)`);
    expect(renderTextResult({ ...photo, metrics: { 'obstructions.notJudged': null } }, { lang: 'en', color })).not.toContain('Not judged');
  });
});
