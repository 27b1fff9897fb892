import { defineConfig } from "tsup";

// Two builds. The ESM build holds the library and the `sip-dispatch` bin, which share their code
// through chunks (the bin's shebang is the first line of src/cli.ts; esbuild keeps it). The CJS
// build is the library alone, with @noble/hashes bundled, because @noble/hashes 2 is ESM-only and
// `require()` of an ES module fails on older Node 20.
export default defineConfig([
  {
    entry: { index: "src/index.ts", cli: "src/cli.ts" },
    format: ["esm"],
    splitting: true,
    dts: { entry: { index: "src/index.ts" } },
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
    noExternal: ["@noble/hashes"],
  },
]);
