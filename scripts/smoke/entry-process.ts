// Node, Bun and Deno: the built package exactly as the runtime loads it (dist/index.js and its
// dependencies from node_modules); run.ts bundles only this file and cases.ts, leaving dist out.
import * as lib from "../../src/index.js"; // run.ts swaps in the built dist/index.js
import { smoke } from "./cases.js";

console.log(JSON.stringify(await smoke(lib)));
