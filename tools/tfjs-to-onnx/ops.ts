// TF op → ONNX node mappers (opset 13). Each mapper reads its TF node, asks the context for
// its inputs in the layout it needs, adds ONNX nodes and records its output value(s).

import { ConversionError, dataInputs, type Context, type Layout, type Value } from './context.js';
import { attr, type OnnxAttribute } from './onnx-ir.js';
import { NHWC_TO_NCHW, nchwAxis, transposeData } from './layout.js';
import { channelPadAsConv, nchwcChannels, preluAsConvs } from './nchwc.js';
import { attrBool, attrFloat, attrInts, attrString, attrStrings, type TfNode, type TfTensor } from './reader.js';

export type OpMapper = (node: TfNode, ctx: Context) => void;

function fail(node: TfNode, why: string): never {
  throw new ConversionError(`${node.op} ${node.name}: ${why}`);
}

function requireNhwc(node: TfNode): void {
  const f = attrString(node, 'data_format');
  if (f !== undefined && f !== 'NHWC') fail(node, `data_format ${f} is not supported (only NHWC)`);
}

/** ONNX spatial attributes (strides, dilations, padding) from a TF NHWC conv/pool node. */
function spatialAttrs(node: TfNode, withDilations: boolean): OnnxAttribute[] {
  const out: OnnxAttribute[] = [];
  const strides = attrInts(node, 'strides') ?? [1, 1, 1, 1];
  if (strides.length !== 4 || strides[0] !== 1 || strides[3] !== 1) fail(node, `strides ${strides.join(',')} not supported`);
  out.push(attr.ints('strides', [strides[1], strides[2]]));
  if (withDilations) {
    const d = attrInts(node, 'dilations') ?? [1, 1, 1, 1];
    if (d.length !== 4 || d[0] !== 1 || d[3] !== 1) fail(node, `dilations ${d.join(',')} not supported`);
    out.push(attr.ints('dilations', [d[1], d[2]]));
  }
  const padding = attrString(node, 'padding') ?? 'VALID';
  if (padding === 'SAME') {
    // TF SAME puts the odd padding pixel at the end (bottom/right), as SAME_UPPER does.
    out.push(attr.string('auto_pad', 'SAME_UPPER'));
  } else if (padding === 'VALID') {
    out.push(attr.string('auto_pad', 'VALID'));
  } else if (padding === 'EXPLICIT') {
    const p = attrInts(node, 'explicit_paddings') ?? [];
    if (p.length !== 8) fail(node, 'explicit_paddings must have 8 values');
    out.push(attr.ints('pads', [p[2], p[4], p[3], p[5]])); // [top, left, bottom, right]
  } else {
    fail(node, `padding ${padding} not supported`);
  }
  return out;
}

function tfConst(ctx: Context, node: TfNode, ref: string, what: string): TfTensor {
  const c = ctx.requireConst(node, ref, what);
  if (c.dtype !== 'float32') fail(node, `${what} must be float32, is ${c.dtype}`);
  return c;
}

/** A constant that broadcasts per channel (scalar, [C] or [1,…,1,C], float32) as C values; else undefined. */
function perChannelValues(c: TfTensor, channels: number): Float32Array | undefined {
  if (c.dtype !== 'float32' || c.shape.slice(0, -1).some((d) => d !== 1)) return undefined;
  if (c.data.length === channels) return Float32Array.from(c.data);
  if (c.data.length === 1) return new Float32Array(channels).fill(c.data[0]);
  return undefined;
}

