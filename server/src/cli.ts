#!/usr/bin/env node
import { runServerCli } from "./cli/main.js";

// The bin: the command line wired to this process.
void runServerCli(process.argv.slice(2), {
  env: process.env,
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  exit: (code) => process.exit(code),
  onSignal: (signal, handler) => process.on(signal, handler),
});
