// The analyzer registry: order here is the order causes are reported within a verdict level.
import type { Analyzer } from './analyzer.js';
import { facesAnalyzer } from './faces.js';
import { exposureAnalyzer } from './exposure.js';
import { lightingAnalyzer } from './lighting.js';
import { flickerAnalyzer } from './flicker.js';
import { sharpnessAnalyzer } from './sharpness.js';
import { framingAnalyzer } from './framing.js';
import { OBSTRUCTION_ANALYZERS } from './obstructions/index.js';

export const IMAGE_ANALYZERS: readonly Analyzer[] = [
  facesAnalyzer,
  exposureAnalyzer,
  lightingAnalyzer,
  flickerAnalyzer,
  sharpnessAnalyzer,
  framingAnalyzer,
  ...OBSTRUCTION_ANALYZERS,
];

export type { Analyzer } from './analyzer.js';
