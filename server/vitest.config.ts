import { defineConfig } from "vitest/config";

// The server's own suite: it starts real servers (and a real redis-server) on loopback ports, so
// files run one at a time to stay gentle on shared machines.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
