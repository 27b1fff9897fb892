import {
  dispatchRuleToJson,
  inboundTrunkToJson,
  parseDispatchRule,
  parseInboundTrunk,
  type Issue,
  type SIPDispatchRuleInfo,
  type SIPInboundTrunkInfo,
} from "../../src/index.js";

// Reading what a person pastes or drops: every shape the CLI reads. A `{trunks, rules}` config,
// `lk sip inbound list --json` / `lk sip dispatch list --json` output (`{"items": [...]}`), a bare
// array, or one object; each element in any shape the parsers accept. Elements of lists say by
// their fields whether they are trunks or rules, since a dropped file has no --trunks/--rules flag.

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
  if (isConfigObject(value)) {
    const trunks = readList(value.trunks, ["trunks"], "trunk");
    if (!trunks.ok) return trunks;
    const rules = readList(value.rules, ["rules"], "rule");
    if (!rules.ok) return rules;
    return { ok: true, value: { trunks: trunks.value.trunks, rules: rules.value.rules } };
  }
  if (Array.isArray(value)) return readList(value, [], undefined);
  if (isObject(value) && Array.isArray(value.items)) return readList(value.items, ["items"], undefined);
  if (isObject(value) && Object.keys(value).length === 0) return { ok: true, value: { trunks: [], rules: [] } };
  return readList([value], [], undefined, true);
}

/** Canonical protojson of a loaded configuration: what the URL carries. */
export function toJsonConfig(config: LoadedSource): { trunks: object[]; rules: object[] } {
  return { trunks: config.trunks.map(inboundTrunkToJson), rules: config.rules.map(dispatchRuleToJson) };
}

type Kind = "trunk" | "rule";

function readList(value: unknown, at: (string | number)[], kind: Kind | undefined, single = false): ReadResult {
  const loaded: LoadedSource = { trunks: [], rules: [] };
  if (value === undefined || value === null) return { ok: true, value: loaded };
  if (!Array.isArray(value)) return { ok: false, error: `${pathText(at)}: expected an array of ${kind ?? "trunk or rule"}s` };
  for (const [index, element] of value.entries()) {
    const where = single ? at : [...at, index];
    const elementKind = kind ?? kindOf(element);
    if (elementKind === "trunk") {
      const parsed = parseInboundTrunk(element);
      if (!parsed.ok) return { ok: false, error: issueText(where, parsed.error.message, parsed.error.issues) };
      loaded.trunks.push(parsed.value);
    } else {
      const parsed = parseDispatchRule(element);
      if (!parsed.ok) return { ok: false, error: issueText(where, parsed.error.message, parsed.error.issues) };
      loaded.rules.push(parsed.value);
    }
  }
  return { ok: true, value: loaded };
}

// Fields only a rule (or a CreateSIPDispatchRuleRequest) has, in both spellings.
const RULE_FIELDS = new Set([
  "rule", "dispatchRule", "dispatch_rule", "sipDispatchRuleId", "sip_dispatch_rule_id", "trunkIds", "trunk_ids",
  "inboundNumbers", "inbound_numbers", "hidePhoneNumber", "hide_phone_number", "roomPreset", "room_preset",
  "roomConfig", "room_config",
]);

function kindOf(element: unknown): Kind {
  if (!isObject(element)) return "rule";
  return Object.keys(element).some((key) => RULE_FIELDS.has(key)) ? "rule" : "trunk";
}

function issueText(at: (string | number)[], message: string, issues: Issue[] | undefined): string {
  const first = issues?.[0];
  if (first === undefined) return `${pathText(at)}: ${message}`;
  const more = issues!.length > 1 ? ` (and ${issues!.length - 1} more)` : "";
  return `${pathText([...at, ...first.path])}: ${first.message}${more}`;
}

/** `rules[2].rule.dispatchRuleDirect`, as the CLI prints paths. */
export function pathText(path: readonly (string | number)[]): string {
  if (path.length === 0) return "(top level)";
  return path.map((part, i) => (typeof part === "number" ? `[${part}]` : i === 0 ? part : `.${part}`)).join("");
}

function isConfigObject(value: unknown): value is { trunks?: unknown; rules?: unknown } {
  if (!isObject(value) || !("trunks" in value || "rules" in value)) return false;
  return Object.keys(value).every((key) => key === "trunks" || key === "rules" || key === "$schema");
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
