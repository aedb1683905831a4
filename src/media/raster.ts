// Plain pixel buffers shared by every stage. Analyzers only ever see these, never files.

/** Interleaved 8-bit RGB, row-major, no padding. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Single-channel float plane (luma, gradients, masks), row-major. */
export interface Plane {
  width: number;
  height: number;
  data: Float32Array;
}

/** Rec. 601 luma in 0..255 — what most face pipelines and JPEG itself call brightness. */
export function lumaPlane(img: RgbImage): Plane {
  const { width, height, data } = img;
  const out = new Float32Array(width * height);
  for (let i = 0, p = 0; i < out.length; i++, p += 3) {
    out[i] = 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2];
  }
  return { width, height, data: out };
}

export function clampInt(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : Math.round(v);
}
