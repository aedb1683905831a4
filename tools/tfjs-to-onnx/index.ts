// Public surface of the converter (development-time tool; its outputs are committed).
export { convertTfjsGraphModel, unsupportedOps, CONVERTER_NAME, CONVERTER_VERSION, OPSET, IR_VERSION } from './convert.js';
export type { ConvertOptions, ConversionResult, OutputSpec } from './convert.js';
export { readTfjsGraphModel, decodeWeights, decodeWeightsGroup, signatureOf } from './reader.js';
export { float16ToFloat32, float32ToFloat16 } from './float16.js';
export type { TfjsGraphModel, TfjsGraphModelJson, TfNode, TfTensor, WeightSpec, WeightsGroup } from './reader.js';
export { serializeModel } from './writer.js';
export { ConversionError } from './context.js';
