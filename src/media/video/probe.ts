// What is in a video file, from ffprobe's JSON: size, frame rate, duration, codec and the display
// rotation phones write instead of rotating pixels. Every way a file can be unusable becomes a
// MediaError naming the file and what to do.
import path from 'node:path';
import { MediaError } from '../media-error.js';
import type { FfmpegTools } from './ffmpeg-location.js';
import { runTool } from './run-tool.js';

export interface VideoProbe {
  /** Container format(s) as ffprobe names them, e.g. "mov,mp4,m4a,3gp,3g2,mj2". */
  container: string;
  codec: string;
  /** Display size: after the rotation is applied and with non-square pixels made square. */
  width: number;
  height: number;
  /** Coded size of the stream, before rotation. */
  codedWidth: number;
  codedHeight: number;
  /** Average frame rate (frames per second). */
  fps: number;
  durationSeconds: number;
  /** Clockwise rotation the player applies for display: 0, 90, 180 or 270. */
  rotation: number;
  /** Frame count from the container index, when it has one. */
  frameCount?: number;
  /** Time of the first frame in seconds (often 0). */
  startSeconds: number;
  hasAudio: boolean;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  codec_tag_string?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  duration?: string;
  nb_frames?: string;
  start_time?: string;
  tags?: Record<string, string>;
  side_data_list?: Array<{ rotation?: number | string }>;
  disposition?: { attached_pic?: number };
}

interface FfprobeJson {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; start_time?: string };
}

/** The argument that names an input file: `file:` + absolute path, so a name beginning with "-"
 *  or holding a ":" is never read as an option or a protocol. */
export function inputArg(file: string): string {
  return `file:${path.resolve(file)}`;
}

/** Demuxers a clip may use: the containers sniffFileKind lets through (ISO BMFF, Matroska/WebM,
 *  AVI). Playlists and concat lists (HLS, ffconcat…) that could make ffmpeg open other files or
 *  URLs named inside an upload are refused. */
export const ALLOWED_DEMUXERS = 'mov,matroska,avi';

/** Input options and the input itself: only the local file protocol, only our containers. */
export function safeInputArgs(file: string): string[] {
  return ['-protocol_whitelist', 'file', '-format_whitelist', ALLOWED_DEMUXERS, '-i', inputArg(file)];
}

function ratio(s: string | undefined): number {
  if (!s) return NaN;
  const [a, b] = s.split(/[/:]/).map(Number);
  if (b === undefined) return a;
  return b > 0 ? a / b : NaN;
}

function num(s: string | number | undefined): number {
  if (s === undefined || s === 'N/A') return NaN;
  return Number(s);
}

/** Clockwise display rotation from the old `rotate` tag or the newer display-matrix side data
 *  (which is counter-clockwise), normalised to 0/90/180/270. */
export function displayRotation(s: Pick<FfprobeStream, 'tags' | 'side_data_list'>): number {
  let cw = num(s.tags?.rotate);
  if (!Number.isFinite(cw)) {
    const sd = s.side_data_list?.find((d) => d.rotation !== undefined);
    const ccw = num(sd?.rotation);
    cw = Number.isFinite(ccw) ? -ccw : 0;
  }
  return ((Math.round(cw / 90) * 90) % 360 + 360) % 360;
}

