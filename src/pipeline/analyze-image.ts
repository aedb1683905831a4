// Runs the analyzers over one decoded image: pure apart from the detector call. Produces findings
// and metrics in original-image coordinates; the report layer turns findings into causes.
import { AnalysisContext } from '../analyzers/context.js';
import type { Analyzer, UnreliableWhen } from '../analyzers/analyzer.js';
import type { Profile, ThresholdKey } from '../config/profile.js';
import type { RgbImage } from '../media/raster.js';
import type { Box, Face, Finding, Metrics, Point, Region } from '../types.js';
import type { CauseCode } from '../report/codes.js';
import type { FaceData, FaceNeed } from '../vision/face-embedding.js';
import { OUTLINE_POINTS } from '../analyzers/obstructions/regions.js';

export interface CodeFilter {
  only?: ReadonlySet<string>;
  skip?: ReadonlySet<string>;
}

export function codeAllowed(code: string, f: CodeFilter): boolean {
  if (f.only && !f.only.has(code)) return false;
  return !f.skip?.has(code);
}

export interface ImageAnalysis {
  faces: Face[];
  findings: Finding[];
  metrics: Metrics;
}

/** Codes that can explain why no face was found; listed next to `no-face`. */
const NO_FACE_REASONS: readonly CauseCode[] = ['too-dark', 'too-bright', 'backlit', 'blur', 'noise', 'flicker'];

/** Analyzers that will run under the filter (at least one of their codes is allowed). */
export function enabledAnalyzers(analyzers: readonly Analyzer[], filter: CodeFilter = {}): Analyzer[] {
  return analyzers.filter((a) => a.codes.some((c) => codeAllowed(c, filter)));
}

/** The face models the enabled analyzers need (the gather step runs only these). */
export function faceNeeds(analyzers: readonly Analyzer[], filter: CodeFilter = {}): Set<FaceNeed> {
  const needs = new Set<FaceNeed>();
  for (const a of enabledAnalyzers(analyzers, filter)) {
    for (const r of a.requires) if (r === 'landmarks' || r === 'embedding' || r === 'eyelids') needs.add(r);
  }
  return needs;
}

/** The faces analyzeImage keeps, and the subject among them (whose landmarks the gather step computes). */
export function subjectFace(image: RgbImage, scale: number, detected: Face[], profile: Profile): Face | undefined {
  const faces = detected.filter((f) => f.score >= profile.values['face.minScore']);
  return new AnalysisContext(image, scale, faces, profile).subject.main;
}

export function analyzeImage(
  image: RgbImage,
  scale: number,
  detected: Face[],
  profile: Profile,
  analyzers: readonly Analyzer[],
  filter: CodeFilter = {},
  /** Landmarks/embedding of the subject's face from the gather step (FaceModels.gather). */
  faceData: FaceData = {},
): ImageAnalysis {
  const faces = detected.filter((f) => f.score >= profile.values['face.minScore']);
  const ctx = new AnalysisContext(image, scale, faces, profile, faceData);
  const metrics: Metrics = {};
  const findings: Finding[] = [];
  // Analyzers that ran and measured something (an analyzer with only null metrics had nothing
  // to judge, e.g. obstructions without a face).
  const ran: Analyzer[] = [];
  for (const a of analyzers) {
    if (!a.codes.some((c) => codeAllowed(c, filter))) continue;
    const out = a.analyze(ctx);
    if (Object.values(out.metrics).some((v) => v !== null)) ran.push(a);
    Object.assign(metrics, out.metrics);
    findings.push(...out.findings.filter((f) => codeAllowed(f.code, filter)));
  }
  withholdUnreliable(ran, findings, metrics, (k) => ctx.t(k));
  const noFace = findings.find((f) => f.code === 'no-face');
  if (noFace) {
    const reasons = findings.filter((f) => NO_FACE_REASONS.includes(f.code as CauseCode)).map((f) => f.code);
    noFace.measured.likelyReasons = reasons.length ? reasons.join(',') : 'unknown';
  }
  // The subject's mesh outline goes with its face, for reports to draw.
  const mesh = faceData.landmarks?.mesh;
  const subject = mesh ? ctx.subject.main : undefined;
  // Loops rather than per-call closures: V8 compiles each new closure again after a garbage collection.
  const scaledFaces: Face[] = [];
  for (const f of faces) {
    const out = scaleFace(f, scale);
    if (f === subject && mesh) out.landmarks = outline(mesh, scale);
    scaledFaces.push(out);
  }
  const scaledFindings: Finding[] = [];
  for (const f of findings) scaledFindings.push(f.region ? { ...f, region: scaleRegion(f.region, scale) } : f);
  return { faces: scaledFaces, findings: scaledFindings, metrics };
}

