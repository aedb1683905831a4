// One video file → one Result. The I/O edge for clips: probes the file, streams frames out of
// ffmpeg (sampled RGB frames for the detector and the image analyzers, every frame as a small grey
// thumbnail for the temporal measures), then lets the pure temporal analyzers judge the clip.
// Memory stays flat: only the current frame and a few numbers per frame are kept.
import { IMAGE_ANALYZERS } from '../analyzers/index.js';
import type { Analyzer } from '../analyzers/analyzer.js';
import { analyzeActions, type ActionResult, type LivenessAction } from '../analyzers/temporal/actions.js';
import { aggregateFrameFindings } from '../analyzers/temporal/aggregate.js';
import { analyzeDuration } from '../analyzers/temporal/duration.js';
import { analyzeFacePresence } from '../analyzers/temporal/face-presence.js';
import { analyzeFaceSpeed } from '../analyzers/temporal/face-speed.js';
import { eyeOpeningFromMesh, mouthOpeningFromMesh, yawFromKeypoints } from '../analyzers/temporal/face-measures.js';
import { analyzeVideoFlicker } from '../analyzers/temporal/flicker.js';
import { FrameSeriesBuilder, type FrameSeries } from '../analyzers/temporal/frame-series.js';
import { analyzeFrozen } from '../analyzers/temporal/frozen.js';
import type { FrameSample } from '../analyzers/temporal/samples.js';
import { analyzeShaking } from '../analyzers/temporal/shaking.js';
import { median } from '../analyzers/temporal/signal.js';
import { round } from '../analyzers/stats.js';
import type { Profile } from '../config/profile.js';
import { WORKING_MAX_SIDE } from '../media/decode-image.js';
import { MediaError } from '../media/media-error.js';
import type { RgbImage } from '../media/raster.js';
import { DecoderMissingError, locateFfmpeg, type FfmpegTools } from '../media/video/ffmpeg-location.js';
import { streamFrames, type FrameStreamEnd } from '../media/video/frame-stream.js';
import { probeVideo, type VideoProbe } from '../media/video/probe.js';
import { sniffFileKind } from '../media/video/sniff-file.js';
import { describeCause } from '../report/catalogue.js';
import type { Lang } from '../report/i18n/types.js';
import { sortCauses, verdictOf } from '../report/verdict.js';
import type { Face, Finding, Metrics, Result } from '../types.js';
import type { FaceDetector } from '../vision/face-detector.js';
import { analyzeImage, codeAllowed, type CodeFilter } from './analyze-image.js';

/** Sampled frames per second for face detection and tracking (--sample-fps). */
export const DEFAULT_SAMPLE_FPS = 5;
/** The image analyzers (lighting, blur, framing…) run on about this many of those per second by
 *  default: what they judge changes slowly (a per-frame cause must hold ≥ 1 s to be reported),
 *  and they cost more than the detector (about 26 ms a frame at 800 px on the project machine). */
export const IMAGE_ANALYSIS_FPS = 1;
/** The long-range face model (small, far faces; bystanders) runs about this often, seconds. */
const FAR_MODEL_SECONDS = 2;
/** Long side of the every-frame grey thumbnails: enough rows for bands, texture for motion. */
export const GREY_MAX_SIDE = 240;

/** Image analyzers run on sampled frames. Flicker is judged over time (temporal/flicker.ts),
 *  which sees far more than one frame can. */
const FRAME_ANALYZERS: readonly Analyzer[] = IMAGE_ANALYZERS.filter((a) => a.id !== 'flicker');

export interface VideoCheckOptions {
  profile: Profile;
  detector: FaceDetector;
  filter: CodeFilter;
  lang: Lang;
  expect?: readonly LivenessAction[];
  sampleFps?: number;
  /** Sampled frames per second the image analyzers run on (default IMAGE_ANALYSIS_FPS, at most
   *  the sample rate). */
  imageAnalysisFps?: number;
  /** ffmpeg decoder threads (default 1). */
  threads?: number;
}

