// Exact rewrites of the two ops that knock onnxruntime's CPU NCHWc layout off a MobileNet-style
// graph (facemesh, iris): PRelu and the channel-only Pad of a residual shortcut.
//
// Why: at graphOptimizationLevel 'all' onnxruntime runs Conv / pools / Add / Relu in a blocked
// "NCHWc" layout (8 channels per block with AVX2, 16 with AVX-512). An op it cannot run there gets
// a ReorderOutput before and a ReorderInput after it, and every later elementwise op that mixes
// a reordered and a blocked tensor falls back too. PRelu and Pad are such ops, and facemesh/iris
// put a PRelu after every block: in the original conversion about half the run time was PRelu
// plus reorders. Depthwise 1×1 Convs (group = C) and identity 1×1 Convs are NCHWc ops, and an Add
// after a single-use Conv is fused into that Conv, so the rewritten graphs stay blocked from the
// first Conv to the heads.
//
// Only applied when the channel count is a multiple of 16 (a whole number of blocks for both
// block sizes); otherwise the op is emitted as is.

import { attr } from './onnx-ir.js';
import type { Context } from './context.js';

/** Channel counts the rewrites accept: whole NCHWc blocks on both AVX2 (8) and AVX-512 (16). */
export const NCHWC_CHANNEL_MULTIPLE = 16;

export function nchwcChannels(channels: number | undefined): channels is number {
  return channels !== undefined && channels > 0 && channels % NCHWC_CHANNEL_MULTIPLE === 0;
}

/** x·w per channel, as a depthwise 1×1 Conv. */
function channelScale(ctx: Context, base: string, x: string, w: Float32Array): string {
  const weight = ctx.g.floatConst(`${base}_w`, [w.length, 1, 1, 1], w);
  return ctx.g.addNode('Conv', [x, weight], base, [attr.int('group', w.length), attr.ints('kernel_shape', [1, 1])]);
}

/**
 * PRelu(y) with per-channel slopes `alpha` (length C, NCHW data), as
 *   y + (1 − α)·Relu(−y)
 * which is y where y ≥ 0 and α·y where y < 0. Nodes: depthwise Conv(−1) → Relu (fused into that
 * Conv), depthwise Conv(1 − α), Add (fused into the second Conv). Equal to PRelu up to one
 * float32 rounding of (1 − α) and of the product (|Δ| ≈ 1e-7 relative), bit-exact where y ≥ 0.
 */
export function preluAsConvs(ctx: Context, base: string, y: string, alpha: Float32Array): string {
  const negated = channelScale(ctx, `${base}/negate`, y, new Float32Array(alpha.length).fill(-1));
  const negativePart = ctx.g.addNode('Relu', [negated], `${base}/negative_part`);
  const scaled = channelScale(ctx, `${base}/scale`, negativePart, alpha.map((a) => 1 - a));
  return ctx.g.addNode('Add', [y, scaled], base);
}

/**
 * Pad(x) that appends `extra` zero channels to `channels` (NCHW), as a 1×1 Conv whose weight
 * is the identity on the first `channels` outputs and zero on the rest. Exact: each output is
 * 1·x or a sum of 0·x terms.
 */
export function channelPadAsConv(ctx: Context, base: string, x: string, channels: number, extra: number): string {
  const out = channels + extra;
  const w = new Float32Array(out * channels);
  for (let c = 0; c < channels; c++) w[c * channels + c] = 1;
  // 0 and 1 are exact in float16: store the (mostly zero) matrix at half the size.
  const weight = ctx.float16Weights ? ctx.g.float16Const(`${base}/identity_w`, [out, channels, 1, 1], w) : ctx.g.floatConst(`${base}/identity_w`, [out, channels, 1, 1], w);
  return ctx.g.addNode('Conv', [x, weight], base, [attr.ints('kernel_shape', [1, 1])]);
}
