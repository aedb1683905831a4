// Which ffmpeg/ffprobe decode videos: the system's when both are on PATH (usually newer, with the
// distribution's codec set), otherwise the static builds shipped inside the npm packages
// @ffmpeg-installer/ffmpeg and @ffprobe-installer/ffprobe, so `npm ci` alone is enough.
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runTool } from './run-tool.js';

export type DecoderSource = 'system ffmpeg' | 'bundled ffmpeg';

export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string;
  source: DecoderSource;
  /** First line of `ffmpeg -version`, e.g. "ffmpeg version 6.1.1-3 Copyright…". */
  version: string;
  /** Parsed major version when the build says one (git snapshots don't). */
  major?: number;
}

export class DecoderMissingError extends Error {
  override name = 'DecoderMissingError';
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `which`, without a shell: the first executable `name` along PATH. */
export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  const exe = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function bundledBinaries(): { ffmpeg: string; ffprobe: string } | undefined {
  const require = createRequire(import.meta.url);
  try {
    const ffmpeg = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    const ffprobe = (require('@ffprobe-installer/ffprobe') as { path: string }).path;
    return { ffmpeg, ffprobe };
  } catch {
    return undefined; // platform without a bundled build, or the optional package was not installed
  }
}

let cached: Promise<FfmpegTools> | undefined;

/**
 * Finds the decoder once per process. `FACEDOCTOR_FFMPEG=bundled` forces the packaged binaries
 * (used by the benchmark to compare both).
 */
export function locateFfmpeg(): Promise<FfmpegTools> {
  cached ??= locate().catch((e) => {
    cached = undefined;
    throw e;
  });
  return cached;
}

async function locate(): Promise<FfmpegTools> {
  const forceBundled = process.env.FACEDOCTOR_FFMPEG === 'bundled';
  const sysFfmpeg = forceBundled ? undefined : findOnPath('ffmpeg');
  const sysFfprobe = forceBundled ? undefined : findOnPath('ffprobe');
  let tools: Omit<FfmpegTools, 'version' | 'major'> | undefined;
  if (sysFfmpeg && sysFfprobe) tools = { ffmpeg: sysFfmpeg, ffprobe: sysFfprobe, source: 'system ffmpeg' };
  else {
    const b = bundledBinaries();
    if (b) tools = { ...b, source: 'bundled ffmpeg' };
  }
  if (!tools) {
    throw new DecoderMissingError('no ffmpeg found: install ffmpeg (e.g. `apt-get install ffmpeg`) or reinstall facedoctor so its bundled ffmpeg is present');
  }
  const out = await runTool(tools.ffmpeg, ['-hide_banner', '-version'], { maxOutputBytes: 64 * 1024, timeoutMs: 15_000 });
  if (out.code !== 0) throw new DecoderMissingError(`${tools.ffmpeg} does not run (exit ${out.code}): ${out.stderr.trim().slice(0, 200)}`);
  const version = out.stdout.split('\n')[0]?.trim() ?? 'unknown';
  const m = /ffmpeg version n?(\d+)\.(\d+)/i.exec(version);
  return { ...tools, version, ...(m ? { major: Number(m[1]) } : {}) };
}

/** Lines for `facedoctor --version --verbose`. */
export async function describeDecoder(): Promise<string[]> {
  try {
    const t = await locateFfmpeg();
    return [`video decoder: ${t.source} (${t.version})`, `  ffmpeg:  ${t.ffmpeg}`, `  ffprobe: ${t.ffprobe}`];
  } catch (e) {
    return [`video decoder: none (${(e as Error).message})`];
  }
}