/** Applies a fused or stand-alone activation to an ONNX value in the given layout. */
function activation(ctx: Context, node: TfNode, kind: string, input: string, layout: Layout, rank: number, alphaRef?: string, channels?: number): string {
  const base = node.name;
  switch (kind) {
    case 'Relu':
      return ctx.g.addNode('Relu', [input], base);
    case 'Relu6':
      return ctx.g.addNode('Clip', [input, ctx.g.floatConst(`${base}/min`, [], [0]), ctx.g.floatConst(`${base}/max`, [], [6])], base);
    case 'Elu':
      return ctx.g.addNode('Elu', [input], base);
    case 'Sigmoid':
      return ctx.g.addNode('Sigmoid', [input], base);
    case 'Tanh':
      return ctx.g.addNode('Tanh', [input], base);
    case 'LeakyRelu':
      return ctx.g.addNode('LeakyRelu', [input], base, [attr.float('alpha', attrFloat(node, 'leakyrelu_alpha') ?? attrFloat(node, 'alpha') ?? 0.2)]);
    case 'Prelu': {
      if (!alphaRef) fail(node, 'Prelu without alpha');
      const perChannel = ctx.constOf(alphaRef);
      if (ctx.nchwcRewrites && perChannel && layout === 'nchw' && rank === 4 && nchwcChannels(channels)) {
        const alpha = perChannelValues(perChannel, channels);
        if (alpha) return preluAsConvs(ctx, base, input, alpha);
      }
      if (ctx.isConst(alphaRef)) {
        const slope = layout === 'nchw' && rank === 4 ? ctx.constForNchw(alphaRef) : ctx.value(alphaRef).name;
        return ctx.g.addNode('PRelu', [input, slope], base);
      }
      const a = ctx.value(alphaRef);
      if (a.rank === 4) return ctx.g.addNode('PRelu', [input, layout === 'nchw' ? ctx.asNchw(a) : ctx.asTf(a)], base);
      if (layout === 'nchw') fail(node, 'non-constant low-rank Prelu alpha on NCHW data');
      return ctx.g.addNode('PRelu', [input, a.name], base);
    }
    default:
      fail(node, `fused activation ${kind} not supported`);
  }
}

/** Conv2D, _FusedConv2D, DepthwiseConv2dNative, FusedDepthwiseConv2dNative. */
function conv(depthwise: boolean): OpMapper {
  return (node, ctx) => {
    requireNhwc(node);
    const [xRef, wRef, ...args] = dataInputs(node);
    const x = ctx.value(xRef);
    if (x.rank !== 4) fail(node, `input rank ${x.rank}, expected 4`);
    const w = tfConst(ctx, node, wRef, 'filter');
    if (w.shape.length !== 4) fail(node, `filter rank ${w.shape.length}, expected 4`);
    const [kh, kw, cin, m] = w.shape;
    const attrs = spatialAttrs(node, true);
    let weight: string;
    if (depthwise) {
      // [H, W, C, M] → [C*M, 1, H, W]; ONNX group g=c output m is channel c*M+m, as in TF.
      weight = ctx.constInitializer(wRef, 'dw_oihw', () => {
        const t = transposeData(w.data as Float32Array, w.shape, [2, 3, 0, 1]);
        return { dtype: 'float32', shape: [cin * m, 1, kh, kw], data: t.data, float16Exact: w.float16Exact };
      });
      attrs.push(attr.int('group', cin));
    } else {
      // HWIO → OIHW
      weight = ctx.constInitializer(wRef, 'oihw', () => {
        const t = transposeData(w.data as Float32Array, w.shape, [3, 2, 0, 1]);
        return { dtype: 'float32', shape: t.shape, data: t.data, float16Exact: w.float16Exact };
      });
    }
    attrs.push(attr.ints('kernel_shape', [kh, kw]));
    const fused = attrStrings(node, 'fused_ops');
    const inputs = [ctx.asNchw(x), weight];
    let argi = 0;
    let ops = fused;
    if (ops[0] === 'BiasAdd') {
      const b = tfConst(ctx, node, args[argi++], 'bias');
      inputs.push(ctx.constInitializer(args[argi - 1], 'bias', () => ({ dtype: 'float32', shape: [b.data.length], data: b.data })));
      ops = ops.slice(1);
    } else if (ops.length > 0 && ops[0] !== 'Relu' && ops[0] !== 'Relu6' && ops[0] !== 'Prelu' && ops[0] !== 'Elu' && ops[0] !== 'LeakyRelu' && ops[0] !== 'Sigmoid' && ops[0] !== 'Tanh') {
      fail(node, `fused_ops ${fused.join('+')} not supported`);
    }
    if (ops.length > 1) fail(node, `fused_ops ${fused.join('+')} not supported`);
    let out = ctx.g.addNode('Conv', inputs, ops.length ? `${node.name}/conv` : node.name, attrs);
    const channels = depthwise ? cin * m : w.shape[3];
    if (ops.length === 1) out = activation(ctx, node, ops[0], out, 'nchw', 4, args[argi], channels);
    ctx.set(node.name, { name: out, rank: 4, layout: 'nchw', channels });
  };
}

