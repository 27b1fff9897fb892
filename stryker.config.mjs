// Mutation testing of the engine with StrykerJS: `npm run test:mutation` (docs/testing.md).
// Not run in CI: a full run takes hours on two cores. One file at a time:
//   npm run test:mutation -- --mutate src/match/number.ts
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.stryker.config.ts" },
  mutate: [
    "src/match/number.ts",
    "src/match/address.ts",
    "src/match/trunk-match.ts",
    "src/match/rule-match.ts",
    "src/match/rule-conflicts.ts",
    "src/resolve/evaluate.ts",
    "src/resolve/dispatch-index.ts",
    "src/resolve/trunk-index.ts",
    "src/resolve/sharded-map.ts",
    "src/resolve/sorted-chunks.ts",
    "src/resolve/scopes.ts",
    "src/resolve/dispatch-state.ts",
    "src/resolve/compile.ts",
    "src/lifecycle/update.ts",
    "src/lifecycle/list-update.ts",
    "src/lifecycle/conflicts.ts",
  ],
  // Each mutant runs only the tests that reach it.
  coverageAnalysis: "perTest",
  concurrency: 2,
  timeoutMS: 60_000,
  tempDirName: ".stryker-tmp",
  ignorePatterns: ["dist", "coverage", "reports", "playground", "server", "docs", ".ci"],
  reporters: ["clear-text", "progress-append-only", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  thresholds: { high: 95, low: 90, break: null },
};
