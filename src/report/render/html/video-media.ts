// Pictures for a video's card, made at report time only (the analysis never keeps frames): the
// frame at the top cause's worst moment as the card picture, and a strip of the frames at each
// cause's worst time. One short ffmpeg run per frame, small JPEG data URIs.
import sharp from '../../../media/sharp.js';
import { locateFfmpeg, type FfmpegTools } from '../../../media/video/ffmpeg-location.js';
import { grabFrame } from '../../../media/video/frame-grab.js';
import type { RgbImage } from '../../../media/raster.js';
import type { Result } from '../../../types.js';
import type { CardMedia } from './card.js';
import { fitInside, THUMBNAIL_MAX_SIDE, type Thumb } from './preview.js';
import { videoDuration, worstFrameTime, worstFrameTimes } from './timeline.js';

/** Long side of a worst-frames strip picture. */
export const STRIP_MAX_SIDE = 160;
/** At most this many frames in the strip: one per cause is plenty, a few causes at most. */
export const MAX_STRIP_FRAMES = 4;
const JPEG_QUALITY = 75;

async function jpegThumb(img: RgbImage): Promise<Thumb> {
  const jpeg = await sharp(Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength), { raw: { width: img.width, height: img.height, channels: 3 } })
    .jpeg({ quality: JPEG_QUALITY, mozjpeg: true })
    .toBuffer();
  return { dataUri: `data:image/jpeg;base64,${jpeg.toString('base64')}`, width: img.width, height: img.height };
}

/** Frame times for the strip: the causes' worst times, spread if there are more than fit. */
export function stripTimes(r: Pick<Result, 'causes'>, max = MAX_STRIP_FRAMES): number[] {
  const all = worstFrameTimes(r);
  if (all.length <= max) return all;
  return Array.from({ length: max }, (_, i) => all[Math.round((i * (all.length - 1)) / (max - 1))]);
}

export async function videoMedia(r: Result, tools?: FfmpegTools): Promise<CardMedia> {
  const v = r.video ?? {};
  const width = Number(v.width);
  const height = Number(v.height);
  if (r.kind !== 'video' || r.verdict === 'error' || !(width > 0) || !(height > 0)) return {};
  const t = tools ?? (await locateFfmpeg());
  const duration = videoDuration(r) ?? 0;
  // The card picture: the top cause's worst moment, else the middle of the clip.
  const at = r.causes.map(worstFrameTime).find((x) => x !== undefined) ?? duration / 2;
  const even = (n: number) => Math.max(2, n & ~1);
  const big = fitInside(width, height, THUMBNAIL_MAX_SIDE);
  const media: CardMedia = {};
  const shot = await grabFrame(t, r.file, at, { width: even(big.width), height: even(big.height) });
  if (shot) media.thumbnail = { ...(await jpegThumb(shot)), space: { width, height } };
  const small = fitInside(width, height, STRIP_MAX_SIDE);
  const frames: NonNullable<CardMedia['frames']> = [];
  for (const time of stripTimes(r)) {
    const img = await grabFrame(t, r.file, time, { width: even(small.width), height: even(small.height) });
    if (img) frames.push({ t: time, thumb: await jpegThumb(img) });
  }
  if (frames.length) media.frames = frames;
  return media;
}
