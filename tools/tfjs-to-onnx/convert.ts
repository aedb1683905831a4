// tfjs graph model → ONNX model: walks the TF graph from the requested outputs back to the
// input, maps each node with ops.ts and serialises the result with writer.ts.

import { Context, ConversionError, dataInputs, normalizeRef } from './context.js';
import { OnnxDataType, type OnnxDim, type OnnxModel } from './onnx-ir.js';
import { OP_MAPPERS } from './ops.js';
import { mergeClampChains, pruneInitializers } from './optimize.js';
import { shapeDims, signatureOf, type TfjsGraphModel, type TfNode } from './reader.js';
import { serializeModel } from './writer.js';

export const CONVERTER_NAME = 'facedoctor tfjs-to-onnx';
export const CONVERTER_VERSION = '1';
export const OPSET = 13;
export const IR_VERSION = 7;

export interface OutputSpec {
  /** TF tensor: a node name, optionally with ":k". */
  tensor: string;
  /** ONNX output name (defaults to the TF name with ":0" dropped). */
  name?: string;
}

export interface ConvertOptions {
  /** ONNX name of the (single) input; defaults to the TF Placeholder name. */
  inputName?: string;
  /** Outputs in order; defaults to the signature's outputs, else the graph's sink nodes. */
  outputs?: OutputSpec[];
  /**
   * Store weights that tfjs kept as float16 as FLOAT16 initializers + Cast (values identical,
   * file half the size). Default true.
   */
  float16Weights?: boolean;
  /**
   * Emit PRelu and channel-only Pad as depthwise / 1×1 Convs that onnxruntime's NCHWc layout
   * keeps (nchwc.ts; equal up to float rounding). Default true.
   */
  nchwcRewrites?: boolean;
  /** Merge Relu/Clip chains (e.g. Relu→Minimum(6)→Maximum(0) into one Clip). Default true. */
  optimize?: boolean;
  /** Symbolic name of a dynamic batch dimension. Default "N". */
  batchDim?: string;
  /**
   * Declare the height and width of a rank-4 (NHWC) input as symbolic dims "H" and "W" instead of
   * the sizes in the TF graph, for fully convolutional networks that end in a global pooling:
   * onnxruntime then runs any input size (cost roughly proportional to the pixels) without the
   * file being patched. Default false.
   */
  dynamicSpatial?: boolean;
  /** Added to the model's metadata_props (e.g. provenance). */
  metadata?: Record<string, string>;
  docString?: string;
  graphName?: string;
}

export interface ConversionResult {
  model: OnnxModel;
  bytes: Uint8Array;
  /** TF ops converted (count by op), for reports. */
  opCounts: Record<string, number>;
}

function defaultOutputs(model: TfjsGraphModel): OutputSpec[] {
  const sig = signatureOf(model.json);
  if (sig?.outputs && Object.keys(sig.outputs).length > 0) {
    return Object.values(sig.outputs).map((o) => ({ tensor: o.name }));
  }
  const nodes = model.json.modelTopology.node;
  const consumed = new Set(nodes.flatMap((n) => dataInputs(n).map((r) => r.split(':')[0])));
  return nodes.filter((n) => n.op !== 'Const' && !consumed.has(n.name)).map((n) => ({ tensor: n.name }));
}

/** Nodes needed for `outputs`, in dependency order. */
function topoSort(byName: Map<string, TfNode>, outputs: string[]): TfNode[] {
  const order: TfNode[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: Array<{ node: TfNode; next: number }> = [];
  const push = (name: string): void => {
    const node = byName.get(name);
    if (!node) throw new ConversionError(`graph has no node ${name}`);
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new ConversionError(`graph has a cycle through ${name}`);
    state.set(name, 'visiting');
    stack.push({ node, next: 0 });
  };
  for (const out of outputs) {
    push(out.split(':')[0]);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const inputs = (top.node.input ?? []).map((r) => (r.startsWith('^') ? r.slice(1) : r).split(':')[0]);
      if (top.next < inputs.length) {
        push(inputs[top.next++]);
      } else {
        stack.pop();
        state.set(top.node.name, 'done');
        order.push(top.node);
      }
    }
  }
  return order;
}

