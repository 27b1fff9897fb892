import { existsSync } from "node:fs";
import { dirname, relative, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { type CliError, inputError, isSecretPath, parseJsonText, readJsonFile, usage, withoutValue } from "./io.js";
import { readDispatchConfig } from "../parse/config.js";
import { formatPath } from "../parse/parse.js";
import { suggestion } from "../parse/field-names.js";
import type { Issue } from "../model/result.js";

// Loading the trunks and rules a command works on, from the files users already have:
// `{trunks, rules}` config files, `lk sip … list --json` output (`{"items": [...]}`), bare arrays
// and single objects (`lk sip … create` request files), each element in any shape the parsers
// accept. The library's parseDispatchConfig reads every shape, so each command reads the same way.
// Every option takes several files, which add up; `-` is standard input.

/** Where a trunk or rule was read from: the file, and the JSON path of the element in it. */
export interface Origin {
  file: string;
  path: (string | number)[];
}

/** A loaded configuration, and how to name it again on a command line. */
export interface LoadedConfig {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
  /** Where each trunk and rule came from, index for index. */
  trunkOrigins: Origin[];
  ruleOrigins: Origin[];
  /** Where it came from, for headers: `dispatch.json`, `a.json + b.json`, or the bundled example. */
  label: string;
  /** The flags that load it again (`["--config", "dispatch.json"]`, `["--example"]`). */
  flags: string[];
  /** True for the bundled example (`--example`). */
  bundled: boolean;
  /** Unknown fields skipped with `--ignore-unknown-fields`, one line each for stderr. */
  warnings: string[];
}

/** The configuration options of `resolve` and `lint`; positional arguments are config files. */
export interface ConfigFlags {
  config?: string[] | undefined;
  trunks?: string[] | undefined;
  rules?: string[] | undefined;
  example?: boolean | undefined;
  "ignore-unknown-fields"?: boolean | undefined;
}

/** How files are read: standard input for `-`. */
export interface ReadContext {
  readStdin?: (() => string) | undefined;
}

/** The help text shared by the commands that read a configuration. */
export const CONFIG_HELP = `  FILE                 a config file, as --config FILE
  --config FILE        {"trunks": [...], "rules": [...]}, or any shape below (trunks
                       and rules told apart by their fields)
  --trunks FILE        trunks: \`lk sip inbound list --json\` output, an array, or one trunk
                       (an \`lk sip inbound create\` request file)
  --rules FILE         rules: \`lk sip dispatch list --json\` output, an array, or one rule
                       (an \`lk sip dispatch create\` request file)
  --example            the bundled example configuration (examples/dispatch.json)
                       Each option may be given several times; the files add up.
                       FILE may be - for standard input.
  --ignore-unknown-fields
                       skip fields this version does not know (ones LiveKit added
                       later), with a warning on stderr naming each; without it an
                       unknown field is an error`;

/** The options `parseArgs` reads for the configuration. */
export const CONFIG_OPTIONS = {
  config: { type: "string", multiple: true },
  trunks: { type: "string", multiple: true },
  rules: { type: "string", multiple: true },
  example: { type: "boolean" },
  "ignore-unknown-fields": { type: "boolean" },
} as const;

/** `examples/dispatch.json`, shipped with the package: next to `dist/` once built, or to `src/` in development. */
export function bundledExamplePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolvePath(here, "../examples/dispatch.json"), resolvePath(here, "../../examples/dispatch.json")];
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}

/**
 * Loads every config file (positional arguments and `--config`), `--trunks` and `--rules` file, in
 * that order, or the bundled example for `--example`. No configuration at all is bad usage.
 */
export function loadConfigFromFlags(flags: ConfigFlags, command: string, positionals: readonly string[] = [], context: ReadContext = {}): LoadedConfig {
  const configs = [...positionals, ...(flags.config ?? [])];
  const trunkFiles = flags.trunks ?? [];
  const ruleFiles = flags.rules ?? [];
  const given = configs.length + trunkFiles.length + ruleFiles.length;
  if (flags.example === true) {
    if (given > 0) throw usage(`${command}: --example takes no other configuration`);
    return bundledExample();
  }
  if (given === 0)
    throw usage(`${command} needs a configuration: a config FILE, --config FILE, --trunks FILE / --rules FILE, or --example for the bundled example`);
  if ([...configs, ...trunkFiles, ...ruleFiles].filter((f) => f === "-").length > 1) throw usage(`${command}: standard input (-) can be read only once`);
  const loaded = emptyConfig();
  const read = (file: string): unknown => (file === "-" ? readStdin(context, command) : readJsonFile(file));
  const ignoreUnknownFields = flags["ignore-unknown-fields"] === true;
  const groups = [
    ["--config", configs, undefined],
    ["--trunks", trunkFiles, "trunks"],
    ["--rules", ruleFiles, "rules"],
  ] as const;
  for (const [flag, files, only] of groups)
    for (const file of files) {
      addConfig(loaded, configFromJson(read(file), labelOf(file), [], { only, ignoreUnknownFields }));
      loaded.flags.push(flag, file);
    }
  if (ignoreUnknownFields) loaded.flags.push("--ignore-unknown-fields");
  loaded.label = [...configs, ...trunkFiles, ...ruleFiles].map(labelOf).join(" + ");
  return loaded;
}

const labelOf = (file: string): string => (file === "-" ? "stdin" : file);

function readStdin(context: ReadContext, command: string): unknown {
  if (context.readStdin === undefined) throw usage(`${command}: no standard input to read - from`);
  let text: string;
  try {
    text = context.readStdin();
  } catch (error) {
    throw inputError("stdin", [], `cannot read standard input (${error instanceof Error ? error.message : String(error)})`);
  }
  return parseJsonText(text, "stdin");
}

