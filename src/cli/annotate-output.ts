// `--annotate DIR`: one annotated PNG (or JPEG) per input, with the same marks as the HTML report,
// drawn by compositing the shared SVG overlay onto the decoded image with sharp (librsvg).
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from '../media/sharp.js';
import type { Result, Summary } from '../types.js';
import { overlaySvg } from '../report/annotate.js';
import { loadPreview, rasterSharp } from '../report/render/html/preview.js';
import type { DecodedImage } from '../media/decode-image.js';
import { UsageError } from './exit-codes.js';
import { printable } from '../report/printable.js';

export type AnnotateFormat = 'png' | 'jpeg';
export const ANNOTATE_FORMATS: readonly AnnotateFormat[] = ['png', 'jpeg'];

export interface AnnotateOptions {
  dir: string;
  format: AnnotateFormat;
}

const MAX_STEM = 80;

/**
 * The output file name for an input: its base name (made safe for any file system) plus a short
 * hash of its absolute path, so `a/selfie.jpg` and `b/selfie.jpg` never overwrite each other and a
 * re-run overwrites its own earlier file instead of piling up copies. No state is kept per input.
 */
export function annotatedName(file: string, format: AnnotateFormat, cwd = process.cwd()): string {
  const base = path.basename(file);
  const stem = base.includes('.') && !base.startsWith('.') ? base.slice(0, base.lastIndexOf('.')) : base;
  const safe =
    [...stem.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '_').replace(/^[.\-_]+/, '')].slice(0, MAX_STEM).join('') || 'input';
  const hash = createHash('sha256').update(path.resolve(cwd, file)).digest('hex').slice(0, 8);
  return `${safe}-${hash}.${format === 'jpeg' ? 'jpg' : 'png'}`;
}

/** Creates DIR (and parents); throws with the system's reason when it cannot. */
export function prepareAnnotateDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}

let fontProbe: Promise<boolean> | undefined;

/**
 * Whether librsvg can draw real text here. A machine with no fonts at all (a bare Debian
 * container) draws every glyph as the same empty box, so "iiiiiiii" comes out as wide as
 * "WWWWWWWW"; then labels are left off and only the outlines are drawn.
 */
export function fontsAvailable(): Promise<boolean> {
  fontProbe ??= (async () => {
    try {
      const [narrow, wide] = await Promise.all([inkWidth('iiiiiiii'), inkWidth('WWWWWWWW')]);
      return narrow > 0 && wide > narrow * 1.6;
    } catch {
      return false;
    }
  })();
  return fontProbe;
}

async function inkWidth(text: string): Promise<number> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="40"><rect width="400" height="40" fill="#fff"/><text x="4" y="28" font-size="20" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" fill="#000">${text}</text></svg>`;
  const { data, info } = await sharp(Buffer.from(svg)).greyscale().raw().toBuffer({ resolveWithObject: true });
  let min = info.width;
  let max = -1;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      if (data[(y * info.width + x) * info.channels] < 128) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
    }
  }
  return max < 0 ? 0 : max - min + 1;
}

/** The decoded image with the report's marks composited on, encoded as PNG or JPEG. Labels are
 *  the cause codes: ASCII, so any font that exists can draw them, and the code is what
 *  `facedoctor explain` takes. */
export async function renderAnnotated(d: DecodedImage, r: Result, format: AnnotateFormat, labels: boolean): Promise<Buffer> {
  const { width, height } = d.image;
  const svg = overlaySvg(r, {
    imageWidth: d.info.width,
    imageHeight: d.info.height,
    outWidth: width,
    outHeight: height,
    label: labels ? (c) => c.code : undefined,
    fontSize: Math.max(12, Math.round(Math.max(width, height) / 50)),
  });
  const img = rasterSharp(d).composite([{ input: Buffer.from(svg), top: 0, left: 0 }]);
  return format === 'jpeg' ? img.jpeg({ quality: 90, mozjpeg: true }).toBuffer() : img.png({ compressionLevel: 6 }).toBuffer();
}

export interface Annotator {
  /** Writes the annotated picture of one result; resolves to its path, or undefined when there
   *  is no picture to annotate (error results, videos) or it could not be made. Never rejects. */
  write(r: Result): Promise<string | undefined>;
  /** Pictures that could not be made, and why the first one failed. */
  readonly failed: number;
  readonly firstFailure?: string;
}

export function createAnnotator(o: AnnotateOptions): Annotator {
  const state: { failed: number; firstFailure?: string } = { failed: 0 };
  return {
    get failed() {
      return state.failed;
    },
    get firstFailure() {
      return state.firstFailure;
    },
    async write(r) {
      if (r.kind !== 'image' || r.verdict === 'error') return undefined;
      try {
        const decoded = await loadPreview(r.file);
        const bytes = await renderAnnotated(decoded, r, o.format, await fontsAvailable());
        const out = path.join(o.dir, annotatedName(r.file, o.format));
        await writeFile(out, bytes);
        return out;
      } catch (e) {
        // The result itself is already out: a missing picture is reported at the end, not a failed batch.
        state.failed++;
        state.firstFailure ??= `${r.file}: ${(e as Error).message}`;
        return undefined;
      }
    },
  };
}

/** The minimal sink shape (see output.ts), so annotating wraps any output format. */
interface Sink {
  write(r: Result): void | Promise<void>;
  end(s: Summary): void | Promise<void>;
}

/**
 * Wraps a results sink so every result is also written as an annotated picture. The picture is
 * made after the result is out, one at a time; `end` waits for the last one.
 */
export function withAnnotations<S extends Sink>(sink: S, o: AnnotateOptions): Sink {
  const annotator = createAnnotator(o);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    write(r) {
      const written = sink.write(r); // a sync sink still throws to the caller as before
      queue = queue.then(() => annotator.write(r)); // never rejects
      return Promise.all([written, queue]).then(() => {});
    },
    async end(s) {
      await queue;
      await sink.end(s);
      if (annotator.failed > 0) {
        process.stderr.write(
          `facedoctor: ${annotator.failed} annotated picture(s) could not be written to ${printable(o.dir)} (first: ${printable(String(annotator.firstFailure))})\n`,
        );
      }
    },
  };
}

/** Checks `--annotate DIR` / `--annotate-format` and creates DIR; the message says what to fix. */
export function annotateOptions(dir: string | undefined, format: string | undefined): AnnotateOptions | undefined {
  if (format !== undefined && !ANNOTATE_FORMATS.includes(format as AnnotateFormat)) {
    throw new UsageError(`--annotate-format must be one of ${ANNOTATE_FORMATS.join(', ')}`);
  }
  if (dir === undefined || dir === '') {
    if (format !== undefined) throw new UsageError('--annotate-format goes with --annotate DIR');
    return undefined;
  }
  try {
    prepareAnnotateDir(dir);
  } catch (e) {
    throw new UsageError(`cannot create --annotate folder ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); choose a writable path`);
  }
  return { dir, format: (format as AnnotateFormat | undefined) ?? 'png' };
}
