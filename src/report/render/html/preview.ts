// Pictures for the reports, made from the input file at write time: the same decoder as the
// analysis (EXIF orientation applied, HEIC via heic-decode, pixel limits), so face boxes and regions
// in the Result line up with the pixels. Only the small working raster is ever held.
import { readFile } from 'node:fs/promises';
import sharp, { type Sharp } from '../../../media/sharp.js';
import { decodeImage, type DecodedImage } from '../../../media/decode-image.js';

/** Long side of a report thumbnail: small enough that a batch of thousands stays a file a
 *  browser opens, big enough to see a face and an outline. */
export const THUMBNAIL_MAX_SIDE = 320;
/** Passing inputs are shown at half size: nothing to look at closely. */
export const PASS_THUMBNAIL_MAX_SIDE = 200;
const THUMBNAIL_JPEG_QUALITY = 78;

export interface Thumb {
  /** `data:image/jpeg;base64,…` */
  dataUri: string;
  width: number;
  height: number;
}

/** Decodes an input for a picture. The file already passed the analysis, so failures here are
 *  rare (it changed since); callers show the result without a picture. */
export async function loadPreview(file: string): Promise<DecodedImage> {
  return decodeImage(new Uint8Array(await readFile(file)), file);
}

/** Fits (w, h) inside a `max`-sided square, keeping the aspect ratio, never enlarging. */
export function fitInside(width: number, height: number, max: number): { width: number; height: number } {
  const k = Math.min(1, max / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * k)), height: Math.max(1, Math.round(height * k)) };
}

export function rasterSharp(d: DecodedImage): Sharp {
  const { width, height, data } = d.image;
  return sharp(Buffer.from(data.buffer, data.byteOffset, data.byteLength), { raw: { width, height, channels: 3 } });
}

export async function thumbnailOf(d: DecodedImage, maxSide = THUMBNAIL_MAX_SIDE): Promise<Thumb> {
  const size = fitInside(d.image.width, d.image.height, maxSide);
  const jpeg = await rasterSharp(d)
    .resize({ ...size, fit: 'fill' })
    .jpeg({ quality: THUMBNAIL_JPEG_QUALITY, mozjpeg: true })
    .toBuffer();
  return { dataUri: `data:image/jpeg;base64,${jpeg.toString('base64')}`, ...size };
}

/** Long side of the face close-up shown under the thumbnail. */
export const CLOSE_UP_MAX_SIDE = 200;
/** The close-up shows this much more than the face box, so hair, ears and glasses are in it. */
const CLOSE_UP_CONTEXT = 1.8;

/**
 * A square crop around a face box (original-image pixels) from the working raster, at most
 * CLOSE_UP_MAX_SIDE px and never enlarged: with the face a fifth of a 320 px thumbnail, blur,
 * closed eyes or glare are hard to see; here they are not.
 */
export async function closeUpOf(d: DecodedImage, face: { x: number; y: number; width: number; height: number }, maxSide = CLOSE_UP_MAX_SIDE): Promise<Thumb> {
  const { width: W, height: H } = d.image;
  const k = W / d.info.width; // raster px per original px
  const side = Math.max(1, Math.min(W, H, Math.round(Math.max(face.width, face.height) * CLOSE_UP_CONTEXT * k)));
  const cx = (face.x + face.width / 2) * k;
  const cy = (face.y + face.height / 2) * k;
  const left = Math.round(Math.min(Math.max(cx - side / 2, 0), W - side));
  const top = Math.round(Math.min(Math.max(cy - side / 2, 0), H - side));
  const size = fitInside(side, side, maxSide);
  const jpeg = await rasterSharp(d)
    .extract({ left, top, width: side, height: side })
    .resize({ ...size, fit: 'fill' })
    .jpeg({ quality: THUMBNAIL_JPEG_QUALITY, mozjpeg: true })
    .toBuffer();
  return { dataUri: `data:image/jpeg;base64,${jpeg.toString('base64')}`, ...size };
}