/** _FusedMatMul and MatMul (rank 2 only) → Gemm [+ activation]. */
const matmul: OpMapper = (node, ctx) => {
  const [aRef, bRef, ...args] = dataInputs(node);
  const a = ctx.value(aRef);
  const b = ctx.value(bRef);
  if (a.rank !== 2 || b.rank !== 2) fail(node, 'only rank-2 MatMul is supported');
  const attrs = [attr.int('transA', attrBool(node, 'transpose_a') ? 1 : 0), attr.int('transB', attrBool(node, 'transpose_b') ? 1 : 0)];
  const inputs = [a.name, b.name];
  let ops = attrStrings(node, 'fused_ops');
  let argi = 0;
  if (ops[0] === 'BiasAdd') {
    inputs.push(ctx.value(args[argi++]).name);
    ops = ops.slice(1);
  }
  if (ops.length > 1) fail(node, `fused_ops ${attrStrings(node, 'fused_ops').join('+')} not supported`);
  let out = ctx.g.addNode('Gemm', inputs, ops.length ? `${node.name}/gemm` : node.name, attrs);
  if (ops.length === 1) out = activation(ctx, node, ops[0], out, 'plain', 2, args[argi]);
  ctx.set(node.name, { name: out, rank: 2, layout: 'plain' });
};

/** Elementwise binary op with numpy broadcasting (Add, Mul, Maximum, ...). */
function binary(onnxOp: string): OpMapper {
  return (node, ctx) => {
    const refs = dataInputs(node);
    if (refs.length !== 2) fail(node, `expected 2 inputs, got ${refs.length}`);
    const acts = refs.filter((r) => !ctx.isConst(r)).map((r) => ctx.value(r));
    if (acts.length === 0) fail(node, 'both inputs constant (constant folding not supported)');
    const rank = Math.max(...refs.map((r) => (ctx.isConst(r) ? ctx.constOf(r)!.shape.length : ctx.value(r).rank)));
    // Work in NCHW when the rank-4 activations are NCHW and nothing of lower rank has to
    // broadcast against them as another activation; otherwise in TF order.
    const nchw = rank === 4 && acts.every((v) => v.rank === 4) && acts.some((v) => v.layout === 'nchw');
    const inputs = refs.map((r) => {
      if (ctx.isConst(r)) return nchw ? ctx.constForNchw(r) : ctx.value(r).name;
      const v = ctx.value(r);
      return nchw ? ctx.asNchw(v) : ctx.asTf(v);
    });
    const out = ctx.g.addNode(onnxOp, inputs, node.name);
    const channels = rank === 4 ? acts.find((v) => v.rank === 4 && v.channels !== undefined)?.channels : undefined;
    ctx.set(node.name, { name: out, rank, layout: nchw ? 'nchw' : rank === 4 ? 'nhwc' : 'plain', channels });
  };
}

/**
 * Maximum / Minimum against a scalar constant become Clip (so optimize.ts can merge
 * Relu→Minimum(6)→Maximum(0) into one Clip that onnxruntime fuses into the Conv).
 */
function clipOrBinary(onnxOp: 'Max' | 'Min'): OpMapper {
  const fallback = binary(onnxOp);
  return (node, ctx) => {
    const refs = dataInputs(node);
    const ci = refs.findIndex((r) => {
      const c = ctx.constOf(r);
      return c !== undefined && c.dtype === 'float32' && c.data.length === 1 && c.shape.length <= 1;
    });
    const other = refs[1 - ci];
    if (refs.length !== 2 || ci < 0 || ctx.isConst(other)) return fallback(node, ctx);
    const x = ctx.value(other);
    const bound = ctx.g.floatConst(`${node.name}/${onnxOp === 'Max' ? 'min' : 'max'}`, [], [ctx.constOf(refs[ci])!.data[0]]);
    const out = ctx.g.addNode('Clip', onnxOp === 'Max' ? [x.name, bound] : [x.name, '', bound], node.name);
    ctx.set(node.name, { ...x, name: out });
  };
}

/** Elementwise unary op: keeps the layout. */
function unary(kind: string): OpMapper {
  return (node, ctx) => {
    const [xRef] = dataInputs(node);
    const x = ctx.value(xRef);
    const out = activation(ctx, node, kind, x.name, x.layout, x.rank);
    ctx.set(node.name, { ...x, name: out });
  };
}

const prelu: OpMapper = (node, ctx) => {
  const [xRef, alphaRef] = dataInputs(node);
  const x = ctx.value(xRef);
  const out = activation(ctx, node, 'Prelu', x.name, x.layout, x.rank, alphaRef, x.channels);
  ctx.set(node.name, { ...x, name: out });
};