export interface VideoChecker {
  /** `timeoutMs` (0 = none) is stretched for long clips: see VIDEO_TIME_PER_SECOND. */
  check(file: string, timeoutMs?: number): Promise<Result>;
  close(): Promise<void>;
}

/** A clip may take this many seconds of analysis per second of video before the time limit
 *  stops it, when that is more than the per-file limit: a 5-minute clip is not a stuck file. */
export const VIDEO_TIME_PER_SECOND = 3;

/** The landmark model, loaded on first need (only for --expect blink/open-mouth); a model that
 *  fails to load makes those actions "not checkable" instead of failing the clip. */
interface LandmarkRunner {
  measure(img: RgbImage, face: Face): Promise<{ eyeOpening: number; mouthOpening: number } | undefined>;
  close(): Promise<void>;
}

async function loadLandmarks(): Promise<LandmarkRunner | string> {
  try {
    const mod = await import('../vision/landmarks.js');
    const mesh = await mod.FaceMesh.load();
    return {
      async measure(img, face) {
        const lm = await mod.detectFaceLandmarks(mesh, img, face);
        if (!(lm.faceScore >= 0.5)) return undefined;
        return { eyeOpening: eyeOpeningFromMesh(lm.mesh), mouthOpening: mouthOpeningFromMesh(lm.mesh) };
      },
      close: () => mesh.release(),
    };
  } catch (e) {
    return `face landmark model unavailable (${(e as Error).message.split('\n')[0].slice(0, 120)})`;
  }
}

export function createVideoChecker(o: VideoCheckOptions): VideoChecker {
  let landmarks: Promise<LandmarkRunner | string> | undefined;
  const needsLandmarks = o.expect?.some((a) => a === 'blink' || a === 'open-mouth') ?? false;

  async function tools(file: string): Promise<FfmpegTools> {
    try {
      return await locateFfmpeg();
    } catch (e) {
      if (e instanceof DecoderMissingError) throw new MediaError('decoder-missing', `${file}: cannot analyze videos: ${e.message}`);
      throw e;
    }
  }

  return {
    async check(file, timeoutMs = 0) {
      const { size } = await sniffFileKind(file);
      if (size === 0) throw new MediaError('empty-file', `${file} is empty (0 bytes), a zero-length clip; record or upload the video again`);
      const deadline = new Deadline(file, timeoutMs);
      try {
        const t = await tools(file);
        const probe = await deadline.race(probeVideo(t, file, deadline.signal));
        if (Number.isFinite(probe.durationSeconds)) deadline.extendTo(probe.durationSeconds * VIDEO_TIME_PER_SECOND * 1000);
        const lm = needsLandmarks ? await (landmarks ??= loadLandmarks()) : undefined;
        const work = analyzeClip(file, t, probe, o, typeof lm === 'string' ? undefined : lm, typeof lm === 'string' ? lm : undefined, deadline.signal);
        return await deadline.race(work);
      } finally {
        deadline.clear();
      }
    },
    async close() {
      const lm = landmarks ? await landmarks : undefined;
      if (lm && typeof lm !== 'string') await lm.close();
    },
  };
}

function sampleRate(o: VideoCheckOptions): number {
  const base = o.sampleFps ?? DEFAULT_SAMPLE_FPS;
  // A blink closes the eyes for ~100–150 ms: sample fast enough not to miss it.
  return o.expect?.includes('blink') ? Math.max(base, o.profile.values['action.blink.minSampleFps']) : base;
}

