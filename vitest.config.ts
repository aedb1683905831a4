import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: tests that load ONNX models or spawn the CLI are heavy; keep the pool small.
    maxWorkers: 2,
  },
});
