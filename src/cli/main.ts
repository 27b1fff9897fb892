import { type ParseArgsConfig, parseArgs } from "node:util";
import { DIFF_HELP, DIFF_OPTIONS, runDiff } from "./diff.js";
import { CliError, pickStyle, type Style, usage } from "./io.js";
import { LINT_HELP, LINT_OPTIONS, runLint } from "./lint.js";
import { TEST_HELP, TEST_OPTIONS, runPolicyTests } from "./policy.js";
import { RESOLVE_HELP, RESOLVE_OPTIONS, runResolve } from "./resolve.js";
import { SCHEMA_HELP, SCHEMA_OPTIONS, runSchema } from "./schema.js";
import { packageVersion } from "./version.js";

// The `sip-dispatch` command line as a function of its arguments and terminal: what it prints and
// its exit status. src/cli.ts, the bin, only wires it to the process. Exit 0 on success, 1 on a
// failed check (lint errors, failing policy cases), 2 on bad usage or unreadable/invalid input,
// with one line on stderr.

const HELP = `Usage: sip-dispatch <command> [options]

Where will this phone call go on LiveKit, and why? LiveKit's SIP dispatch rules, run on
the JSON you already have (config files, \`lk sip … list --json\` output, API request bodies).

Commands:
  resolve   resolve one call and explain the decision (trunk, every rule, room, attributes)
  lint      find conflicts, unreachable rules, unusable pins and other traps
  test      run routing-policy files: calls and what must happen to them
  schema    print the JSON Schema of rule, trunk, config or policy files
  diff      which calls a configuration change decides differently

Run \`sip-dispatch <command> --help\` for a command's options.

Exit status: 0 success, 1 a check failed, 2 bad usage or input.
Colour only on a terminal; NO_COLOR or FORCE_COLOR=0 turns it off.
`;

interface Output {
  stdout: string;
  stderr?: string[];
  exitCode?: 0 | 1;
}

/** The terminal the command writes to. */
export interface Terminal {
  isTTY: boolean | undefined;
  env: Readonly<Record<string, string | undefined>>;
  columns: number | undefined;
  /** Reads all of standard input, for a file named `-`. */
  readStdin?: () => string;
}

/** What a run of the command line prints, and its exit status. */
export interface CliResult {
  stdout: string;
  stderr: string;
  exitCode: 0 | 1 | 2;
}

/** Runs `sip-dispatch <argv>`. Never throws on bad usage or input: that is exit 2 with one stderr line. */
export function runCli(argv: readonly string[], terminal: Terminal): CliResult {
  const style = pickStyle(terminal.isTTY, terminal.env as NodeJS.ProcessEnv);
  try {
    const output = run(argv, style, Math.min(100, terminal.columns || 100), terminal.readStdin);
    const stderr = (output.stderr ?? []).map((line) => `${line}\n`).join("");
    return { stdout: output.stdout, stderr, exitCode: output.exitCode ?? 0 };
  } catch (error) {
    if (error instanceof CliError) return { stdout: "", stderr: `sip-dispatch: ${error.message}\n`, exitCode: error.exitCode };
    throw error;
  }
}

function run(argv: readonly string[], style: Style, columns: number, readStdin: (() => string) | undefined): Output {
  const [command, ...rest] = argv;
  if (command === undefined) throw usage("no command given; expected resolve, lint, test, diff or schema (see sip-dispatch --help)");
  if (command === "help") return rest.length === 0 ? { stdout: HELP } : helpFor(rest[0] as string);
  if (command === "-h" || command === "--help") return { stdout: HELP };
  if (command === "--version" || command === "-v") return { stdout: `${packageVersion()}\n` };
  switch (command) {
    case "resolve": {
      const { values, positionals } = parse(command, rest, RESOLVE_OPTIONS, true);
      if (values.help) return { stdout: RESOLVE_HELP };
      return runResolve(values, positionals, style, { readStdin });
    }
    case "lint": {
      const { values, positionals } = parse(command, rest, LINT_OPTIONS, true);
      if (values.help) return { stdout: LINT_HELP };
      return runLint(values, positionals, style, columns, { readStdin });
    }
    case "test": {
      const { values, positionals } = parse(command, rest, TEST_OPTIONS, true);
      if (values.help) return { stdout: TEST_HELP };
      return runPolicyTests(positionals, style, values);
    }
    case "diff": {
      const { values } = parse(command, rest, DIFF_OPTIONS, false);
      if (values.help) return { stdout: DIFF_HELP };
      return runDiff(values, style, { readStdin });
    }
    case "schema": {
      const { values, positionals } = parse(command, rest, SCHEMA_OPTIONS, true);
      if (values.help) return { stdout: SCHEMA_HELP };
      return { stdout: runSchema(positionals) };
    }
    default:
      throw usage(`unknown command ${JSON.stringify(command)}; expected resolve, lint, test, diff or schema (see sip-dispatch --help)`);
  }
}

function helpFor(command: string): Output {
  const text = { resolve: RESOLVE_HELP, lint: LINT_HELP, test: TEST_HELP, schema: SCHEMA_HELP, diff: DIFF_HELP }[command];
  if (text === undefined) throw usage(`unknown command ${JSON.stringify(command)}; expected resolve, lint, test, diff or schema`);
  return { stdout: text };
}

/** parseArgs, strict, with its errors turned into one-line usage errors that never echo a value. */
function parse<O extends NonNullable<ParseArgsConfig["options"]>>(command: string, args: string[], options: O, positionals: boolean) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: positionals });
  } catch (error) {
    // In strict mode parseArgs rejects arguments with an Error of one of three codes; the options
    // themselves are ours and valid.
    const { code, message } = error as { code: string; message: string };
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
      const option = /'(-{1,2}[^'=\s]*)/.exec(message)?.[1] ?? "option";
      throw usage(`${command}: unknown option ${option} (see sip-dispatch ${command} --help)`);
    }
    if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL")
      throw usage(`${command}: unexpected argument; it takes options only (see sip-dispatch ${command} --help)`);
    // ERR_PARSE_ARGS_INVALID_OPTION_VALUE: a value given to a flag, or none to an option that needs one.
    const option = /'(-{1,2}[^'\s]*)/.exec(message)?.[1] ?? "an option";
    throw usage(
      message.includes("does not take")
        ? `${command}: ${option} takes no value`
        : `${command}: ${option} needs a value (see sip-dispatch ${command} --help)`,
    );
  }
}