async function analyzeClip(
  file: string,
  tools: FfmpegTools,
  probe: VideoProbe,
  o: VideoCheckOptions,
  landmarks: LandmarkRunner | undefined,
  landmarksMissing: string | undefined,
  signal?: AbortSignal,
): Promise<Result> {
  const v = o.profile.values;
  const fps = Number.isFinite(probe.fps) ? probe.fps : 30;
  const sampleFps = sampleRate(o);
  const builder = new FrameSeriesBuilder({ windowSeconds: v['video.flicker.windowSeconds'], hopSeconds: v['video.flicker.windowSeconds'] / 2 });
  const samples: FrameSample[] = [];
  const farEvery = Math.max(1, Math.round(sampleFps * FAR_MODEL_SECONDS));
  const analyseEvery = Math.max(1, Math.round(sampleFps / (o.imageAnalysisFps ?? IMAGE_ANALYSIS_FPS)));
  const minScore = Math.min(0.5, v['face.minScore']);
  const wantYaw = o.expect?.includes('turn-head') ?? false;

  const stream = streamFrames(
    tools,
    file,
    probe,
    { sampleFps, analysisMaxSide: WORKING_MAX_SIDE, greyMaxSide: GREY_MAX_SIDE, threads: o.threads, signal },
    (g) => builder.add(g),
  );
  let end: FrameStreamEnd;
  for (;;) {
    const next = await stream.next();
    if (next.done) {
      end = next.value;
      break;
    }
    const { image, time, index } = next.value;
    const scale = probe.width / image.width;
    const detected = await o.detector.detect(image, { minScore, farFaces: index % farEvery === 0 });
    const analyse = index % analyseEvery === 0;
    const a = analyzeImage(image, scale, detected, o.profile, analyse ? FRAME_ANALYZERS : [], o.filter);
    const sample: FrameSample = { time, faces: a.faces, ...(analyse ? { findings: a.findings, metrics: a.metrics } : {}) };
    const main = detected.find((f) => f.score >= v['face.minScore']);
    if (main && wantYaw) sample.yaw = yawFromKeypoints(main);
    if (main && landmarks) {
      const m = await landmarks.measure(image, main);
      if (m) Object.assign(sample, m);
    }
    samples.push(sample);
  }
  const series = builder.build();
  checkDecoded(file, probe, series, end);
  return judgeClip(file, tools, probe, o, series, samples, sampleFps, analyseEvery, landmarksMissing);
}

/** A clip that decodes to nothing, or to much less than its header promises, is an error. */
function checkDecoded(file: string, probe: VideoProbe, series: FrameSeries, end: FrameStreamEnd): void {
  if (series.count === 0) {
    throw new MediaError('empty-video', `${file} has a video track with no frames in it (a zero-length clip); record the video again`);
  }
  const decoded = series.time[series.count - 1] - series.time[0];
  const truncated = end.diagnostics.some((l) => /partial file|truncat|Invalid NAL unit size|error reading header|unexpected end/i.test(l));
  if (truncated && Number.isFinite(probe.durationSeconds) && decoded < 0.9 * probe.durationSeconds - 0.2) {
    throw new MediaError(
      'corrupt-video',
      `${file} is truncated: only ${decoded.toFixed(1)} of ${probe.durationSeconds.toFixed(1)} s could be decoded; upload the complete recording again`,
    );
  }
}

function judgeClip(
  file: string,
  tools: FfmpegTools,
  probe: VideoProbe,
  o: VideoCheckOptions,
  series: FrameSeries,
  samples: FrameSample[],
  sampleFps: number,
  analyseEvery: number,
  landmarksMissing: string | undefined,
): Result {
  const v = o.profile.values;
  const interval = 1 / sampleFps;
  const fps = Number.isFinite(probe.fps) ? probe.fps : 30;
  const lastFrame = series.time[series.count - 1];
  const duration = Number.isFinite(probe.durationSeconds) && probe.durationSeconds > 0 ? probe.durationSeconds : lastFrame + 1 / fps;

  const findings: Finding[] = [];
  const metrics: Metrics = {};
  const add = (r: { findings: Finding[]; metrics: Metrics }) => {
    findings.push(...r.findings);
    Object.assign(metrics, r.metrics);
  };
  findings.push(...aggregateFrameFindings(samples, interval * analyseEvery, duration, v, new Set(['flicker'])));
  add(analyzeVideoFlicker(series, fps, v));
  add(analyzeShaking(series, v));
  add(analyzeFrozen(series, duration, v));
  add(analyzeFacePresence(samples, interval, duration, v));
  add(analyzeFaceSpeed(samples, interval, duration, v));
  findings.push(...analyzeDuration(duration, v));
  let actions: ActionResult[] | undefined;
  if (o.expect?.length) {
    const r = analyzeActions(o.expect, samples, v, landmarksMissing);
    actions = r.results;
    add(r);
  }
  Object.assign(metrics, frameMetricMedians(samples));

  const kept = findings.filter((f) => codeAllowed(f.code, o.filter));
  const causes = sortCauses(kept.map((f) => describeCause(f, o.lang)));
  return {
    file,
    kind: 'video',
    verdict: verdictOf(causes),
    video: {
      durationSeconds: round(duration, 3),
      fps: round(fps, 3),
      width: probe.width,
      height: probe.height,
      codec: probe.codec,
      rotation: probe.rotation,
      framesDecoded: series.count,
      framesAnalyzed: samples.length,
      sampleFps,
      imageAnalysisFps: round(sampleFps / analyseEvery, 2),
      decoder: tools.source,
      ...(actions ? { actions } : {}),
    },
    faces: representativeFaces(samples, causes),
    causes,
    metrics,
  };
}

