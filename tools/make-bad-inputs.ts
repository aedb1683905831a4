// Writes a corpus of hostile and broken inputs into a target folder, for the hardening tests
// (which generate it into a temp dir at test time; nothing of it is committed). Every file is made
// here from fixtures/astronaut.png (public domain) or from scratch, deterministically (seeded).
//
//   npm run build && node dist/tools/make-bad-inputs.js <dir>     # writes <dir>/… and MANIFEST.json
//
// Each entry says what a correct `facedoctor check` must make of it: `analyzed` (a normal
// verdict), `error` (an error result with one of the listed codes) or `either` (damaged data a
// decoder may or may not accept) — and never an `internal` error, a crash or a hang.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync } from 'node:zlib';
import sharp from '../src/media/sharp.js';

export type Expectation = 'analyzed' | 'error' | 'either';

export interface BadInput {
  /** Path relative to the corpus root (as a string; see `rawName` for undecodable names). */
  rel: string;
  expect: Expectation;
  /** Error codes accepted for an `error` result (any non-internal code when absent). */
  errorCodes?: string[];
  /** Does walking the corpus folder find it? `follow` = only with --follow-symlinks. */
  walked: 'yes' | 'no' | 'follow';
  /** For `analyzed`: the upright size the result must report. */
  size?: { width: number; height: number };
  /** Can it be passed as a path argument (directories and dir symlinks cannot, usefully)? */
  asArgument: boolean;
  why: string;
}

export interface Corpus {
  root: string;
  inputs: BadInput[];
  /** Cases that could not be made on this machine, and why. */
  skipped: string[];
}

/** The repo root, from tools/ (sources under vitest) or dist/tools/ (compiled). */
function repoRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return [path.resolve(here, '..'), path.resolve(here, '../..')].find((d) => existsSync(path.join(d, 'fixtures/astronaut.png'))) ?? path.resolve(here, '..');
}
const ROOT = repoRoot();
const ASTRONAUT = path.join(ROOT, 'fixtures/astronaut.png');

const CORRUPT = ['corrupt-image', 'decode-failed'];
const UNSUPPORTED = ['unsupported-format'];
const TOO_LARGE = ['too-large'];
/** Video inputs: an error either because video is not in the build yet, or because it is broken. */
const BAD_VIDEO = ['unsupported-format', 'corrupt-video', 'empty-video', 'decode-failed', 'decoder-missing'];
const AUDIO_ONLY = ['unsupported-format', 'no-video-stream', 'decoder-missing'];

/** mulberry32: the same bytes on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(n: number, seed: number): Buffer {
  const r = rng(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** Flips `count` bits at seeded positions from `from` (bytes) on. */
function bitFlip(src: Buffer, count: number, seed: number, from: number, to = src.length): Buffer {
  const out = Buffer.from(src);
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const at = from + Math.floor(r() * (to - from));
    out[at] ^= 1 << Math.floor(r() * 8);
  }
  return out;
}

// ---- hand-made containers (bombs and malformed metadata) ---------------------------------------

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

/** A PNG header claiming width×height RGB pixels, with a few rows of real (zero) data. */
export function pngBomb(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  // 4 rows of filter byte + zero pixels: a few hundred bytes compressed, gigabytes declared.
  const rows = Buffer.alloc(Math.min(4, height) * (1 + width * 3));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Rewrites the frame size in a JPEG's first SOFn segment. */
export function jpegWithSize(jpeg: Buffer, width: number, height: number): Buffer {
  const out = Buffer.from(jpeg);
  let i = 2;
  while (i + 4 < out.length && out[i] === 0xff) {
    const marker = out[i + 1];
    const len = out.readUInt16BE(i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      out.writeUInt16BE(height, i + 5);
      out.writeUInt16BE(width, i + 7);
      return out;
    }
    i += 2 + len;
  }
  throw new Error('no SOF segment found');
}

/** Inserts segments right after the JPEG's SOI marker. */
function jpegInsertAfterSoi(jpeg: Buffer, segments: Buffer[]): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

function jpegSegment(marker: number, payload: Buffer): Buffer {
  if (payload.length + 2 > 0xffff) throw new Error('JPEG segment too long');
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** An EXIF APP1 payload: big-endian TIFF header and IFD0 with the given (tag, type, count, value) entries. */
function exifPayload(entries: Array<[number, number, number, number]>, declaredCount = entries.length): Buffer {
  const ifd = Buffer.alloc(2 + entries.length * 12 + 4);
  ifd.writeUInt16BE(declaredCount, 0);
  entries.forEach(([tag, type, count, value], k) => {
    const o = 2 + k * 12;
    ifd.writeUInt16BE(tag, o);
    ifd.writeUInt16BE(type, o + 2);
    ifd.writeUInt32BE(count, o + 4);
    if (type === 3 && count === 1) ifd.writeUInt16BE(value, o + 8);
    else ifd.writeUInt32BE(value >>> 0, o + 8);
  });
  const tiff = Buffer.concat([Buffer.from('MM\u0000\u002a', 'latin1'), Buffer.from([0, 0, 0, 8]), ifd]);
  return Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), tiff]);
}

