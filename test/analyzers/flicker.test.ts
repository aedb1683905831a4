// flicker in stills on real pixels: the banded fixtures fire and the clean ones do not; the
// band measure recovers the synthesised frequency, phase and strength; scene structure that
// resembles bands (a smooth vertical gradient, a striped flag over part of the width, a ruled
// background) does not fire; and — with ../shared/data — clean photos stay under the target.
import { beforeAll, describe, expect, it } from 'vitest';
import { AnalysisContext } from '../../src/analyzers/context.js';
import { flickerAnalyzer, measureBanding } from '../../src/analyzers/flicker.js';
import { loadProfile } from '../../src/config/profile.js';
import { lumaPlane, type RgbImage } from '../../src/media/raster.js';
import { flickerBands } from '../../tools/synth/degrade.js';
import { analyzeAll, decode, fixtures, hasShared, root, sharedFiles, short, sourceOf, type Analysed } from './helpers.js';

const profile = loadProfile();

async function astronaut(): Promise<RgbImage> {
  return (await decode(`${root}/fixtures/astronaut.png`)).image;
}

/** The flicker analyzer alone on pixels (it needs no face). */
function flickerOf(image: RgbImage, scale = 1) {
  return flickerAnalyzer.analyze(new AnalysisContext(image, scale, [], profile));
}

/** Apply a per-row gain (in linear light, like light falling on the scene) to a copy of `img`. */
function withRowGain(img: RgbImage, gain: (y: number, x: number) => number): RgbImage {
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const g = Math.pow(gain(y, x), 1 / 2.2);
      for (let c = 0; c < 3; c++) {
        const i = (y * img.width + x) * 3 + c;
        out[i] = Math.max(0, Math.min(255, Math.round(img.data[i] * g)));
      }
    }
  }
  return { width: img.width, height: img.height, data: out };
}

const angle = (a: number, b: number) => Math.abs(Math.atan2(Math.sin(a - b), Math.cos(a - b)));

describe('flicker on the synthetic fixtures', () => {
  let clean: Analysed[];
  let banded: Analysed[];
  beforeAll(async () => {
    clean = await analyzeAll(fixtures('clean'));
    banded = await analyzeAll(fixtures('flicker'));
  });

  it('stays quiet on every clean fixture', () => {
    for (const a of clean) expect(a.codes, short(a.file)).not.toContain('flicker');
  });

  it('fires on every banded fixture, with the number of bands in its name', () => {
    for (const a of banded) {
      const f = a.find('flicker');
      expect(f, short(a.file)).toBeDefined();
      const bands = Number(/(\d+)bands/.exec(a.file)![1]);
      expect(Math.abs((f!.measured.cyclesPerFrame as number) - bands), short(a.file)).toBeLessThan(0.6);
    }
  });
});

describe('the band measure (measureBanding) on the portrait', () => {
  let img: RgbImage;
  beforeAll(async () => {
    img = await astronaut();
  });

  it('recovers frequency and phase: profile ≈ A·cos(2π·k·y/H + phase)', () => {
    for (const [cycles, phase] of [
      [4, 0.5],
      [7.5, 2],
      [11, -1.2],
    ]) {
      // flickerBands multiplies light by 1 + d·sin(2πky/H + p) = 1 + d·cos(2πky/H + p − π/2).
      const m = measureBanding(lumaPlane(flickerBands(img, { cycles, depth: 0.25, phase })));
      expect(Math.abs(m.cyclesPerFrame - cycles), `${cycles} cycles`).toBeLessThan(0.3);
      expect(angle(m.phase, phase - Math.PI / 2), `${cycles} cycles, phase ${phase}`).toBeLessThan(0.35);
    }
  });

  it('deeper modulation never measures a smaller amplitude, and the amplitude is about depth / 2.2', () => {
    let last = 0;
    for (const depth of [0.05, 0.1, 0.2, 0.3, 0.4]) {
      const m = measureBanding(lumaPlane(flickerBands(img, { cycles: 6.3, depth, phase: 1 })));
      expect(m.amplitude, `depth ${depth}`).toBeGreaterThanOrEqual(last);
      last = m.amplitude;
    }
    // sRGB encoding compresses a linear modulation d to about d / 2.2 in log-luma (0.4 → ~0.18).
    expect(last).toBeGreaterThan(0.12);
    expect(last).toBeLessThan(0.3);
  });

  it('mild flicker (15 % of the light) is reported; 2 % is not', () => {
    // On this busy portrait (a flag, a white suit) 10 % is within the scene's own row structure;
    // recall by depth over real photos is in docs/ACCURACY.md.
    const mild = flickerOf(flickerBands(img, { cycles: 5.2, depth: 0.15, phase: 0.3 }));
    expect(mild.findings.map((f) => f.code)).toContain('flicker');
    const faint = flickerOf(flickerBands(img, { cycles: 5.2, depth: 0.02, phase: 0.3 }));
    expect(faint.findings).toEqual([]);
  });

  it('codec block edges (every 16 source rows) are not bands', () => {
    // A perfectly regular full-width step pattern with a 16-row period.
    const blocky = withRowGain(img, (y) => (y % 16 === 0 ? 0.85 : 1));
    expect(flickerOf(blocky).findings).toEqual([]);
  });
});

