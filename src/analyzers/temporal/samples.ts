// What the sampled (RGB) frames of a clip yield, one record per frame: the detector's faces, the
// image analyzers' findings and, when actions are expected, the face measures they need.
import type { Face, Finding, Metrics } from '../../types.js';

export interface FrameSample {
  /** Presentation time, seconds. */
  time: number;
  /** Faces (score-filtered, largest first) in the analysis frame's pixels. */
  faces: Face[];
  /** Image-analyzer findings on this frame (regions in video pixels); undefined if not analysed. */
  findings?: Finding[];
  metrics?: Metrics;
  /** Head turn: nose offset from the ear midpoint ÷ ear-to-ear width (0 = frontal). */
  yaw?: number;
  /** Eyelid gap ÷ eye width, mean of both eyes (from landmarks). */
  eyeOpening?: number;
  /** Inner-lip gap ÷ mouth width (from landmarks). */
  mouthOpening?: number;
}