/** Maps ffprobe/ffmpeg complaints to a MediaError a person can act on. */
export function describeFfmpegFailure(file: string, stderr: string): MediaError {
  const msg = stderr.trim().split('\n').filter(Boolean).slice(-1)[0]?.replace(/^.*?:\s(?=[A-Z])/, '') ?? '';
  const detail = msg ? ` (${msg.slice(0, 160)})` : '';
  if (/moov atom not found|partial file|truncat|end of file|unexpected eof|Invalid NAL/i.test(stderr)) {
    return new MediaError('corrupt-video', `${file}: the video is truncated or damaged${detail}; the recording was probably cut off before it finished, so record or upload it again`);
  }
  if (/Decoder \(codec [^)]*\) not found|unknown codec|Unsupported codec|no decoder/i.test(stderr)) {
    return new MediaError('unsupported-codec', `${file}: the video codec cannot be decoded here${detail}; re-encode it as H.264 MP4`);
  }
  if (/not on whitelist/i.test(stderr)) {
    return new MediaError('unsupported-format', `${file}: this kind of video container is not accepted${detail}; upload an MP4, MOV, WebM, MKV or AVI recording`);
  }
  if (/Invalid data found|EBML header parsing failed|could not find codec parameters|Failed to read|error reading header/i.test(stderr)) {
    return new MediaError('corrupt-video', `${file}: the video data is damaged or not a video${detail}; upload the original recording again`);
  }
  return new MediaError('decode-failed', `${file}: cannot read the video${detail}`);
}

export async function probeVideo(tools: FfmpegTools, file: string, signal?: AbortSignal): Promise<VideoProbe> {
  const args = ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...safeInputArgs(file)];
  const run = await runTool(tools.ffprobe, args, { signal, timeoutMs: 60_000, maxOutputBytes: 8 * 1024 * 1024 });
  if (signal?.aborted) throw new MediaError('timeout', `${file}: stopped while reading the video header`);
  let json: FfprobeJson | undefined;
  try {
    json = JSON.parse(run.stdout) as FfprobeJson;
  } catch {
    json = undefined;
  }
  if (run.code !== 0 || !json) throw describeFfmpegFailure(file, run.stderr);
  return parseProbe(file, json);
}

export function parseProbe(file: string, json: FfprobeJson): VideoProbe {
  const streams = json.streams ?? [];
  const hasAudio = streams.some((s) => s.codec_type === 'audio');
  // Cover art in an audio file is a "video" stream with one picture: not a video.
  const v = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  if (!v) {
    if (streams.length === 0 && json.format?.format_name) {
      throw new MediaError('empty-video', `${file} is a video file with no tracks or frames in it (a zero-length clip); record the video again`);
    }
    if (hasAudio) throw new MediaError('no-video-stream', `${file} holds only audio, no video track; upload the video recording itself`);
    throw new MediaError('corrupt-video', `${file}: no video track found; the file is damaged or not a video`);
  }
  const codec = v.codec_name && v.codec_name !== 'none' ? v.codec_name : '';
  if (!codec) {
    const tag = v.codec_tag_string && !/^\[/.test(v.codec_tag_string) ? ` "${v.codec_tag_string}"` : '';
    throw new MediaError('unsupported-codec', `${file}: the video codec${tag} is unknown to ffmpeg; re-encode it as H.264 MP4`);
  }
  const codedWidth = v.width ?? 0;
  const codedHeight = v.height ?? 0;
  if (!(codedWidth > 0 && codedHeight > 0)) {
    throw new MediaError('corrupt-video', `${file}: the video track has no picture size; the file is damaged`);
  }
  const rotation = displayRotation(v);
  const sar = ratio(v.sample_aspect_ratio);
  const squareWidth = Number.isFinite(sar) && sar > 0 ? Math.round(codedWidth * sar) : codedWidth;
  const swap = rotation === 90 || rotation === 270;
  let fps = ratio(v.avg_frame_rate);
  if (!(fps > 0 && fps < 1000)) fps = ratio(v.r_frame_rate);
  if (!(fps > 0 && fps < 1000)) fps = NaN;
  let duration = num(v.duration);
  if (!(duration >= 0)) duration = num(json.format?.duration);
  const frames = num(v.nb_frames);
  const start = num(v.start_time);
  return {
    container: json.format?.format_name ?? 'unknown',
    codec,
    width: swap ? codedHeight : squareWidth,
    height: swap ? squareWidth : codedHeight,
    codedWidth,
    codedHeight,
    fps,
    durationSeconds: Number.isFinite(duration) ? duration : NaN,
    rotation,
    ...(Number.isFinite(frames) ? { frameCount: frames } : {}),
    startSeconds: Number.isFinite(start) ? start : 0,
    hasAudio,
  };
}