/** GIF header declaring a huge logical screen around a 1×1 frame. */
export function gifBomb(width: number, height: number): Buffer {
  const head = Buffer.alloc(13);
  head.write('GIF89a', 0, 'latin1');
  head.writeUInt16LE(width, 6);
  head.writeUInt16LE(height, 8);
  head[10] = 0x80; // global colour table, 2 entries
  const palette = Buffer.from([0, 0, 0, 255, 255, 255]);
  const desc = Buffer.from([0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0]);
  const data = Buffer.from([0x02, 0x02, 0x44, 0x01, 0x00]); // LZW min size 2, one pixel
  return Buffer.concat([head, palette, desc, data, Buffer.from([0x3b])]);
}

function riffChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.from([0]) : Buffer.alloc(0)]);
}

function u24le(v: number): Buffer {
  return Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
}

/** Animated WebP whose canvas is width×height around one 1×1 frame (frames are drawn on the canvas). */
export async function webpCanvasBomb(width: number, height: number): Promise<Buffer> {
  const one = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#888' } }).webp({ lossless: true }).toBuffer();
  // The single-image file is RIFF/WEBP/VP8L…: take the VP8L chunk as the frame's data.
  const frameData = one.subarray(12);
  const vp8x = Buffer.concat([Buffer.from([0x02, 0, 0, 0]), u24le(width - 1), u24le(height - 1)]); // animation flag
  const anim = Buffer.from([0, 0, 0, 0, 0, 0]); // background colour, loop count
  const anmf = Buffer.concat([u24le(0), u24le(0), u24le(0), u24le(0), u24le(100), Buffer.from([0]), frameData]);
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), riffChunk('VP8X', vp8x), riffChunk('ANIM', anim), riffChunk('ANMF', anmf)]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** Overwrites the first `ispe` (image spatial extents) box of a HEIF file. */
export function heifWithSize(heif: Buffer, width: number, height: number): Buffer {
  const at = heif.indexOf('ispe', 0, 'latin1');
  if (at < 4) throw new Error('no ispe box');
  const out = Buffer.from(heif);
  out.writeUInt32BE(width, at + 8); // after type (4) and version/flags (4)
  out.writeUInt32BE(height, at + 12);
  return out;
}

