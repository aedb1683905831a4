// A minimal in-memory ONNX graph: just what the converter emits. writer.ts serialises it.

import { float16ToFloat32, float32ToFloat16 } from './float16.js';

/** TensorProto.DataType values used here. */
export const OnnxDataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10 } as const;
export type OnnxDataType = (typeof OnnxDataType)[keyof typeof OnnxDataType];

export interface OnnxTensor {
  name: string;
  dataType: OnnxDataType;
  dims: number[];
  /** Row-major values; BigInt64Array for INT64, Uint16Array (raw bits) for FLOAT16. */
  data: Float32Array | Int32Array | BigInt64Array | Uint8Array | Uint16Array;
}

export type OnnxAttribute =
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'ints'; value: number[] }
  | { name: string; type: 'floats'; value: number[] }
  | { name: string; type: 'tensor'; value: OnnxTensor };

export interface OnnxNode {
  name: string;
  opType: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

/** A dimension: a fixed size, or a symbolic name for a dynamic one (e.g. the batch). */
export type OnnxDim = number | string;

export interface OnnxValueInfo {
  name: string;
  elemType: OnnxDataType;
  /** undefined: unknown rank. */
  shape?: OnnxDim[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: OnnxTensor[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  opsetVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  metadata?: Record<string, string>;
  graph: OnnxGraph;
}

export const attr = {
  int: (name: string, value: number): OnnxAttribute => ({ name, type: 'int', value }),
  float: (name: string, value: number): OnnxAttribute => ({ name, type: 'float', value }),
  string: (name: string, value: string): OnnxAttribute => ({ name, type: 'string', value }),
  ints: (name: string, value: number[]): OnnxAttribute => ({ name, type: 'ints', value }),
  floats: (name: string, value: number[]): OnnxAttribute => ({ name, type: 'floats', value }),
};

/** Collects nodes and initializers with unique names. */
export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxTensor[] = [];
  readonly inputs: OnnxValueInfo[] = [];
  readonly outputs: OnnxValueInfo[] = [];
  private readonly used = new Set<string>();

  /** `base` itself if unused, else `base_1`, `base_2`, ... */
  uniqueName(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  reserve(name: string): void {
    if (this.used.has(name)) throw new Error(`duplicate ONNX value name ${name}`);
    this.used.add(name);
  }

  addInitializer(base: string, dataType: OnnxDataType, dims: number[], data: OnnxTensor['data']): string {
    const name = this.uniqueName(base);
    this.initializers.push({ name, dataType, dims: [...dims], data });
    return name;
  }

  floatConst(base: string, dims: number[], data: Float32Array | number[]): string {
    return this.addInitializer(base, OnnxDataType.FLOAT, dims, data instanceof Float32Array ? data : Float32Array.from(data));
  }

  /**
   * A float32 constant stored as FLOAT16 plus a Cast to float32 (halves the file; onnxruntime
   * folds the Cast when it loads the model). Only for values exactly representable in float16.
   */
  float16Const(base: string, dims: number[], data: Float32Array): string {
    const bits = new Uint16Array(data.length);
    for (let i = 0; i < data.length; i++) {
      bits[i] = float32ToFloat16(data[i]);
      if (float16ToFloat32(bits[i]) !== data[i] && !Number.isNaN(data[i])) {
        throw new Error(`internal: ${base}[${i}] = ${data[i]} is not exact in float16`);
      }
    }
    const stored = this.addInitializer(`${base}__f16`, OnnxDataType.FLOAT16, dims, bits);
    return this.addNode('Cast', [stored], base, [{ name: 'to', type: 'int', value: OnnxDataType.FLOAT }]);
  }

  int64Const(base: string, values: readonly number[], dims: number[] = [values.length]): string {
    return this.addInitializer(base, OnnxDataType.INT64, dims, BigInt64Array.from(values.map((v) => BigInt(v))));
  }

  /** Adds a node and returns its first output's name. */
  addNode(opType: string, inputs: string[], outputBase: string, attributes: OnnxAttribute[] = [], outputCount = 1): string {
    const outputs: string[] = [];
    for (let i = 0; i < outputCount; i++) outputs.push(this.uniqueName(i === 0 ? outputBase : `${outputBase}:${i}`));
    this.nodes.push({ name: outputs[0], opType, inputs, outputs, attributes });
    return outputs[0];
  }

  /** Renames a value produced by a node (graph outputs get their public, pre-reserved names). */
  renameValue(from: string, to: string): void {
    for (const n of this.nodes) {
      n.inputs = n.inputs.map((x) => (x === from ? to : x));
      n.outputs = n.outputs.map((x) => (x === from ? to : x));
    }
  }

  producerOf(value: string): OnnxNode | undefined {
    return this.nodes.find((n) => n.outputs.includes(value));
  }

  build(name: string): OnnxGraph {
    return { name, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs };
  }
}
