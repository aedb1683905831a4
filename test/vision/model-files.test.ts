import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaceDetector } from '../../src/vision/face-detector.js';
import {
  forgetVerifiedModels,
  loadVerifiedModel,
  MODEL_FILES,
  ModelIntegrityError,
  packageRoot,
  resolveModelPath,
  type ModelName,
  verifyModelFiles,
} from '../../src/vision/model-files.js';

describe('model files', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'facedoctor-models-test-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it('finds the package root and the shipped models', () => {
    const root = packageRoot();
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name).toBe('facedoctor');
    for (const name of Object.keys(MODEL_FILES) as ModelName[]) {
      expect(resolveModelPath(name)).toBe(join(root, 'models', MODEL_FILES[name].file));
    }
  });

  it('loads the BlazeFace models with matching sha256', async () => {
    for (const name of ['blazeface-front-128', 'blazeface-back-256'] as const) {
      const bytes = await loadVerifiedModel(name);
      expect(bytes.length).toBe((await readFile(resolveModelPath(name))).length);
    }
  });

  it('rejects a tampered model with ModelIntegrityError naming the file', async () => {
    const name = 'blazeface-front-128';
    const file = MODEL_FILES[name].file;
    const bytes = await readFile(resolveModelPath(name));
    bytes[bytes.length >> 1] ^= 0x01; // flip one bit in the middle of the weights
    await writeFile(join(tmp, file), bytes);

    const err = await loadVerifiedModel(name, { dir: tmp }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelIntegrityError);
    const e = err as ModelIntegrityError;
    expect(e.message).toContain(file);
    expect(e.message).toContain('npm run models:extract');
    expect(e.model).toBe(name);
    expect(e.actualSha256).not.toBe(e.expectedSha256);
    expect(e.actualSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects a missing model with ModelIntegrityError naming the file', async () => {
    const err = await loadVerifiedModel('blazeface-back-256', { dir: join(tmp, 'nowhere') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelIntegrityError);
    expect((err as Error).message).toContain(MODEL_FILES['blazeface-back-256'].file);
    expect((err as Error).message).toContain('missing');
    expect((err as ModelIntegrityError).actualSha256).toBeNull();
  });

  it('refuses to build a detector from a tampered models directory', async () => {
    // The front model was tampered above; give the back model a good copy.
    await copyFile(resolveModelPath('blazeface-back-256'), join(tmp, MODEL_FILES['blazeface-back-256'].file));
    expect(existsSync(join(tmp, MODEL_FILES['blazeface-front-128'].file))).toBe(true);
    await expect(FaceDetector.load({ modelsDir: tmp })).rejects.toBeInstanceOf(ModelIntegrityError);
  });

  it('hands the bytes verifyModelFiles checked to the next load once, without reading the file again', async () => {
    const dir = join(tmp, 'handoff');
    await mkdir(dir);
    for (const name of Object.keys(MODEL_FILES) as ModelName[]) await copyFile(resolveModelPath(name), join(dir, MODEL_FILES[name].file));
    await verifyModelFiles({ dir });
    // Tamper with the files after the check: the handed-over bytes are the checked ones.
    for (const name of ['blazeface-front-128', 'blazeface-back-256'] as const) await writeFile(join(dir, MODEL_FILES[name].file), 'damaged');
    const handed = await loadVerifiedModel('blazeface-front-128', { dir });
    expect(handed.length).toBe((await readFile(resolveModelPath('blazeface-front-128'))).length);
    // Taken once: the next load reads the (now damaged) file and refuses it.
    await expect(loadVerifiedModel('blazeface-front-128', { dir })).rejects.toBeInstanceOf(ModelIntegrityError);
    // Forgotten after start-up: unclaimed bytes are not kept.
    forgetVerifiedModels();
    await expect(loadVerifiedModel('blazeface-back-256', { dir })).rejects.toBeInstanceOf(ModelIntegrityError);
  });
});
