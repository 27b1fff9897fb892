import { findDispatchRuleConflicts, findInboundTrunkConflicts } from "./conflicts.js";
import { SIPDispatchRuleInfoSchema, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { SIPInboundTrunkInfoSchema, type SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { upgradeMedia } from "../model/media.js";
import { fail, ok, type Issue, type Result } from "../model/result.js";
import { compareBytes } from "../match/rule-match.js";
import { checkArguments, frozenCopy, newId, ruleIdOf, trunkIdOf, type State } from "./store-state.js";
import { validateDispatchRule, validateInboundTrunk } from "./validate.js";

// A store started from an existing configuration: a bulk import, each trunk and rule checked as
// its create would check it (ids aside: imported ones keep theirs), every conflict among them
// found, and every problem reported at once.

/** What {@link createDispatchStore} starts from. */
export interface DispatchStoreSeed {
  trunks?: readonly SIPInboundTrunkInfo[];
  rules?: readonly SIPDispatchRuleInfo[];
}

function checkSeedList(list: unknown, field: string, schema: typeof SIPInboundTrunkInfoSchema | typeof SIPDispatchRuleInfoSchema): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) throw new TypeError(`createDispatchStore: options.${field} must be an array`);
  list.forEach((item, i) => checkArguments("createDispatchStore", "", item, schema, `options.${field}[${i}]`));
}

const under = (prefix: (string | number)[], issues: readonly Issue[] | undefined): Issue[] =>
  (issues ?? []).map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));

/** Ids kept, or new ones for id-less items; a repeated id is a problem at its second use. */
function assignIds<T>(
  items: T[],
  field: "trunks" | "rules",
  idOf: (item: T) => string,
  setId: (item: T, id: string) => void,
  fresh: (taken: (id: string) => boolean) => Result<string>,
  issues: Issue[],
): void {
  const firstAt = new Map<string, number>();
  items.forEach((item, i) => {
    const id = idOf(item);
    if (id === "") return;
    const first = firstAt.get(id);
    if (first === undefined) firstAt.set(id, i);
    else
      issues.push({
        path: [field, i, field === "trunks" ? "sipTrunkId" : "sipDispatchRuleId"],
        code: "duplicate_id",
        message: `id ${JSON.stringify(id)} is already used by ${field}[${first}]`,
      });
  });
  items.forEach((item, i) => {
    if (idOf(item) !== "") return;
    const id = fresh((x) => firstAt.has(x));
    if (!id.ok) {
      issues.push({ path: [field, i], code: id.error.code, message: id.error.message });
      return;
    }
    firstAt.set(id.value, i);
    setId(item, id.value);
  });
}

/** The state a seeded store starts with, or every problem of the configuration. */
export function seedState(seed: DispatchStoreSeed, randomId: () => string): Result<State> {
  checkSeedList(seed.trunks, "trunks", SIPInboundTrunkInfoSchema);
  checkSeedList(seed.rules, "rules", SIPDispatchRuleInfoSchema);
  const issues: Issue[] = [];
  const empty: State = { trunks: [], rules: [], randomId };
  const trunks = (seed.trunks ?? []).map((trunk, i) => {
    const valid = validateInboundTrunk({ ...trunk, sipTrunkId: "" });
    if (!valid.ok) issues.push(...under(["trunks", i], valid.error.issues));
    return structuredClone(trunk);
  });
  const rules = (seed.rules ?? []).map((rule, i) => {
    // LiveKit upgrades the media of a create before validating it; an import does the same.
    const candidate = structuredClone(rule);
    candidate.media = upgradeMedia(candidate.media ?? undefined, candidate.mediaEncryption);
    const valid = validateDispatchRule({ ...candidate, sipDispatchRuleId: "" });
    if (!valid.ok) issues.push(...under(["rules", i], valid.error.issues));
    return candidate;
  });
  assignIds(trunks, "trunks", trunkIdOf, (t, id) => (t.sipTrunkId = id), (taken) => newId(empty, "ST_", taken), issues);
  assignIds(rules, "rules", ruleIdOf, (r, id) => (r.sipDispatchRuleId = id), (taken) => newId(empty, "SDR_", taken), issues);
  const trunkIndex = new Map(trunks.map((t, i) => [trunkIdOf(t), i]));
  const ruleIndex = new Map(rules.map((r, i) => [ruleIdOf(r), i]));
  for (const conflict of findInboundTrunkConflicts(trunks))
    issues.push({ path: ["trunks", trunkIndex.get(conflict.trunkId) ?? 0], code: "trunk_conflict", message: conflict.message });
  for (const conflict of findDispatchRuleConflicts(rules))
    issues.push({ path: ["rules", ruleIndex.get(conflict.ruleId) ?? 0], code: "rule_conflict", message: conflict.message });
  if (issues.length > 0)
    return fail("invalid_config", `the configuration has ${issues.length} problem${issues.length === 1 ? "" : "s"}; the first: ${issues[0]!.message}`, issues);
  const byId = <T>(idOf: (x: T) => string) => (a: T, b: T) => compareBytes(idOf(a), idOf(b));
  return ok({
    trunks: Object.freeze(trunks.map(frozenCopy).sort(byId(trunkIdOf))),
    rules: Object.freeze(rules.map(frozenCopy).sort(byId(ruleIdOf))),
    randomId,
  });
}
