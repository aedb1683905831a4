// --expect on a real clip, end to end: the face mesh runs on sampled frames, so a blink is judged
// from eye opening (not reported as "cannot check"). In fellway__me.mp4 the subject closes his
// eyes from about 6.9 s to 7.7 s (checked by eye on a frame strip), and keeps his mouth closed.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, runCli } from '../helpers/run-cli.js';

const CLIP = path.resolve(REPO_ROOT, '../shared/data/video/fellway__me.mp4');

describe.skipIf(!existsSync(CLIP))('liveness actions on a real clip (../shared/data/video)', () => {
  it('sees the eye closure through the face mesh and reports the mouth action as not done', async () => {
    const run = await runCli(['check', '--format', 'json', '--expect', 'blink,open-mouth', CLIP]);
    const r = JSON.parse(run.stdout).results[0];
    expect(r.kind).toBe('video');
    expect(r.metrics['action.blink.seen']).toBe(true);
    expect(r.metrics['action.blink.at']).toBeGreaterThanOrEqual(6.5);
    expect(r.metrics['action.blink.at']).toBeLessThanOrEqual(7.8);
    const missing = r.causes.filter((c: { code: string }) => c.code === 'action-missing');
    expect(missing.map((c: { measured: { action: string; checkable: boolean } }) => c.measured)).toEqual([{ action: 'open-mouth', checkable: true }]);
    expect(run.code).toBe(1);
  }, 120_000);
});
