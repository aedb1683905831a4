// The one way facedoctor loads sharp: through its CommonJS entry.
//
// Under Node 20, `import 'sharp'` (its ES module entry: a graph of .mjs files that also imports
// package.json with an import attribute, semver and detect-libc through the ESM loader) takes
// about twice as long as `require('sharp')`, and every `check` pays it before its first result
// (docs/PERFORMANCE.md, start-up phases). Both entries wrap the same native addon; loading only
// this one also keeps a single copy of sharp's JavaScript in the process.
import { createRequire } from 'node:module';
import type SharpModule from 'sharp';

export type { KernelEnum, Metadata, OutputInfo, Sharp } from 'sharp';

const sharp: typeof SharpModule = createRequire(import.meta.url)('sharp');
export default sharp;