function pool(onnxOp: 'MaxPool' | 'AveragePool'): OpMapper {
  return (node, ctx) => {
    requireNhwc(node);
    const [xRef] = dataInputs(node);
    const x = ctx.value(xRef);
    if (x.rank !== 4) fail(node, `input rank ${x.rank}, expected 4`);
    const k = attrInts(node, 'ksize') ?? [];
    if (k.length !== 4 || k[0] !== 1 || k[3] !== 1) fail(node, `ksize ${k.join(',')} not supported`);
    // For AveragePool, ONNX's default count_include_pad=0 matches TF SAME (pads not counted).
    const out = ctx.g.addNode(onnxOp, [ctx.asNchw(x)], node.name, [attr.ints('kernel_shape', [k[1], k[2]]), ...spatialAttrs(node, false)]);
    ctx.set(node.name, { name: out, rank: 4, layout: 'nchw', channels: x.channels });
  };
}

/** Pad / PadV2 (constant mode). */
const pad: OpMapper = (node, ctx) => {
  const [xRef, pRef, cRef] = dataInputs(node);
  const x = ctx.value(xRef);
  const p = ctx.requireConst(node, pRef, 'paddings');
  if (p.shape.length !== 2 || p.shape[0] !== x.rank || p.shape[1] !== 2) fail(node, `paddings shape ${p.shape.join('x')} does not fit rank ${x.rank}`);
  const rows: Array<[number, number]> = [];
  for (let i = 0; i < x.rank; i++) rows.push([p.data[2 * i], p.data[2 * i + 1]]);
  const channels = x.rank === 4 && x.channels !== undefined ? x.channels + rows[3][0] + rows[3][1] : undefined;
  // Zero channels appended to a residual shortcut: a 1×1 Conv keeps the graph in NCHWc.
  const fill = cRef === undefined ? 0 : ctx.constOf(cRef)?.data.length === 1 ? ctx.constOf(cRef)!.data[0] : undefined;
  const channelOnly = x.rank === 4 && rows.every(([a, b], i) => (i === 3 ? a === 0 && b > 0 : a === 0 && b === 0));
  if (ctx.nchwcRewrites && channelOnly && fill === 0 && x.layout === 'nchw' && nchwcChannels(x.channels) && nchwcChannels(channels)) {
    const out = channelPadAsConv(ctx, node.name, x.name, x.channels, rows[3][1]);
    ctx.set(node.name, { name: out, rank: 4, layout: 'nchw', channels });
    return;
  }
  const ordered = x.layout === 'nchw' ? NHWC_TO_NCHW.map((d) => rows[d]) : rows;
  const pads = ctx.g.int64Const(`${node.name}/pads`, [...ordered.map((r) => r[0]), ...ordered.map((r) => r[1])]);
  const inputs = [x.name, pads];
  if (cRef !== undefined) inputs.push(ctx.value(cRef).name);
  const out = ctx.g.addNode('Pad', inputs, node.name, [attr.string('mode', 'constant')]);
  ctx.set(node.name, { name: out, rank: x.rank, layout: x.layout, channels });
};

const reshape: OpMapper = (node, ctx) => {
  const [xRef, sRef] = dataInputs(node);
  const x = ctx.value(xRef);
  const shape = ctx.constAsInt64(sRef, node, 'shape');
  // Reshape follows memory order, so it must see the data in TF order.
  const out = ctx.g.addNode('Reshape', [ctx.asTf(x), shape.name], node.name);
  const rank = shape.values.length;
  ctx.set(node.name, { name: out, rank, layout: rank === 4 ? 'nhwc' : 'plain', channels: rank === 4 && shape.values[3] > 0 ? shape.values[3] : undefined });
};

const squeeze: OpMapper = (node, ctx) => {
  const [xRef] = dataInputs(node);
  const x = ctx.value(xRef);
  const axes = (attrInts(node, 'squeeze_dims') ?? attrInts(node, 'axis') ?? []).map((a) => (a < 0 ? a + x.rank : a));
  if (axes.length === 0) fail(node, 'Squeeze without explicit axes is not supported');
  const inputs = [ctx.asTf(x), ctx.g.int64Const(`${node.name}/axes`, axes)];
  const out = ctx.g.addNode('Squeeze', inputs, node.name);
  const rank = x.rank - axes.length;
  ctx.set(node.name, { name: out, rank, layout: rank === 4 ? 'nhwc' : 'plain' });
};

const concat: OpMapper = (node, ctx) => {
  const refs = dataInputs(node);
  const axisRef = refs.pop()!;
  const axisConst = ctx.requireConst(node, axisRef, 'axis');
  const values = refs.map((r) => ctx.value(r));
  const rank = values[0].rank;
  let axis = axisConst.data[0];
  if (axis < 0) axis += rank;
  const nchw = rank === 4 && refs.every((r) => !ctx.isConst(r)) && values.some((v) => v.layout === 'nchw');
  const inputs = values.map((v) => (nchw ? ctx.asNchw(v) : ctx.asTf(v)));
  const out = ctx.g.addNode('Concat', inputs, node.name, [attr.int('axis', nchw ? nchwAxis(axis) : axis)]);
  const sum = axis === 3 ? values.reduce((s, v) => s + (v.channels ?? NaN), 0) : values[0].channels;
  const channels = rank === 4 && sum !== undefined && Number.isFinite(sum) ? sum : undefined;
  ctx.set(node.name, { name: out, rank, layout: nchw ? 'nchw' : rank === 4 ? 'nhwc' : 'plain', channels });
};

