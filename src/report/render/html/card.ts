// One input's card: the picture with its marks, the verdict, each cause with measured value
// against threshold and the advice. Pure: pictures come in ready-made (CardMedia).
import type { Cause, Result, Verdict } from '../../../types.js';
import { causeText, firingConditions, formatMeasurements, formatNumber, uiText, type UiText } from '../../catalogue.js';
import { isCauseCode } from '../../codes.js';
import type { Lang } from '../../i18n/types.js';
import { MARK_COLORS, overlaySvg } from '../../annotate.js';
import { escapeHtml } from './escape.js';
import type { Thumb } from './preview.js';
import { formatSegments, renderTimeline, videoDuration } from './timeline.js';

/** Pictures for one card. The hook for video: a provider may pass frames keyed by time. */
export interface CardMedia {
  /** The capture (or a representative video frame); `space` is the pixel size its faces and
   *  regions are given in (the Result's image size), so the overlay can be scaled onto it. */
  thumbnail?: Thumb & { space: { width: number; height: number } };
  /** An enlarged crop of the face, without marks, so the problem itself is visible. */
  closeUp?: Thumb;
  /** Video: the worst frames, in time order; shown as a strip and marked on the timeline. */
  frames?: Array<{ t: number; thumb: Thumb }>;
}

export const VERDICT_MARK: Record<Verdict, string> = { pass: '✓', warn: '!', fail: '✗', error: '?' };

/** The file name part of a path (either separator), and the folder before it. */
/** Pictures must be embedded images: anything else (a URL) would make the page fetch. */
export function isEmbeddedImage(uri: string): boolean {
  return /^data:image\/(?:jpeg|png|webp|gif|avif);base64,[A-Za-z0-9+/]*={0,2}$/.test(uri);
}

export function splitPath(file: string): { dir: string; base: string } {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? { dir: '', base: file } : { dir: file.slice(0, i + 1), base: file.slice(i + 1) || file };
}

/** What the search box matches against: the whole path, lower-cased. */
export function searchKey(file: string): string {
  return file.toLowerCase();
}

export function renderCard(r: Result, media: CardMedia, lang: Lang, index: number): string {
  const ui = uiText(lang);
  const { dir, base } = splitPath(r.file);
  const codes = [...new Set(r.causes.map((c) => c.code))].join(' ');
  const out: string[] = [];
  out.push(
    `<article class="card v-${r.verdict}" id="r${index}" data-verdict="${r.verdict}" data-causes="${escapeHtml(codes)}" data-name="${escapeHtml(searchKey(r.file))}">`,
    renderPicture(r, media, ui, base),
    '<div class="body"><header class="head">',
    `<span class="badge v-${r.verdict}">${VERDICT_MARK[r.verdict]} ${escapeHtml(ui.verdict[r.verdict])}</span>`,
    `<h2 class="file" title="${escapeHtml(r.file)}">${escapeHtml(base)}</h2>`,
  );
  if (dir) out.push(`<p class="path">${escapeHtml(dir)}</p>`);
  const info = infoLine(r, ui);
  if (info) out.push(`<p class="info">${escapeHtml(info)}</p>`);
  out.push('</header>');
  // A video's time line first: when it went wrong is the first thing to see.
  if (r.kind === 'video') out.push(renderVideoExtras(r, media, ui));

  if (r.error) {
    out.push(
      `<p class="err"><strong>${escapeHtml(ui.couldNotAnalyze)}:</strong> ${escapeHtml(r.error.message)} <code>[${escapeHtml(r.error.code)}]</code></p>`,
    );
  } else if (r.causes.length === 0) {
    out.push(`<p class="ok">✓ ${escapeHtml(ui.noProblems)}</p>`);
  } else {
    out.push('<ol class="causes">');
    for (const c of r.causes) out.push(renderCause(c, ui, lang));
    out.push('</ol>');
  }
  out.push('</div></article>\n');
  return out.join('');
}

