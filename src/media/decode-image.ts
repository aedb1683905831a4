// Decoding image files into a working-resolution RGB raster. All format handling lives here:
// the container is sniffed from the bytes (never trusted from the extension), EXIF orientation is
// applied, pixel counts are limited before decoding, and every failure becomes a MediaError with a
// code and a message a person can act on.
import sharp, { type Metadata, type OutputInfo } from './sharp.js';
import type { RgbImage } from './raster.js';
import type { ImageInfo } from '../types.js';
import { MediaError } from './media-error.js';
import { sniffFormat, type SniffedFormat } from './sniff.js';

/** Long side of the raster analyzers work on. Detection runs at ≤ 256 px and the face crop at
 *  112 px, so more pixels would only cost time; JPEG shrink-on-load makes this cheaper than a
 *  full decode. */
export const WORKING_MAX_SIDE = 800;

/** Refuse images with more pixels than this before decoding (decompression bombs). 120 MP is
 *  above any phone camera in normal use. */
export const MAX_INPUT_PIXELS = 120_000_000;

export interface DecodeOptions {
  /** The caller's time limit: libvips is told to stop after it, so a decode that outlives the
   *  caller's timeout does not keep running (and holding memory) in the background. */
  timeoutMs?: number;
  /** The image's header, already read (readImageHeader) by the batch pool's main thread. */
  header?: ImageHeader;
}

/** What decoding needs from an image's header. */
export type ImageHeader = Pick<Metadata, 'width' | 'height' | 'orientation' | 'format'>;

/**
 * The header of an image sharp decodes, read ahead so that a worker's decode is one round trip
 * to libuv's threads instead of two. Undefined for anything else (empty, HEIC, not an image,
 * unreadable): decodeImage reads and reports those itself.
 */
export async function readImageHeader(bytes: Uint8Array): Promise<ImageHeader | undefined> {
  const format = sniffFormat(bytes);
  if (bytes.length === 0 || format === 'unknown' || format === 'video' || format === 'heic') return undefined;
  try {
    const { width, height, orientation, format: decoded } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).metadata();
    return { width, height, orientation, format: decoded };
  } catch {
    return undefined;
  }
}

export interface DecodedImage {
  image: RgbImage;
  /** Original pixels per working pixel. */
  scale: number;
  info: ImageInfo;
}

sharp.cache(false); // one pass per file: libvips' operation cache only costs memory here
sharp.concurrency(1); // parallelism comes from the batch worker pool, one thread per worker

export async function decodeImage(bytes: Uint8Array, file: string, opts: DecodeOptions = {}): Promise<DecodedImage> {
  if (bytes.length === 0) throw new MediaError('empty-file', `${file} is empty (0 bytes); upload the capture again`);
  const format = sniffFormat(bytes);
  if (format === 'unknown') {
    throw new MediaError('unsupported-format', `${file} is not an image facedoctor can read (JPEG, PNG, WebP, AVIF, TIFF, GIF, HEIC)`);
  }
  if (format === 'video') {
    throw new MediaError('unsupported-format', `${file} looks like a video; video support is not in this build`);
  }
  if (format === 'heic') return decodeHeic(bytes, file);
  return decodeWithSharp(bytes, file, format, opts);
}

async function decodeWithSharp(bytes: Uint8Array, file: string, format: SniffedFormat, opts: DecodeOptions): Promise<DecodedImage> {
  let meta: ImageHeader;
  try {
    meta = opts.header ?? (await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).metadata());
  } catch (e) {
    throw describeSharpError(e, file, format);
  }
  if (!meta.width || !meta.height) throw new MediaError('corrupt-image', `${file}: the image header has no size; the file is damaged`);
  if (meta.width * meta.height > MAX_INPUT_PIXELS) {
    throw new MediaError('too-large', `${file} is ${meta.width}×${meta.height} px, above the ${MAX_INPUT_PIXELS / 1e6} MP limit; downscale it before checking`);
  }
  const swap = (meta.orientation ?? 1) >= 5;
  const width = swap ? meta.height : meta.width;
  const height = swap ? meta.width : meta.height;
  const k = Math.min(1, WORKING_MAX_SIDE / Math.max(width, height));
  // sharp's limit is whole seconds (0 = none); round up so it never fires before the caller's.
  const seconds = opts.timeoutMs && Number.isFinite(opts.timeoutMs) ? Math.max(1, Math.ceil(opts.timeoutMs / 1000)) : 0;
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', pages: 1 })
      .timeout({ seconds })
      .rotate()
      .resize({ width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)), fit: 'fill', kernel: 'linear' })
      .flatten({ background: '#808080' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`unexpected channel count ${info.channels}`);
    return {
      image: { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) },
      scale: width / info.width,
      info: { width, height, format: meta.format === 'heif' ? 'avif' : (meta.format ?? format) },
    };
  } catch (e) {
    throw describeSharpError(e, file, format);
  }
}

