// Serialises an OnnxModel (onnx-ir.ts) to ONNX protobuf bytes with protobufjs, using the
// subset of onnx.proto (field numbers as in onnx/onnx.proto, IR version 7+) that the
// converter needs. Repeated scalars are written packed, which every protobuf parser accepts.

import protobuf from 'protobufjs';
import type { OnnxAttribute, OnnxModel, OnnxTensor, OnnxValueInfo } from './onnx-ir.js';

const ONNX_SUBSET = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: { type: 'string', id: 1 },
            f: { type: 'float', id: 2 },
            i: { type: 'int64', id: 3 },
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            floats: { rule: 'repeated', type: 'float', id: 7 },
            ints: { rule: 'repeated', type: 'int64', id: 8 },
            type: { type: 'int32', id: 20 },
          },
        },
        ValueInfoProto: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'TypeProto', id: 2 },
          },
        },
        NodeProto: {
          fields: {
            input: { rule: 'repeated', type: 'string', id: 1 },
            output: { rule: 'repeated', type: 'string', id: 2 },
            name: { type: 'string', id: 3 },
            opType: { type: 'string', id: 4 },
            attribute: { rule: 'repeated', type: 'AttributeProto', id: 5 },
            domain: { type: 'string', id: 7 },
          },
        },
        ModelProto: {
          fields: {
            irVersion: { type: 'int64', id: 1 },
            producerName: { type: 'string', id: 2 },
            producerVersion: { type: 'string', id: 3 },
            domain: { type: 'string', id: 4 },
            modelVersion: { type: 'int64', id: 5 },
            docString: { type: 'string', id: 6 },
            graph: { type: 'GraphProto', id: 7 },
            opsetImport: { rule: 'repeated', type: 'OperatorSetIdProto', id: 8 },
            metadataProps: { rule: 'repeated', type: 'StringStringEntryProto', id: 14 },
          },
        },
        StringStringEntryProto: {
          fields: {
            key: { type: 'string', id: 1 },
            value: { type: 'string', id: 2 },
          },
        },
        GraphProto: {
          fields: {
            node: { rule: 'repeated', type: 'NodeProto', id: 1 },
            name: { type: 'string', id: 2 },
            initializer: { rule: 'repeated', type: 'TensorProto', id: 5 },
            input: { rule: 'repeated', type: 'ValueInfoProto', id: 11 },
            output: { rule: 'repeated', type: 'ValueInfoProto', id: 12 },
          },
        },
        TensorProto: {
          fields: {
            dims: { rule: 'repeated', type: 'int64', id: 1 },
            dataType: { type: 'int32', id: 2 },
            name: { type: 'string', id: 8 },
            rawData: { type: 'bytes', id: 9 },
          },
        },
        TensorShapeProto: {
          fields: {
            dim: { rule: 'repeated', type: 'Dimension', id: 1 },
          },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dimValue', 'dimParam'] } },
              fields: {
                dimValue: { type: 'int64', id: 1 },
                dimParam: { type: 'string', id: 2 },
              },
            },
          },
        },
        TypeProto: {
          fields: {
            tensorType: { type: 'Tensor', id: 1 },
          },
          nested: {
            Tensor: {
              fields: {
                elemType: { type: 'int32', id: 1 },
                shape: { type: 'TensorShapeProto', id: 2 },
              },
            },
          },
        },
        OperatorSetIdProto: {
          fields: {
            domain: { type: 'string', id: 1 },
            version: { type: 'int64', id: 2 },
          },
        },
      },
    },
  },
};

/** AttributeProto.AttributeType */
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7 } as const;

let modelType: protobuf.Type | undefined;

function getModelType(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SUBSET).lookupType('onnx.ModelProto');
  return modelType;
}

/** Little-endian bytes of a typed array (copies, so the caller's buffer is never aliased). */
function littleEndianBytes(data: OnnxTensor['data']): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  if (data instanceof Float32Array) data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  else if (data instanceof Int32Array) data.forEach((v, i) => view.setInt32(4 * i, v, true));
  else if (data instanceof BigInt64Array) data.forEach((v, i) => view.setBigInt64(8 * i, v, true));
  else if (data instanceof Uint16Array) data.forEach((v, i) => view.setUint16(2 * i, v, true));
  else out.set(data);
  return out;
}

function tensorMessage(t: OnnxTensor): Record<string, unknown> {
  return { dims: t.dims, dataType: t.dataType, name: t.name, rawData: littleEndianBytes(t.data) };
}

function attributeMessage(a: OnnxAttribute): Record<string, unknown> {
  const base = { name: a.name, type: ATTRIBUTE_TYPE[a.type] };
  switch (a.type) {
    case 'int':
      return { ...base, i: a.value };
    case 'float':
      return { ...base, f: a.value };
    case 'string':
      return { ...base, s: new TextEncoder().encode(a.value) };
    case 'ints':
      return { ...base, ints: a.value };
    case 'floats':
      return { ...base, floats: a.value };
    case 'tensor':
      return { ...base, t: tensorMessage(a.value) };
  }
}

function valueInfoMessage(v: OnnxValueInfo): Record<string, unknown> {
  const tensorType: Record<string, unknown> = { elemType: v.elemType };
  if (v.shape) tensorType.shape = { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
  return { name: v.name, type: { tensorType } };
}

/** The model as ONNX protobuf bytes. */
export function serializeModel(model: OnnxModel): Uint8Array {
  const g = model.graph;
  const message = {
    irVersion: model.irVersion,
    producerName: model.producerName,
    producerVersion: model.producerVersion,
    docString: model.docString ?? '',
    opsetImport: [{ domain: '', version: model.opsetVersion }],
    metadataProps: Object.entries(model.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: g.name,
      node: g.nodes.map((n) => ({
        name: n.name,
        opType: n.opType,
        input: n.inputs,
        output: n.outputs,
        attribute: n.attributes.map(attributeMessage),
      })),
      initializer: g.initializers.map(tensorMessage),
      input: g.inputs.map(valueInfoMessage),
      output: g.outputs.map(valueInfoMessage),
    },
  };
  const type = getModelType();
  const err = type.verify(message);
  if (err) throw new Error(`internal error: invalid ONNX message: ${err}`);
  return type.encode(type.fromObject(message)).finish();
}