/** Mean, Sum, Max, Min over constant axes. */
function reduce(onnxOp: string): OpMapper {
  return (node, ctx) => {
    const [xRef, aRef] = dataInputs(node);
    const x = ctx.value(xRef);
    const a = ctx.requireConst(node, aRef, 'reduction_indices');
    const axes = [...new Set(Array.from(a.data).map((v) => (v < 0 ? v + x.rank : v)))].sort();
    const keep = attrBool(node, 'keep_dims') ?? false;
    // In NCHW the surviving dims must keep their TF order when they are not kept (e.g.
    // reducing H,W of NHWC leaves [N,C] either way); otherwise reduce in TF order.
    const kept = [0, 1, 2, 3].filter((d) => !axes.includes(d));
    const orderSafe = keep || !(kept.includes(3) && (kept.includes(1) || kept.includes(2)));
    const nchw = x.rank === 4 && x.layout === 'nchw' && orderSafe;
    const onnxAxes = nchw ? axes.map(nchwAxis) : axes;
    const input = nchw ? x.name : ctx.asTf(x);
    let out: string;
    const keepAttr = attr.int('keepdims', keep ? 1 : 0);
    if (onnxOp === 'ReduceSum') {
      out = ctx.g.addNode(onnxOp, [input, ctx.g.int64Const(`${node.name}/axes`, onnxAxes)], node.name, [keepAttr]);
    } else {
      out = ctx.g.addNode(onnxOp, [input], node.name, [attr.ints('axes', onnxAxes), keepAttr]);
    }
    const rank = keep ? x.rank : x.rank - axes.length;
    const layout: Layout = rank === 4 ? (nchw ? 'nchw' : 'nhwc') : 'plain';
    ctx.set(node.name, { name: out, rank, layout });
  };
}

const softmax: OpMapper = (node, ctx) => {
  const [xRef] = dataInputs(node);
  const x = ctx.value(xRef);
  const axis = x.layout === 'nchw' ? 1 : -1; // TF Softmax is over the last (channel) dim
  const out = ctx.g.addNode('Softmax', [x.name], node.name, [attr.int('axis', axis)]);
  ctx.set(node.name, { ...x, name: out });
};

const identity: OpMapper = (node, ctx) => {
  const [xRef] = dataInputs(node);
  if (ctx.isConst(xRef)) ctx.setConst(node.name, ctx.constOf(xRef)!);
  else ctx.set(node.name, ctx.value(xRef));
};

/** Every supported TF op. Placeholder and Const are handled by the converter itself. */
export const OP_MAPPERS: Record<string, OpMapper> = {
  Conv2D: conv(false),
  _FusedConv2D: conv(false),
  DepthwiseConv2dNative: conv(true),
  FusedDepthwiseConv2dNative: conv(true), // the tfjs converter's name for the fused depthwise op
  MatMul: matmul,
  _FusedMatMul: matmul,
  Add: binary('Add'),
  AddV2: binary('Add'),
  BiasAdd: binary('Add'),
  Sub: binary('Sub'),
  Mul: binary('Mul'),
  RealDiv: binary('Div'),
  Maximum: clipOrBinary('Max'),
  Minimum: clipOrBinary('Min'),
  Relu: unary('Relu'),
  Relu6: unary('Relu6'),
  Elu: unary('Elu'),
  Sigmoid: unary('Sigmoid'),
  Tanh: unary('Tanh'),
  LeakyRelu: unary('LeakyRelu'),
  Prelu: prelu,
  MaxPool: pool('MaxPool'),
  AvgPool: pool('AveragePool'),
  Pad: pad,
  PadV2: pad,
  Reshape: reshape,
  Squeeze: squeeze,
  ConcatV2: concat,
  Mean: reduce('ReduceMean'),
  Sum: reduce('ReduceSum'),
  Max: reduce('ReduceMax'),
  Min: reduce('ReduceMin'),
  Softmax: softmax,
  Identity: identity,
  StopGradient: identity,
  NoOp: () => undefined,
};

export type { Value };