/** What heic-decode's `all` returns (its published types omit the sizes and `dispose`). */
type HeicImages = Array<{ width: number; height: number; decode(): Promise<{ width: number; height: number; data: Uint8ClampedArray }> }> & {
  dispose(): void;
};

async function decodeHeic(bytes: Uint8Array, file: string): Promise<DecodedImage> {
  // sharp's prebuilt libvips has no HEVC decoder; libheif compiled to WebAssembly does (heic-decode).
  const { default: decode } = await import('heic-decode');
  const logged: string[] = [];
  let out: { width: number; height: number; data: Uint8ClampedArray | Uint8Array };
  try {
    out = await withLibheifLog(logged, async () => {
      // `all` parses the container only: the declared size is checked before a pixel is decoded
      // (a HEIC grid can declare gigapixels in a few kilobytes).
      const images = (await decode.all({ buffer: bytes })) as unknown as HeicImages;
      try {
        const first = images[0];
        if (first.width * first.height > MAX_INPUT_PIXELS) {
          throw new MediaError('too-large', `${file} is ${first.width}×${first.height} px, above the ${MAX_INPUT_PIXELS / 1e6} MP limit; downscale it before checking`);
        }
        return await first.decode();
      } finally {
        images.dispose();
      }
    });
  } catch (e) {
    if (e instanceof MediaError) throw e;
    const why = [...logged, (e as Error).message].filter(Boolean).map(firstLine).join('; ');
    throw new MediaError('corrupt-image', `${file}: cannot decode HEIC (${why}); re-export it as JPEG`);
  }
  let data: Buffer;
  let info: OutputInfo;
  try {
    const rgba = Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength);
    const k = Math.min(1, WORKING_MAX_SIDE / Math.max(out.width, out.height));
    ({ data, info } = await sharp(rgba, { raw: { width: out.width, height: out.height, channels: 4 } })
      .resize({ width: Math.max(1, Math.round(out.width * k)), height: Math.max(1, Math.round(out.height * k)), fit: 'fill', kernel: 'linear' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true }));
  } catch (e) {
    throw describeSharpError(e, file, 'heic');
  }
  return {
    image: { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) },
    scale: out.width / info.width,
    info: { width: out.width, height: out.height, format: 'heic' },
  };
}

/**
 * libheif-js reports parse failures with console.log, which would land on stdout among the
 * results (breaking NDJSON): while a HEIC decode runs, those lines are collected for the error
 * message instead. Counted, so overlapping decodes restore console.log only when the last ends.
 */
let libheifDecodes = 0;
let libheifLog: string[][] = [];
const realConsoleLog = console.log;
async function withLibheifLog<T>(sink: string[], fn: () => Promise<T>): Promise<T> {
  if (libheifDecodes++ === 0) {
    console.log = (...args: unknown[]) => {
      const line = args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a) ?? String(a))).join(' ');
      for (const s of libheifLog) s.push(line);
    };
  }
  libheifLog.push(sink);
  try {
    return await fn();
  } finally {
    libheifLog = libheifLog.filter((s) => s !== sink);
    if (--libheifDecodes === 0) console.log = realConsoleLog;
  }
}

function describeSharpError(e: unknown, file: string, format: SniffedFormat): MediaError {
  if (e instanceof MediaError) return e;
  const msg = (e as Error)?.message ?? String(e);
  if (/^timeout:/i.test(msg)) {
    return new MediaError('timeout', `${file}: decoding the ${format.toUpperCase()} image took too long and was stopped`);
  }
  if (/pixel limit/i.test(msg)) {
    return new MediaError('too-large', `${file}: the image is larger than the ${MAX_INPUT_PIXELS / 1e6} MP limit; downscale it before checking`);
  }
  if (/premature|truncat|end of (file|data)|unexpected end|short read|read error|corrupt|invalid|bad |not a|unsupported|crc/i.test(msg)) {
    return new MediaError('corrupt-image', `${file}: the ${format.toUpperCase()} data is damaged or truncated (${firstLine(msg)}); ask for the original file again`);
  }
  return new MediaError('decode-failed', `${file}: cannot decode the ${format.toUpperCase()} image (${firstLine(msg)})`);
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 160);
}