function resolveFfmpeg(): string | null {
  try {
    const req = createRequire(import.meta.url);
    const p = (req('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    return existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function tryExec(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

// ---- the corpus ------------------------------------------------------------------------------

export async function makeBadInputs(root: string): Promise<Corpus> {
  const inputs: BadInput[] = [];
  const skipped: string[] = [];
  mkdirSync(root, { recursive: true });
  const put = (rel: string, bytes: Buffer | string, e: Omit<BadInput, 'rel' | 'walked' | 'asArgument'> & Partial<Pick<BadInput, 'walked' | 'asArgument'>>) => {
    const full = path.join(root, rel);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, bytes);
    inputs.push({ rel, walked: 'yes', asArgument: true, ...e });
  };

  const png = readFileSync(ASTRONAUT);
  const base = sharp(png).resize(256, 256);
  const jpeg = await base.clone().jpeg({ quality: 85 }).toBuffer();
  const webp = await base.clone().webp({ quality: 80 }).toBuffer();
  const smallPng = await base.clone().png().toBuffer();

  // Zero bytes, truncated, bit-flipped.
  for (const [ext, bytes] of [['jpg', jpeg], ['png', smallPng], ['webp', webp]] as const) {
    put(`broken/empty.${ext}`, Buffer.alloc(0), { expect: 'error', errorCodes: ['empty-file'], why: 'zero-byte upload' });
    put(`broken/truncated-half.${ext}`, bytes.subarray(0, bytes.length >> 1), { expect: 'error', errorCodes: CORRUPT, why: 'upload cut off half-way' });
    put(`broken/truncated-header.${ext}`, bytes.subarray(0, 24), { expect: 'error', errorCodes: [...CORRUPT, ...UNSUPPORTED], why: 'only the first 24 bytes' });
    for (const seed of [1, 2, 3]) {
      put(`broken/bitflip-body-${seed}.${ext}`, bitFlip(bytes, 24, seed * 7919 + ext.length, Math.floor(bytes.length * 0.05)), {
        expect: 'either',
        why: '24 flipped bits in the compressed data',
      });
    }
    put(`broken/bitflip-header.${ext}`, bitFlip(bytes, 6, 99 + ext.length, 2, Math.min(bytes.length, 300)), { expect: 'either', why: 'flipped bits in the header (sizes, tables)' });
  }
  // Random bytes under image names, and right magic numbers followed by garbage.
  for (const [i, ext] of ['jpg', 'png', 'webp', 'heic', 'gif', 'tiff'].entries()) {
    put(`random/noise.${ext}`, randomBytes(4096, 1000 + i), { expect: 'error', errorCodes: [...UNSUPPORTED, ...CORRUPT], why: 'random bytes with an image extension' });
  }
  const magic: Array<[string, Buffer]> = [
    ['jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0])],
    ['png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
    ['webp', Buffer.from('RIFF\u0000\u0010\u0000\u0000WEBPVP8 ', 'latin1')],
    ['gif', Buffer.from('GIF89a', 'latin1')],
    ['tiff', Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0xff, 0x7f])],
    ['heic', Buffer.from('\u0000\u0000\u0000\u0018ftypheic\u0000\u0000\u0000\u0000mif1heic', 'latin1')],
    ['avif', Buffer.from('\u0000\u0000\u0000\u0018ftypavif\u0000\u0000\u0000\u0000mif1avif', 'latin1')],
  ];
  for (const [i, [ext, head]] of magic.entries()) {
    put(`random/magic-then-noise.${ext}`, Buffer.concat([head, randomBytes(4096, 2000 + i)]), { expect: 'error', errorCodes: CORRUPT, why: 'a valid signature followed by garbage' });
  }
  // Formats the sniffer must refuse even though sharp could open some of them.
  put('random/svg-as.png', '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image xlink:href="file:///etc/passwd"/><image href="http://127.0.0.1:9/x.png"/></svg>', {
    expect: 'error',
    errorCodes: UNSUPPORTED,
    why: 'SVG (can reference files and URLs) named .png',
  });
  put('random/text.jpg', 'hello, this is not an image\n', { expect: 'error', errorCodes: UNSUPPORTED, why: 'text named .jpg' });

  // Valid images under the wrong name, and shapes at the edges.
  put('valid/png-named.jpg', smallPng, { expect: 'analyzed', why: 'a PNG saved as .jpg' });
  put('valid/jpeg-named.png', jpeg, { expect: 'analyzed', why: 'a JPEG saved as .png' });
  put('valid/webp-named.heic', webp, { expect: 'analyzed', why: 'a WebP saved as .heic' });
  put('valid/one-pixel.png', await sharp({ create: { width: 1, height: 1, channels: 3, background: '#7f7f7f' } }).png().toBuffer(), { expect: 'analyzed', why: '1×1 image' });
  put('valid/one-pixel.jpg', await sharp({ create: { width: 1, height: 1, channels: 3, background: '#204060' } }).jpeg().toBuffer(), { expect: 'analyzed', why: '1×1 JPEG' });
  put('valid/two-by-two.webp', await sharp({ create: { width: 2, height: 2, channels: 3, background: '#ffffff' } }).webp({ lossless: true }).toBuffer(), { expect: 'analyzed', why: '2×2 WebP' });
  put('valid/tall-1x4000.png', await sharp({ create: { width: 1, height: 4000, channels: 3, background: '#336699' } }).png().toBuffer(), { expect: 'analyzed', why: 'extreme aspect ratio, tall' });
  put('valid/wide-5000x2.png', await sharp(png).resize(5000, 2, { fit: 'fill' }).png().toBuffer(), { expect: 'analyzed', why: 'extreme aspect ratio, wide' });
  put('valid/cmyk.jpg', await base.clone().toColourspace('cmyk').jpeg({ quality: 85 }).toBuffer(), { expect: 'analyzed', why: 'CMYK JPEG (print workflows)' });
  put('valid/grey.jpg', await base.clone().greyscale().jpeg().toBuffer(), { expect: 'analyzed', why: 'greyscale JPEG' });
  put('valid/grey-alpha.png', await base.clone().greyscale().ensureAlpha(0.5).png().toBuffer(), { expect: 'analyzed', why: 'grey + alpha PNG' });
  put('valid/rgb16.png', await base.clone().toColourspace('rgb16').png().toBuffer(), { expect: 'analyzed', why: '16-bit PNG' });
  const holey = await sharp(png)
    .resize(256, 256)
    .ensureAlpha()
    .composite([{ input: Buffer.from('<svg width="256" height="256"><circle cx="128" cy="128" r="60" fill="#000"/></svg>'), blend: 'dest-out' }])
    .png()
    .toBuffer();
  put('valid/alpha-hole.png', holey, { expect: 'analyzed', why: 'RGBA PNG with a transparent hole over the face' });
  put('valid/palette.png', await base.clone().png({ palette: true, colours: 16 }).toBuffer(), { expect: 'analyzed', why: '16-colour palette PNG' });
  const frames = await Promise.all([0, 60, 120].map((deg) => base.clone().rotate(deg, { background: '#000' }).resize(256, 256).png().toBuffer()));
  put('valid/animated.gif', await sharp(frames, { join: { animated: true } }).gif({ delay: [100, 100, 100] }).toBuffer(), { expect: 'analyzed', why: 'animated GIF (first frame is analyzed)' });
  put('valid/tiff-lzw.tiff', await base.clone().tiff({ compression: 'lzw' }).toBuffer(), { expect: 'analyzed', why: 'LZW TIFF' });

  // Decompression bombs: tiny files declaring billions of pixels.
  put('bombs/png-100000x100000.png', pngBomb(100_000, 100_000), { expect: 'error', errorCodes: TOO_LARGE, why: '30 GB of RGB declared in a few hundred bytes' });
  put('bombs/jpeg-65000x65000.jpg', jpegWithSize(jpeg, 65_000, 65_000), { expect: 'error', errorCodes: TOO_LARGE, why: 'JPEG SOF claiming 65000×65000' });
  // libvips sizes a GIF by its frames, not the declared screen: analyzed as 1×1, or refused.
  put('bombs/gif-65535x65535.gif', gifBomb(65_535, 65_535), { expect: 'either', errorCodes: TOO_LARGE, why: 'GIF logical screen 65535×65535 around a 1×1 frame' });
  put('bombs/webp-canvas-16383.webp', await webpCanvasBomb(16_383, 16_383), { expect: 'error', errorCodes: TOO_LARGE, why: 'animated WebP canvas 16383×16383 (268 MP) around a 1×1 frame' });
  const heic = await heicSource();
  if (heic) {
    put('bombs/heic-20000x20000.heic', heifWithSize(heic, 20_000, 20_000), { expect: 'error', errorCodes: [...TOO_LARGE, ...CORRUPT], why: 'HEIC whose ispe claims 20000×20000' });
  } else {
    skipped.push('bombs/heic-20000x20000.heic: no HEIC encoder (heif-enc) and no fixtures/formats/astronaut.heic');
  }

  // Hostile metadata.
  const app1Chunks = Array.from({ length: 64 }, (_, k) => jpegSegment(0xe1, Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), randomBytes(65_000, 3000 + k)])));
  put('exif/huge-app1-4MB.jpg', jpegInsertAfterSoi(jpeg, app1Chunks), { expect: 'analyzed', why: '64 APP1 segments, 4 MB of EXIF junk' });
  put('exif/ifd-count-65535.jpg', jpegInsertAfterSoi(jpeg, [jpegSegment(0xe1, exifPayload([[0x0112, 3, 1, 1]], 65_535))]), { expect: 'analyzed', why: 'IFD0 declares 65535 entries, has 1' });
  put('exif/ifd-offsets-out-of-range.jpg', jpegInsertAfterSoi(jpeg, [jpegSegment(0xe1, exifPayload([[0x010f, 2, 0x7fffffff, 0x7ffffff0], [0x8769, 4, 1, 0xfffffff0]]))]), {
    expect: 'analyzed',
    why: 'EXIF strings and sub-IFDs pointing 2 GB past the end',
  });
  // Non-square, so a wrongly applied rotation shows in the reported size.
  const wide = await sharp(png).resize(256, 192).jpeg().toBuffer();
  put('exif/orientation-200.jpg', jpegInsertAfterSoi(wide, [jpegSegment(0xe1, exifPayload([[0x0112, 3, 1, 200]]))]), {
    expect: 'analyzed',
    size: { width: 256, height: 192 },
    why: 'orientation tag outside 1..8 (must be ignored, not half-applied)',
  });
  // Two steps: within one sharp pipeline the rotation would happen before the resize.
  const upright = await sharp(png).resize(192, 256).png().toBuffer();
  const sideways = await sharp(upright).rotate(-90).withMetadata({ orientation: 6 }).jpeg().toBuffer();
  put('exif/orientation-6.jpg', sideways, { expect: 'analyzed', size: { width: 192, height: 256 }, why: 'valid EXIF rotation (phone portrait), reported upright' });

  // Video containers (analyzed only once video support lands; until then a clear error).
  const ffmpeg = resolveFfmpeg();
  const tmpVid = mkdtempSync(path.join(tmpdir(), 'fd-bad-video-'));
  const mp4 = path.join(tmpVid, 'v.mp4');
  const faststart = path.join(tmpVid, 'fs.mp4');
  const audio = path.join(tmpVid, 'a.mp4');
  const haveVideo =
    !!ffmpeg &&
    tryExec(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '2', '-c:v', 'mpeg4', '-pix_fmt', 'yuv420p', mp4]) &&
    tryExec(ffmpeg, ['-v', 'error', '-y', '-i', mp4, '-c', 'copy', '-movflags', '+faststart', faststart]) &&
    tryExec(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', audio]);
  if (haveVideo) {
    const v = readFileSync(mp4);
    const f = readFileSync(faststart);
    put('video/truncated-no-moov.mp4', v.subarray(0, Math.floor(v.length * 0.4)), { expect: 'error', errorCodes: BAD_VIDEO, why: 'MP4 cut off before its index (moov at the end)' });
    put('video/truncated-data.mp4', f.subarray(0, Math.floor(f.length * 0.3)), { expect: 'either', errorCodes: BAD_VIDEO, why: 'MP4 with its index but most frame data missing' });
    put('video/audio-only.mp4', readFileSync(audio), { expect: 'error', errorCodes: AUDIO_ONLY, why: 'MP4 with a sound track and no picture' });
    // Valid clips whose names an external decoder could read as an option or a protocol. The only
    // acceptable error is "no video support in this build".
    for (const name of ['-clip.mp4', 'concat:clip.mp4|x.mp4']) {
      put(`names/${name}`, v, { expect: 'either', errorCodes: ['unsupported-format'], why: `a valid clip named ${JSON.stringify(name)}` });
    }
  }
  rmSync(tmpVid, { recursive: true, force: true });
  if (!haveVideo) {
    skipped.push('video/*.mp4 made by hand: ffmpeg (@ffmpeg-installer/ffmpeg) is not installed');
    put('video/truncated-no-moov.mp4', Buffer.concat([Buffer.from('\u0000\u0000\u0000\u0018ftypisom\u0000\u0000\u0002\u0000isomiso2', 'latin1'), Buffer.from('\u0000\u0000\u1000\u0000mdat', 'latin1'), randomBytes(2048, 4000)]), {
      expect: 'error',
      errorCodes: BAD_VIDEO,
      why: 'MP4 signature, then a cut-off mdat',
    });
  }
  // An HLS playlist disguised as MP4: a demuxer that trusted it would fetch URLs (SSRF) or local files.
  put('video/playlist-as.mp4', '#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:1.0,\nhttp://127.0.0.1:9/leak.ts\n#EXTINF:1.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n', {
    expect: 'error',
    errorCodes: UNSUPPORTED,
    why: 'HLS playlist named .mp4',
  });

  // Names: spaces, newline, Unicode, leading dashes, markup and formulas.
  const face = jpeg;
  for (const name of ['with space.jpg', 'new\nline.jpg', 'ünïcödé-顔-😀.jpg', '-rf.jpg', '--help.jpg', '<img src=x onerror=alert(1)>.jpg', '=HYPERLINK("http:,x","y").jpg', "quote'\"comma,.jpg"]) {
    put(`names/${name}`, face, { expect: 'analyzed', why: `file name ${JSON.stringify(name)}` });
  }
  put('names/-dir/inside.jpg', face, { expect: 'analyzed', why: 'inside a folder whose name starts with a dash' });
  put('names/dir.jpg/inner.png', smallPng, { expect: 'analyzed', why: 'inside a folder named like an image' });

  // File-system oddities.
  mkdirSync(path.join(root, 'fs/loop'), { recursive: true });
  symlinkSync('.', path.join(root, 'fs/loop/self'));
  symlinkSync('..', path.join(root, 'fs/loop/parent'));
  inputs.push({ rel: 'fs/loop/self', expect: 'error', errorCodes: ['unreadable'], walked: 'follow', asArgument: false, why: 'folder symlink to itself' });
  inputs.push({ rel: 'fs/loop/parent', expect: 'error', errorCodes: ['unreadable'], walked: 'follow', asArgument: false, why: 'folder symlink to its parent' });
  symlinkSync('ping.jpg', path.join(root, 'fs/pong.jpg'));
  symlinkSync('pong.jpg', path.join(root, 'fs/ping.jpg'));
  for (const rel of ['fs/ping.jpg', 'fs/pong.jpg']) inputs.push({ rel, expect: 'error', errorCodes: ['unreadable'], walked: 'yes', asArgument: true, why: 'file symlinks pointing at each other' });
  symlinkSync('nowhere.jpg', path.join(root, 'fs/dangling.jpg'));
  inputs.push({ rel: 'fs/dangling.jpg', expect: 'error', errorCodes: ['unreadable', 'not-found'], walked: 'yes', asArgument: true, why: 'symlink to a missing file' });
  if (tryExec('mkfifo', [path.join(root, 'fs/fifo.jpg')])) {
    inputs.push({ rel: 'fs/fifo.jpg', expect: 'error', errorCodes: ['not-a-file'], walked: 'yes', asArgument: true, why: 'a named pipe: opening it for reading would block forever' });
  } else {
    skipped.push('fs/fifo.jpg: mkfifo is not available');
  }
  const locked = path.join(root, 'fs/no-permission.jpg');
  writeFileSync(locked, face);
  chmodSync(locked, 0o000);
  let readable = true;
  try {
    readFileSync(locked);
  } catch {
    readable = false;
  }
  if (readable) {
    // root (as in CI containers) reads anything: the file is just a valid image then.
    inputs.push({ rel: 'fs/no-permission.jpg', expect: 'analyzed', walked: 'yes', asArgument: true, why: 'chmod 000, but readable here (running as root)' });
    skipped.push('fs/no-permission.jpg: running as root, so chmod 000 does not make it unreadable (the FIFO covers the unreadable case)');
  } else {
    inputs.push({ rel: 'fs/no-permission.jpg', expect: 'error', errorCodes: ['unreadable'], walked: 'yes', asArgument: true, why: 'chmod 000' });
  }

  writeFileSync(path.join(root, 'MANIFEST.json'), JSON.stringify({ inputs, skipped }, null, 2) + '\n');
  return { root, inputs, skipped };
}

/** A small real HEIC: encoded by heif-enc when present, else the committed format fixture. */
export async function heicSource(): Promise<Buffer | null> {
  const fixture = path.join(ROOT, 'fixtures/formats/astronaut.heic');
  if (existsSync(fixture)) return readFileSync(fixture);
  const dir = mkdtempSync(path.join(tmpdir(), 'fd-bad-heic-'));
  const src = path.join(dir, 'src.png');
  const out = path.join(dir, 'out.heic');
  await sharp(ASTRONAUT).resize(64, 64).png().toFile(src);
  const made = tryExec('heif-enc', ['-q', '50', '-o', out, src]) && existsSync(out) ? readFileSync(out) : null;
  rmSync(dir, { recursive: true, force: true });
  return made;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    process.stderr.write('usage: node dist/tools/make-bad-inputs.js <target-dir>\n');
    process.exit(2);
  }
  const c = await makeBadInputs(path.resolve(dir));
  process.stdout.write(`${c.inputs.length} inputs in ${c.root}\n`);
  for (const s of c.skipped) process.stdout.write(`skipped: ${s}\n`);
}
