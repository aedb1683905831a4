// The marks overlay (shared by the HTML report and --annotate) and the annotated pictures: SVG
// geometry, label placement, file naming, and the real pixels sharp/librsvg draw.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from '../../src/media/sharp.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { MARK_COLORS, overlaySvg, placeLabel, regionMarks, textWidth } from '../../src/report/annotate.js';
import { annotatedName, createAnnotator, fontsAvailable, renderAnnotated, withAnnotations } from '../../src/cli/annotate-output.js';
import { summarize } from '../../src/report/verdict.js';
import { describeCause } from '../../src/report/catalogue.js';
import { decodeImage } from '../../src/media/decode-image.js';
import type { Box, Cause, Face, Finding, Result } from '../../src/types.js';

const ASTRONAUT = path.join(REPO_ROOT, 'fixtures/astronaut.png');

const cause = (f: Partial<Finding> & { code: string }): Cause =>
  describeCause({ severity: 'fail', confidence: 0.9, measured: {}, thresholds: {}, ...f }, 'en');

const FACE: Face = {
  box: { x: 178, y: 82, width: 93, height: 93 },
  score: 0.92,
  keypoints: {
    rightEye: { x: 204, y: 104 },
    leftEye: { x: 246, y: 107 },
    nose: { x: 224, y: 125 },
    mouth: { x: 222, y: 146 },
    rightEar: { x: 180, y: 116 },
    leftEar: { x: 268, y: 122 },
  },
};

const OTHER: Box = { x: 330, y: 300, width: 120, height: 100 };

function result(causes: Cause[], faces: Face[] = [FACE]): Result {
  return { file: 'a.png', kind: 'image', verdict: 'fail', image: { width: 512, height: 512, format: 'png' }, faces, causes, metrics: {} };
}

const sizing = { imageWidth: 512, imageHeight: 512, outWidth: 256, outHeight: 256 };

describe('overlaySvg', () => {
  it('draws the face box and the six keypoints in image coordinates', () => {
    const svg = overlaySvg(result([]), sizing);
    expect(svg).toContain('viewBox="0 0 512 512"');
    expect(svg).toContain('width="256" height="256"');
    expect(svg).toContain(`x="178" y="82" width="93" height="93" fill="none" stroke="${MARK_COLORS.face}" stroke-width="4"`); // 2 px at half size
    expect(svg.match(/<circle /g)).toHaveLength(6);
    expect(svg).toContain('cx="204" cy="104"');
  });

  it('outlines each cause region in its severity colour, with its label', () => {
    const svg = overlaySvg(
      result([
        cause({ code: 'multiple-faces', region: { label: 'other face', box: OTHER } }),
        cause({ code: 'uneven-lighting', severity: 'warn', region: { label: 'darker half', polygon: [{ x: 0, y: 0 }, { x: 100, y: 0 }, { x: 50, y: 80 }] } }),
      ]),
      { ...sizing, label: (c) => c.title },
    );
    expect(svg).toContain(`x="330" y="300" width="120" height="100" fill="none" stroke="${MARK_COLORS.fail}"`);
    expect(svg).toContain(`points="0,0 100,0 50,80" fill="none" stroke="${MARK_COLORS.warn}"`);
    expect(svg).toContain('>More than one face</text>');
    expect(svg).toContain('>Uneven light on face</text>');
    expect(svg).toContain('<title>More than one face — other face</title>');
  });

  it('merges causes with the same region into one outline, failing colour winning', () => {
    const face = { label: 'face', box: FACE.box };
    const marks = regionMarks(
      [cause({ code: 'too-dark', severity: 'warn', region: face }), cause({ code: 'blur', region: face }), cause({ code: 'no-face' })],
      (c) => c.code,
    );
    expect(marks).toHaveLength(1);
    expect(marks[0]).toMatchObject({ severity: 'fail', codes: ['too-dark', 'blur'], labels: ['too-dark', 'blur'], descriptions: ['face'] });
    const svg = overlaySvg(result([cause({ code: 'too-dark', severity: 'warn', region: face }), cause({ code: 'blur', region: face })]), { ...sizing, label: (c) => c.code });
    expect(svg).toContain('>too-dark · blur</text>');
  });

  it('escapes label text and leaves labels off when no label function is given', () => {
    const hostile = cause({ code: 'blur', region: { label: '<script>alert(1)</script>', box: OTHER } });
    const svg = overlaySvg(result([hostile]), { ...sizing, label: () => '<b>&"' });
    expect(svg).not.toContain('<script>');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;b&gt;&amp;&quot;');
    expect(svg).toContain('&lt;script&gt;');
    expect(overlaySvg(result([hostile]), sizing)).not.toContain('<text');
  });

  it('draws landmarks when a face carries them, and skips non-finite geometry', () => {
    const withLandmarks = { ...FACE, landmarks: [{ x: 200, y: 100 }, { x: 210, y: 101 }, { x: NaN, y: 3 }] } as Face;
    expect(overlaySvg(result([], [withLandmarks]), sizing).match(/<circle /g)).toHaveLength(6 + 2);
    const bad = cause({ code: 'blur', region: { label: 'x', box: { x: NaN, y: 0, width: 10, height: 10 } } });
    expect(overlaySvg(result([bad], []), sizing)).toBe(overlaySvg(result([], []), sizing));
  });
});

