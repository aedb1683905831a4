// One input file → one Result. The I/O edge of the pipeline: reads the file, decodes it, runs the
// detector and the pure analyzers, and lets the report layer word the causes. Never throws for a
// bad input: every failure becomes an `error` result.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Profile } from '../config/profile.js';
import { decodeImage, type ImageHeader } from '../media/decode-image.js';
import { MediaError } from '../media/media-error.js';
import { IMAGE_ANALYZERS, type Analyzer } from '../analyzers/index.js';
import { analyzeImage, faceNeeds, subjectFace, type CodeFilter } from './analyze-image.js';
import { FaceModels, type FaceNeed } from '../vision/face-embedding.js';
import { FaceDetector } from '../vision/face-detector.js';
import { forgetVerifiedModels, verifyModelFiles } from '../vision/model-files.js';
import { describeCause } from '../report/catalogue.js';
import type { Lang } from '../report/i18n/types.js';
import { sortCauses, verdictOf } from '../report/verdict.js';
import type { Result } from '../types.js';
import type { LivenessAction } from '../analyzers/temporal/actions.js';
import { sniffFileKind } from '../media/video/sniff-file.js';
import type { VideoChecker } from './check-video.js';
import { DEFAULT_TIMEOUT_MS, MAX_IMAGE_BYTES, stallIfAskedByTests } from './limits.js';

export { DEFAULT_TIMEOUT_MS };

export interface CheckOptions {
  profile: Profile;
  only?: string[];
  skip?: string[];
  lang?: Lang;
  /** Per-file time limit; an input that takes longer becomes an `error` result. */
  timeoutMs?: number;
  /** Video: liveness actions to look for (--expect). */
  expect?: LivenessAction[];
  /** Video: sampled frames per second for face analysis (--sample-fps). */
  sampleFps?: number;
}

/** Wall-clock milliseconds per stage, summed over files: `npm run bench`'s breakdown. Keys:
 *  `read`, `decode`, `detect`, `analyze` (all of analyzeImage) and `analyzer:<id>` inside it. */
export type StageTimes = Record<string, number>;

/** An image file already read by the caller (the batch pool's main thread). */
export interface Preread {
  bytes: Uint8Array;
  header?: ImageHeader;
}

export interface Checker {
  check(file: string, preread?: Preread): Promise<Result>;
  close(): Promise<void>;
}

export async function createChecker(opts: CheckOptions, stageTimes?: StageTimes): Promise<Checker> {
  await verifyModelFiles(); // all of them first: a damaged one must fail before any session starts
  const detector = await FaceDetector.load();
  const filter: CodeFilter = {
    only: opts.only?.length ? new Set(opts.only) : undefined,
    skip: opts.skip?.length ? new Set(opts.skip) : undefined,
  };
  const lang = opts.lang ?? 'en';
  // Face models load on first need and stay for the checker's life (one set per worker).
  const faceModels = new FaceModels();
  const needs = faceNeeds(IMAGE_ANALYZERS, filter);
  await faceModels.preload(startupNeeds(needs)); // outside the per-file time limit, like the detector
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const analyzers = stageTimes ? IMAGE_ANALYZERS.map((a) => timedAnalyzer(a, stageTimes)) : IMAGE_ANALYZERS;

  forgetVerifiedModels(); // every session needed at start-up exists now; free the rest

  async function run(file: string, preread?: Preread): Promise<Result> {
    const lap = stageTimes ? stopwatch(stageTimes) : () => {};
    const bytes = preread?.bytes ?? (await readInput(file));
    lap('read');
    const decoded = await decodeImage(bytes, file, { timeoutMs, header: preread?.header });
    lap('decode');
    stallIfAskedByTests(file);
    const detected = await detector.detect(decoded.image, { minScore: Math.min(0.5, opts.profile.values['face.minScore']) });
    lap('detect');
    // Gather: landmarks and the face embedding are async ONNX work, done here (only when an enabled
    // analyzer requires them) so the analyzers stay pure.
    const faceData = needs.size
      ? await faceModels.gather(decoded.image, subjectFace(decoded.image, decoded.scale, detected, opts.profile), needs, {
          irisGate: opts.profile.values['eyes.irisGate'],
        })
      : {};
    lap('gather');
    const a = analyzeImage(decoded.image, decoded.scale, detected, opts.profile, analyzers, filter, faceData);
    lap('analyze');
    const causes = sortCauses(a.findings.map((f) => describeCause(f, lang)));
    return { file, kind: 'image', verdict: verdictOf(causes), image: decoded.info, faces: a.faces, causes, metrics: a.metrics };
  }

  // Videos (sniffed from their first bytes) go to the video checker, made on first need; its
  // modules are loaded only then, so image runs do not compile the video pipeline at start-up.
  let video: Promise<VideoChecker> | undefined;
  const videoChecker = () =>
    (video ??= import('./check-video.js').then(({ createVideoChecker }) =>
      createVideoChecker({ profile: opts.profile, detector, filter, lang, expect: opts.expect, sampleFps: opts.sampleFps }),
    ));

  return {
    async check(file: string, preread?: Preread): Promise<Result> {
      const start = performance.now();
      let result: Result;
      const isVideo = !preread && (await sniffFileKind(file)).video;
      try {
        result = isVideo
          ? await (await videoChecker()).check(file, timeoutMs)
          : await withTimeout(run(file, preread), timeoutMs, file);
      } catch (e) {
        result = errorResult(file, e, isVideo ? 'video' : 'image');
      }
      result.elapsedMs = Math.round(performance.now() - start);
      return result;
    },
    async close() {
      await (await video)?.close();
      await faceModels.close();
      await detector.close?.();
    },
  };
}

