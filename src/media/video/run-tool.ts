// Runs a short-lived external tool (ffprobe, ffmpeg -version) with an argument array — never a
// shell — and collects its output up to a cap, with a time limit and an abort signal.
import { spawn } from 'node:child_process';

export interface ToolRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunToolOptions {
  maxOutputBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function runTool(cmd: string, args: readonly string[], o: RunToolOptions = {}): Promise<ToolRun> {
  const cap = o.maxOutputBytes ?? 4 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: false, windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outLen = 0;
    let errLen = 0;
    child.stdout.on('data', (b: Buffer) => {
      if (outLen < cap) out.push(b);
      outLen += b.length;
    });
    child.stderr.on('data', (b: Buffer) => {
      if (errLen < cap) err.push(b);
      errLen += b.length;
    });
    const kill = () => child.kill('SIGKILL');
    const timer = o.timeoutMs ? setTimeout(kill, o.timeoutMs) : undefined;
    o.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => {
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', kill);
      reject(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      o.signal?.removeEventListener('abort', kill);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
