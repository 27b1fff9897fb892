import fc from "fast-check";

// How many cases each property tries. Mutation testing (vitest.stryker.config.ts) runs every
// property once per mutant, so it scales them down with FC_RUNS_SCALE; `npm test` runs them in full.

const SCALE = Number(process.env.FC_RUNS_SCALE ?? "1");

/** fast-check parameters for a property that tries `n` cases in a normal run. */
export const runs = (n: number): { numRuns: number } => ({ numRuns: Math.max(10, Math.round(n * SCALE)) });

/**
 * For mutation testing: fast-check's default (100 cases) scaled the same way, and a fixed seed.
 * StrykerJS runs each mutant's tests by the names it saw in its first run, and @fast-check/vitest
 * puts the seed in each property's name ("… (with seed=N)"): with a new seed per run, no property
 * would ever run against a mutant.
 */
export function configureForMutationTesting(): void {
  fc.configureGlobal({ numRuns: runs(100).numRuns, seed: 20261202 });
}
