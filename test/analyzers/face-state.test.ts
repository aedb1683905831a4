// Face-state measures: pure functions on built meshes (known answers), then the real face mesh on
// the astronaut and on rotated / mirrored copies of her.
import { describe, expect, it } from 'vitest';
import { eyeAspectRatio, eyeOpening, headPose, MESH, mouthOpening, rollFromEyes } from '../../src/analyzers/face-state.js';
import type { RgbImage } from '../../src/media/raster.js';
import { FaceMesh, detectFaceLandmarks } from '../../src/vision/landmarks.js';
import { decode, getDetector, root } from './helpers.js';
import { mirror, rotate } from './pixel-edits.js';
import { join } from 'node:path';

function emptyMesh(): Float64Array {
  return new Float64Array(468 * 3);
}
function set(m: Float64Array, i: number, x: number, y: number, z = 0): void {
  m[i * 3] = x;
  m[i * 3 + 1] = y;
  m[i * 3 + 2] = z;
}

describe('eye and mouth opening (pure)', () => {
  it('eye aspect ratio is the mean lid gap over the corner distance', () => {
    const m = emptyMesh();
    set(m, MESH.rightEye.outer, 0, 0);
    set(m, MESH.rightEye.inner, 20, 0);
    set(m, 160, 6, -3);
    set(m, 144, 6, 3); // gap 6
    set(m, 158, 14, -2);
    set(m, 153, 14, 2); // gap 4
    expect(eyeAspectRatio(m, 'right')).toBeCloseTo(5 / 20, 6);
    // A closed left eye (lids together) next to it.
    set(m, MESH.leftEye.outer, 60, 0);
    set(m, MESH.leftEye.inner, 40, 0);
    for (const [a, b] of MESH.leftEye.lids) {
      set(m, a, 50, 0.2);
      set(m, b, 50, -0.2);
    }
    const o = eyeOpening(m);
    expect(o.left).toBeCloseTo(0.4 / 20, 6);
    expect(o.mean).toBeCloseTo((0.25 + 0.02) / 2, 6);
  });

  it('is NaN, not Infinity, for a degenerate eye', () => {
    expect(eyeAspectRatio(emptyMesh(), 'left')).toBeNaN();
    expect(mouthOpening(emptyMesh())).toBeNaN();
  });

  it('mouth opening is the inner-lip gap over the inner mouth width', () => {
    const m = emptyMesh();
    set(m, MESH.innerLips.right, 0, 0);
    set(m, MESH.innerLips.left, 40, 0);
    set(m, MESH.innerLips.upper, 20, -6);
    set(m, MESH.innerLips.lower, 20, 6);
    expect(mouthOpening(m)).toBeCloseTo(12 / 40, 6);
  });
});

describe('head pose (pure)', () => {
  // A face's four pose points in its own frame (x right→left cheek, y down, z away from camera).
  const canonical: Array<[number, number, number, number]> = [
    [MESH.rightCheek, -60, 0, 0],
    [MESH.leftCheek, 60, 0, 0],
    [MESH.forehead, 0, -70, 0],
    [MESH.chin, 0, 70, 0],
  ];
  /** Rotates the canonical points by roll·yaw·pitch (degrees) and keeps x, y, z (weak perspective). */
  function posed(yawDeg: number, pitchDeg: number, rollDeg: number): Float64Array {
    const [a, b, c] = [yawDeg, pitchDeg, rollDeg].map((d) => (d * Math.PI) / 180);
    const m = emptyMesh();
    for (const [i, x0, y0, z0] of canonical) {
      // pitch about x (chin up = chin comes forward = z decreases for +y points)
      let x = x0;
      let y = y0 * Math.cos(b) + z0 * Math.sin(b);
      let z = -y0 * Math.sin(b) + z0 * Math.cos(b);
      // yaw about y (turn to the subject's left = left cheek (+x) goes back, +z)
      [x, z] = [x * Math.cos(a) - z * Math.sin(a), x * Math.sin(a) + z * Math.cos(a)];
      // roll in the picture plane
      [x, y] = [x * Math.cos(c) - y * Math.sin(c), x * Math.sin(c) + y * Math.cos(c)];
      set(m, i, 200 + x, 150 + y, z);
    }
    return m;
  }

  it('recovers known yaw, pitch and roll', () => {
    for (const [yaw, pitch, roll] of [
      [0, 0, 0],
      [20, 0, 0],
      [-35, 0, 0],
      [0, 15, 0],
      [0, -10, 0],
      [0, 0, 12],
      [15, -8, 6],
    ]) {
      const p = headPose(posed(yaw, pitch, roll), 0);
      expect(p.yaw).toBeCloseTo(yaw, 0);
      expect(p.pitch).toBeCloseTo(pitch, 0);
      expect(p.roll).toBeCloseTo(roll, 0);
    }
  });

  it('subtracts the neutral pitch and flags degenerate meshes with NaN', () => {
    expect(headPose(posed(0, 0, 0), -7.5).pitch).toBeCloseTo(7.5, 6);
    expect(headPose(emptyMesh()).yaw).toBeNaN();
  });

  it('rollFromEyes is the eye-line angle in degrees', () => {
    expect(rollFromEyes({ x: 0, y: 0 }, { x: 10, y: 10 })).toBeCloseTo(45, 6);
  });
});

// ----------------------------------------------------------------------------- real pixels

async function meshOf(img: RgbImage) {
  const det = await getDetector();
  const faces = await det.detect(img);
  expect(faces.length).toBeGreaterThan(0);
  const mesh = await (meshModel ??= FaceMesh.load());
  return detectFaceLandmarks(mesh, img, faces[0]);
}
let meshModel: Promise<FaceMesh> | undefined;

describe('face state on the astronaut (real face mesh)', () => {
  it('eyes open, mouth closed enough, facing the camera', async () => {
    const { image } = await decode(join(root, 'fixtures/astronaut.png'));
    const lm = await meshOf(image);
    expect(lm.faceScore).toBeGreaterThan(0.9);
    const eyes = eyeOpening(lm.mesh);
    expect(Math.min(eyes.left, eyes.right)).toBeGreaterThan(0.2);
    // A smile with parted lips (~0.2), well below an open mouth (mouth.opening.warn 0.4).
    expect(mouthOpening(lm.mesh)).toBeLessThan(0.3);
    const p = headPose(lm.mesh);
    expect(Math.abs(p.yaw)).toBeLessThan(10);
    expect(Math.abs(p.pitch)).toBeLessThan(12);
    expect(Math.abs(p.roll)).toBeLessThan(5);
  });

  it('a mirrored copy turns the other way by the same amount; a rotated copy rolls by the rotation', async () => {
    const { image } = await decode(join(root, 'fixtures/astronaut.png'));
    const base = headPose((await meshOf(image)).mesh);
    const flipped = headPose((await meshOf(mirror(image))).mesh);
    expect(flipped.yaw).toBeCloseTo(-base.yaw, -0.5); // within ±1.6°
    expect(flipped.roll).toBeCloseTo(-base.roll, -0.5);
    for (const deg of [12, -20]) {
      const turned = headPose((await meshOf(rotate(image, deg))).mesh);
      expect(turned.roll - base.roll).toBeGreaterThan(deg - 2);
      expect(turned.roll - base.roll).toBeLessThan(deg + 2);
      expect(Math.abs(turned.yaw - base.yaw)).toBeLessThan(4);
    }
  });
});
