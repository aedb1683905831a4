// Where the first result's time goes: one fresh process walks the CLI's single-file path
// (`facedoctor check FILE`) phase by phase and prints wall and CPU ms per phase as JSON.
// `npm run bench` runs it several times and keeps the fastest of each phase; run it alone with
// `node dist/tools/startup-phases.js FILE`.
//
// The phases follow the order the CLI meets them. Module imports are split so each heavy package
// shows alone (imported before the modules that would pull it in); the sessions are split by
// model. The last phase checks the same file again, warm, to show what the first file pays for
// being first (cold JIT, first allocations in onnxruntime and libvips).

const phases: Array<{ phase: string; wallMs: number; cpuMs: number }> = [];
let wall0 = performance.now();
let cpu0 = process.cpuUsage();
const startCpu = cpu0;
phases.push({ phase: 'node start (process start to this script)', wallMs: wall0, cpuMs: (startCpu.user + startCpu.system) / 1000 });

function lap(phase: string): void {
  const cpu = process.cpuUsage(cpu0);
  const now = performance.now();
  phases.push({ phase, wallMs: now - wall0, cpuMs: (cpu.user + cpu.system) / 1000 });
  wall0 = now;
  cpu0 = process.cpuUsage();
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node dist/tools/startup-phases.js IMAGE\n');
  process.exit(2);
}

await import('commander');
await import('../src/cli/main.js');
lap('import commander + cli/main');
await import('../src/cli/commands/check.js');
lap('import cli/commands/check (batch, output, report)');
await import('../src/media/sharp.js');
lap('import sharp (incl. libvips)');
await import('onnxruntime-node');
lap('import onnxruntime-node');
const { createChecker } = await import('../src/pipeline/check.js');
const { loadProfile } = await import('../src/config/profile.js');
const { verifyModelFiles } = await import('../src/vision/model-files.js');
const { getSession } = await import('../src/vision/ort-session.js');
lap('import pipeline (analyzers, vision, report)');
const profile = loadProfile();
await verifyModelFiles();
lap('read + sha256 of the model files');
await getSession('blazeface-front-128');
lap('session blazeface-front-128 (incl. onnxruntime init)');
await getSession('blazeface-back-256');
lap('session blazeface-back-256');
const checker = await createChecker({ profile });
lap('createChecker (face mesh + faceres sessions)');
const first = await checker.check(file);
lap('first check (cold)');
await checker.check(file);
lap('same file again (warm)');
process.stdout.write(JSON.stringify({ file, verdict: first.verdict, phases }) + '\n');
await checker.close();
