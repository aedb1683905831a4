// A set of file paths that costs a fixed ~50 bytes per entry whatever the path length: resume and
// merge must remember every finished input, and paths in audit trees are often 100+ characters.
// Paths are kept as 96-bit SHA-1 prefixes; a false "already seen" needs a collision among
// ~2^48 paths, far beyond any audit.
import { createHash } from 'node:crypto';

export class FileSet {
  private readonly keys = new Set<string>();

  private static key(file: string): string {
    return createHash('sha1').update(file, 'utf8').digest('base64').slice(0, 16);
  }

  has(file: string): boolean {
    return this.keys.has(FileSet.key(file));
  }

  /** Adds the file; false when it was already there. */
  add(file: string): boolean {
    const k = FileSet.key(file);
    if (this.keys.has(k)) return false;
    this.keys.add(k);
    return true;
  }

  get size(): number {
    return this.keys.size;
  }
}