function bundledExample(): LoadedConfig {
  const loaded = emptyConfig();
  addConfig(loaded, configFromJson(readJsonFile(bundledExamplePath(), "bundled example"), "bundled example", []));
  return { ...loaded, label: "bundled example examples/dispatch.json", flags: ["--example"], bundled: true };
}

const emptyConfig = (): LoadedConfig => ({ trunks: [], rules: [], trunkOrigins: [], ruleOrigins: [], label: "", flags: [], bundled: false, warnings: [] });

function addConfig(into: LoadedConfig, config: ParsedConfig): void {
  into.trunks.push(...config.trunks);
  into.rules.push(...config.rules);
  into.trunkOrigins.push(...config.trunkOrigins);
  into.ruleOrigins.push(...config.ruleOrigins);
  into.warnings.push(...config.warnings);
}

/** How many unknown fields are named one by one; the rest are counted (a field on every rule of 100,000). */
const SHOWN_WARNINGS = 10;

/** The warnings to print, each once (`diff` may read one file twice): the first few, then how many more. */
export function warningLines(all: readonly string[]): string[] {
  const warnings = [...new Set(all)];
  if (warnings.length <= SHOWN_WARNINGS) return warnings;
  const more = warnings.length - SHOWN_WARNINGS;
  return [...warnings.slice(0, SHOWN_WARNINGS), `sip-dispatch: warning: … and ${more} more unknown ${more === 1 ? "field" : "fields"} ignored`];
}

/** Trunks and rules read from one value, with where each sits. */
export interface ParsedConfig {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
  trunkOrigins: Origin[];
  ruleOrigins: Origin[];
  /** Unknown fields skipped (`ignoreUnknownFields`), as stderr lines naming the file and path. */
  warnings: string[];
}

/** How {@link configFromJson} reads a value. */
export interface ConfigReadOptions {
  /** What the value holds when the option says so: a `--trunks` or `--rules` file. */
  only?: "trunks" | "rules" | undefined;
  /** `--ignore-unknown-fields`: skip fields the models do not have, with a warning for each. */
  ignoreUnknownFields?: boolean | undefined;
}

const CONFIG_KEYS = ["trunks", "rules", "$schema"];
const SHAPES = '{"trunks": [...], "rules": [...]}, `lk … list --json` output, an array, or one trunk or rule';

/**
 * A configuration in any shape users have one, read by the library's `parseDispatchConfig`:
 * `{trunks, rules}` (the `config` of a policy file, or a whole file), `lk … list --json` output,
 * a bare array, or one trunk or rule (an `lk sip … create` request file). `at` is where it sits in
 * `file`, for error paths; the first problem is a one-line error with file and JSON path.
 */
export function configFromJson(value: unknown, file: string, at: (string | number)[], options: ConfigReadOptions = {}): ParsedConfig {
  checkShape(value, file, at, options.only);
  const unknownFields = options.ignoreUnknownFields === true ? "ignore" : "reject";
  const read = readDispatchConfig(value, options.only === undefined ? { unknownFields } : { only: options.only, unknownFields });
  if (!read.ok) throw firstIssue(read.error.issues ?? [], read.error.message, file, at, options.only);
  const origins = (paths: readonly (string | number)[][]): Origin[] => paths.map((path) => ({ file, path: [...at, ...path] }));
  const warnings = (read.warnings ?? []).map((w) => `sip-dispatch: warning: ${file}: ${formatPath([...at, ...w.path])}: ${w.message}`);
  return { trunks: read.value.trunks, rules: read.value.rules, trunkOrigins: origins(read.value.trunkPaths), ruleOrigins: origins(read.value.rulePaths), warnings };
}

/**
 * Mistakes in the shape itself, named before the library tries to read the value as a trunk or a
 * rule (where its message would be about fields): not JSON an object or array holds, a misspelt key
 * next to "trunks" / "rules", or a whole config given as --trunks / --rules.
 */
function checkShape(value: unknown, file: string, at: (string | number)[], only: "trunks" | "rules" | undefined): void {
  if (only === undefined && !isObject(value) && !Array.isArray(value)) throw inputError(file, at, `expected ${SHAPES}, got ${kindOf(value)}`);
  if (!isObject(value) || !(Object.hasOwn(value, "trunks") || Object.hasOwn(value, "rules"))) return;
  if (only !== undefined) throw inputError(file, at, `this is a {"trunks", "rules"} configuration, not a list of ${only}; give it as --config FILE`);
  for (const key of Object.keys(value))
    if (!CONFIG_KEYS.includes(key))
      throw inputError(file, [...at, key], `unknown field ${JSON.stringify(key)}; a config has "trunks" and "rules"${suggestion(key, new Map(CONFIG_KEYS.map((k) => [k, k])))}`);
}

function firstIssue(issues: readonly Issue[], message: string, file: string, at: (string | number)[], only: "trunks" | "rules" | undefined): CliError {
  const first: Issue | undefined = issues[0];
  if (first === undefined) return inputError(file, at, message);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? "problem" : "problems"})` : "";
  const text = isSecretPath(first.path) ? withoutValue(first.message) : first.message;
  // An element of a list that is neither recognisably a trunk nor a rule: the option says which.
  // A field this version does not know may be one LiveKit added since: the flag reads past it.
  const hint =
    first.code === "unknown_element" && only === undefined
      ? " (give the file as --trunks FILE or --rules FILE)"
      : first.code === "unrecognized_key"
        ? " (--ignore-unknown-fields skips fields this version does not know)"
        : "";
  return inputError(file, [...at, ...first.path], text + hint + more);
}

/** A path relative to the working directory when that is shorter, for messages and command lines. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== "" && !rel.startsWith("..") && rel.length < path.length ? rel : path;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

export const kindOf = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : `a ${typeof value}`;
