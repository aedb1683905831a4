// The HTML report: pure rendering (escaping, CSP, video timeline, languages), the streaming sink,
// and the real thing — the CLI's report opened from file:// in Debian's headless Chromium.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from '../../src/media/sharp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';
import { describeCause, SUPPORTED_LANGS, uiText } from '../../src/report/catalogue.js';
import { summarize } from '../../src/report/verdict.js';
import {
  CONTENT_SECURITY_POLICY,
  createHtmlSink,
  escapeHtml,
  htmlHead,
  htmlTail,
  type CardMedia,
  type Thumb,
} from '../../src/report/render/html.js';
import { renderCard } from '../../src/report/render/html/card.js';
import { renderTimeline, tickStep, videoDuration, worstFrameTimes } from '../../src/report/render/html/timeline.js';
import type { Cause, Finding, Result } from '../../src/types.js';

const CHROMIUM = '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM);
const OUT_DIR = path.join(REPO_ROOT, 'test/.out');
const ASTRONAUT = path.join(REPO_ROOT, 'fixtures/astronaut.png');
const HOSTILE = '<img src=x onerror=alert(1)>.png';
const TOOL = { name: 'facedoctor', version: '0.0.0-test' };

const cause = (f: Partial<Finding> & { code: string }, lang = 'en' as const): Cause =>
  describeCause({ severity: 'fail', confidence: 0.9, measured: {}, thresholds: {}, ...f }, lang);

function imageResult(file: string, causes: Cause[] = []): Result {
  return {
    file,
    kind: 'image',
    verdict: causes.some((c) => c.severity === 'fail') ? 'fail' : causes.length ? 'warn' : 'pass',
    image: { width: 512, height: 512, format: 'jpeg' },
    faces: [
      {
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
      },
    ],
    causes,
    metrics: {},
    elapsedMs: 120,
  };
}

let tinyThumb: Thumb;
beforeAll(async () => {
  const jpeg = await sharp(ASTRONAUT).resize(32, 32).jpeg().toBuffer();
  tinyThumb = { dataUri: `data:image/jpeg;base64,${jpeg.toString('base64')}`, width: 32, height: 32 };
});

const withPicture = (): CardMedia => ({ thumbnail: { ...tinyThumb, space: { width: 512, height: 512 } } });


/**
 * Opens a report file in Debian's headless Chromium with everything a test checks recorded:
 * console errors and warnings, page errors, dialogs, and every request the page makes.
 */
async function openInChromium(report: string) {
  const { chromium } = await import('playwright-core');
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'facedoctor-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  const close = async () => {
    await context.close();
    rmSync(userDataDir, { recursive: true, force: true });
  };
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const url = pathToFileURL(report).href;
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(url, { waitUntil: 'load' });
    return { page, url, problems, requests, close };
  } catch (e) {
    await close();
    throw e;
  }
}

describe('escapeHtml', () => {
  it('escapes the five markup characters and drops XML-invalid control characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml('a\u0000b\u001bc\td')).toBe('a\ufffdb\ufffdc\td');
    expect(escapeHtml(undefined)).toBe('');
  });
});

