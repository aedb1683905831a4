// Reads a TensorFlow.js graph model (model.json + its .bin weight shards) into plain typed
// arrays. Quantized weights (float16, uint8, uint16) are dequantized exactly as tfjs does it,
// so a converted model sees the same float32 values tfjs itself would compute with.

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { float16ToFloat32 } from './float16.js';

/** One value of a TensorFlow NodeDef attribute, as the tfjs converter writes it to JSON. */
export interface TfAttrValue {
  s?: string; // base64
  i?: string | number;
  f?: number;
  b?: boolean;
  type?: string;
  shape?: { dim?: Array<{ size?: string | number }>; unknownRank?: boolean };
  tensor?: { dtype?: string; tensorShape?: { dim?: Array<{ size?: string | number }> } };
  list?: {
    s?: string[];
    i?: Array<string | number>;
    f?: number[];
    b?: boolean[];
    type?: string[];
  };
}

export interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttrValue>;
  device?: string;
}

export type TfDtype = 'float32' | 'int32' | 'bool';

export interface WeightQuantization {
  dtype: 'float16' | 'uint8' | 'uint16';
  scale?: number;
  min?: number;
  original_dtype?: string;
}

export interface WeightSpec {
  name: string;
  shape: number[];
  dtype: TfDtype | string;
  quantization?: WeightQuantization;
}

export interface WeightsGroup {
  paths: string[];
  weights: WeightSpec[];
}

export interface TensorSignature {
  name: string;
  dtype?: string;
  tensorShape?: { dim?: Array<{ size?: string | number }> };
}

export interface Signature {
  inputs?: Record<string, TensorSignature>;
  outputs?: Record<string, TensorSignature>;
}

export interface TfjsGraphModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  modelTopology: { node: TfNode[]; library?: unknown; versions?: unknown };
  weightsManifest: WeightsGroup[];
  signature?: Signature;
  userDefinedMetadata?: { signature?: Signature } & Record<string, unknown>;
}

/** A constant tensor: row-major data in TensorFlow (NHWC / HWIO) layout. */
export interface TfTensor {
  dtype: TfDtype;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
  /** Every value is exactly representable as float16 (the weight was stored as float16). */
  float16Exact?: boolean;
}

