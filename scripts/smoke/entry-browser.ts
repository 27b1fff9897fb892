// Headless Chromium: a module script that leaves the smoke result (or the error) on the page.
// run.ts bundles it with the built package and its dependencies.
import * as lib from "../../src/index.js"; // run.ts swaps in the built dist/index.js
import { smoke } from "./cases.js";

const page = globalThis as { smokeDone?: Promise<string> };
page.smokeDone = smoke(lib).then(
  (result) => JSON.stringify(result),
  (error: unknown) => JSON.stringify({ error: String(error instanceof Error ? error.stack : error) }),
);
