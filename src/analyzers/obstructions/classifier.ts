// The obstruction classifiers: one logistic regression per cause over the face embedding (faceres,
// square-rooted) and the region features (features.ts). Trained by tools/train-obstructions.ts,
// which writes the weights to weights.ts with the standardisation folded in, so scoring is one
// dot product per head.
import { FEATURE_NAMES } from './features.js';

export const OBSTRUCTION_HEADS = ['mask', 'sunglasses', 'bangs', 'headwear'] as const;
export type ObstructionHead = (typeof OBSTRUCTION_HEADS)[number];

export interface LogisticHead {
  bias: number;
  /** One weight per embedding dimension, applied to sqrt(max(0, e)). */
  embedding: readonly number[];
  /** Same for the eye-band descriptor (EYE_DESCRIPTOR_SIZE); empty for a head that does not use it. */
  eyeEmbedding: readonly number[];
  /** One weight per region feature, FEATURE_NAMES order. */
  features: readonly number[];
}

export interface ObstructionModel {
  /** Bumped when features or embedding crop change: weights from another version do not apply. */
  featureVersion: number;
  featureNames: readonly string[];
  heads: Record<ObstructionHead, LogisticHead>;
}

/** Version of features.ts + the embedding crop that weights must have been trained on. */
export const FEATURE_VERSION = 3; // 3: eye band pooled from the face crop's faceres features (was a second faceres run)

/** Which heads also read the eye-band embedding (chosen by grouped cross-validation: bangs does
 *  better without it, the others better with it). */
export const USES_EYE_EMBEDDING: Record<ObstructionHead, boolean> = { mask: true, sunglasses: true, bangs: false, headwear: true };

export const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/** The embedding as the classifiers read it (the square root tames faceres' heavy-tailed activations). */
export function embeddingInput(embedding: ArrayLike<number>): Float64Array {
  // A plain loop: Float64Array.from with a map function walks the iterator protocol, which cost
  // ~0.06 ms per embedding (twice per analyzer that scores, per face).
  const out = new Float64Array(embedding.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.sqrt(Math.max(0, embedding[i]));
  return out;
}

export function logit(head: LogisticHead, emb: ArrayLike<number>, eyeEmb: ArrayLike<number>, features: ArrayLike<number>): number {
  let z = head.bias;
  for (let i = 0; i < head.embedding.length; i++) z += head.embedding[i] * emb[i];
  for (let i = 0; i < head.eyeEmbedding.length; i++) z += head.eyeEmbedding[i] * eyeEmb[i];
  for (let i = 0; i < head.features.length; i++) z += head.features[i] * features[i];
  return z;
}

/** Probability per cause for one face. */
export function scoreObstructions(
  model: ObstructionModel,
  embedding: ArrayLike<number>,
  eyeEmbedding: ArrayLike<number>,
  features: ArrayLike<number>,
): Record<ObstructionHead, number> {
  if (model.featureVersion !== FEATURE_VERSION || model.featureNames.length !== FEATURE_NAMES.length) {
    throw new Error(`obstruction weights were trained on feature version ${model.featureVersion}; retrain with npm run train:obstructions`);
  }
  const e = embeddingInput(embedding);
  const ee = embeddingInput(eyeEmbedding);
  const out = {} as Record<ObstructionHead, number>;
  for (const h of OBSTRUCTION_HEADS) out[h] = sigmoid(logit(model.heads[h], e, ee, features));
  return out;
}