/** Faces of the frame that shows the top cause best, else of the frame with the surest face. */
function representativeFaces(samples: readonly FrameSample[], causes: readonly Finding[]): Face[] {
  const at = causes.find((c) => typeof c.measured.worstFrameTime === 'number')?.measured.worstFrameTime as number | undefined;
  if (at !== undefined) {
    const s = samples.reduce<FrameSample | undefined>((m, x) => (!m || Math.abs(x.time - at) < Math.abs(m.time - at) ? x : m), undefined);
    if (s && s.faces.length) return s.faces;
  }
  let best: FrameSample | undefined;
  for (const s of samples) if (s.faces.length && (!best || s.faces[0].score > best.faces[0].score)) best = s;
  return best?.faces ?? [];
}

/** The clip's value for each numeric per-frame metric: its median over the analysed frames. */
function frameMetricMedians(samples: readonly FrameSample[]): Metrics {
  const values = new Map<string, number[]>();
  for (const s of samples) {
    for (const [k, val] of Object.entries(s.metrics ?? {})) {
      if (typeof val !== 'number' || !Number.isFinite(val)) continue;
      let list = values.get(k);
      if (!list) values.set(k, (list = []));
      list.push(val);
    }
  }
  const out: Metrics = {};
  for (const [k, list] of values) out[k] = round(median(list), 4);
  return out;
}

/** The per-file time limit for a clip: aborts ffmpeg when it passes, and can be extended once the
 *  clip's length is known. */
class Deadline {
  private readonly ac = new AbortController();
  private timer?: NodeJS.Timeout;
  private readonly started = performance.now();
  private limitMs: number;
  private reject?: (e: unknown) => void;
  private readonly expired: Promise<never>;

  constructor(private readonly file: string, timeoutMs: number) {
    this.limitMs = timeoutMs > 0 && Number.isFinite(timeoutMs) ? timeoutMs : 0;
    this.expired = new Promise<never>((_, reject) => (this.reject = reject));
    this.expired.catch(() => undefined);
    this.arm();
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }

  extendTo(ms: number): void {
    if (this.limitMs > 0 && ms > this.limitMs) {
      this.limitMs = ms;
      this.arm();
    }
  }

  race<T>(p: Promise<T>): Promise<T> {
    if (this.limitMs === 0) return p;
    p.catch(() => undefined); // after expiry the aborted work's own rejection is expected
    return Promise.race([p, this.expired]);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  private arm(): void {
    this.clear();
    if (this.limitMs === 0) return;
    const left = Math.max(0, this.limitMs - (performance.now() - this.started));
    this.timer = setTimeout(() => {
      this.ac.abort();
      this.reject?.(new MediaError('timeout', `${this.file} took longer than ${Math.round(this.limitMs / 1000)} s to analyze and was skipped; raise --timeout for long clips`));
    }, left);
  }
}
