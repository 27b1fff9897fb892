import { readFileSync } from "node:fs";
import { parseDispatchConfig, type DispatchConfig, type SIPDispatchRuleInfo, type SIPInboundTrunkInfo } from "sip-dispatch";

// `--config FILE`: every shape `parseDispatchConfig` reads (`{trunks, rules}`, `lk … list --json`
// output, a bare array, one trunk or rule, each element in any shape the parsers accept). Errors
// name the file and the path, and never echo a value (it may be a pin or a password).

export class ConfigError extends Error {}

function pathText(path: readonly (string | number)[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("") || "(top)";
}

export function readConfigFiles(files: readonly string[]): DispatchConfig {
  const trunks: SIPInboundTrunkInfo[] = [];
  const rules: SIPDispatchRuleInfo[] = [];
  for (const file of files) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      throw new ConfigError(`${file}: ${(error as Error).message.split("\n")[0]}`);
    }
    const parsed = parseDispatchConfig(value);
    if (!parsed.ok) {
      const issue = parsed.error.issues?.[0];
      throw new ConfigError(`${file}: ${issue === undefined ? parsed.error.message : `${pathText(issue.path)}: ${issue.message}`}`);
    }
    trunks.push(...parsed.value.trunks);
    rules.push(...parsed.value.rules);
  }
  return { trunks, rules };
}
