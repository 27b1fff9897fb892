import { parseArgs } from "node:util";
import { ConfigError } from "../config-file.js";
import { KeysError } from "../keys.js";
import { UsageError, type Io } from "./io.js";
import { PULL_HELP, PULL_OPTIONS, pull } from "./pull.js";
import { SERVE_HELP, SERVE_OPTIONS, serve } from "./serve.js";

// `sip-dispatch-server [serve] ...` and `sip-dispatch-server pull ...`. Bad usage and unreadable
// input: exit 2 with one line on stderr.

export async function runServerCli(argv: readonly string[], io: Io): Promise<void> {
  try {
    const [first, ...rest] = argv;
    if (first === "pull") {
      const { values } = parseArgs({ args: rest, options: PULL_OPTIONS, strict: true, allowPositionals: false });
      if (values.help) return io.stdout(PULL_HELP.trimEnd());
      await pull(values, io);
      return;
    }
    const args = first === "serve" ? rest : [...argv];
    const { values } = parseArgs({ args, options: SERVE_OPTIONS, strict: true, allowPositionals: false });
    if (values.help) return io.stdout(SERVE_HELP.trimEnd());
    await serve(values, io);
  } catch (error) {
    if (error instanceof UsageError || error instanceof KeysError || error instanceof ConfigError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr(`sip-dispatch-server: ${(error as Error).message.split("\n")[0]}`);
      return io.exit(2);
    }
    io.stderr(`sip-dispatch-server: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    io.exit(1);
  }
}
