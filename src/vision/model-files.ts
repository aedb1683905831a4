// Registry of the model files shipped in models/, and the only way code should read them:
// every byte that reaches onnxruntime is sha256-checked first, so a truncated download, a
// half-finished `npm run models:extract` or a tampered file fails loudly here instead of
// producing silently wrong detections (or crashing inside the native runtime).

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface ModelFile {
  /** File name inside models/. */
  file: string;
  /** Lower-case hex sha256 of the file's bytes. */
  sha256: string;
  /** The npm script that rebuilds the file in a source checkout (named in integrity errors). */
  rebuild: 'models:extract' | 'models:convert';
}

/**
 * Every model the tool can load. To add one: put the file in models/ (documented in
 * models/README.md) and add one line here. The key is the name used everywhere else.
 */
export const MODEL_FILES = {
  'blazeface-front-128': { file: 'blazeface-front-128.onnx', sha256: 'd388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51', rebuild: 'models:extract' },
  'blazeface-back-256': { file: 'blazeface-back-256.onnx', sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2', rebuild: 'models:extract' },
  // Landmark and face-description models, converted from tfjs by tools/tfjs-to-onnx (models/README.md).
  facemesh: { file: 'facemesh.onnx', sha256: 'fd340fe9ccdb32301ae63f6cb4045765a642de1aa8b33c69603a7b1317455158', rebuild: 'models:convert' },
  faceres: { file: 'faceres.onnx', sha256: '55220ea576010eee68da8c485b2b25d89d69d991bdb8030bfab266e6ce317ae0', rebuild: 'models:convert' },
  iris: { file: 'iris.onnx', sha256: 'd7a3bbc925a0f22a0666625f73f23ddaebc90003c7b4c68445c5f2cc08c1e616', rebuild: 'models:convert' },
} as const satisfies Record<string, ModelFile>;

export type ModelName = keyof typeof MODEL_FILES;

export function isModelName(name: string): name is ModelName {
  return Object.prototype.hasOwnProperty.call(MODEL_FILES, name);
}

/** Thrown when a model file is missing or its bytes do not match the pinned sha256. */
export class ModelIntegrityError extends Error {
  override readonly name = 'ModelIntegrityError';
  constructor(
    message: string,
    readonly model: string,
    readonly path: string,
    readonly expectedSha256: string,
    /** null when the file could not be read at all. */
    readonly actualSha256: string | null,
  ) {
    super(message);
  }
}

const PACKAGE_NAME = 'facedoctor';
let cachedRoot: string | undefined;

/**
 * The package root: the nearest ancestor of this module holding a package.json named
 * "facedoctor". Works both from the sources (src/vision/, under vitest) and from the
 * compiled output (dist/src/vision/), and when installed under someone's node_modules/.
 */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) {
          cachedRoot = dir;
          return dir;
        }
      } catch {
        // An unreadable or invalid package.json on the way up is not ours; keep walking.
      }
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(`cannot find the ${PACKAGE_NAME} package root above ${start}`);
}

/** Environment variable naming another models/ directory (tests, custom installs). Files there
 *  are still checked against the pinned sha256, so it cannot smuggle in other weights. */
export const MODELS_DIR_ENV = 'FACEDOCTOR_MODELS_DIR';

/** The models/ directory: $FACEDOCTOR_MODELS_DIR when set, else the installed package's. */
export function modelsDir(): string {
  const override = process.env[MODELS_DIR_ENV];
  return override ? resolve(override) : join(packageRoot(), 'models');
}

/** Absolute path of a model file; `dir` overrides the models/ directory (tests, custom installs). */
export function resolveModelPath(name: ModelName, dir?: string): string {
  return join(dir ?? modelsDir(), MODEL_FILES[name].file);
}

export interface LoadModelOptions {
  /** Read the file from this directory instead of the package's models/. */
  dir?: string;
}

const remedy = (entry: ModelFile) => `Reinstall facedoctor, or from a source checkout run \`npm run ${entry.rebuild}\`.`;

/**
 * Reads a model's bytes and checks their sha256 against the registry. Throws
 * ModelIntegrityError (naming the file) when the file is missing, unreadable or altered.
 */
export async function loadVerifiedModel(name: ModelName, options: LoadModelOptions = {}): Promise<Uint8Array> {
  const entry: ModelFile = MODEL_FILES[name];
  if (!entry) throw new Error(`unknown model "${String(name)}"`);
  const path = resolveModelPath(name, options.dir);
  const checked = verifiedBytes.get(path);
  if (checked) {
    verifiedBytes.delete(path);
    return checked;
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : `cannot be read (${(err as Error).message})`;
    throw new ModelIntegrityError(`model file ${entry.file} ${why} at ${path}. ${remedy(entry)}`, name, path, entry.sha256, null);
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== entry.sha256) {
    throw new ModelIntegrityError(
      `model file ${entry.file} at ${path} is corrupt or was modified: sha256 ${actual}, expected ${entry.sha256}. ${remedy(entry)}`,
      name,
      path,
      entry.sha256,
      actual,
    );
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Checks every registered model file before any of them is handed to onnxruntime. Callers that
 * start several sessions at once use it so a damaged file fails them all up front, instead of
 * one failing while another session is still being built natively (a worker thread torn down
 * in that state aborts the whole process).
 */
export async function verifyModelFiles(options: LoadModelOptions = {}): Promise<void> {
  const names = Object.keys(MODEL_FILES) as ModelName[];
  const bytes = await Promise.all(names.map((name) => loadVerifiedModel(name, options)));
  names.forEach((name, i) => verifiedBytes.set(resolveModelPath(name, options.dir), bytes[i]));
}

/**
 * Bytes verifyModelFiles() has read and hashed, by path, until a session takes them: the
 * sessions created right after it then do not read and hash the same files again (about 30 ms
 * of CPU at start-up for the five models). In memory only, so they stay checked bytes.
 */
const verifiedBytes = new Map<string, Uint8Array>();

/** Drops the bytes no session took (models not needed by this run), once start-up is over. */
export function forgetVerifiedModels(): void {
  verifiedBytes.clear();
}
