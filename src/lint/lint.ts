// lintDispatch: what is wrong with a configuration before any call is made. The checks live in
// conflicts.ts (sets LiveKit refuses), trunks.ts (trunks and create-time validation)
// and rules.ts (rules); context.ts builds the view they share and finds witnesses.
import * as core from "zod/v4/core";
import { SIPDispatchRuleInfoSchema, type SIPDispatchRule, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { SIPInboundTrunkInfoSchema, type SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { conflictFindings } from "./conflicts.js";
import { buildContext, type Finding, type LintSeverity, type ModelPlace } from "./context.js";
import { ruleFindings } from "./rules.js";
import { pinPromptFindings } from "./pin-prompt.js";
import { engineInputs, type ProtocolMessage } from "../parse/engine-input.js";
import { trunkFindings } from "./trunks.js";
import type { DispatchConfig } from "../model/resolution.js";
import { compareBytes } from "../match/rule-match.js";
import { ruleDisplayName, trunkDisplayName, type DisplayName } from "../model/display-name.js";

export { LINT_CODES, type Finding, type LintCode, type LintSeverity } from "./context.js";

/** What {@link lintDispatch} reads: the same shape as `compileDispatch`'s configuration. */
export type LintConfig = DispatchConfig;

// ---------------------------------------------------------------------------------------------
// Defensive reading: lint takes parsed models, but a hand-built object with a wrong field must
// not make it throw. A model that fails its schema keeps only the fields that pass.

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const STRING_LISTS = new Set(["numbers", "allowedAddresses", "allowedNumbers", "trunkIds", "inboundNumbers"]);

/** A rule kind read member by member, proto3 defaults for what is missing or mistyped. */
function readKind(v: unknown): SIPDispatchRule | undefined {
  if (!isObject(v)) return undefined;
  const str = (x: unknown): string => (typeof x === "string" ? x : "");
  const out: SIPDispatchRule = {};
  const { dispatchRuleDirect: d, dispatchRuleIndividual: i, dispatchRuleCallee: c } = v;
  if (isObject(d)) out.dispatchRuleDirect = { roomName: str(d.roomName), pin: str(d.pin) };
  if (isObject(i)) out.dispatchRuleIndividual = { roomPrefix: str(i.roomPrefix), pin: str(i.pin), noRandomness: i.noRandomness === true };
  if (isObject(c)) out.dispatchRuleCallee = { roomPrefix: str(c.roomPrefix), pin: str(c.pin), randomize: c.randomize === true };
  return out;
}

function readModel<T>(schema: core.$ZodObject, value: unknown): T | undefined {
  if (!isObject(value)) return undefined;
  if (core.safeParse(schema, value).success) return value as T;
  const out: Obj = {};
  for (const [key, field] of Object.entries(schema._zod.def.shape)) {
    if (!Object.hasOwn(value, key)) continue;
    const v = value[key];
    if (core.safeParse(field as core.$ZodType, v).success) out[key] = v;
    else if (STRING_LISTS.has(key) && Array.isArray(v)) out[key] = v.filter((x) => typeof x === "string");
    else if (key === "rule") {
      const kind = readKind(v);
      if (kind !== undefined) out[key] = kind;
    }
  }
  return out as T;
}

/** Id order, ties by content, so that nothing depends on the order of the input. */
function inIdOrder<T>(items: T[], id: (item: T) => string | undefined): T[] {
  const keyed = items.map((item) => ({ item, id: id(item) ?? "", content: undefined as string | undefined }));
  // Content is serialised only for ties: ids are unique in anything LiveKit stores.
  const content = (k: (typeof keyed)[number]): string => (k.content ??= JSON.stringify(k.item));
  keyed.sort((a, b) => compareBytes(a.id, b.id) || compareBytes(content(a), content(b)));
  return keyed.map((k) => k.item);
}

const SEVERITY_RANK: Record<LintSeverity, number> = { error: 0, warning: 1, info: 2 };

function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    compareBytes(a.code, b.code) ||
    compareBytes((a.ruleIds ?? []).join("\u0000"), (b.ruleIds ?? []).join("\u0000")) ||
    compareBytes((a.trunkIds ?? []).join("\u0000"), (b.trunkIds ?? []).join("\u0000")) ||
    compareBytes(a.message, b.message) ||
    compareBytes(JSON.stringify(a.witness ?? null), JSON.stringify(b.witness ?? null))
  );
}

/**
 * Finds what is wrong with a set of inbound trunks and dispatch rules before any call is made:
 * conflicts LiveKit rejects at create time or at call time, allowlists and number filters that do
 * not do what they seem to, rules no call can use, and settings that expose callers. The codes,
 * with an example and the fix for each, are in docs/lint.md.
 *
 * Each finding's message says what is wrong and how to fix it, and never contains a pin. Where a
 * finding concerns calls it carries a `witness`: a call whose `resolveDispatch` shows the
 * problem. Findings come errors first, then warnings, then infos, each by code and ids; the order
 * of the input never changes the answer. Malformed models never make it throw: fields that fail
 * their schema are read as absent. `trunks` and `rules` may also be `@livekit/protocol` messages as
 * `livekit-server-sdk`'s `SipClient` returns them, converted as the parse functions convert them;
 * LiveKit's JSON in place of a model (`trunk_ids`, `{"dispatchRule": …}`, `trunkIDs`) is a
 * TypeError that names the parse function to read it with, as in `resolveDispatch`.
 *
 * @example
 * for (const f of lintDispatch({ trunks, rules })) console.log(`${f.severity} ${f.code}: ${f.message}`);
 */
export function lintDispatch(config: {
  trunks: readonly (SIPInboundTrunkInfo | ProtocolMessage)[];
  rules: readonly (SIPDispatchRuleInfo | ProtocolMessage)[];
}): Finding[] {
  const given: Obj = isObject(config) ? config : {};
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  // @livekit/protocol messages become models, LiveKit's JSON is a TypeError (its findings would be
  // about rules without the fields it spells differently); the rest is read defensively below.
  const raw = engineInputs(list(given.trunks) as SIPInboundTrunkInfo[], list(given.rules) as SIPDispatchRuleInfo[], "lintDispatch");
  // Each model remembers its name (id, name or position in the input) before the lists are sorted.
  const places = new Map<object, ModelPlace>();
  const read = <T extends object>(items: unknown[], schema: core.$ZodObject, name: (model: T, index: number) => DisplayName): T[] =>
    items.flatMap((item, index) => {
      const model = readModel<T>(schema, item);
      if (model === undefined) return [];
      places.set(model, { name: name(model, index), index });
      return [model];
    });
  const trunks = inIdOrder(read<SIPInboundTrunkInfo>(list(raw.trunks), SIPInboundTrunkInfoSchema, trunkDisplayName), (t) => t.sipTrunkId);
  const rules = inIdOrder(read<SIPDispatchRuleInfo>(list(raw.rules), SIPDispatchRuleInfoSchema, ruleDisplayName), (r) => r.sipDispatchRuleId);
  const ctx = buildContext(trunks, rules, (model) => places.get(model));
  const findings = [...conflictFindings(ctx), ...trunkFindings(ctx), ...ruleFindings(ctx), ...pinPromptFindings(ctx)].sort(compareFindings);
  return findings.filter((f, i) => i === 0 || JSON.stringify(f) !== JSON.stringify(findings[i - 1]));
}
