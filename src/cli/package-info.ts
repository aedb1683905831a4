// The tool's own name and version, read from package.json at run time (one source of truth).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { name: string; version: string; root: string } | undefined;

export function packageInfo(): { name: string; version: string; root: string } {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'facedoctor') return (cached = { name: pkg.name, version: pkg.version ?? '0.0.0', root: dir });
    } catch {
      // keep walking up
    }
    const up = path.dirname(dir);
    if (up === dir) return (cached = { name: 'facedoctor', version: '0.0.0', root: process.cwd() });
    dir = up;
  }
}
