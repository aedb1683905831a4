// The marks drawn over a capture — face boxes, keypoints, landmarks when present, and the region
// behind each cause with its label — as one SVG. Shared by the HTML report (inline overlay on the
// thumbnail) and `--annotate` (composited onto the image by sharp/librsvg), so both show the same.
// Pure: geometry comes from the Result, sizes from the caller; no I/O.
import type { Box, Cause, Face, Point, Result, Severity } from '../types.js';
import { escapeHtml } from './render/html/escape.js';

export const MARK_COLORS = {
  face: '#22d3ee',
  keypoint: '#22d3ee',
  landmark: '#ffffff',
  halo: 'rgba(0,0,0,0.55)',
  fail: '#e5484d',
  warn: '#f5a524',
} as const;

/** Label text colour on a severity-coloured tab (contrast ≥ 4.5:1 on both). */
const LABEL_INK: Record<Severity, string> = { fail: '#ffffff', warn: '#1b1b1b' };

export interface OverlayOptions {
  /** Coordinate space of faces and regions: the oriented image, in pixels. */
  imageWidth: number;
  imageHeight: number;
  /** Size the overlay is shown at (output pixels for a PNG, CSS pixels in HTML): strokes and
   *  text keep this size whatever the image resolution. */
  outWidth: number;
  outHeight: number;
  /** The text on a cause's region label; return '' (or leave out) for outlines without text. */
  label?: (cause: Cause) => string;
  /** Label font size in output pixels. */
  fontSize?: number;
  fontFamily?: string;
  /** Extra attributes for the root <svg> (HTML uses a class and aria-hidden). */
  rootAttributes?: Record<string, string>;
}

/** The region of one or more causes that share the same outline. */
export interface RegionMark {
  shape: { box: Box } | { polygon: Point[] };
  severity: Severity;
  codes: string[];
  labels: string[];
  /** The analyzers' own description of the region ("face vs background"); shown on hover. */
  descriptions: string[];
}

/** Causes with a region, grouped by identical outline (too-dark and blur both outline the face:
 *  one outline, one label "Face too dark · Image blurry"), failing causes first. */
export function regionMarks(causes: readonly Cause[], label: (c: Cause) => string = () => ''): RegionMark[] {
  const groups = new Map<string, RegionMark>();
  for (const c of causes) {
    const r = c.region;
    if (!r) continue;
    let shape: RegionMark['shape'] | undefined;
    if (r.polygon && r.polygon.length >= 3 && r.polygon.every(finitePoint)) shape = { polygon: r.polygon };
    else if (r.box && finiteBox(r.box)) shape = { box: r.box };
    if (!shape) continue;
    const key = JSON.stringify('box' in shape ? roundBox(shape.box) : shape.polygon.map((p) => [round1(p.x), round1(p.y)]));
    const g = groups.get(key) ?? { shape, severity: c.severity, codes: [], labels: [], descriptions: [] };
    if (c.severity === 'fail') g.severity = 'fail';
    g.codes.push(c.code);
    const text = label(c);
    if (text) g.labels.push(text);
    if (r.label && !g.descriptions.includes(r.label)) g.descriptions.push(r.label);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'fail' ? -1 : 1));
}

/** Extra per-face points when a landmark model has run (`face.landmarks`, image pixels). */
function landmarksOf(face: Face): Point[] {
  const lm = (face as Face & { landmarks?: unknown }).landmarks;
  return Array.isArray(lm) ? (lm as unknown[]).filter((p): p is Point => finitePoint(p as Point)) : [];
}

