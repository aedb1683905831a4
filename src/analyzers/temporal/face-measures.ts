// Per-frame face measures the liveness actions need: head turn from the detector's keypoints,
// eye and mouth opening from the 468-point face mesh (MediaPipe indices).
import type { Face, Point } from '../../types.js';

/**
 * Nose offset from the ear midpoint along the eye line, ÷ ear-to-ear distance: 0 facing the
 * camera, about ±0.12 at a 20–25° turn (sign: towards the subject's left is positive).
 */
export function yawFromKeypoints(face: Face): number {
  const { rightEye, leftEye, nose, rightEar, leftEar } = face.keypoints;
  const roll = Math.atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x);
  const u = (p: Point) => p.x * Math.cos(roll) + p.y * Math.sin(roll);
  const width = u(leftEar) - u(rightEar);
  if (!(Math.abs(width) > 1e-6)) return NaN;
  return (u(nose) - (u(leftEar) + u(rightEar)) / 2) / width;
}

const dist = (m: ArrayLike<number>, a: number, b: number) => Math.hypot(m[a * 3] - m[b * 3], m[a * 3 + 1] - m[b * 3 + 1]);

/** Eye aspect ratio (two lid gaps ÷ twice the corner distance), mean of both eyes. */
export function eyeOpeningFromMesh(mesh: ArrayLike<number>): number {
  const right = (dist(mesh, 160, 144) + dist(mesh, 158, 153)) / (2 * dist(mesh, 33, 133));
  const left = (dist(mesh, 385, 380) + dist(mesh, 387, 373)) / (2 * dist(mesh, 362, 263));
  return (right + left) / 2;
}

/** Inner-lip gap ÷ inner mouth-corner distance. */
export function mouthOpeningFromMesh(mesh: ArrayLike<number>): number {
  return dist(mesh, 13, 14) / dist(mesh, 78, 308);
}
