import type { z } from "zod";
import { suggestion } from "../parse/field-names.js";
import { inputError, isSecretPath, quote, type CliError } from "./io.js";
import { kindOf } from "./config.js";

// A policy file that does not fit its schema, as one line naming the file, the JSON path and what
// was expected there, with a "did you mean" for a misspelt key or value, as config errors have.

/** The first problem of a failed policy parse, as a CLI error. Unknown keys first: a misspelt key also makes its right spelling "missing". */
export function policyError(file: string, issues: readonly z.core.$ZodIssue[], input: unknown): CliError {
  const issue = issues.find((i) => i.code === "unrecognized_keys") ?? issues[0];
  if (issue === undefined) return inputError(file, [], "invalid policy file");
  const path = issue.path.filter((step): step is string | number => typeof step !== "symbol");
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more ${issues.length === 2 ? "problem" : "problems"})` : "";
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    const known = knownKeys(input, path);
    // Not "and 1 more problem": the right spelling of a misspelt key is then missing too.
    return inputError(file, [...path, key], `unknown field ${quote(key)}${suggestion(key, known)}`);
  }
  const value = valueAt(input, path);
  const shown = isSecretPath(path) ? "another value (not shown)" : describe(value);
  const field = path[path.length - 1];
  if (value === undefined) return inputError(file, path, `missing ${typeof field === "string" ? `field ${quote(field)}` : "value"}${field === "config" ? CONFIG_FORMS : ""}${more}`);
  const hint = issue.code === "invalid_value" && typeof value === "string" && !isSecretPath(path) ? suggestion(value, new Map(issue.values.map((v) => [String(v), String(v)]))) : "";
  return inputError(file, path, `expected ${expected(issue)}, got ${shown}${hint}${more}`);
}

const CONFIG_FORMS = ' (a configuration file, an array of them, or an inline {"trunks": [...], "rules": [...]})';

/** What the schema wanted, in words. */
function expected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "object" ? "an object" : issue.expected === "array" ? "an array" : `a ${issue.expected}`;
    case "invalid_value":
      return `one of ${issue.values.map((v) => quote(v)).join(", ")}`;
    case "invalid_union":
      return "a value of one of the accepted forms (see sip-dispatch schema policy)";
    default:
      return issue.message;
  }
}

const describe = (value: unknown): string => (typeof value === "string" ? quote(value.length > 40 ? `${value.slice(0, 40)}…` : value) : kindOf(value));

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let at = input;
  for (const step of path) {
    if (typeof at !== "object" || at === null || !Object.hasOwn(at, step)) return undefined;
    at = (at as Record<string | number, unknown>)[step];
  }
  return at;
}

/** The keys a policy object at `path` may have, for "did you mean". */
function knownKeys(input: unknown, path: readonly (string | number)[]): ReadonlyMap<string, string> {
  const names = path.length === 0 ? TOP : path[path.length - 1] === "call" ? CALL : path[path.length - 1] === "expect" ? EXPECT : typeof path[path.length - 1] === "number" && path[path.length - 2] === "cases" ? CASE : EMPTY;
  void input;
  return names;
}

const keys = (...names: string[]): ReadonlyMap<string, string> => new Map(names.map((n) => [n, n]));
const TOP = keys("$schema", "config", "strict", "cases");
const CASE = keys("name", "call", "expect", "strict");
const CALL = keys("from", "to", "sourceIp", "pin", "noPin", "headers", "trunkId", "callId", "sipCallId", "extraAttributes");
const EXPECT = keys("result", "sipOutcome", "trunkId", "ruleId", "roomName", "identity", "participantName", "name", "metadata", "errorCode", "attributes", "roomConfig", "krispEnabled", "mediaEncryption");
const EMPTY: ReadonlyMap<string, string> = new Map();