describe('placeLabel', () => {
  it('puts a label above its box, or inside when at the top edge, always inside the image', () => {
    expect(placeLabel({ x: 100, y: 100, width: 50, height: 50 }, 80, 20, 512, 512, [])).toEqual({ x: 100, y: 80, width: 80, height: 20 });
    expect(placeLabel({ x: 100, y: 5, width: 50, height: 50 }, 80, 20, 512, 512, [])).toEqual({ x: 100, y: 5, width: 80, height: 20 });
    expect(placeLabel({ x: 490, y: 100, width: 20, height: 20 }, 80, 20, 512, 512, []).x).toBe(432);
  });

  it('moves labels down so that none overlap', () => {
    const placed: Box[] = [];
    for (let i = 0; i < 5; i++) placed.push(placeLabel({ x: 100, y: 100, width: 50, height: 50 }, 80, 20, 512, 512, placed));
    for (let i = 0; i < placed.length; i++) {
      for (let j = i + 1; j < placed.length; j++) {
        const a = placed[i];
        const b = placed[j];
        expect(a.y + a.height <= b.y || b.y + b.height <= a.y, `labels ${i} and ${j} overlap`).toBe(true);
      }
    }
  });

  it('estimates CJK text as wider than Latin text of the same length', () => {
    expect(textWidth('顔が暗すぎます', 10)).toBeGreaterThan(textWidth('abcdefg', 10) * 1.5);
  });
});

describe('annotatedName', () => {
  it('is derived from the input path, safe, deterministic and collision-free', () => {
    const a = annotatedName('a/selfie.jpg', 'png', '/w');
    const b = annotatedName('b/selfie.jpg', 'png', '/w');
    expect(a).toMatch(/^selfie-[0-9a-f]{8}\.png$/);
    expect(b).toMatch(/^selfie-[0-9a-f]{8}\.png$/);
    expect(a).not.toBe(b);
    expect(annotatedName('/w/a/selfie.jpg', 'png', '/')).toBe(a); // same file, same name
    expect(annotatedName('a/selfie.png', 'png', '/w')).not.toBe(a);
    expect(annotatedName('x/<img src=x onerror=alert(1)>.png', 'jpeg', '/w')).toMatch(/^img_src_x_onerror_alert_1_-[0-9a-f]{8}\.jpg$/);
    expect(annotatedName('../../etc/passwd', 'png', '/w')).toMatch(/^passwd-[0-9a-f]{8}\.png$/);
    expect(annotatedName('x/.hidden', 'png', '/w')).toMatch(/^hidden-[0-9a-f]{8}\.png$/);
    expect(annotatedName('x/写真.jpg', 'png', '/w')).toMatch(/^写真-[0-9a-f]{8}\.png$/);
  });
});

