// Shared by the analyzer tests: run the real pipeline (decode → BlazeFace → analyzers) on files,
// and list fixtures and the shared real photos.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeImage, type ImageAnalysis } from '../../src/pipeline/analyze-image.js';
import { IMAGE_ANALYZERS } from '../../src/analyzers/index.js';
import { loadProfile, type Profile } from '../../src/config/profile.js';
import { decodeImage, type DecodedImage } from '../../src/media/decode-image.js';
import type { RgbImage } from '../../src/media/raster.js';
import { FaceDetector } from '../../src/vision/face-detector.js';
import type { Finding } from '../../src/types.js';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURES = join(root, 'fixtures/synthetic');
export const SHARED = resolve(root, '../shared/data');
export const hasShared = existsSync(join(SHARED, 'clean')) && existsSync(join(SHARED, 'blur'));

export function fixtures(label: string): string[] {
  const dir = join(FIXTURES, label);
  return readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().map((f) => join(dir, f));
}

export function sharedFiles(label: string): string[] {
  const dir = join(SHARED, label);
  return readdirSync(dir).filter((f) => /\.(jpe?g|png)$/i.test(f)).sort().map((f) => join(dir, f));
}

export const sourceOf = (file: string) => file.split('/').pop()!.split('__')[0];

let detector: Promise<FaceDetector> | undefined;
export function getDetector(): Promise<FaceDetector> {
  detector ??= FaceDetector.load();
  return detector;
}

export interface Analysed extends ImageAnalysis {
  file: string;
  codes: string[];
  find(code: string): Finding | undefined;
}

/** Analyze already-decoded pixels with the real detector and every image analyzer. */
export async function analyzePixels(image: RgbImage, scale = 1, file = '(pixels)', profile: Profile = loadProfile()): Promise<Analysed> {
  const det = await getDetector();
  const faces = await det.detect(image, { minScore: Math.min(0.5, profile.values['face.minScore']) });
  const a = analyzeImage(image, scale, faces, profile, IMAGE_ANALYZERS);
  return { ...a, file, codes: a.findings.map((f) => f.code), find: (c) => a.findings.find((f) => f.code === c) };
}

export async function decode(file: string): Promise<DecodedImage> {
  return decodeImage(new Uint8Array(await readFile(file)), file);
}

export async function analyzeFile(file: string, profile?: Profile): Promise<Analysed> {
  const d = await decode(file);
  return analyzePixels(d.image, d.scale, file, profile);
}

export async function analyzeAll(files: string[]): Promise<Analysed[]> {
  const out: Analysed[] = [];
  for (const f of files) out.push(await analyzeFile(f));
  return out;
}

export const short = (f: string) => f.split('/').slice(-2).join('/');