export function convertTfjsGraphModel(model: TfjsGraphModel, options: ConvertOptions = {}): ConversionResult {
  const nodes = model.json.modelTopology.node;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const outputs = (options.outputs ?? defaultOutputs(model)).map((o) => ({
    tensor: normalizeRef(o.tensor) ?? o.tensor,
    name: o.name ?? normalizeRef(o.tensor) ?? o.tensor,
  }));
  if (outputs.length === 0) throw new ConversionError('no outputs');
  const batchDim = options.batchDim ?? 'N';
  const ctx = new Context(options.float16Weights ?? true, options.nchwcRewrites ?? true);
  const opCounts: Record<string, number> = {};
  let placeholders = 0;

  for (const o of outputs) ctx.g.reserve(o.name);

  for (const node of topoSort(byName, outputs.map((o) => o.tensor))) {
    opCounts[node.op] = (opCounts[node.op] ?? 0) + 1;
    if (node.op === 'Const') {
      const t = model.weights.get(node.name);
      if (!t) throw new ConversionError(`Const ${node.name} has no data in the weights manifest`);
      ctx.setConst(node.name, t);
      continue;
    }
    if (node.op === 'Placeholder') {
      if (++placeholders > 1) throw new ConversionError('only single-input models are supported');
      const dtype = node.attr?.dtype?.type;
      if (dtype !== undefined && dtype !== 'DT_FLOAT') throw new ConversionError(`input ${node.name} has dtype ${dtype}; only DT_FLOAT is supported`);
      const dims = shapeDims(node.attr?.shape?.shape?.dim);
      if (options.dynamicSpatial && dims.length === 4) {
        dims[1] = -1;
        dims[2] = -1;
      }
      const spatialNames = ['H', 'W'];
      const name = options.inputName ?? node.name;
      ctx.g.reserve(name);
      ctx.g.inputs.push({
        name,
        elemType: OnnxDataType.FLOAT,
        shape: dims.map((d, i): OnnxDim => (d >= 0 ? d : i === 0 ? batchDim : options.dynamicSpatial && (i === 1 || i === 2) ? spatialNames[i - 1] : `${name}_dim${i}`)),
      });
      ctx.set(node.name, { name, rank: dims.length, layout: dims.length === 4 ? 'nhwc' : 'plain', channels: dims.length === 4 && dims[3] > 0 ? dims[3] : undefined });
      continue;
    }
    const mapper = OP_MAPPERS[node.op];
    if (!mapper) throw new ConversionError(`op ${node.op} (node ${node.name}) is not supported`);
    mapper(node, ctx);
  }

  // Graph outputs, in TF layout, under their public names.
  const sig = signatureOf(model.json);
  const sigShapes = new Map(Object.values(sig?.outputs ?? {}).map((o) => [normalizeRef(o.name) ?? o.name, shapeDims(o.tensorShape?.dim)]));
  const inputBatchDynamic = ctx.g.inputs[0]?.shape?.[0] === batchDim;
  const graphValues = new Set([...ctx.g.inputs.map((i) => i.name), ...ctx.g.initializers.map((i) => i.name)]);
  /** internal value name → the public name it was renamed to */
  const renamed = new Map<string, string>();
  for (const o of outputs) {
    if (ctx.isConst(o.tensor)) throw new ConversionError(`output ${o.tensor} is a constant`);
    const v = ctx.value(o.tensor);
    const tf = ctx.asTf(v);
    const current = renamed.get(tf);
    if (current !== undefined || graphValues.has(tf)) {
      // Already public under another name, or not produced by a node: copy it.
      ctx.g.nodes.push({ name: o.name, opType: 'Identity', inputs: [current ?? tf], outputs: [o.name], attributes: [] });
    } else {
      ctx.g.renameValue(tf, o.name);
      renamed.set(tf, o.name);
    }
    const dims = sigShapes.get(o.tensor);
    let shape: OnnxDim[] | undefined;
    if (dims && dims.length === v.rank) {
      shape = dims.map((d, i): OnnxDim => (i === 0 && inputBatchDynamic ? batchDim : d >= 0 ? d : `${o.name}_dim${i}`));
    }
    ctx.g.outputs.push({ name: o.name, elemType: OnnxDataType.FLOAT, shape });
  }

  const outputNames = new Set(outputs.map((o) => o.name));
  if (options.optimize ?? true) mergeClampChains(ctx.g, outputNames);
  pruneInitializers(ctx.g, outputNames);

  const onnx: OnnxModel = {
    irVersion: IR_VERSION,
    opsetVersion: OPSET,
    producerName: CONVERTER_NAME,
    producerVersion: CONVERTER_VERSION,
    docString: options.docString,
    metadata: {
      ...(model.json.generatedBy ? { source_generated_by: model.json.generatedBy } : {}),
      ...(model.json.convertedBy ? { source_converted_by: model.json.convertedBy } : {}),
      ...options.metadata,
    },
    graph: ctx.g.build(options.graphName ?? 'tfjs_graph'),
  };
  return { model: onnx, bytes: serializeModel(onnx), opCounts };
}

/** True when every op of the graph has a mapper (reports the unsupported ones otherwise). */
export function unsupportedOps(model: TfjsGraphModel): string[] {
  const ops = new Set(model.json.modelTopology.node.map((n) => n.op));
  return [...ops].filter((op) => op !== 'Const' && op !== 'Placeholder' && !OP_MAPPERS[op]).sort();
}

