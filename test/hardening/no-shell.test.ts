// External programs run only with argument arrays, never through a shell: an audit of src/ that
// fails as soon as someone imports exec/execSync, passes `shell: true`, or builds a command line
// as one string. (Input paths reach ffmpeg as `file:/absolute/path`, see the video tests.)
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/run-cli.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [full] : [];
  });
}

const SRC = path.join(REPO_ROOT, 'src');
/** Source without comments (a comment saying "without a shell: …" is not a shell option). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
const files = sources(SRC).map((f) => ({ rel: path.relative(REPO_ROOT, f), text: code(readFileSync(f, 'utf8')) }));
const ALLOWED = new Set(['spawn', 'execFile', 'spawnSync', 'execFileSync', 'ChildProcess', 'ChildProcessWithoutNullStreams', 'ChildProcessByStdio', 'SpawnOptions']);

describe('process execution in src/', () => {
  it('imports only argument-array APIs from child_process', () => {
    const bad: string[] = [];
    for (const f of files) {
      for (const m of f.text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+['"](?:node:)?child_process['"]/g)) {
        const names = m[1].split(',').map((s) => s.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]).filter(Boolean);
        for (const n of names) if (!ALLOWED.has(n)) bad.push(`${f.rel}: imports ${n}`);
      }
      if (/import\s+\*\s+as\s+\w+\s+from\s+['"](?:node:)?child_process['"]|import\s+\w+\s+from\s+['"](?:node:)?child_process['"]|require\(\s*['"](?:node:)?child_process['"]\s*\)/.test(f.text)) {
        bad.push(`${f.rel}: imports the whole child_process module (use named spawn/execFile)`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('never asks for a shell, by option or by name', () => {
    const bad = files
      .filter((f) => /shell\s*:\s*(?!false\b)[^,}\s]/.test(f.text) || /\b(spawn|execFile)(Sync)?\(\s*['"`](?:\/bin\/|\/usr\/bin\/)?(sh|bash|zsh|dash|cmd(\.exe)?|powershell|pwsh)['"`]/.test(f.text))
      .map((f) => f.rel);
    expect(bad).toEqual([]);
  });

  it('passes arguments as arrays: every spawn/execFile call has an array (or an array variable) second', () => {
    const bad: string[] = [];
    for (const f of files) {
      for (const m of f.text.matchAll(/\b(spawn|execFile|spawnSync|execFileSync)\(\s*([^,()]+(?:\([^()]*\))?)\s*,\s*([^\s,)]+)/g)) {
        const second = m[3];
        // A literal array, or a value whose name says it is one (args, argv, *Args(...)).
        if (!/^\[|^(args|argv)\b|Args\(/.test(second)) bad.push(`${f.rel}: ${m[0]}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the audit sees the calls that exist (it is not vacuous)', () => {
    // The video decoder runs ffmpeg/ffprobe; when it is present the audit must have found its calls.
    const callers = files.filter((f) => /\b(spawn|execFile)\(/.test(f.text)).map((f) => f.rel);
    const hasVideo = files.some((f) => f.rel.startsWith(path.join('src', 'media', 'video')));
    if (hasVideo) expect(callers.length).toBeGreaterThan(0);
    expect(files.length).toBeGreaterThan(20);
  });
});