describe('HTML report rendering', () => {
  it('shows a hostile file name as text, in the heading, the attributes and the alt text', () => {
    const dir = 'uploads/"quoted" & <b>bold</b>/';
    const html = renderCard(imageResult(dir + HOSTILE, [cause({ code: 'too-dark', region: { label: '<script>', box: { x: 1, y: 1, width: 9, height: 9 } } })]), withPicture(), 'en', 1);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.png');
    expect(html).toContain('&lt;script&gt;');
    // the only <img> is the thumbnail, and its only src is the data: URI
    expect(html.match(/<img /g)).toHaveLength(1);
    expect([...html.matchAll(/\ssrc="([^"]*)"/g)].map((m) => m[1].slice(0, 11))).toEqual(['data:image/']);
  });

  it('puts measured value against threshold, the why and the advice on the card', () => {
    const c = cause({ code: 'too-dark', measured: { faceP50: 38 }, thresholds: { minFaceP50: 60 } });
    const html = renderCard(imageResult('a.jpg', [c]), withPicture(), 'en', 1);
    expect(html).toContain('faceP50 38 (limit ≥60)');
    for (const step of c.advice) expect(html).toContain(escapeHtml(step));
    expect(html).toContain('data-verdict="fail"');
    expect(html).toContain('data-causes="too-dark"');
  });

  it('draws the face box, keypoints and the cause region on the thumbnail', () => {
    const c = cause({ code: 'multiple-faces', region: { label: 'other face', box: { x: 300, y: 100, width: 80, height: 80 } } });
    const html = renderCard(imageResult('a.jpg', [c]), withPicture(), 'en', 1);
    const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
    expect(svg).toContain('viewBox="0 0 512 512"');
    expect(svg).toContain('x="178" y="82" width="93" height="93"'); // face
    expect(svg).toContain('x="300" y="100" width="80" height="80"'); // region
    expect(svg.match(/<circle /g)).toHaveLength(6); // keypoints
    expect(svg).toContain('>More than one face</text>');
  });

  it('refuses pictures that are not embedded images, so the page cannot fetch', () => {
    const media: CardMedia = { thumbnail: { dataUri: 'https://example.invalid/x.jpg', width: 10, height: 10, space: { width: 10, height: 10 } } };
    const html = renderCard(imageResult('a.jpg'), media, 'en', 1);
    expect(html).not.toContain('example.invalid');
    expect(html).toContain('No preview available');
  });

  it('the CSP hashes match the inline style and script, and the page references nothing outside', () => {
    const r = imageResult('a.jpg', [cause({ code: 'blur' })]);
    const doc = htmlHead({ tool: TOOL, lang: 'en' }) + renderCard(r, withPicture(), 'en', 1) + htmlTail(summarize([r, imageResult('b.jpg')]), { tool: TOOL, lang: 'en' });
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(doc)![1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(doc)![1];
    expect(CONTENT_SECURITY_POLICY).toContain(`style-src ${hash(style)}`);
    expect(CONTENT_SECURITY_POLICY).toContain(`script-src ${hash(script)}`);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'none'/);
    expect(CONTENT_SECURITY_POLICY).toMatch(/img-src data:(;|$)/);
    expect(doc.match(/<script/g)).toHaveLength(1);
    expect(doc.match(/<style/g)).toHaveLength(1);
    expect(doc).not.toMatch(/\sstyle=/); // no inline style attributes (the CSP would block them)
    expect(doc).not.toMatch(/url\(/);
    expect(doc).not.toMatch(/@import|<link|<iframe|<object|<embed/);
    // the only http(s) strings are SVG namespace names, which are never fetched
    expect(doc.match(/https?:\/\/[^"'\s)]+/g)?.every((u) => u === 'http://www.w3.org/2000/svg')).toBe(true);
  });

  it('renders the chosen language in every one of the six', () => {
    for (const lang of SUPPORTED_LANGS) {
      const r = imageResult('a.jpg', [cause({ code: 'too-dark' }, lang as 'en')]);
      const doc = htmlHead({ tool: TOOL, lang }) + renderCard(r, withPicture(), lang, 1) + htmlTail(summarize([r, r]), { tool: TOOL, lang });
      const ui = uiText(lang);
      expect(doc).toContain(`<html lang="${lang}">`);
      expect(doc).toContain(escapeHtml(ui.report.title));
      expect(doc).toContain(escapeHtml(ui.report.byCause));
      expect(doc).toContain(escapeHtml(r.causes[0].title));
      expect(doc).toContain(escapeHtml(r.causes[0].advice[0]));
      if (lang !== 'en') expect(ui.report.title).not.toBe(uiText('en').report.title);
    }
  });

  it('a video card gets a timeline of flagged segments and, given frames, a strip of them', () => {
    const shaking = { ...cause({ code: 'shaking', segments: [[1, 2.5], [6, 8]], measured: { worstFrameTime: 7 } }) };
    const flicker = { ...cause({ code: 'flicker', severity: 'warn', segments: [[0, 10]] }) };
    const r: Result = { file: 'clip.mp4', kind: 'video', verdict: 'fail', video: { duration: 10, fps: 30, width: 1280, height: 720 }, faces: [], causes: [shaking, flicker], metrics: {} };
    const html = renderCard(r, { frames: [{ t: 2, thumb: tinyThumb }, { t: 7, thumb: tinyThumb }] }, 'en', 1);
    expect(html).toContain('Timeline');
    expect(html).toContain('Worst frames');
    expect(html).toContain('1–2.5 s, 6–8 s');
    const svg = renderTimeline(r, uiText('en'));
    // track from x=210 to 710 (50 px a second): 1 s → 260, 2.5 s → 335
    expect(svg).toContain('class="seg-fail" x="260" y="4" width="75"');
    expect(svg).toContain('class="seg-warn" x="210" y="26" width="500"');
    expect(svg).toContain('>10 s</text>');
    expect(svg).toContain('<path class="worst" d="M560 5'); // 7 s, first row
    expect(worstFrameTimes(r)).toEqual([7]);
    expect(videoDuration({ video: { durationSeconds: 12.5 }, causes: [] })).toBe(12.5);
    expect(renderTimeline({ ...r, causes: [] }, uiText('en'))).toBe('');
    expect(renderTimeline({ ...r, causes: [] }, uiText('en'), [3])).toContain('frame-mark');
    expect(tickStep(10)).toBe(2);
    expect(tickStep(0.5)).toBe(0.1);
  });
});

describe('streaming HTML sink', () => {
  it('writes each card as it arrives, one picture at a time, and the overview only at the end', async () => {
    const chunks: string[] = [];
    let active = 0;
    let maxActive = 0;
    const media = async (): Promise<CardMedia> => {
      maxActive = Math.max(maxActive, ++active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return withPicture();
    };
    const sink = createHtmlSink({ write: (s) => chunks.push(s) }, { tool: TOOL, lang: 'en', media });
    expect(chunks.join('')).toMatch(/^<!DOCTYPE html>/);
    const results = ['one.jpg', 'two.jpg', 'three.jpg'].map((f, i) => imageResult(f, i === 1 ? [cause({ code: 'blur' })] : []));
    // not awaited: the caller may fire and forget; order and one-at-a-time must still hold
    const pending = results.map((r) => sink.write(r));
    await pending[0];
    expect(chunks.join('')).toContain('one.jpg');
    expect(chunks.join('')).not.toContain('id="overview"');
    await Promise.all(pending);
    expect(maxActive).toBe(1);
    expect(chunks.length).toBe(4); // head + 3 cards, nothing buffered
    await sink.end(summarize(results));
    const doc = chunks.join('');
    const at = (s: string) => doc.indexOf(s);
    expect(at('one.jpg')).toBeLessThan(at('two.jpg'));
    expect(at('two.jpg')).toBeLessThan(at('three.jpg'));
    expect(at('three.jpg')).toBeLessThan(at('id="overview"'));
    expect(at('id="overview"')).toBeLessThan(at('<script>'));
    expect(doc.trimEnd()).toMatch(/<\/html>$/);
  });

  it('a failing picture gives a card without one; a failing write is reported by end()', async () => {
    const chunks: string[] = [];
    const sink = createHtmlSink({ write: (s) => chunks.push(s) }, { tool: TOOL, lang: 'en', media: () => Promise.reject(new Error('gone')) });
    await sink.write(imageResult('a.jpg'));
    expect(chunks.join('')).toContain('No preview available');

    let n = 0;
    const broken = createHtmlSink(
      {
        write: () => {
          if (n++ === 1) throw new Error('ENOSPC');
        },
      },
      { tool: TOOL, lang: 'en', media: async () => ({}) },
    );
    await expect(broken.write(imageResult('a.jpg'))).resolves.toBeUndefined();
    await expect(broken.end(summarize([]))).rejects.toThrow('ENOSPC');
  });
});

// ---------------------------------------------------------------------------------------------
// The real report in a real browser.

async function makeInputs(dir: string): Promise<void> {
  await sharp(ASTRONAUT).jpeg({ quality: 90 }).toFile(path.join(dir, 'clean.jpg'));
  await sharp(ASTRONAUT).linear(0.22, 0).jpeg({ quality: 90 }).toFile(path.join(dir, 'dark.jpg')); // too-dark, fail
  await sharp(ASTRONAUT).linear(0.37, 0).jpeg({ quality: 90 }).toFile(path.join(dir, 'dim.jpg')); // too-dark, warn
  await sharp(ASTRONAUT).blur(5).jpeg({ quality: 90 }).toFile(path.join(dir, 'blurry.jpg')); // blur, fail
  copyFileSync(ASTRONAUT, path.join(dir, HOSTILE));
  const jpeg = readFileSync(path.join(dir, 'clean.jpg'));
  writeFileSync(path.join(dir, 'broken.jpg'), jpeg.subarray(0, 600)); // error
}

describe('HTML report in headless Chromium', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'facedoctor-html-'));
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('--lang selects the report language', async () => {
    const dir = path.join(work, 'lang');
    mkdirSync(dir);
    await sharp(ASTRONAUT).linear(0.22, 0).jpeg().toFile(path.join(dir, 'dark.jpg'));
    const report = path.join(work, 'ja.html');
    const run = await runCli(['check', '--format', 'html', '--lang', 'ja', '--only', 'too-dark', '-o', report, path.join(dir, 'dark.jpg')]);
    expect(run.code, run.stderr).toBe(1);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<html lang="ja">');
    expect(html).toContain(uiText('ja').report.title);
    expect(html).toContain('顔が暗すぎます');
    expect(html).not.toContain('id="overview"'); // one input: no batch overview
  });

  it.skipIf(!HAS_CHROMIUM)(
    'loads with no console errors and no requests; filters, search and escaping work; screenshot',
    async () => {
      const inputs = path.join(work, 'inputs');
      mkdirSync(inputs);
      await makeInputs(inputs);
      const report = path.join(work, 'report.html');
      // --only: which verdict each input gets must not move when other analyzers change
      const run = await runCli(['check', '--format', 'html', '--lang', 'en', '--only', 'too-dark,blur', '-o', report, inputs], { env: { LANG: 'C' } });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toBe('');

      const browser = await openInChromium(report);
      const { page, url, problems, requests } = browser;
      try {

        mkdirSync(OUT_DIR, { recursive: true });
        const shot = path.join(OUT_DIR, 'report.png');
        await page.screenshot({ path: shot, fullPage: true });
        const meta = await sharp(shot).metadata();
        expect(meta.format).toBe('png');
        expect(meta.width).toBe(1280);
        expect(meta.height!).toBeGreaterThan(900);

        type Card = { name: string; verdict: string; causes: string[] };
        const cards = (): Promise<Card[]> =>
          page.$$eval('article.card', (els) =>
            (els as HTMLElement[])
              .filter((e) => !e.hidden && e.offsetParent !== null)
              .map((e) => ({ name: e.querySelector('h2.file')!.textContent!, verdict: e.dataset.verdict!, causes: e.dataset.causes!.split(' ').filter(Boolean) })),
          );
        const names = (cs: Card[]) => cs.map((c) => c.name).sort();
        const all = await cards();
        expect(names(all)).toEqual(['blurry.jpg', 'broken.jpg', 'clean.jpg', 'dark.jpg', 'dim.jpg', HOSTILE].sort());
        const verdictOf = Object.fromEntries(all.map((c) => [c.name, c.verdict]));
        expect(verdictOf).toMatchObject({ 'clean.jpg': 'pass', [HOSTILE]: 'pass', 'dark.jpg': 'fail', 'blurry.jpg': 'fail', 'broken.jpg': 'error' });
        expect(all.find((c) => c.name === 'dark.jpg')!.causes).toContain('too-dark');

        // the overview is written last but shown above the cards
        const overviewY = (await page.locator('#overview').boundingBox())!.y;
        const firstCardY = (await page.locator('article.card').first().boundingBox())!.y;
        expect(overviewY).toBeLessThan(firstCardY);

        // every thumbnail decoded, at most 320 px
        const sizes = await page.$$eval('.frame img', (imgs) => (imgs as HTMLImageElement[]).map((i) => [i.naturalWidth, i.naturalHeight]));
        expect(sizes).toHaveLength(5); // all but the broken file
        for (const [w, h] of sizes) {
          expect(w).toBeGreaterThan(0);
          expect(Math.max(w, h)).toBeLessThanOrEqual(320);
        }
        // failing cards with a small face also show it close up
        const closeUps = await page.$$eval('.closeup img', (imgs) => (imgs as HTMLImageElement[]).map((i) => i.naturalWidth));
        expect(closeUps.length).toBeGreaterThanOrEqual(2); // dark.jpg and blurry.jpg
        for (const w of closeUps) expect(w).toBeGreaterThan(0);

        // verdict filter: one tile, then a second one widens the selection
        const failing = names(all.filter((c) => c.verdict === 'fail'));
        await page.click('[data-filter-verdict="fail"]');
        expect(names(await cards())).toEqual(failing);
        expect(await page.textContent('#shown-count')).toBe(String(failing.length));
        await page.click('[data-filter-verdict="error"]');
        expect(names(await cards())).toEqual(names(all.filter((c) => c.verdict === 'fail' || c.verdict === 'error')));
        await page.click('#clear-filters');
        expect(await cards()).toHaveLength(all.length);

        // cause filter: a bar of the chart; clicking it again clears it
        await page.click('[data-filter-cause="too-dark"]');
        const dark = await cards();
        expect(names(dark)).toEqual(names(all.filter((c) => c.causes.includes('too-dark'))));
        expect(names(dark)).toContain('dark.jpg');
        expect(names(dark)).not.toContain('clean.jpg');
        await page.click('[data-filter-cause="too-dark"]');
        expect(await cards()).toHaveLength(all.length);

        // search by file name; the hostile name is plain text
        await page.fill('#search', 'ONERROR');
        expect(names(await cards())).toEqual([HOSTILE]);
        expect(await page.locator('article.card:not([hidden]) h2.file').textContent()).toBe(HOSTILE);
        expect(await page.locator('img[src="x"]').count()).toBe(0);
        await page.fill('#search', 'no such file');
        expect(await cards()).toEqual([]);
        expect(await page.isVisible('#no-match')).toBe(true);
        await page.fill('#search', '');
        expect(await cards()).toHaveLength(all.length);

        expect(problems).toEqual([]);
        expect(requests.filter((u) => u !== url && !u.startsWith('data:'))).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );

  it.skipIf(!HAS_CHROMIUM)(
    'a video card shows the frame at the worst moment, the worst-frames strip and the timeline, offline and without errors',
    async () => {
      const dir = path.join(work, 'video');
      mkdirSync(dir);
      // A hostile name on a video too: it reaches ffmpeg (as a file: path) and the page as text.
      const clip = path.join(dir, '-<b>shaky<i>.mp4');
      copyFileSync(path.join(REPO_ROOT, 'fixtures/video/shaky.mp4'), clip);
      const report = path.join(work, 'video.html');
      const run = await runCli(['check', '--format', 'html', '--lang', 'en', '--only', 'shaking', '-o', report, clip], { env: { LANG: 'C' } });
      expect(run.code, run.stderr).toBe(1);

      const browser = await openInChromium(report);
      const { page, url, problems, requests } = browser;
      try {
        mkdirSync(OUT_DIR, { recursive: true });
        await page.screenshot({ path: path.join(OUT_DIR, 'report-video.png'), fullPage: true });

        expect(await page.locator('article.card h2.file').textContent()).toBe('-<b>shaky<i>.mp4');
        expect(await page.locator('article.card b, article.card i').count()).toBe(0);
        // the card picture: a decoded frame of the clip (640×480 → at most 320 px)
        const shot = await page.$$eval('.frame img', (imgs) => (imgs as HTMLImageElement[]).map((i) => [i.naturalWidth, i.naturalHeight]));
        expect(shot).toEqual([[320, 240]]);
        // the strip: one frame per distinct worst time, decoded, small
        const strip = await page.$$eval('.strip img', (imgs) => (imgs as HTMLImageElement[]).map((i) => [i.naturalWidth, i.naturalHeight]));
        expect(strip.length).toBeGreaterThanOrEqual(1);
        for (const [w, h] of strip) expect([w, h]).toEqual([160, 120]);
        // the timeline: a shaking row with its segment, and a mark at the strip frame
        expect(await page.locator('.timeline svg rect[class^="seg-"]').count()).toBeGreaterThanOrEqual(1);
        expect(await page.locator('.timeline svg .frame-mark').count()).toBe(strip.length);
        expect(await page.locator('.when').first().textContent()).toMatch(/When: .*s/);

        expect(problems).toEqual([]);
        expect(requests.filter((u) => u !== url && !u.startsWith('data:'))).toEqual([]);
      } finally {
        await browser.close();
      }
    },
    120_000,
  );

  if (!HAS_CHROMIUM) {
    it.skip(`browser test skipped: ${CHROMIUM} is missing (install Debian's chromium; .ci/run does)`, () => {});
  }
});
