// The HTML report (`--format html`): one self-contained file — inline CSS and JS, thumbnails as
// data: URIs, nothing fetched — that support staff open in a browser.
//
// Streaming: a batch may be huge, so the page is written in order as results arrive and nothing
// is kept per input:
//   1. head (CSP, style) and the page header, when the sink is created;
//   2. one <article class="card"> per result, its thumbnail made from the input file right then;
//   3. at the end, when the summary exists: the overview (counts, chart, filters), then the script.
// The overview comes last in the file but first on screen: the page is a flex column and the
// overview and filter bar have a negative CSS `order`. That needs no script and no second pass over
// the file, and a run killed half-way still leaves a readable list of cards.
import { createHash } from 'node:crypto';
import type { Box, Result, Summary, ToolInfo } from '../../types.js';
import { uiText } from '../catalogue.js';
import type { Lang } from '../i18n/types.js';
import { renderCard, type CardMedia } from './html/card.js';
import { escapeHtml } from './html/escape.js';
import { renderOverview } from './html/overview.js';
import { closeUpOf, loadPreview, PASS_THUMBNAIL_MAX_SIDE, THUMBNAIL_MAX_SIDE, thumbnailOf } from './html/preview.js';
import { REPORT_JS } from './html/script.js';
import { videoMedia } from './html/video-media.js';
import { REPORT_CSS } from './html/style.js';

export type { CardMedia } from './html/card.js';
export type { Thumb } from './html/preview.js';
export { escapeHtml } from './html/escape.js';

/** Makes the pictures for one result. The default (inputMedia) makes an image thumbnail, or for a
 *  video the frame at its worst moment and the worst-frames strip. */
export type MediaProvider = (r: Result) => Promise<CardMedia>;

export interface HtmlReportOptions {
  tool: ToolInfo;
  lang: Lang;
  /** Shown in the header; default now. */
  generatedAt?: Date;
  media?: MediaProvider;
}

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** Only the report's own inline style and script may apply, images only from data: URIs; no
 *  request of any kind can leave the page. Hashes, not 'unsafe-inline': even markup that slipped
 *  past escaping could not run a script or restyle the page. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  'img-src data:',
  `style-src ${sha256(REPORT_CSS)}`,
  `script-src ${sha256(REPORT_JS)}`,
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function htmlHead(o: HtmlReportOptions): string {
  const ui = uiText(o.lang);
  const when = (o.generatedAt ?? new Date()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return [
    '<!DOCTYPE html>',
    `<html lang="${escapeHtml(o.lang)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(ui.report.title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<div class="page">',
    `<header class="top"><h1>${escapeHtml(ui.report.title)}</h1>` +
      `<span class="meta">${escapeHtml(ui.report.generated)} ${escapeHtml(when)} · ${escapeHtml(`${o.tool.name} ${o.tool.version}`)}</span></header>`,
    '<main class="cards" id="cards">',
    '',
  ].join('\n');
}

/** Everything after the last card: the overview (for more than one input) and the script. */
export function htmlTail(s: Summary, o: HtmlReportOptions): string {
  return [
    '</main>',
    s.total > 1 ? renderOverview(s, o.lang) : '',
    `<footer class="foot">${escapeHtml(`${o.tool.name} ${o.tool.version}`)}</footer>`,
    '</div>',
    `<script>${REPORT_JS}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Faces smaller than this in the thumbnail (CSS px) also get a close-up. */
const CLOSE_UP_BELOW = 120;

function largestFace(r: Result): Box | undefined {
  let best: Box | undefined;
  for (const f of r.faces) if (!best || f.box.width * f.box.height > best.width * best.height) best = f.box;
  return best;
}

/** The default pictures: a thumbnail of an image input, nothing for videos or failed inputs. */
export async function imageMedia(r: Result): Promise<CardMedia> {
  if (r.kind !== 'image' || r.verdict === 'error') return {};
  try {
    const decoded = await loadPreview(r.file);
    // Passing inputs are shown small (see the CSS); a smaller picture keeps big batches light.
    const thumb = await thumbnailOf(decoded, r.verdict === 'pass' ? PASS_THUMBNAIL_MAX_SIDE : THUMBNAIL_MAX_SIDE);
    const media: CardMedia = { thumbnail: { ...thumb, space: { width: decoded.info.width, height: decoded.info.height } } };
    // A close-up when something is wrong and the face is small in the thumbnail.
    const face = largestFace(r);
    if (face && r.verdict !== 'pass' && Math.max(face.width, face.height) * (thumb.width / decoded.info.width) < CLOSE_UP_BELOW) {
      media.closeUp = await closeUpOf(decoded, face);
    }
    return media;
  } catch {
    return {}; // the file changed or vanished since it was analyzed: a card without a picture
  }
}

/** The default pictures for any input: images by imageMedia, videos by videoMedia (ffmpeg). */
export async function inputMedia(r: Result): Promise<CardMedia> {
  return r.kind === 'video' ? videoMedia(r) : imageMedia(r);
}

export interface HtmlSink {
  /** Resolves once the card is written; awaiting it keeps memory flat (one picture at a time).
   *  Never rejects: a failed write (disk full) is thrown by `end`. */
  write(r: Result): Promise<void>;
  end(s: Summary): Promise<void>;
}

/** Streams the report into `out`. Writes are serialized, so cards keep the order of `write`
 *  calls even when the caller does not wait for each one (then only the pending results are held,
 *  and the pictures are still made one at a time). */
export function createHtmlSink(out: { write(s: string): void }, o: HtmlReportOptions): HtmlSink {
  const media = o.media ?? inputMedia;
  let index = 0;
  let failure: unknown;
  let queue: Promise<void> = Promise.resolve();
  out.write(htmlHead(o));
  return {
    write(r) {
      queue = queue.then(async () => {
        if (failure) return;
        try {
          const m = await media(r).catch((): CardMedia => ({}));
          out.write(renderCard(r, m, o.lang, ++index));
        } catch (e) {
          failure = e;
        }
      });
      return queue;
    },
    async end(s) {
      await queue;
      if (failure) throw failure;
      out.write(htmlTail(s, o));
    },
  };
}
