// What the face is doing, from the 468-point MediaPipe face mesh: eye opening, mouth opening and
// head pose (yaw, pitch, roll in degrees). Pure functions over the mesh (x, y, z per point, image
// pixels; z is relative depth in the same units), shared by the still-image analyzers and the
// video engineer's per-frame liveness measures (blink, open mouth, head turn).

/** A flat 468 × (x, y, z) mesh, as FaceLandmarks.mesh holds it. */
export type Mesh = ArrayLike<number>;

/** MediaPipe mesh indices used here (canonical face-mesh topology). */
export const MESH = {
  /** Eye corners [outer, inner] and two upper/lower lid pairs per eye. */
  rightEye: { outer: 33, inner: 133, lids: [[160, 144], [158, 153]] },
  leftEye: { outer: 263, inner: 362, lids: [[385, 380], [387, 373]] },
  /** Inner lips (upper 13, lower 14) and inner mouth corners. */
  innerLips: { upper: 13, lower: 14, right: 78, left: 308 },
  /** Face sides at the cheekbones (right 234, left 454), forehead top 10, chin 152, nose tip 1. */
  rightCheek: 234,
  leftCheek: 454,
  forehead: 10,
  chin: 152,
  noseTip: 1,
} as const;

const x = (m: Mesh, i: number) => m[i * 3];
const y = (m: Mesh, i: number) => m[i * 3 + 1];
const z = (m: Mesh, i: number) => m[i * 3 + 2];
const dist = (m: Mesh, a: number, b: number) => Math.hypot(x(m, a) - x(m, b), y(m, a) - y(m, b));

/** Eye aspect ratio of one eye: mean lid gap ÷ corner distance (open ≈ 0.25–0.35, closed < 0.12). */
export function eyeAspectRatio(m: Mesh, eye: 'right' | 'left'): number {
  const e = eye === 'right' ? MESH.rightEye : MESH.leftEye;
  const width = dist(m, e.outer, e.inner);
  if (!(width > 1e-6)) return NaN;
  return (dist(m, e.lids[0][0], e.lids[0][1]) + dist(m, e.lids[1][0], e.lids[1][1])) / (2 * width);
}

/** Both eyes' aspect ratios and their mean. */
export function eyeOpening(m: Mesh): { right: number; left: number; mean: number } {
  const right = eyeAspectRatio(m, 'right');
  const left = eyeAspectRatio(m, 'left');
  return { right, left, mean: (right + left) / 2 };
}

/** Inner-lip gap ÷ inner mouth width: closed ≈ 0–0.05, talking 0.1–0.3, wide open > 0.5. */
export function mouthOpening(m: Mesh): number {
  const L = MESH.innerLips;
  const width = dist(m, L.right, L.left);
  if (!(width > 1e-6)) return NaN;
  return dist(m, L.upper, L.lower) / width;
}

export interface HeadPose {
  /** Turn, degrees; positive = turned towards the subject's own left (nose towards the picture's right). */
  yaw: number;
  /** Nod, degrees; positive = chin up. */
  pitch: number;
  /** Tilt in the picture plane, degrees; positive = clockwise on screen (right eye higher). */
  roll: number;
}

/**
 * Raw pitch of a face looking straight at the camera: the mesh puts the chin a little in front of
 * the forehead, so the forehead→chin axis reads about −7.5° when level. Median over the `clean`
 * photos of ../shared/data (NUAA −7.2°, CDFMD −7.4°, CelebA −8.2°).
 */
export const NEUTRAL_PITCH_DEG = -7.5;

const DEG = 180 / Math.PI;

/**
 * Head pose from the mesh's own 3-D points (weak perspective: the mesh z is in x/y pixel units).
 * The face's x axis runs from the right to the left cheekbone, its y axis from forehead to chin
 * (made orthogonal to x); the angles are those of that frame, Tait–Bryan order roll·yaw·pitch.
 */
export function headPose(m: Mesh, neutralPitchDeg = NEUTRAL_PITCH_DEG): HeadPose {
  const r = MESH.rightCheek;
  const l = MESH.leftCheek;
  let ax = [x(m, l) - x(m, r), y(m, l) - y(m, r), z(m, l) - z(m, r)];
  const na = Math.hypot(ax[0], ax[1], ax[2]);
  if (!(na > 1e-6)) return { yaw: NaN, pitch: NaN, roll: NaN };
  ax = ax.map((v) => v / na);
  let ay = [x(m, MESH.chin) - x(m, MESH.forehead), y(m, MESH.chin) - y(m, MESH.forehead), z(m, MESH.chin) - z(m, MESH.forehead)];
  const dot = ay[0] * ax[0] + ay[1] * ax[1] + ay[2] * ax[2];
  ay = ay.map((v, i) => v - dot * ax[i]);
  const nb = Math.hypot(ay[0], ay[1], ay[2]);
  if (!(nb > 1e-6)) return { yaw: NaN, pitch: NaN, roll: NaN };
  ay = ay.map((v) => v / nb);
  // Roll: the x axis's angle in the picture plane. Yaw: how far the x axis leaves that plane (the
  // mesh's z grows away from the camera, so a turn to the subject's left sends the left cheek
  // back). Pitch: how far the y axis leaves it (chin up brings the chin forward).
  const roll = Math.atan2(ax[1], ax[0]) * DEG;
  const yaw = Math.asin(Math.max(-1, Math.min(1, ax[2]))) * DEG;
  const pitch = Math.asin(Math.max(-1, Math.min(1, -ay[2]))) * DEG - neutralPitchDeg;
  return { yaw, pitch, roll };
}

/** Roll in degrees from two eye centres alone (for callers without a mesh). */
export function rollFromEyes(rightEye: { x: number; y: number }, leftEye: { x: number; y: number }): number {
  return Math.atan2(leftEye.y - rightEye.y, leftEye.x - rightEye.x) * DEG;
}

export interface FaceState extends HeadPose {
  /** Eye aspect ratio of the more open eye (a turned head foreshortens the far one). */
  eyeOpening: number;
  /** Inner-lip gap ÷ inner mouth width. */
  mouthOpening: number;
}

/**
 * Everything above for one mesh: what a video frame sampler needs for --expect blink (eyeOpening
 * dips), open-mouth (mouthOpening rises) and turn-head (yaw changes, degrees).
 */
export function faceState(m: Mesh): FaceState {
  const eyes = eyeOpening(m);
  return { eyeOpening: Math.max(eyes.right, eyes.left), mouthOpening: mouthOpening(m), ...headPose(m) };
}
