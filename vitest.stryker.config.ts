import { defineConfig } from "vitest/config";

// The tests StrykerJS runs against each mutant of the engine (stryker.config.json): the unit,
// example and property tests of matching, resolution, the compiled index and the lifecycle. Not
// the CLI (subprocesses), the package checks (a build), lint, or the timed hostile-input suite.
export default defineConfig({
  test: {
    include: ["test/match/**/*.test.ts", "test/resolve/**/*.test.ts", "test/lifecycle/**/*.test.ts", "test/coverage-gaps.test.ts"],
    testTimeout: 60_000,
  },
});
