// Model files are verified against their pinned sha256 before onnxruntime sees a byte: a tampered
// or missing file stops the run with exit 2 and a message naming the file (no stack trace), for
// one input (checked in-process) and for several (checked in worker threads).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { MODELS_DIR_ENV } from '../../src/vision/model-files.js';
import { parseResults, removeScratchDirs, runGuarded, scratchDir, STACK_FRAME } from './helpers.js';

afterAll(removeScratchDirs);

const IMAGE = 'fixtures/astronaut.png';
const TARGET = 'blazeface-front-128.onnx';

function copyModels(): string {
  const dir = scratchDir('fd-models-');
  for (const f of readdirSync(path.join(REPO_ROOT, 'models'))) {
    if (f.endsWith('.onnx')) copyFileSync(path.join(REPO_ROOT, 'models', f), path.join(dir, f));
  }
  return dir;
}

let intact: string;
let tampered: string;
let missing: string;
beforeAll(() => {
  intact = copyModels();
  tampered = copyModels();
  const bytes = readFileSync(path.join(tampered, TARGET));
  bytes[bytes.length >> 1] ^= 0x01; // one bit: same size, different weights
  writeFileSync(path.join(tampered, TARGET), bytes);
  missing = copyModels();
  rmSync(path.join(missing, TARGET));
});

describe(`${MODELS_DIR_ENV} and model verification`, () => {
  it('an intact copy elsewhere is used normally', async () => {
    const run = await runGuarded(['check', '--format', 'ndjson', IMAGE], { env: { [MODELS_DIR_ENV]: intact } });
    expect(run.code).not.toBe(2);
    expect(parseResults(run.stdout)[0].verdict).not.toBe('error');
  });

  for (const inputs of [[IMAGE], [IMAGE, 'fixtures/astronaut.png']]) {
    it(`a one-bit change in ${TARGET} stops the run with exit 2 naming the file (${inputs.length} input(s))`, async () => {
      const run = await runGuarded(['check', '--format', 'ndjson', ...inputs], { env: { [MODELS_DIR_ENV]: tampered }, killAfterMs: 40_000 });
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(TARGET);
      expect(run.stderr).toMatch(/sha256/);
      expect(run.stderr).toContain(tampered);
      expect(run.stderr).not.toMatch(STACK_FRAME);
    }, 60_000);
  }

  it(`a missing ${TARGET} stops the run with exit 2 and says what to do`, async () => {
    const run = await runGuarded(['check', '--format', 'ndjson', IMAGE], { env: { [MODELS_DIR_ENV]: missing } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(TARGET);
    expect(run.stderr).toMatch(/missing/);
    expect(run.stderr).not.toMatch(STACK_FRAME);
  });
});
