import { defineConfig } from "vitest/config";

// The tests StrykerJS runs against each mutant of the engine (stryker.config.mjs): the unit,
// example and property tests of matching, resolution, the compiled index and the lifecycle. Not
// the CLI (subprocesses), the package checks (a build), lint, or the timed hostile-input suite.
// Properties try a fifth of their cases (test/runs.ts): every mutant runs them again.
export default defineConfig({
  test: {
    include: ["test/match/**/*.test.ts", "test/resolve/**/*.test.ts", "test/lifecycle/**/*.test.ts", "test/coverage-gaps.test.ts"],
    setupFiles: ["test/stryker-setup.ts"],
    env: { FC_RUNS_SCALE: "0.2", FC_UPDATE_RUNS: "30" },
    testTimeout: 60_000,
  },
});
