// Layout bookkeeping. TensorFlow.js graphs are NHWC; ONNX Conv/Pool are NCHW. Every rank-4
// activation is kept in whichever layout its producer gave it and converted lazily (one cached
// Transpose per value) when a consumer needs the other one. Constants are rewritten at
// conversion time instead, so the graph only ever transposes activations where the layout
// really changes (in practice: once at the input and once per NHWC-only op such as Reshape).

import { elementCount } from './reader.js';

/** NHWC → NCHW: out dim i is in dim NHWC_TO_NCHW[i]. */
export const NHWC_TO_NCHW = [0, 3, 1, 2] as const;
/** NCHW → NHWC */
export const NCHW_TO_NHWC = [0, 2, 3, 1] as const;

/** The NCHW position of an NHWC axis (after normalising negatives against rank 4). */
export function nchwAxis(nhwcAxis: number): number {
  const a = nhwcAxis < 0 ? nhwcAxis + 4 : nhwcAxis;
  if (a < 0 || a > 3) throw new Error(`axis ${nhwcAxis} out of range for rank 4`);
  return NHWC_TO_NCHW.indexOf(a as 0 | 1 | 2 | 3);
}

/** Transposes row-major `data` of `shape`: output dim i is input dim perm[i]. */
export function transposeData<T extends Float32Array | Int32Array | Uint8Array>(data: T, shape: readonly number[], perm: readonly number[]): { data: T; shape: number[] } {
  const rank = shape.length;
  if (perm.length !== rank) throw new Error(`perm ${perm.join(',')} does not fit shape ${shape.join('x')}`);
  const outShape = perm.map((p) => shape[p]);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i];
  }
  const strides = perm.map((p) => inStrides[p]);
  const n = elementCount(shape);
  const out = new (data.constructor as { new (n: number): T })(n);
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < n; o++) {
    out[o] = data[src];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      src += strides[d];
      if (idx[d] < outShape[d]) break;
      src -= strides[d] * outShape[d];
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/**
 * A constant that broadcasts against an NHWC rank-4 tensor in TF, rewritten to broadcast the
 * same way against the NCHW tensor: padded to rank 4, transposed, leading 1s dropped — so a
 * per-channel [C] or [1,1,C] constant becomes [C,1,1], and a scalar stays a scalar.
 */
export function broadcastConstToNchw<T extends Float32Array | Int32Array | Uint8Array>(data: T, shape: readonly number[]): { data: T; shape: number[] } {
  if (shape.length > 4) throw new Error(`constant of rank ${shape.length} cannot broadcast against a rank-4 tensor`);
  if (shape.length === 0) return { data, shape: [] };
  const padded = [...new Array<number>(4 - shape.length).fill(1), ...shape];
  const t = transposeData(data, padded, NHWC_TO_NCHW);
  let first = 0;
  while (first < 3 && t.shape[first] === 1) first++;
  return { data: t.data, shape: t.shape.slice(first) };
}
