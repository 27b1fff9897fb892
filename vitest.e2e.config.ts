import { defineConfig } from "vitest/config";

// End-to-end tests in a real browser (test/**/*.e2e.ts), run after the main suite by `npm test`
// so a headless Chromium never competes with the main suite for the CPU.
export default defineConfig({
  test: {
    include: ["test/**/*.e2e.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
