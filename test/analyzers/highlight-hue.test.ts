// The highlight hue shift (too-bright's colour cue) on real pixels: the NASA portrait, brightened
// in linear light with per-channel clipping (tools/synth overexpose), as a camera overexposes.
import { beforeAll, describe, expect, it } from 'vitest';
import { highlightHue } from '../../src/analyzers/highlight-hue.js';
import { analyzeImage } from '../../src/pipeline/analyze-image.js';
import { IMAGE_ANALYZERS } from '../../src/analyzers/index.js';
import { loadProfile } from '../../src/config/profile.js';
import type { RgbImage } from '../../src/media/raster.js';
import type { Box, Face } from '../../src/types.js';
import { overexpose } from '../../tools/synth/degrade.js';
import { decode, getDetector, root } from './helpers.js';

const ASTRONAUT_FACE = { x: 178, y: 76, width: 100, height: 112 };

/** The analyzer's upper face: beside the eyes, from the brow to the nose tip. */
function upperFace(f: Face): Box {
  const { rightEye: r, leftEye: l, nose } = f.keypoints;
  const ied = Math.hypot(l.x - r.x, l.y - r.y);
  const midY = (r.y + l.y) / 2;
  const x0 = Math.min(r.x, l.x) - 0.45 * ied;
  const x1 = Math.max(r.x, l.x) + 0.45 * ied;
  const y0 = midY - 0.6 * ied;
  return { x: x0, y: y0, width: x1 - x0, height: Math.max(nose.y, midY + 0.3 * ied) - y0 };
}

/** `over` inside an ellipse around the face, `base` elsewhere: a face lit far more than its scene. */
function faceOnly(base: RgbImage, over: RgbImage): RgbImage {
  const f = ASTRONAUT_FACE;
  const cx = f.x + f.width / 2;
  const cy = f.y + f.height / 2;
  const data = new Uint8Array(base.data);
  for (let y = 0; y < base.height; y++) {
    for (let x = 0; x < base.width; x++) {
      if (((x - cx) / (0.9 * f.width)) ** 2 + ((y - cy) / (1.1 * f.height)) ** 2 > 1) continue;
      for (let c = 0; c < 3; c++) data[(y * base.width + x) * 3 + c] = over.data[(y * base.width + x) * 3 + c];
    }
  }
  return { ...base, data };
}

describe('highlight hue shift', () => {
  let img: RgbImage;
  let face: Face;
  let rect: Box;
  beforeAll(async () => {
    img = (await decode(`${root}/fixtures/astronaut.png`)).image;
    [face] = await (await getDetector()).detect(img);
    rect = upperFace(face);
  });
  const warn = loadProfile().values['bright.highlightHueShift.warn'];

  it('a well-exposed face keeps one skin hue from shade to highlight', () => {
    const h = highlightHue(img, rect);
    expect(h.brightCount).toBeGreaterThan(100);
    expect(Math.abs(h.shiftDeg)).toBeLessThanOrEqual(5);
  });

  it('less light does not change it: hue is a ratio of channels, and nothing clips', () => {
    const clean = highlightHue(img, rect).shiftDeg;
    const dimmer = highlightHue(overexpose(img, { stops: -1 }), rect).shiftDeg;
    expect(Math.abs(dimmer - clean)).toBeLessThanOrEqual(3);
  });

  it('as the red channel clips, the bright skin swings toward yellow, past the warn limit before it burns white', () => {
    let last = -Infinity;
    for (const stops of [0.5, 0.75, 1, 1.25]) {
      const h = highlightHue(overexpose(img, { stops }), rect).shiftDeg;
      expect(h, `${stops} stops`).toBeGreaterThan(last);
      last = h;
    }
    expect(last).toBeGreaterThanOrEqual(warn);
  });

  it('a grey picture, or a region off the frame, has no hue to compare', () => {
    const grey = new Uint8Array(img.data.length);
    for (let i = 0; i < grey.length; i += 3) grey[i] = grey[i + 1] = grey[i + 2] = Math.round(0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2]);
    expect(highlightHue({ ...img, data: grey }, rect).shiftDeg).toBeNaN();
    expect(highlightHue(img, { x: -500, y: -500, width: 100, height: 100 }).shiftDeg).toBeNaN();
  });

  it('a face overexposed in its own, unchanged scene is too-bright by its yellowed highlights alone', () => {
    const profile = loadProfile();
    const t = profile.values;
    const a = analyzeImage(faceOnly(img, overexpose(img, { stops: 1.2 })), 1, [structuredClone(face)], profile, IMAGE_ANALYZERS);
    const f = a.findings.find((x) => x.code === 'too-bright');
    expect(f).toBeDefined();
    // Not by the other rules: the skin is neither mostly clipped nor washed out, the scene is
    // neither burnt nor stops below the face.
    expect(a.metrics['exposure.faceClipShare']).toBeLessThan(t['bright.faceClipShare.warn']);
    expect(a.metrics['exposure.faceP25']).toBeLessThan(t['bright.faceP25.warn']);
    expect(a.metrics['exposure.frameClipShare']).toBeLessThan(t['bright.blownClipShare']);
    expect(a.metrics['exposure.faceOverSceneStops']).toBeLessThan(t['bright.faceOverSceneStops.warn']);
    expect(f!.measured.highlightHueShift).toBeGreaterThanOrEqual(t['bright.highlightHueShift.warn']);
    expect(f!.thresholds.highlightHueShiftWarn).toBe(t['bright.highlightHueShift.warn']);
    // The same face brightened less (0.75 stops: red clips on a few highlights only) is not.
    const milder = analyzeImage(faceOnly(img, overexpose(img, { stops: 0.75 })), 1, [structuredClone(face)], profile, IMAGE_ANALYZERS);
    expect(milder.findings.map((x) => x.code)).not.toContain('too-bright');
  });
});
