#!/usr/bin/env node
// The `sip-dispatch` bin: runs the command line (src/cli/main.ts) on this process.
import { runCli } from "./cli/main.js";

const result = runCli(process.argv.slice(2), { isTTY: process.stdout.isTTY, env: process.env, columns: process.stdout.columns });
process.stderr.write(result.stderr);
process.stdout.write(result.stdout);
process.exitCode = result.exitCode;