export interface TfjsGraphModel {
  json: TfjsGraphModelJson;
  /** Every weight of the manifest, dequantized, by TF node name. */
  weights: Map<string, TfTensor>;
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function bytesPerElement(spec: WeightSpec): number {
  if (spec.quantization) {
    switch (spec.quantization.dtype) {
      case 'float16':
      case 'uint16':
        return 2;
      case 'uint8':
        return 1;
      default:
        throw new Error(`weight ${spec.name}: unsupported quantization dtype ${String(spec.quantization.dtype)}`);
    }
  }
  switch (spec.dtype) {
    case 'float32':
    case 'int32':
      return 4;
    case 'bool':
      return 1;
    default:
      throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
  }
}

function decodeOne(spec: WeightSpec, bytes: Uint8Array): TfTensor {
  const n = elementCount(spec.shape);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const q = spec.quantization;
  if (spec.dtype !== 'float32' && spec.dtype !== 'int32' && spec.dtype !== 'bool') {
    throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
  }
  if (q) {
    const out = spec.dtype === 'int32' ? new Int32Array(n) : new Float32Array(n);
    if (q.dtype === 'float16') {
      if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name}: float16 quantization of ${spec.dtype}`);
      for (let i = 0; i < n; i++) out[i] = float16ToFloat32(view.getUint16(2 * i, true));
    } else {
      const scale = q.scale ?? 1;
      const min = q.min ?? 0;
      const wide = q.dtype === 'uint16';
      for (let i = 0; i < n; i++) {
        const v = wide ? view.getUint16(2 * i, true) : view.getUint8(i);
        // tfjs computes v * scale + min in double precision and stores the result in the
        // tensor's own type (rounded for int32).
        out[i] = spec.dtype === 'int32' ? Math.round(v * scale + min) : v * scale + min;
      }
    }
    return { dtype: spec.dtype, shape: [...spec.shape], data: out, float16Exact: q.dtype === 'float16' };
  }
  if (spec.dtype === 'float32') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
    return { dtype: 'float32', shape: [...spec.shape], data: out };
  }
  if (spec.dtype === 'int32') {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getInt32(4 * i, true);
    return { dtype: 'int32', shape: [...spec.shape], data: out };
  }
  return { dtype: 'bool', shape: [...spec.shape], data: bytes.slice(0, n) };
}

/**
 * Splits one weights group's concatenated shard bytes into tensors, in manifest order (tfjs
 * packs them back to back with no alignment).
 */
export function decodeWeightsGroup(weights: readonly WeightSpec[], buffer: Uint8Array, into = new Map<string, TfTensor>()): Map<string, TfTensor> {
  let offset = 0;
  for (const spec of weights) {
    const size = elementCount(spec.shape) * bytesPerElement(spec);
    if (offset + size > buffer.byteLength) {
      throw new Error(`weight ${spec.name} needs bytes ${offset}..${offset + size} but the shards hold ${buffer.byteLength}`);
    }
    into.set(spec.name, decodeOne(spec, buffer.subarray(offset, offset + size)));
    offset += size;
  }
  if (offset !== buffer.byteLength) {
    throw new Error(`weights group ${weights[0]?.name ?? '(empty)'}: manifest describes ${offset} bytes, shards hold ${buffer.byteLength}`);
  }
  return into;
}

/** Decodes every weights group, given a function that returns a shard's bytes by its path. */
export async function decodeWeights(
  manifest: readonly WeightsGroup[],
  readShard: (path: string) => Promise<Uint8Array>,
): Promise<Map<string, TfTensor>> {
  const out = new Map<string, TfTensor>();
  for (const group of manifest) {
    const shards = await Promise.all(group.paths.map(readShard));
    const total = shards.reduce((a, s) => a + s.byteLength, 0);
    const buffer = new Uint8Array(total);
    let at = 0;
    for (const s of shards) {
      buffer.set(s, at);
      at += s.byteLength;
    }
    decodeWeightsGroup(group.weights, buffer, out);
  }
  return out;
}

/** Reads model.json and the shards it names (relative to the JSON file's directory). */
export async function readTfjsGraphModel(jsonPath: string): Promise<TfjsGraphModel> {
  const json = JSON.parse(await readFile(jsonPath, 'utf8')) as TfjsGraphModelJson;
  if (!json.modelTopology || !Array.isArray(json.modelTopology.node)) {
    throw new Error(`${jsonPath}: not a tfjs graph model (no modelTopology.node)`);
  }
  const dir = dirname(jsonPath);
  const weights = await decodeWeights(json.weightsManifest ?? [], async (p) => new Uint8Array(await readFile(join(dir, p))));
  return { json, weights };
}

/** The model's signature, wherever this converter version put it. */
export function signatureOf(json: TfjsGraphModelJson): Signature | undefined {
  return json.signature ?? json.userDefinedMetadata?.signature;
}

// --- attribute helpers -------------------------------------------------------------------

export function attrString(node: TfNode, key: string): string | undefined {
  const s = node.attr?.[key]?.s;
  return s === undefined ? undefined : Buffer.from(s, 'base64').toString('utf8');
}

export function attrStrings(node: TfNode, key: string): string[] {
  return (node.attr?.[key]?.list?.s ?? []).map((s) => Buffer.from(s, 'base64').toString('utf8'));
}

export function attrInt(node: TfNode, key: string): number | undefined {
  const i = node.attr?.[key]?.i;
  return i === undefined ? undefined : Number(i);
}

export function attrInts(node: TfNode, key: string): number[] | undefined {
  const l = node.attr?.[key]?.list;
  if (!l) return undefined;
  return (l.i ?? []).map(Number);
}

export function attrFloat(node: TfNode, key: string): number | undefined {
  return node.attr?.[key]?.f;
}

export function attrBool(node: TfNode, key: string): boolean | undefined {
  return node.attr?.[key]?.b;
}

/** Dims of a shape attribute or tensor-signature shape; -1 for unknown (proto3 JSON omits a 0). */
export function shapeDims(dim: Array<{ size?: string | number }> | undefined): number[] {
  return (dim ?? []).map((d) => (d.size === undefined ? 0 : Number(d.size)));
}