/**
 * The face models worth loading before the first file. The Iris model ("eyelids") runs only when
 * the face mesh leaves doubt about closed eyes, which most captures never do: its session (tens of
 * ms to create) is made on the first file that needs it. Its file was sha256-checked with the
 * others at start-up, so a damaged copy still fails the run before any file is checked.
 */
export function startupNeeds(needs: ReadonlySet<FaceNeed>): Set<FaceNeed> {
  const out = new Set(needs);
  if (out.delete('eyelids')) out.add('landmarks'); // the mesh is what decides whether Iris runs
  return out;
}

/** Adds the time since the previous lap to `times[stage]`. */
function stopwatch(times: StageTimes): (stage: string) => void {
  let t = performance.now();
  return (stage) => {
    const now = performance.now();
    times[stage] = (times[stage] ?? 0) + (now - t);
    t = now;
  };
}

/** The analyzer, timing its own calls. Derived context values (luma plane, histograms) are counted
 *  in whichever analyzer asks for them first. */
function timedAnalyzer(a: Analyzer, times: StageTimes): Analyzer {
  const key = `analyzer:${a.id}`;
  return {
    ...a,
    analyze(ctx) {
      const t = performance.now();
      try {
        return a.analyze(ctx);
      } finally {
        times[key] = (times[key] ?? 0) + (performance.now() - t);
      }
    },
  };
}

export function errorResult(file: string, e: unknown, kind: Result['kind'] = 'image'): Result {
  const error =
    e instanceof MediaError
      ? { code: e.code, message: e.message }
      : { code: 'internal', message: `${file}: unexpected failure (${(e as Error)?.message ?? String(e)}); please report this with the file` };
  return { file, kind, verdict: 'error', error, faces: [], causes: [], metrics: {} };
}

async function readInput(file: string): Promise<Uint8Array> {
  let fh;
  try {
    // Non-blocking: opening a named pipe for reading would otherwise wait forever for a writer
    // (and keep the process alive after the timeout). Regular files are unaffected.
    fh = await open(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MediaError('not-found', `${file} does not exist; check the path`);
    if (code === 'EACCES' || code === 'EPERM') throw new MediaError('unreadable', `${file} cannot be read (permission denied); fix its permissions`);
    if (code === 'EISDIR') throw new MediaError('not-a-file', `${file} is a directory; pass the files inside it or the directory as an input`);
    throw new MediaError('unreadable', `${file} cannot be opened (${code ?? (e as Error).message})`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new MediaError('not-a-file', `${file} is not a regular file (a pipe, device or socket); pass the image or video file itself`);
    if (st.size > MAX_IMAGE_BYTES) {
      throw new MediaError('too-large', `${file} is ${(st.size / 1048576).toFixed(0)} MB, above the ${MAX_IMAGE_BYTES / 1048576} MB limit for an image`);
    }
    return new Uint8Array(await fh.readFile());
  } catch (e) {
    if (e instanceof MediaError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw new MediaError('not-a-file', `${file} is a directory`);
    throw new MediaError('unreadable', `${file} cannot be read (${code ?? (e as Error).message})`);
  } finally {
    await fh.close();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, file: string): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return p;
  let timer: NodeJS.Timeout;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new MediaError('timeout', `${file} took longer than ${ms / 1000} s to analyze and was skipped`)), ms);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
