// Where the repository and the shared real clips are, for the video tools.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder above this module whose package.json is facedoctor's. */
export function repoRootDir(): string {
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

/** The real clips beside the repository (../shared/data/video); never copied into it. */
export function sharedVideoDir(): string {
  return resolve(repoRootDir(), '..', 'shared', 'data', 'video');
}
