// Small graph clean-ups after conversion: merge chains of clamps (Relu / Clip) into one Clip,
// and drop initializers nothing reads.

import type { GraphBuilder, OnnxNode, OnnxTensor } from './onnx-ir.js';

function scalarOf(inits: Map<string, OnnxTensor>, name: string | undefined): number | undefined {
  if (name === undefined || name === '') return undefined;
  const t = inits.get(name);
  if (!t || !(t.data instanceof Float32Array) || t.data.length !== 1) return undefined;
  return t.data[0];
}

/** [lo, hi] of a Relu or a Clip with constant (or absent) bounds. */
function bounds(n: OnnxNode, inits: Map<string, OnnxTensor>): [number, number] | undefined {
  if (n.opType === 'Relu') return [0, Infinity];
  if (n.opType !== 'Clip') return undefined;
  const [, lo, hi] = n.inputs;
  const l = lo ? scalarOf(inits, lo) : -Infinity;
  const h = hi ? scalarOf(inits, hi) : Infinity;
  return l === undefined || h === undefined ? undefined : [l, h];
}

/**
 * clamp(clamp(x, a1, b1), a2, b2) = clamp(x, max(a1, a2), min(b1, b2)) whenever that interval
 * is not empty. Merges until nothing changes; the first node's output must have no other reader.
 */
export function mergeClampChains(g: GraphBuilder, graphOutputs: ReadonlySet<string>): number {
  let merged = 0;
  for (let changed = true; changed; ) {
    changed = false;
    const inits = new Map(g.initializers.map((t) => [t.name, t]));
    const readers = new Map<string, OnnxNode[]>();
    for (const n of g.nodes) for (const i of n.inputs) readers.set(i, [...(readers.get(i) ?? []), n]);
    for (const a of g.nodes) {
      const ba = bounds(a, inits);
      if (!ba || graphOutputs.has(a.outputs[0])) continue;
      const r = readers.get(a.outputs[0]) ?? [];
      if (r.length !== 1) continue;
      const b = r[0];
      const bb = bounds(b, inits);
      if (!bb || b.inputs[0] !== a.outputs[0]) continue;
      const lo = Math.max(ba[0], bb[0]);
      const hi = Math.min(ba[1], bb[1]);
      if (!(lo <= hi)) continue;
      if (lo === 0 && hi === Infinity) {
        b.opType = 'Relu';
        b.inputs = [a.inputs[0]];
      } else {
        b.opType = 'Clip';
        b.inputs = [
          a.inputs[0],
          lo === -Infinity ? '' : g.floatConst(`${b.name}/min`, [], [lo]),
          ...(hi === Infinity ? [] : [g.floatConst(`${b.name}/max`, [], [hi])]),
        ];
      }
      b.attributes = [];
      g.nodes.splice(g.nodes.indexOf(a), 1);
      merged++;
      changed = true;
      break;
    }
  }
  return merged;
}

/** Removes initializers that no node reads and that are not graph outputs. */
export function pruneInitializers(g: GraphBuilder, graphOutputs: ReadonlySet<string>): void {
  const used = new Set(g.nodes.flatMap((n) => n.inputs));
  const keep = g.initializers.filter((t) => used.has(t.name) || graphOutputs.has(t.name));
  g.initializers.splice(0, g.initializers.length, ...keep);
}
