// Conversion state shared by the op mappers: which ONNX value holds each TF tensor, in which
// layout, and the TF constants (kept as TF tensors until a consumer decides their ONNX form).

import { GraphBuilder, OnnxDataType } from './onnx-ir.js';
import { NCHW_TO_NHWC, NHWC_TO_NCHW, broadcastConstToNchw } from './layout.js';
import type { TfNode, TfTensor } from './reader.js';

/** nchw / nhwc only for rank-4 values; everything else is 'plain' (TF order). */
export type Layout = 'nchw' | 'nhwc' | 'plain';

export interface Value {
  /** ONNX value name. */
  name: string;
  rank: number;
  layout: Layout;
  /** Channel count (TF's last axis) of a rank-4 value, when the graph makes it known. */
  channels?: number;
}

/** "name", "name:0" → "name"; "name:2" stays; control inputs ("^name") → undefined. */
export function normalizeRef(ref: string): string | undefined {
  if (ref.startsWith('^')) return undefined;
  return ref.endsWith(':0') ? ref.slice(0, -2) : ref;
}

/** The data inputs of a node (control dependencies dropped). */
export function dataInputs(node: TfNode): string[] {
  return (node.input ?? []).map(normalizeRef).filter((r): r is string => r !== undefined);
}

export class ConversionError extends Error {
  override readonly name = 'ConversionError';
}

export class Context {
  readonly g = new GraphBuilder();
  private readonly values = new Map<string, Value>();
  private readonly consts = new Map<string, TfTensor>();
  /** `${onnxName}|${layout}` → transposed copy */
  private readonly transposed = new Map<string, string>();
  /** Cache of initializers made from a TF const for a given use. */
  private readonly constInits = new Map<string, string>();

  constructor(
    /** Store float16-exact float weights as FLOAT16 + Cast. */
    readonly float16Weights = true,
    /** Emit PRelu and channel-only Pad as Convs onnxruntime keeps in NCHWc (see nchwc.ts). */
    readonly nchwcRewrites = true,
  ) {}

  setConst(ref: string, t: TfTensor): void {
    this.consts.set(ref, t);
  }

  constOf(ref: string): TfTensor | undefined {
    return this.consts.get(ref);
  }

  isConst(ref: string): boolean {
    return this.consts.has(ref);
  }

  requireConst(node: TfNode, ref: string, what: string): TfTensor {
    const c = this.consts.get(ref);
    if (!c) throw new ConversionError(`${node.op} ${node.name}: ${what} (${ref}) must be a constant`);
    return c;
  }

  set(ref: string, value: Value): void {
    this.values.set(ref, value);
  }

  /** The ONNX value of a TF tensor; a constant is materialised as-is (TF layout). */
  value(ref: string): Value {
    const v = this.values.get(ref);
    if (v) return v;
    const c = this.consts.get(ref);
    if (c) {
      const name = this.constInitializer(ref, 'raw', () => c);
      const rank = c.shape.length;
      return { name, rank, layout: rank === 4 ? 'nhwc' : 'plain' };
    }
    throw new ConversionError(`tensor ${ref} is used before it is defined (unsupported producer?)`);
  }

  /** An initializer for a TF const, built once per (const, purpose); INT64 converts int32 data. */
  constInitializer(ref: string, purpose: string, make: () => TfTensor, dataType?: OnnxDataType): string {
    const key = `${ref}|${purpose}`;
    const hit = this.constInits.get(key);
    if (hit) return hit;
    const t = make();
    const base = purpose === 'raw' ? ref : `${ref}__${purpose}`;
    let name: string;
    if (dataType === OnnxDataType.INT64) {
      name = this.g.int64Const(base, Array.from(t.data), t.shape);
    } else if (t.dtype === 'float32') {
      // Small tensors (scalars, per-channel vectors) stay float32: a Cast would cost more than it saves.
      name = this.float16Weights && t.float16Exact && t.data.length >= 256
        ? this.g.float16Const(base, t.shape, t.data as Float32Array)
        : this.g.floatConst(base, t.shape, t.data as Float32Array);
    } else if (t.dtype === 'int32') {
      name = this.g.addInitializer(base, OnnxDataType.INT32, t.shape, t.data as Int32Array);
    } else {
      name = this.g.addInitializer(base, OnnxDataType.BOOL, t.shape, t.data as Uint8Array);
    }
    this.constInits.set(key, name);
    return name;
  }

  /** A TF const that broadcasts against NHWC data, as an initializer that broadcasts against NCHW data. */
  constForNchw(ref: string): string {
    const c = this.constOf(ref);
    if (!c) throw new ConversionError(`internal: ${ref} is not a constant`);
    return this.constInitializer(ref, 'nchw', () => {
      const t = broadcastConstToNchw(c.data, c.shape);
      return { dtype: c.dtype, shape: t.shape, data: t.data, float16Exact: c.float16Exact };
    });
  }

  /** An int32 TF const as an int64 initializer (shapes, pads, axes). */
  constAsInt64(ref: string, node: TfNode, what: string): { name: string; values: number[] } {
    const c = this.requireConst(node, ref, what);
    const name = this.constInitializer(ref, 'i64', () => c, OnnxDataType.INT64);
    return { name, values: Array.from(c.data) };
  }

  /** The value's ONNX name in NCHW layout (rank 4 only), inserting one cached Transpose. */
  asNchw(v: Value): string {
    if (v.rank !== 4) throw new ConversionError(`internal: ${v.name} has rank ${v.rank}, not 4`);
    if (v.layout === 'nchw') return v.name;
    return this.transpose(v.name, 'nchw', NHWC_TO_NCHW);
  }

  /** The value's ONNX name in TF (NHWC / plain) order. */
  asTf(v: Value): string {
    if (v.layout !== 'nchw') return v.name;
    return this.transpose(v.name, 'nhwc', NCHW_TO_NHWC);
  }

  private transpose(name: string, to: string, perm: readonly number[]): string {
    const key = `${name}|${to}`;
    let out = this.transposed.get(key);
    if (!out) {
      out = this.g.addNode('Transpose', [name], `${name}__${to}`, [{ name: 'perm', type: 'ints', value: [...perm] }]);
      this.transposed.set(key, out);
    }
    return out;
  }
}