describe('few, wide bands on a head-and-shoulders photo (what the tune half used to miss)', () => {
  let img: RgbImage;
  beforeAll(async () => {
    img = (await decode(`${root}/fixtures/synthetic/clean/astronaut-head-and-shoulders.jpg`)).image;
  });

  it('the clean photo stays quiet', () => {
    expect(flickerOf(img).findings).toEqual([]);
  });

  it('2.2 and 2.6 bands per frame at 20 % of the light are reported whatever their phase', () => {
    // A 20–30 ms sensor readout under 50 Hz light: 2–3 bands, where the face's own rows (eyes,
    // mouth, collar) are as strong in the row profile as the bands' gradient. Before the rows were
    // weighted by column agreement (and the trend cut to a quadratic) 4 of these 12 fired.
    for (const cycles of [2.2, 2.6]) {
      for (const phase of [0, 1, 2, 3, 4, 5]) {
        const f = flickerOf(flickerBands(img, { cycles, depth: 0.2, phase })).findings.find((x) => x.code === 'flicker');
        expect(f, `${cycles} cycles, phase ${phase}`).toBeDefined();
        expect(Math.abs((f!.measured.cyclesPerFrame as number) - cycles), `${cycles} cycles, phase ${phase}`).toBeLessThan(0.5);
      }
    }
  });
});

describe('few bands through sharp scene edges (the flag, the suit: spikes in the row profile)', () => {
  let img: RgbImage;
  beforeAll(async () => {
    img = (await decode(`${root}/fixtures/synthetic/clean/astronaut-original.jpg`)).image;
  });

  it('2.3 and 3.1 bands per frame at 15–25 % of the light are reported', () => {
    // The flag's stripes and the suit's edges are one- or two-row steps far larger than the bands'
    // gradient; until they were clamped to the running median (despike) none of these fired.
    for (const [cycles, depth, phase] of [
      [2.3, 0.15, 3],
      [2.3, 0.25, 1.5],
      [2.3, 0.25, 3],
      [3.1, 0.15, 3],
    ]) {
      const f = flickerOf(flickerBands(img, { cycles, depth, phase })).findings.find((x) => x.code === 'flicker');
      expect(f, `${cycles} cycles, depth ${depth}, phase ${phase}`).toBeDefined();
      expect(Math.abs((f!.measured.cyclesPerFrame as number) - cycles), `${cycles} cycles, depth ${depth}, phase ${phase}`).toBeLessThan(0.5);
    }
  });

  it('the clean photo stays quiet', () => {
    expect(flickerOf(img).findings).toEqual([]);
  });
});

describe('scene structure that looks like bands does not fire', () => {
  let img: RgbImage;
  beforeAll(async () => {
    img = await astronaut();
  });

  it('a smooth vertical brightness gradient (a lamp above, sky, vignetting)', () => {
    for (const strength of [0.5, 1, 2]) {
      const graded = withRowGain(img, (y) => Math.pow(2, -strength * (y / img.height)));
      expect(flickerOf(graded).findings, `${strength} stops`).toEqual([]);
      const curved = withRowGain(img, (y) => Math.pow(2, -strength * Math.sin((Math.PI * y) / img.height)));
      expect(flickerOf(curved).findings, `${strength} stops, curved`).toEqual([]);
    }
  });

  it('a striped flag or blind over part of the width', () => {
    // Sharp-edged dark stripes, 8 of them, across the left 40 % of the frame only.
    const striped = withRowGain(img, (y, x) => (x < 0.4 * img.width && Math.floor((y * 16) / img.height) % 2 === 0 ? 0.25 : 1));
    expect(flickerOf(striped).findings).toEqual([]);
  });

  it('a ruled background: thin dark lines across the whole width', () => {
    const ruled = withRowGain(img, (y) => (y % 24 < 2 ? 0.3 : 1));
    expect(flickerOf(ruled).findings).toEqual([]);
  });
});

describe.skipIf(!hasShared)('flicker on the shared real photos (skipped without ../shared/data)', () => {
  const sets = new Map<string, Array<{ file: string; fired: boolean }>>();
  beforeAll(async () => {
    // The flicker analyzer needs no face: decode and measure only.
    for (const label of ['clean', 'eyeglasses', 'bangs', 'hat', 'mask', 'sunglasses', 'blur']) {
      const out: Array<{ file: string; fired: boolean }> = [];
      for (const file of sharedFiles(label)) {
        const d = await decode(file);
        out.push({ file, fired: flickerOf(d.image, d.scale).findings.length > 0 });
      }
      sets.set(label, out);
    }
  }, 600_000);
  const rate = (xs: Array<{ fired: boolean }>) => xs.filter((x) => x.fired).length / Math.max(1, xs.length);

  it('≤ 3 % false alarms on the clean photos, overall and from each source', () => {
    const clean = sets.get('clean')!;
    expect(rate(clean)).toBeLessThanOrEqual(0.03);
    for (const src of new Set(clean.map((x) => sourceOf(x.file)))) {
      const part = clean.filter((x) => sourceOf(x.file) === src);
      expect(rate(part), src).toBeLessThanOrEqual(0.03 + 1 / part.length);
    }
  });

  it('≤ 1 % on all the other real photos (grids, colour charts, stripes, blinds among them)', () => {
    const all = ['eyeglasses', 'bangs', 'hat', 'mask', 'sunglasses', 'blur'].flatMap((l) => sets.get(l)!);
    expect(rate(all)).toBeLessThanOrEqual(0.01);
  });
});
