import { defineConfig } from "tsup";

// Two builds: the ESM build imports nanoid as usual; the CJS build bundles it,
// because nanoid 5 is ESM-only and `require("nanoid")` fails on older Node 20.
// A third builds the `sip-dispatch` bin: ESM only, with a shebang, no declarations.
export default defineConfig([
  {
    entry: { index: "src/index.ts" },
    format: ["esm"],
    dts: true,
    sourcemap: true,
    target: "node20",
    outDir: "dist",
  },
  {
    entry: { index: "src/index.ts" },
    format: ["cjs"],
    dts: true,
    sourcemap: true,
    target: "node20",
    outDir: "dist",
    noExternal: ["nanoid"],
  },
  {
    entry: { cli: "src/cli.ts" },
    format: ["esm"],
    dts: false,
    sourcemap: true,
    target: "node20",
    outDir: "dist",
    banner: { js: "#!/usr/bin/env node" },
  },
]);