function renderPicture(r: Result, media: CardMedia, ui: UiText, base: string): string {
  const t = media.thumbnail && isEmbeddedImage(media.thumbnail.dataUri) ? media.thumbnail : undefined;
  if (!t) {
    return `<figure class="shot"><div class="nopic">${escapeHtml(ui.report.noPreview)}</div></figure>`;
  }
  // Video causes are about time ranges, not one frame's pixels: no outlines on a video still.
  const marked = r.kind === 'image' ? r : { faces: [], causes: [] };
  const overlay = overlaySvg(marked, {
    imageWidth: t.space.width,
    imageHeight: t.space.height,
    outWidth: t.width,
    outHeight: t.height,
    label: (c) => c.title,
    fontSize: 11,
    fontFamily: 'system-ui, sans-serif',
    rootAttributes: { class: 'overlay', 'aria-hidden': 'true', focusable: 'false' },
  });
  const regionSeverity = marked.causes.some((c) => c.region && c.severity === 'fail') ? 'fail' : 'warn';
  const hasRegion = marked.causes.some((c) => c.region);
  const legend = [
    marked.faces.length ? `<span>${legendSwatch(MARK_COLORS.face, false)}${escapeHtml(ui.report.detectedFace)}</span>` : '',
    hasRegion ? `<span>${legendSwatch(MARK_COLORS[regionSeverity], true)}${escapeHtml(ui.report.problemArea)}</span>` : '',
  ].join('');
  const c = media.closeUp && isEmbeddedImage(media.closeUp.dataUri) ? media.closeUp : undefined;
  const closeUp = c
    ? `<div class="closeup"><img src="${escapeHtml(c.dataUri)}" width="${c.width}" height="${c.height}" alt="${escapeHtml(ui.report.closeUp)}">` +
      `<span>${escapeHtml(ui.report.closeUp)}</span></div>`
    : '';
  return (
    `<figure class="shot"><div class="frame"><img src="${escapeHtml(t.dataUri)}" width="${t.width}" height="${t.height}" alt="${escapeHtml(base)}" decoding="async">` +
    `${overlay}</div>${legend ? `<figcaption class="legend">${legend}</figcaption>` : ''}${closeUp}</figure>`
  );
}

function legendSwatch(color: string, dashed: boolean): string {
  return (
    `<svg viewBox="0 0 18 10" aria-hidden="true"><rect x="1" y="1" width="16" height="8" fill="none" stroke="${color}" stroke-width="2"` +
    `${dashed ? ' stroke-dasharray="4 2"' : ''}/></svg>`
  );
}

function infoLine(r: Result, ui: UiText): string {
  const parts: string[] = [];
  if (r.image) parts.push(`${r.image.width}×${r.image.height} ${r.image.format.toUpperCase()}`);
  if (r.kind === 'video') {
    const d = videoDuration(r);
    if (d !== undefined) parts.push(`${ui.report.duration} ${formatNumber(d)} ${ui.seconds}`);
    const v = r.video ?? {};
    if (typeof v.width === 'number' && typeof v.height === 'number') parts.push(`${v.width}×${v.height}`);
    if (typeof v.fps === 'number') parts.push(`${formatNumber(v.fps)} fps`);
  }
  if (!r.error && r.kind === 'image') parts.push(`${ui.faces}: ${r.faces.length}`);
  if (r.elapsedMs !== undefined) parts.push(`${ui.report.elapsed} ${formatNumber(r.elapsedMs / 1000)} ${ui.seconds}`);
  return parts.join(' · ');
}

function renderCause(c: Cause, ui: UiText, lang: Lang): string {
  const measure = formatMeasurements(c.measured, c.thresholds, ui, firingConditions(c.code));
  const why = isCauseCode(c.code) ? causeText(c.code, lang).why : '';
  const segs = c.segments?.length ? formatSegments(c.segments, ui) : '';
  return [
    `<li class="cause sev-${c.severity}" data-code="${escapeHtml(c.code)}"><div class="cause-head">`,
    `<span class="sev">${escapeHtml(ui.verdict[c.severity])}</span>`,
    `<span class="title">${escapeHtml(c.title)}</span>`,
    `<code>${escapeHtml(c.code)}</code>`,
    `<span class="conf">${escapeHtml(ui.confidence)} ${escapeHtml(formatNumber(c.confidence))}</span></div>`,
    measure ? `<p class="measure">${escapeHtml(measure)}</p>` : '',
    segs ? `<p class="when">${escapeHtml(ui.when)}: ${escapeHtml(segs)}</p>` : '',
    why ? `<p class="why">${escapeHtml(why)}</p>` : '',
    c.advice.length
      ? `<p class="todo">${escapeHtml(ui.whatToDo)}</p><ol class="steps">${c.advice.map((s) => `<li>${escapeHtml(s)}</li>`).join('')}</ol>`
      : '',
    '</li>',
  ].join('');
}

function renderVideoExtras(r: Result, media: CardMedia, ui: UiText): string {
  const frames = (media.frames ?? []).filter((f) => Number.isFinite(f.t) && isEmbeddedImage(f.thumb.dataUri));
  const timeline = renderTimeline(r, ui, frames.map((f) => f.t));
  const out: string[] = [];
  if (timeline) out.push(`<section class="timeline"><h3>${escapeHtml(ui.report.timeline)}</h3>${timeline}</section>`);
  if (frames.length) {
    out.push(`<section class="strip"><h3>${escapeHtml(ui.report.worstFrames)}</h3><ol>`);
    for (const f of frames) {
      const when = `${formatNumber(f.t)} ${ui.seconds}`;
      out.push(
        `<li><img src="${escapeHtml(f.thumb.dataUri)}" width="${f.thumb.width}" height="${f.thumb.height}" alt="${escapeHtml(when)}">${escapeHtml(when)}</li>`,
      );
    }
    out.push('</ol></section>');
  }
  return out.join('');
}
