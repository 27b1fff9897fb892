import {
  dispatchRuleToJson,
  inboundTrunkToJson,
  parseDispatchConfig,
  type SIPDispatchRuleInfo,
  type SIPInboundTrunkInfo,
} from "../../src/index.js";

// Reading what a person pastes or drops: every shape the CLI reads (parseDispatchConfig). A
// `{trunks, rules}` config, `lk sip inbound list --json` / `lk sip dispatch list --json` output
// (`{"items": [...]}`), a bare array, or one object; each element in any shape the parsers accept.

export interface LoadedSource {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
}

export type ReadResult = { ok: true; value: LoadedSource } | { ok: false; error: string };

/** Reads the text of one file or paste. Errors name the JSON path, never a pin. */
export function readConfigText(text: string): ReadResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  return readConfigValue(value);
}

export function readConfigValue(value: unknown): ReadResult {
  const parsed = parseDispatchConfig(value);
  if (parsed.ok) return { ok: true, value: { trunks: [...parsed.value.trunks], rules: [...parsed.value.rules] } };
  const issues = parsed.error.issues ?? [];
  const first = issues[0];
  if (first === undefined) return { ok: false, error: parsed.error.message };
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
  return { ok: false, error: `${pathText(first.path)}: ${first.message}${more}` };
}

/** Canonical protojson of a loaded configuration: what the URL carries. */
export function toJsonConfig(config: LoadedSource): { trunks: object[]; rules: object[] } {
  return { trunks: config.trunks.map(inboundTrunkToJson), rules: config.rules.map(dispatchRuleToJson) };
}

/** `rules[2].rule.dispatchRuleDirect`, as the CLI prints paths. */
export function pathText(path: readonly (string | number)[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}
