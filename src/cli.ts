#!/usr/bin/env node
// The `sip-dispatch` bin: runs the command line (src/cli/main.ts) on this process.
import { readFileSync } from "node:fs";
import { runCli } from "./cli/main.js";

// A reader that stops early (`sip-dispatch resolve … | head -4`) closes the pipe: the rest of the
// output has nowhere to go, and that is no error of ours. End quietly, as Unix tools do.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });

const result = runCli(process.argv.slice(2), {
  isTTY: process.stdout.isTTY,
  env: process.env,
  columns: process.stdout.columns,
  readStdin: () => readFileSync(0, "utf8"),
});
process.stderr.write(result.stderr);
process.stdout.write(result.stdout);
process.exitCode = result.exitCode;
