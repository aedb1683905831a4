// --profile takes a name or a JSON file, both user input: names and keys that happen to be
// properties of every JavaScript object (__proto__, constructor, toString) must be rejected like
// any unknown name — a usage error (exit 2) without a stack trace — never crash or be accepted.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { removeScratchDirs, runGuarded, scratchDir, STACK_FRAME } from './helpers.js';

afterAll(removeScratchDirs);

const IMAGE = 'fixtures/astronaut.png';
const dir = scratchDir('fd-profile-');
const file = (name: string, body: unknown) => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof body === 'string' ? body : JSON.stringify(body));
  return p;
};

describe('hostile --profile values', () => {
  const cases: Array<[string, string]> = [
    ['built-in name __proto__', '__proto__'],
    ['built-in name constructor', 'constructor'],
    ['built-in name toString', 'toString'],
    ['a file extending hasOwnProperty', file('extends.json', { extends: 'hasOwnProperty', thresholds: {} })],
    ['a file overriding "constructor"', file('ctor.json', { thresholds: { constructor: 5 } })],
    ['a file overriding "__proto__"', file('proto.json', '{"thresholds":{"__proto__":5}}')],
    ['a file that is not JSON', file('broken.json', '{"thresholds": ')],
    ['a file holding an array', file('array.json', [1, 2, 3])],
  ];
  it('each is a usage error: exit 2, a message about the profile, no stack trace, nothing on stdout', async () => {
    const problems: string[] = [];
    for (const [what, profile] of cases) {
      const run = await runGuarded(['check', '--format', 'ndjson', '--profile', profile, IMAGE], { killAfterMs: 30_000 });
      if (run.code !== 2) problems.push(`${what}: exit ${run.code}${run.stdout ? ' (and results on stdout: accepted)' : ''}`);
      if (STACK_FRAME.test(run.stderr)) problems.push(`${what}: stack trace on stderr: ${JSON.stringify(run.stderr.split('\n')[0])}`);
      else if (run.code === 2 && !/profile|threshold/i.test(run.stderr)) problems.push(`${what}: unclear message ${JSON.stringify(run.stderr)}`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
