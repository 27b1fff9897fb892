import { existsSync } from "node:fs";
import { dirname, relative, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { inputError, isSecretPath, parseJsonText, readJsonFile, usage, withoutValue } from "./io.js";
import { parseDispatchRule, parseInboundTrunk } from "../parse/parse.js";
import type { Issue, Result } from "../model/result.js";

// Loading the trunks and rules a command works on, from the files users already have:
// `{trunks, rules}` config files, `lk sip … list --json` output (`{"items": [...]}`), bare arrays
// and single objects, each element in any shape the parsers accept. Every option takes several
// files, which add up; `-` is standard input.

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
}

/** The configuration options of `resolve` and `lint`; positional arguments are config files. */
export interface ConfigFlags {
  config?: string[] | undefined;
  trunks?: string[] | undefined;
  rules?: string[] | undefined;
  example?: boolean | undefined;
}

/** How files are read: standard input for `-`. */
export interface ReadContext {
  readStdin?: (() => string) | undefined;
}

/** The help text shared by the commands that read a configuration. */
export const CONFIG_HELP = `  FILE                 a config file, as --config FILE
  --config FILE        {"trunks": [...], "rules": [...]}
  --trunks FILE        trunks: \`lk sip inbound list --json\` output, an array, or one trunk
  --rules FILE         rules: \`lk sip dispatch list --json\` output, an array, or one rule
  --example            the bundled example configuration (examples/dispatch.json)
                       Each option may be given several times; the files add up.
                       FILE may be - for standard input.`;

/** The options `parseArgs` reads for the configuration. */
export const CONFIG_OPTIONS = {
  config: { type: "string", multiple: true },
  trunks: { type: "string", multiple: true },
  rules: { type: "string", multiple: true },
  example: { type: "boolean" },
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
  for (const file of configs) {
    addConfig(loaded, configFromJson(read(file), labelOf(file), []));
    loaded.flags.push("--config", file);
  }
  for (const file of trunkFiles) {
    const list = listFromJson(read(file), labelOf(file), "trunk");
    loaded.trunks.push(...(list.items as SIPInboundTrunkInfo[]));
    loaded.trunkOrigins.push(...list.origins);
    loaded.flags.push("--trunks", file);
  }
  for (const file of ruleFiles) {
    const list = listFromJson(read(file), labelOf(file), "rule");
    loaded.rules.push(...(list.items as SIPDispatchRuleInfo[]));
    loaded.ruleOrigins.push(...list.origins);
    loaded.flags.push("--rules", file);
  }
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

const emptyConfig = (): LoadedConfig => ({ trunks: [], rules: [], trunkOrigins: [], ruleOrigins: [], label: "", flags: [], bundled: false });

function addConfig(into: LoadedConfig, config: ParsedConfig): void {
  into.trunks.push(...config.trunks);
  into.rules.push(...config.rules);
  into.trunkOrigins.push(...config.trunkOrigins);
  into.ruleOrigins.push(...config.ruleOrigins);
}

/** Trunks and rules read from one `{trunks, rules}` object, with where each sits. */
export interface ParsedConfig {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
  trunkOrigins: Origin[];
  ruleOrigins: Origin[];
}

/**
 * A `{trunks, rules}` object (the `config` of a policy file, or a whole config file). `at` is where
 * it sits in `file`, for error paths. An optional `$schema` key is allowed for editors.
 */
export function configFromJson(value: unknown, file: string, at: (string | number)[]): ParsedConfig {
  if (!isObject(value)) throw inputError(file, at, `expected an object with "trunks" and "rules", got ${kindOf(value)}`);
  for (const key of Object.keys(value)) {
    if (key === "trunks" || key === "rules" || key === "$schema") continue;
    const hint = key === "items" ? ` (for \`lk … list --json\` output use --trunks FILE / --rules FILE)` : "";
    throw inputError(file, [...at, key], `unknown field ${JSON.stringify(key)}; a config has "trunks" and "rules"${hint}`);
  }
  const trunks = elements(value.trunks, file, [...at, "trunks"], "trunk");
  const rules = elements(value.rules, file, [...at, "rules"], "rule");
  return {
    trunks: trunks.items as SIPInboundTrunkInfo[],
    rules: rules.items as SIPDispatchRuleInfo[],
    trunkOrigins: trunks.origins,
    ruleOrigins: rules.origins,
  };
}

interface ParsedList {
  items: (SIPInboundTrunkInfo | SIPDispatchRuleInfo)[];
  origins: Origin[];
}

/** A `--trunks` / `--rules` file: `{"items": [...]}`, a bare array, or one object. */
function listFromJson(value: unknown, file: string, kind: "trunk" | "rule"): ParsedList {
  if (Array.isArray(value)) return elements(value, file, [], kind);
  if (isObject(value) && Array.isArray(value.items)) return elements(value.items, file, ["items"], kind);
  if (isObject(value) && Object.keys(value).length === 0) return { items: [], origins: [] };
  return { items: [parseOne(value, file, [], kind)], origins: [{ file, path: [] }] };
}

function elements(value: unknown, file: string, at: (string | number)[], kind: "trunk" | "rule"): ParsedList {
  if (value === undefined || value === null) return { items: [], origins: [] };
  if (!Array.isArray(value)) throw inputError(file, at, `expected an array of ${kind}s, got ${kindOf(value)}`);
  return {
    items: value.map((element, index) => parseOne(element, file, [...at, index], kind)),
    origins: value.map((_, index) => ({ file, path: [...at, index] })),
  };
}

function parseOne(value: unknown, file: string, at: (string | number)[], kind: "trunk" | "rule"): SIPInboundTrunkInfo | SIPDispatchRuleInfo {
  const parsed: Result<SIPInboundTrunkInfo | SIPDispatchRuleInfo> = kind === "trunk" ? parseInboundTrunk(value) : parseDispatchRule(value);
  if (parsed.ok) return parsed.value;
  const issues = parsed.error.issues ?? [];
  const first: Issue | undefined = issues[0];
  if (first === undefined) throw inputError(file, at, parsed.error.message);
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? "problem" : "problems"})` : "";
  const message = isSecretPath(first.path) ? withoutValue(first.message) : first.message;
  throw inputError(file, [...at, ...first.path], message + more);
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