/**
 * Withholds what an analyzer declared unreliable next to another cause (Analyzer.unreliableWhen):
 * its findings for those codes are dropped, and the metrics `<id>.notJudged` (the codes) and
 * `<id>.notJudgedBecause` (the causes) say so, so that a missing finding is not read as "none there".
 * Mutates `findings` and `metrics`.
 */
export function withholdUnreliable(analyzers: readonly Analyzer[], findings: Finding[], metrics: Metrics, t: (key: ThresholdKey) => number): void {
  const found = ({ cause, severity, measuredAtLeast: m }: UnreliableWhen) =>
    findings.some((f) => {
      if (f.code !== cause || (severity === 'fail' && f.severity !== 'fail')) return false;
      if (!m) return true;
      const v = f.measured[m.key];
      return typeof v === 'number' && v >= t(m.limit);
    });
  for (const a of analyzers) {
    if (!a.unreliableWhen) continue;
    const withheld = new Set<string>();
    const because = new Set<string>();
    for (const rule of a.unreliableWhen) {
      if (!found(rule)) continue;
      for (const c of rule.codes ?? a.codes) withheld.add(c);
      because.add(rule.cause);
    }
    metrics[`${a.id}.notJudged`] = withheld.size ? [...withheld].join(',') : null;
    metrics[`${a.id}.notJudgedBecause`] = because.size ? [...because].join(',') : null;
    for (let i = findings.length - 1; i >= 0; i--) if (withheld.has(findings[i].code)) findings.splice(i, 1);
  }
}

const r1 = (v: number) => Math.round(v * 10) / 10;
const scalePoint = (p: Point, k: number): Point => ({ x: r1(p.x * k), y: r1(p.y * k) });
const scaleBox = (b: Box, k: number): Box => ({ x: r1(b.x * k), y: r1(b.y * k), width: r1(b.width * k), height: r1(b.height * k) });

export function scaleFace(f: Face, k: number): Face {
  const kp = f.keypoints;
  return {
    box: scaleBox(f.box, k),
    score: Math.round(f.score * 1000) / 1000,
    keypoints: {
      rightEye: scalePoint(kp.rightEye, k),
      leftEye: scalePoint(kp.leftEye, k),
      nose: scalePoint(kp.nose, k),
      mouth: scalePoint(kp.mouth, k),
      rightEar: scalePoint(kp.rightEar, k),
      leftEar: scalePoint(kp.leftEar, k),
    },
  };
}

/** The mesh's face outline in original-image pixels. */
function outline(mesh: ArrayLike<number>, k: number): Point[] {
  const out: Point[] = [];
  for (const i of OUTLINE_POINTS) out.push(scalePoint({ x: mesh[i * 3], y: mesh[i * 3 + 1] }, k));
  return out;
}

function scaleRegion(r: Region, k: number): Region {
  return {
    label: r.label,
    ...(r.box ? { box: scaleBox(r.box, k) } : {}),
    ...(r.polygon ? { polygon: r.polygon.map((p) => scalePoint(p, k)) } : {}),
  };
}
