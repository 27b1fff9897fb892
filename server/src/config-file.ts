import { readFileSync } from "node:fs";
import { parseDispatchRule, parseInboundTrunk, type DispatchConfig, type SIPDispatchRuleInfo, type SIPInboundTrunkInfo } from "sip-dispatch";

// `--config FILE`: the shapes the `sip-dispatch` CLI reads: `{trunks, rules}`, `lk … list --json`
// output (`{"items": [...]}`), a bare array, or one object; each element in any shape the parsers
// accept. Errors name the file and the path, and never echo a value (it may be a pin or a password).

export class ConfigError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const looksLikeRule = (v: unknown): boolean => isObject(v) && ["rule", "sipDispatchRuleId", "sip_dispatch_rule_id", "dispatchRule", "dispatch_rule"].some((k) => k in v);

function pathText(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("") || "(top)";
}

function addTo(config: { trunks: SIPInboundTrunkInfo[]; rules: SIPDispatchRuleInfo[] }, value: unknown, file: string, at: (string | number)[], kind?: "trunk" | "rule"): void {
  const asRule = kind === "rule" || (kind === undefined && looksLikeRule(value));
  const parsed = asRule ? parseDispatchRule(value) : parseInboundTrunk(value);
  if (!parsed.ok) {
    const issue = parsed.error.issues?.[0];
    throw new ConfigError(`${file}: ${pathText([...at, ...(issue?.path ?? [])])}: ${issue?.message ?? parsed.error.message}`);
  }
  if (asRule) config.rules.push(parsed.value as SIPDispatchRuleInfo);
  else config.trunks.push(parsed.value as SIPInboundTrunkInfo);
}

function list(value: unknown, file: string, at: (string | number)[], kind: "trunk" | "rule", into: { trunks: SIPInboundTrunkInfo[]; rules: SIPDispatchRuleInfo[] }): void {
  if (value === undefined || value === null) return;
  if (!Array.isArray(value)) throw new ConfigError(`${file}: ${pathText(at)}: expected an array of ${kind}s`);
  value.forEach((element, i) => addTo(into, element, file, [...at, i], kind));
}

export function readConfigFiles(files: readonly string[]): DispatchConfig {
  const config = { trunks: [] as SIPInboundTrunkInfo[], rules: [] as SIPDispatchRuleInfo[] };
  for (const file of files) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new ConfigError(`${file}: ${(error as Error).message.split("\n")[0]}`);
    }
    if (isObject(value) && ("trunks" in value || "rules" in value)) {
      list(value["trunks"], file, ["trunks"], "trunk", config);
      list(value["rules"], file, ["rules"], "rule", config);
    } else if (isObject(value) && Array.isArray(value["items"])) (value["items"] as unknown[]).forEach((v, i) => addTo(config, v, file, ["items", i]));
    else if (Array.isArray(value)) value.forEach((v, i) => addTo(config, v, file, [i]));
    else addTo(config, value, file, []);
  }
  return config;
}
