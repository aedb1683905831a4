// Paths, the shared data manifest, image listing and writing, for the fixture/eval tools.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RgbImage } from '../../src/media/raster.js';
import type { Box } from '../../src/types.js';
import { toSharp } from './pixels.js';

/** The repository root: the nearest folder above this module whose package.json is facedoctor's. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'facedoctor') return dir;
      } catch {
        // not ours; keep climbing
      }
    }
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
}

/** Real labelled photos kept beside the repo (never copied into it). */
export function sharedDataDir(): string {
  return resolve(repoRoot(), '..', 'shared', 'data');
}

export const IMAGE_EXTS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.heic', '.heif', '.avif', '.tif', '.tiff', '.bmp', '.gif']);
export const VIDEO_EXTS = new Set(['.mp4', '.mov', '.m4v', '.webm', '.mkv', '.avi']);

export function isImageFile(f: string): boolean {
  return IMAGE_EXTS.has(extname(f).toLowerCase());
}

export function isMediaFile(f: string): boolean {
  const e = extname(f).toLowerCase();
  return IMAGE_EXTS.has(e) || VIDEO_EXTS.has(e);
}

/** Files under dir (recursive), sorted, filtered. Hidden entries are skipped. */
export async function listFiles(dir: string, keep: (f: string) => boolean): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && keep(p)) out.push(p);
    }
  };
  await walk(dir);
  return out.sort();
}

/** `<source>__rest` → `source`; files without the prefix have none. */
export function sourceOf(file: string): string | null {
  const b = basename(file);
  const i = b.indexOf('__');
  return i > 0 ? b.slice(0, i) : null;
}

// ---------------------------------------------------------------- manifest.csv

/** RFC 4180 CSV: quoted fields, doubled quotes, CR/LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.length > 1 || row[0] !== '') rows.push(row);
      row = [];
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface ManifestRow {
  /** Path relative to the data folder, e.g. `clean/nuaa__0001_00_00_01_0.jpg`. */
  file: string;
  label: string;
  source: string;
  width: number;
  height: number;
  face: Box | null;
  facesDetected: number | null;
}

/** Rows of the shared data manifest keyed by relative file path; empty when the file is absent. */
export function readManifest(csvPath: string): Map<string, ManifestRow> {
  const out = new Map<string, ManifestRow>();
  if (!existsSync(csvPath)) return out;
  const [head, ...rows] = parseCsv(readFileSync(csvPath, 'utf8'));
  if (!head) return out;
  const col = (name: string) => head.indexOf(name);
  const num = (r: string[], name: string) => {
    const i = col(name);
    const v = i >= 0 ? Number(r[i]) : NaN;
    return i >= 0 && r[i] !== '' && Number.isFinite(v) ? v : null;
  };
  for (const r of rows) {
    const file = r[col('file')];
    if (!file) continue;
    const fx = num(r, 'face_x');
    const fy = num(r, 'face_y');
    const fw = num(r, 'face_w');
    const fh = num(r, 'face_h');
    out.set(file, {
      file,
      label: r[col('label')] ?? '',
      source: r[col('source')] ?? '',
      width: num(r, 'width') ?? 0,
      height: num(r, 'height') ?? 0,
      face: fx !== null && fy !== null && fw && fh ? { x: fx, y: fy, width: fw, height: fh } : null,
      facesDetected: num(r, 'n_faces_detected'),
    });
  }
  return out;
}

// ---------------------------------------------------------------- writing

export async function writeImage(img: RgbImage, file: string, opts: { quality?: number } = {}): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const s = toSharp(img);
  const ext = extname(file).toLowerCase();
  if (ext === '.png') await s.png({ compressionLevel: 9, adaptiveFiltering: true }).toFile(file);
  else if (ext === '.jpg' || ext === '.jpeg') await s.jpeg({ quality: opts.quality ?? 90, chromaSubsampling: '4:2:0' }).toFile(file);
  else throw new Error(`unsupported output format: ${file}`);
}