export function overlaySvg(result: Pick<Result, 'faces' | 'causes'>, o: OverlayOptions): string {
  const W = Math.max(1, o.imageWidth);
  const H = Math.max(1, o.imageHeight);
  // image units per output pixel: everything below is sized in output pixels times this
  const u = Math.max(W / Math.max(1, o.outWidth), H / Math.max(1, o.outHeight));
  const fontSize = (o.fontSize ?? 12) * u;
  const fontFamily = o.fontFamily ?? 'DejaVu Sans, Liberation Sans, Arial, sans-serif';
  const parts: string[] = [];

  for (const face of result.faces ?? []) {
    if (!finiteBox(face.box)) continue;
    const b = face.box;
    parts.push(`<g class="mark-face">`);
    parts.push(rect(b, MARK_COLORS.halo, 4 * u), rect(b, MARK_COLORS.face, 2 * u));
    const lms = landmarksOf(face);
    for (const p of lms.slice(0, 1000)) parts.push(circle(p, 0.9 * u, MARK_COLORS.landmark, 'fill-opacity="0.7"'));
    const kp = face.keypoints;
    if (kp) {
      for (const p of Object.values(kp)) {
        if (finitePoint(p)) parts.push(circle(p, 2.6 * u, MARK_COLORS.keypoint, `stroke="${MARK_COLORS.halo}" stroke-width="${n(1 * u)}"`));
      }
    }
    parts.push('</g>');
  }

  const marks = regionMarks(result.causes ?? [], o.label);
  const placed: Box[] = [];
  for (const m of marks) {
    const color = MARK_COLORS[m.severity];
    const tip = escapeHtml([...m.labels, ...m.descriptions].join(' — ') || m.codes.join(', '));
    parts.push(`<g class="mark-region sev-${m.severity}" data-codes="${escapeHtml(m.codes.join(' '))}"><title>${tip}</title>`);
    const dash = `stroke-dasharray="${n(7 * u)} ${n(4 * u)}"`;
    if ('box' in m.shape) {
      parts.push(rect(m.shape.box, MARK_COLORS.halo, 4.5 * u), rect(m.shape.box, color, 2.5 * u, dash));
    } else {
      parts.push(polygon(m.shape.polygon, MARK_COLORS.halo, 4.5 * u), polygon(m.shape.polygon, color, 2.5 * u, dash));
    }
    const text = m.labels.join(' · ');
    if (text) {
      const anchor = 'box' in m.shape ? m.shape.box : boundsOf(m.shape.polygon);
      const tab = placeLabel(anchor, textWidth(text, fontSize) + fontSize * 0.8, fontSize * 1.5, W, H, placed);
      placed.push(tab);
      // textLength pins the text to its tab whatever font the viewer has, so labels never spill
      // over each other.
      parts.push(
        `<rect x="${n(tab.x)}" y="${n(tab.y)}" width="${n(tab.width)}" height="${n(tab.height)}" rx="${n(3 * u)}" fill="${color}"/>`,
        `<text x="${n(tab.x + fontSize * 0.4)}" y="${n(tab.y + fontSize * 1.1)}" font-size="${n(fontSize)}" font-family="${escapeHtml(fontFamily)}" font-weight="600" ` +
          `textLength="${n(tab.width - fontSize * 0.8)}" lengthAdjust="spacingAndGlyphs" fill="${LABEL_INK[m.severity]}">${escapeHtml(text)}</text>`,
      );
    }
    parts.push('</g>');
  }

  const attrs = Object.entries(o.rootAttributes ?? {})
    .map(([k, v]) => ` ${k}="${escapeHtml(v)}"`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(o.outWidth)}" height="${Math.round(o.outHeight)}" ` +
    `viewBox="0 0 ${n(W)} ${n(H)}" preserveAspectRatio="none"${attrs}>` +
    parts.join('') +
    '</svg>'
  );
}

/** Where a label tab goes: above the outline when there is room, else just inside its top edge;
 *  kept inside the image and moved down past labels already placed so none overlap. */
export function placeLabel(anchor: Box, width: number, height: number, W: number, H: number, placed: readonly Box[]): Box {
  const w = Math.min(width, W);
  const x = clamp(anchor.x, 0, W - w);
  let y = anchor.y - height >= 0 ? anchor.y - height : Math.max(0, anchor.y);
  y = clamp(y, 0, H - height);
  for (let tries = 0; tries < 20; tries++) {
    const tab = { x, y, width: w, height };
    const hit = placed.find((p) => overlaps(p, tab));
    if (!hit) break;
    const below = hit.y + hit.height + height * 0.15;
    if (below + height > H) break; // no room left: overlap rather than leave the image
    y = below;
  }
  return { x, y, width: w, height };
}

/** Rough advance width: CJK and other full-width characters are about 1 em, the rest about 0.6 em
 *  in a sans-serif; the tab is sized generously from this so text never spills out of it. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += isWide(ch.codePointAt(0)!) ? 1 : 0.64;
  return em * fontSize;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6)
  );
}

const n = (v: number) => String(Math.round(v * 10) / 10);
const round1 = (v: number) => Math.round(v * 10) / 10;
const roundBox = (b: Box) => [round1(b.x), round1(b.y), round1(b.width), round1(b.height)];
const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

function finitePoint(p: Point | undefined | null): p is Point {
  return !!p && Number.isFinite(p.x) && Number.isFinite(p.y);
}

function finiteBox(b: Box | undefined | null): b is Box {
  return !!b && [b.x, b.y, b.width, b.height].every(Number.isFinite) && b.width > 0 && b.height > 0;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function boundsOf(points: readonly Point[]): Box {
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

function rect(b: Box, stroke: string, width: number, extra = ''): string {
  return `<rect x="${n(b.x)}" y="${n(b.y)}" width="${n(b.width)}" height="${n(b.height)}" fill="none" stroke="${stroke}" stroke-width="${n(width)}"${extra ? ' ' + extra : ''}/>`;
}

function polygon(points: readonly Point[], stroke: string, width: number, extra = ''): string {
  const pts = points.map((p) => `${n(p.x)},${n(p.y)}`).join(' ');
  return `<polygon points="${pts}" fill="none" stroke="${stroke}" stroke-width="${n(width)}" stroke-linejoin="round"${extra ? ' ' + extra : ''}/>`;
}

function circle(p: Point, r: number, fill: string, extra = ''): string {
  return `<circle cx="${n(p.x)}" cy="${n(p.y)}" r="${n(r)}" fill="${fill}"${extra ? ' ' + extra : ''}/>`;
}
