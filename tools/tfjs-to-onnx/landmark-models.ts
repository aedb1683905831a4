// How each landmark model is converted: ONNX names for the TF input/outputs, and the fixed
// provenance strings. Shared by scripts/convert-landmark-models.mjs (which writes models/) and
// the parity test (which checks the committed files are exactly what this produces).

import { CONVERTER_NAME, CONVERTER_VERSION, convertTfjsGraphModel, type ConversionResult, type OutputSpec } from './convert.js';
import { HUMAN_MODELS_PACKAGE, HUMAN_MODELS_VERSION, type HumanModelName, type HumanModelsDir } from './human-models.js';
import { readTfjsGraphModel } from './reader.js';

export interface LandmarkConversion {
  name: HumanModelName;
  /** NHWC input size (square) of the source graph. */
  size: number;
  /** Emit the input's height and width as symbolic dims (ConvertOptions.dynamicSpatial). */
  dynamicSpatial?: boolean;
  outputs: Array<Required<OutputSpec>>;
}

export const LANDMARK_CONVERSIONS: readonly LandmarkConversion[] = [
  {
    name: 'facemesh',
    size: 192,
    outputs: [
      { tensor: 'Identity_2:0', name: 'mesh' }, // [N,1404] = 468 × (x, y, z) in crop pixels
      { tensor: 'Identity_1:0', name: 'faceflag' }, // [N,1] face presence, sigmoid
      { tensor: 'Identity:0', name: 'contours' }, // [N,266] = 133 × (x, y)
    ],
  },
  {
    name: 'iris',
    size: 64,
    outputs: [{ tensor: 'Identity:0', name: 'landmarks' }], // [N,1,1,228] = (71 eye + 5 iris) × (x, y, z)
  },
  {
    name: 'faceres',
    size: 224,
    // Convolutional up to a global mean: the pipeline runs it at smaller, non-square sizes.
    dynamicSpatial: true,
    outputs: [
      { tensor: 'global_pooling/Mean', name: 'embedding' }, // [N,1024]
      { tensor: 'gender_pred/Sigmoid:0', name: 'gender' }, // [N,1]
      { tensor: 'age_pred/Softmax:0', name: 'age' }, // [N,100]
      // [N,H/8,W/8,256] stride-8 features (NHWC), pooled over the eye band by the pipeline
      { tensor: 'conv_pw_5_relu/clip_by_value', name: 'features_s8' },
    ],
  },
];

export const LANDMARK_INPUT_NAME = 'input';

export async function convertLandmarkModel(models: HumanModelsDir, conversion: LandmarkConversion): Promise<ConversionResult> {
  const { name, outputs, dynamicSpatial } = conversion;
  const pkg = `${HUMAN_MODELS_PACKAGE}@${HUMAN_MODELS_VERSION}`;
  const src = await readTfjsGraphModel(models.jsonPath(name));
  return convertTfjsGraphModel(src, {
    inputName: LANDMARK_INPUT_NAME,
    outputs,
    dynamicSpatial,
    graphName: name,
    docString: `${name} from ${pkg} (models/${name}.json), converted by ${CONVERTER_NAME} ${CONVERTER_VERSION}`,
    metadata: { source_package: pkg, source_file: `models/${name}.json`, license: 'MIT' },
  });
}
