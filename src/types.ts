// The output contract (schemaVersion 1). Everything a renderer prints or a script parses is typed
// here; changing a field name here is a breaking change for users' scripts.

export const SCHEMA_VERSION = 1 as const;

export type Verdict = 'pass' | 'warn' | 'fail' | 'error';
export type Severity = 'warn' | 'fail';
export type Category = 'face' | 'lighting' | 'obstruction' | 'framing' | 'device' | 'motion' | 'liveness';

export interface Point {
  x: number;
  y: number;
}

/** Axis-aligned box in image pixels of the oriented (EXIF-rotated) image. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Keypoints {
  rightEye: Point; // the subject's right eye (left in the picture)
  leftEye: Point;
  nose: Point;
  mouth: Point;
  rightEar: Point;
  leftEar: Point;
}

export interface Face {
  box: Box;
  score: number;
  keypoints: Keypoints;
  /** Outline points of the face mesh (face oval, brows, eyes, nose, lips; image pixels), on the
   *  subject's face when a landmark analyzer ran: reports draw them. */
  landmarks?: Point[];
}

/** The image region a cause is about, so reports can outline it. */
export interface Region {
  label: string;
  box?: Box;
  polygon?: Point[];
}

export type Measured = Record<string, number | string | boolean>;

/** What an analyzer found, before the report layer adds message and advice. */
export interface Finding {
  code: string;
  severity: Severity;
  confidence: number;
  measured: Measured;
  thresholds: Record<string, number>;
  region?: Region;
  /** Video only: where in time the cause held. */
  segments?: Array<[number, number]>;
}

/** A finding as it appears in the output: the report layer adds category, message and advice. */
export interface Cause extends Finding {
  category: Category;
  title: string;
  message: string;
  advice: string[];
}

export interface ImageInfo {
  width: number;
  height: number;
  format: string;
}

export interface ResultError {
  code: string;
  message: string;
}

export type Metrics = Record<string, number | string | boolean | null>;

export interface Result {
  file: string;
  kind: 'image' | 'video';
  verdict: Verdict;
  error?: ResultError;
  image?: ImageInfo;
  video?: Record<string, unknown>;
  faces: Face[];
  causes: Cause[];
  metrics: Metrics;
  /** Wall time spent on this input, in milliseconds (for batch "slowest files"). */
  elapsedMs?: number;
}

export interface Summary {
  total: number;
  byVerdict: Record<Verdict, number>;
  byCause: Record<string, number>;
  topCauses: Array<{ code: string; count: number }>;
  slowest: Array<{ file: string; elapsedMs: number }>;
  errors: Array<{ file: string; code: string; message: string }>;
}

export interface ToolInfo {
  name: string;
  version: string;
}

export interface JsonDocument {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: ToolInfo;
  results: Result[];
  summary: Summary;
}
