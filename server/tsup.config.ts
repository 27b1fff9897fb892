import { defineConfig } from "tsup";

// One ESM build: the library entry and the `sip-dispatch-server` bin share chunks. `sip-dispatch`
// and the wire/redis/metrics libraries stay external (they are dependencies).
export default defineConfig({
  entry: { index: "src/index.ts", cli: "src/cli.ts" },
  format: ["esm"],
  splitting: true,
  dts: { entry: { index: "src/index.ts" } },
  sourcemap: true,
  target: "node20",
  outDir: "dist",
  // pull loads livekit-server-sdk only when run; the package is then the user's, not ours.
  external: ["livekit-server-sdk"],
});
