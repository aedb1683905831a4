// node dist/tools/tfjs-to-onnx/cli.js <model.json> <out.onnx> [--input NAME] [--output TF_TENSOR[=NAME]]...
// Converts one tfjs graph model (json + shards next to it) to ONNX and prints what it did.

import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { convertTfjsGraphModel, type OutputSpec } from './convert.js';
import { readTfjsGraphModel } from './reader.js';

async function main(argv: string[]): Promise<number> {
  const positional: string[] = [];
  const outputs: OutputSpec[] = [];
  let inputName: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--input') inputName = argv[++i];
    else if (a === '--output') {
      const [tensor, name] = (argv[++i] ?? '').split('=');
      outputs.push({ tensor, name });
    } else if (a === '-h' || a === '--help') positional.length = 99;
    else positional.push(a);
  }
  if (positional.length !== 2) {
    console.error('usage: cli.js <model.json> <out.onnx> [--input NAME] [--output TF_TENSOR[=NAME]]...');
    return 2;
  }
  const [src, dest] = positional;
  const model = await readTfjsGraphModel(src);
  const { bytes, opCounts, model: onnx } = convertTfjsGraphModel(model, { inputName, outputs: outputs.length ? outputs : undefined });
  await writeFile(dest, bytes);
  console.log(`${createHash('sha256').update(bytes).digest('hex')}  ${dest}  (${bytes.length} bytes)`);
  console.log(`TF ops: ${Object.entries(opCounts).map(([op, n]) => `${op}×${n}`).join(' ')}`);
  console.log(`inputs: ${onnx.graph.inputs.map((v) => `${v.name}[${v.shape?.join(',')}]`).join(' ')}`);
  console.log(`outputs: ${onnx.graph.outputs.map((v) => `${v.name}[${v.shape?.join(',') ?? '?'}]`).join(' ')}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
