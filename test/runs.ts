import fc from "fast-check";

// How many cases each property tries. Mutation testing (vitest.stryker.config.ts) runs every
// property once per mutant, so it scales them down with FC_RUNS_SCALE; `npm test` runs them in full.

const SCALE = Number(process.env.FC_RUNS_SCALE ?? "1");

/** fast-check parameters for a property that tries `n` cases in a normal run. */
export const runs = (n: number): { numRuns: number } => ({ numRuns: Math.max(10, Math.round(n * SCALE)) });

/** Scales fast-check's default (100 cases) the same way; the mutation-testing config calls it first. */
export function scaleDefaultRuns(): void {
  fc.configureGlobal({ numRuns: runs(100).numRuns });
}
