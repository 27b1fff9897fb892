// Cloudflare workerd, without nodejs_compat: an ES module worker answering every request with the
// smoke result. run.ts bundles it with the built package and its dependencies.
import * as lib from "../../src/index.js"; // run.ts swaps in the built dist/index.js
import { smoke } from "./cases.js";

export default {
  async fetch(): Promise<Response> {
    return new Response(JSON.stringify(await smoke(lib)), { headers: { "content-type": "application/json" } });
  },
};