describe('annotated pictures (real pixels)', () => {
  const near = (px: number[], hex: string, tol = 45) => {
    const want = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
    return want.every((v, i) => Math.abs(v - px[i]) <= tol);
  };

  it('composites the face box and the cause region onto the image, leaving the rest alone', async () => {
    const decoded = await decodeImage(new Uint8Array(readFileSync(ASTRONAUT)), ASTRONAUT);
    const r = result([cause({ code: 'multiple-faces', region: { label: 'other face', box: OTHER } })]);
    const png = await renderAnnotated(decoded, r, 'png', false);
    const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([decoded.image.width, decoded.image.height]);
    const at = (x: number, y: number) => [0, 1, 2].map((c) => data[(y * info.width + x) * 3 + c]);
    const orig = (x: number, y: number) => [0, 1, 2].map((c) => decoded.image.data[(y * decoded.image.width + x) * 3 + c]);
    expect(at(178, 130), 'left edge of the face box').toSatisfy((p: number[]) => near(p, MARK_COLORS.face));
    expect(at(333, 300), 'start of the first dash of the region outline').toSatisfy((p: number[]) => near(p, MARK_COLORS.fail));
    expect(at(100, 450)).toEqual(orig(100, 450)); // far from every mark
    expect(at(224, 160)).toEqual(orig(224, 160)); // inside the face box: the face is not covered

    const jpeg = await renderAnnotated(decoded, r, 'jpeg', false);
    expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
  });

  it('labels are drawn only where fonts exist (a bare machine gets outlines only)', async () => {
    const decoded = await decodeImage(new Uint8Array(readFileSync(ASTRONAUT)), ASTRONAUT);
    const r = result([cause({ code: 'multiple-faces', region: { label: 'other face', box: OTHER } })]);
    const withText = await sharp(await renderAnnotated(decoded, r, 'png', true)).raw().toBuffer();
    const without = await sharp(await renderAnnotated(decoded, r, 'png', false)).raw().toBuffer();
    expect(Buffer.compare(withText, without)).not.toBe(0); // the label tab at least
    expect(typeof (await fontsAvailable())).toBe('boolean');
  });
});

describe('withAnnotations', () => {
  it('passes results through, skips inputs without a picture and reports failed pictures at the end', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'facedoctor-annotate-unit-'));
    try {
      const seen: string[] = [];
      const ended: number[] = [];
      const sink = withAnnotations({ write: (r) => void seen.push(r.file), end: (s) => void ended.push(s.total) }, { dir, format: 'png' });
      const ok: Result = { ...result([]), file: ASTRONAUT, verdict: 'pass' };
      const vanished: Result = { ...result([]), file: path.join(dir, 'gone.png'), verdict: 'pass' };
      const broken: Result = { ...result([]), file: 'x.png', verdict: 'error', faces: [] };
      const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        for (const r of [ok, vanished, broken]) await sink.write(r);
        await sink.end(summarize([ok, vanished, broken]));
        expect(seen).toEqual([ASTRONAUT, vanished.file, 'x.png']);
        expect(ended).toEqual([3]);
        expect(readdirSync(dir)).toEqual([annotatedName(ASTRONAUT, 'png')]);
        expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/1 annotated picture\(s\) could not be written .*gone\.png/);
      } finally {
        stderr.mockRestore();
      }
      const annotator = createAnnotator({ dir, format: 'png' });
      await expect(annotator.write(vanished)).resolves.toBeUndefined();
      expect(annotator.failed).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('facedoctor check --annotate', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'facedoctor-annotate-'));
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('writes one picture per analyzable input, named after it, in the chosen format', async () => {
    mkdirSync(path.join(work, 'a'));
    mkdirSync(path.join(work, 'b'));
    await sharp(ASTRONAUT).jpeg().toFile(path.join(work, 'a', 'selfie.jpg'));
    await sharp(ASTRONAUT).linear(0.22, 0).jpeg().toFile(path.join(work, 'b', 'selfie.jpg'));
    const out = path.join(work, 'marked', 'nested');
    // --only: the verdicts must not move when other analyzers change
    const run = await runCli(['check', '--format', 'json', '--only', 'too-dark', '--annotate', out, '--annotate-format', 'jpeg', path.join(work, 'a'), path.join(work, 'b'), path.join(work, 'missing.jpg')]);
    expect(run.code, run.stderr).toBe(1);
    const doc = JSON.parse(run.stdout) as { results: Result[] };
    expect(doc.results.map((r) => r.verdict).sort()).toEqual(['error', 'fail', 'pass']);
    const files = readdirSync(out).sort();
    expect(files).toHaveLength(2); // the missing file has no picture
    for (const f of files) {
      expect(f).toMatch(/^selfie-[0-9a-f]{8}\.jpg$/);
      expect((await sharp(path.join(out, f)).metadata()).format).toBe('jpeg');
    }
  });

  it('rejects an unknown --annotate-format as a usage error', async () => {
    const run = await runCli(['check', '--annotate', path.join(work, 'x'), '--annotate-format', 'gif', ASTRONAUT]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/annotate-format/);
    expect(existsSync(path.join(work, 'x'))).toBe(false);
  });
});
