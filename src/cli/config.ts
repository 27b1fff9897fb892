import { existsSync } from "node:fs";
import { dirname, relative, resolve as resolvePath } from "node:path";
import { fileURLToPath } from "node:url";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { inputError, isSecretPath, readJsonFile, usage, withoutValue } from "./io.js";
import { parseDispatchRule, parseInboundTrunk } from "../parse/parse.js";
import type { Issue, Result } from "../model/result.js";

// Loading the trunks and rules a command works on, from the files users already have:
// `{trunks, rules}` config files, `lk sip … list --json` output (`{"items": [...]}`), bare arrays
// and single objects, each element in any shape the parsers accept.

/** A loaded configuration, and how to name it again on a command line. */
export interface LoadedConfig {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
  /** Where it came from, for headers: `dispatch.json`, or the bundled example. */
  label: string;
  /** The flags that load it again (`["--config", "dispatch.json"]`; `[]` for the bundled example). */
  flags: string[];
  /** True when no config was given and the bundled example is used. */
  bundled: boolean;
}

export interface ConfigFlags {
  config?: string | undefined;
  trunks?: string | undefined;
  rules?: string | undefined;
}

/** `examples/dispatch.json`, shipped with the package: next to `dist/` once built, or to `src/` in development. */
export function bundledExamplePath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolvePath(here, "../examples/dispatch.json"), resolvePath(here, "../../examples/dispatch.json")];
  return candidates.find((path) => existsSync(path)) ?? (candidates[0] as string);
}

/** Loads `--config`, or `--trunks` / `--rules`, or the bundled example when none is given. */
export function loadConfigFromFlags(flags: ConfigFlags): LoadedConfig {
  if (flags.config !== undefined && (flags.trunks !== undefined || flags.rules !== undefined))
    throw usage("use either --config FILE or --trunks FILE / --rules FILE, not both");
  if (flags.config !== undefined) {
    const { trunks, rules } = configFromJson(readJsonFile(flags.config), flags.config, []);
    return { trunks, rules, label: flags.config, flags: ["--config", flags.config], bundled: false };
  }
  if (flags.trunks !== undefined || flags.rules !== undefined) {
    const trunks = flags.trunks === undefined ? [] : listFromFile(flags.trunks, "trunk");
    const rules = flags.rules === undefined ? [] : listFromFile(flags.rules, "rule");
    const flagList: string[] = [];
    if (flags.trunks !== undefined) flagList.push("--trunks", flags.trunks);
    if (flags.rules !== undefined) flagList.push("--rules", flags.rules);
    const label = [flags.trunks, flags.rules].filter((f) => f !== undefined).join(" + ");
    return { trunks: trunks as SIPInboundTrunkInfo[], rules: rules as SIPDispatchRuleInfo[], label, flags: flagList, bundled: false };
  }
  const path = bundledExamplePath();
  const { trunks, rules } = configFromJson(readJsonFile(path, "bundled example"), "bundled example", []);
  return { trunks, rules, label: "bundled example examples/dispatch.json", flags: [], bundled: true };
}

/**
 * A `{trunks, rules}` object (the `config` of a policy file, or a whole config file). `at` is where
 * it sits in `file`, for error paths. An optional `$schema` key is allowed for editors.
 */
export function configFromJson(
  value: unknown,
  file: string,
  at: (string | number)[],
): { trunks: SIPInboundTrunkInfo[]; rules: SIPDispatchRuleInfo[] } {
  if (!isObject(value)) throw inputError(file, at, `expected an object with "trunks" and "rules", got ${kindOf(value)}`);
  for (const key of Object.keys(value)) {
    if (key === "trunks" || key === "rules" || key === "$schema") continue;
    const hint = key === "items" ? ` (for \`lk … list --json\` output use --trunks FILE / --rules FILE)` : "";
    throw inputError(file, [...at, key], `unknown field ${JSON.stringify(key)}; a config has "trunks" and "rules"${hint}`);
  }
  const trunks = elements(value.trunks, file, [...at, "trunks"], "trunk");
  const rules = elements(value.rules, file, [...at, "rules"], "rule");
  return { trunks: trunks as SIPInboundTrunkInfo[], rules: rules as SIPDispatchRuleInfo[] };
}

/** A `--trunks` / `--rules` file: `{"items": [...]}`, a bare array, or one object. */
function listFromFile(file: string, kind: "trunk" | "rule"): (SIPInboundTrunkInfo | SIPDispatchRuleInfo)[] {
  const value = readJsonFile(file);
  if (Array.isArray(value)) return elements(value, file, [], kind);
  if (isObject(value) && Array.isArray(value.items)) return elements(value.items, file, ["items"], kind);
  if (isObject(value) && Object.keys(value).length === 0) return [];
  return [parseOne(value, file, [], kind)];
}

function elements(value: unknown, file: string, at: (string | number)[], kind: "trunk" | "rule"): (SIPInboundTrunkInfo | SIPDispatchRuleInfo)[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw inputError(file, at, `expected an array of ${kind}s, got ${kindOf(value)}`);
  return value.map((element, index) => parseOne(element, file, [...at, index], kind));
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
