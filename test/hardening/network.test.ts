// No network at run time. The CLI runs with a preload (sentinel.cjs) that records and refuses
// every socket, DNS lookup, HTTP request and fetch in the main thread and in worker threads; and a
// local TCP server stands in for "the internet" for anything the preload cannot see (ffmpeg and
// other child processes). Inputs include bait: a playlist and an SVG that point at that server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO_ROOT } from '../helpers/run-cli.js';
import { FORMATS } from '../../src/cli/output.js';
import { networkAttempts, parseResults, removeScratchDirs, runGuarded, scratchDir, SENTINEL } from './helpers.js';

afterAll(removeScratchDirs);

let server: Server;
let connections = 0;
let port = 0;
let dir: string;

beforeAll(async () => {
  server = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  dir = scratchDir('fd-net-');
  copyFileSync(path.join(REPO_ROOT, 'fixtures/astronaut.png'), path.join(dir, 'astronaut.png'));
  const clean = path.join(REPO_ROOT, 'fixtures/synthetic/clean');
  if (existsSync(clean)) for (const f of readdirSync(clean).slice(0, 3)) copyFileSync(path.join(clean, f), path.join(dir, f));
  writeFileSync(path.join(dir, 'playlist.mp4'), `#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1.0,\n${url}/segment.ts\n#EXT-X-ENDLIST\n`);
  writeFileSync(path.join(dir, 'remote.png'), `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><image href="${url}/x.png" width="8" height="8"/></svg>`);
  // A real clip, so the video path (ffprobe/ffmpeg) runs too once it is in the build.
  try {
    const ffmpeg = (createRequire(import.meta.url)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    execFileSync(ffmpeg, ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '1', '-c:v', 'mpeg4', path.join(dir, 'clip.mp4')], { stdio: 'ignore' });
  } catch {
    // no ffmpeg here: the images and the bait still run
  }
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the network sentinel', () => {
  it('catches sockets, DNS, HTTP and fetch in the main thread and in worker threads (control)', async () => {
    const script = `
      const tryIt = (f) => { try { const p = f(); if (p && p.catch) p.catch(() => {}); } catch {} };
      tryIt(() => require('node:net').connect(${port}, '127.0.0.1'));
      tryIt(() => require('node:dns').lookup('example.com', () => {}));
      tryIt(() => require('node:http').get('http://127.0.0.1:${port}/'));
      tryIt(() => fetch('http://127.0.0.1:${port}/'));
      const { Worker } = require('node:worker_threads');
      new Worker("try { require('node:net').connect(${port}, '127.0.0.1') } catch {}", { eval: true });
    `;
    const log = path.join(scratchDir('fd-sentinel-control-'), 'log');
    execFileSync(process.execPath, ['-e', script], { env: { ...process.env, NODE_OPTIONS: `--require ${SENTINEL}`, FD_SENTINEL_LOG: log } });
    const { readFileSync } = await import('node:fs');
    const records = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const apis = records.filter((r) => r.kind === 'network').map((r) => `${r.api}@${r.thread === 0 ? 'main' : 'worker'}`);
    expect(apis).toEqual(expect.arrayContaining(['net.connect@main', 'dns.lookup@main', 'http.get@main', 'fetch@main', 'net.connect@worker']));
    expect(connections).toBe(0);
  });
});

describe('a real check run', () => {
  const formats = ['ndjson', ...(FORMATS.includes('html' as never) ? ['html'] : [])];
  for (const format of formats) {
    it(`opens no socket and contacts no server (--format ${format})`, async () => {
      const out = path.join(scratchDir('fd-net-out-'), `report.${format}`);
      const run = await runGuarded(['check', '--format', format, '--output', out, dir], { killAfterMs: 50_000 });
      expect(run.code, run.stderr).not.toBe(2);
      expect(run.records.some((r) => r.kind === 'loaded'), 'the sentinel was not preloaded').toBe(true);
      expect(networkAttempts(run)).toEqual([]);
      expect(connections, 'something (ffmpeg, librsvg, a child process) connected to the bait server').toBe(0);
      if (format === 'ndjson') {
        const { readFileSync } = await import('node:fs');
        const results = parseResults(readFileSync(out, 'utf8'));
        expect(results.find((r) => r.file.endsWith('playlist.mp4'))?.error?.code).toBe('unsupported-format');
        expect(results.find((r) => r.file.endsWith('remote.png'))?.error?.code).toBe('unsupported-format');
        expect(results.filter((r) => r.verdict !== 'error').length).toBeGreaterThan(0);
      }
    }, 60_000);
  }
});
