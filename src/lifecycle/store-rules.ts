import { SIPDispatchRuleInfoSchema, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { upgradeMedia } from "../model/media.js";
import { fail, ok, type Result } from "../model/result.js";
import { SIPDispatchRuleUpdateSchema, type SIPDispatchRuleUpdate } from "../model/updates.js";
import { checkRule } from "./store-checks.js";
import { listDispatchRules } from "./store-list.js";
import { checkArguments, findRule, frozenCopy, interleave, newId, ruleIdOf, swapIn, withItem, type Changed, type State } from "./store-state.js";
import { applyDispatchRuleUpdate, dispatchRuleUpdateIssues, replaceDispatchRule } from "./update.js";
import { failWithIssues, validateDispatchRule } from "./validate.js";

// The store's dispatch rule operations, as LiveKit's SIP API runs them (S pkg/service/sip.go).

const RULE_NOT_FOUND = "requested sip dispatch rule does not exist";

function storeRule(state: State, rule: SIPDispatchRuleInfo): Result<Changed<SIPDispatchRuleInfo>> {
  const value = frozenCopy(rule);
  return ok({ state: { ...state, rules: Object.freeze(withItem(state.rules, value, ruleIdOf)) }, value });
}

function checkedRuleChange(state: State, updated: SIPDispatchRuleInfo): Result<Changed<SIPDispatchRuleInfo>> {
  const iteration = swapIn(listDispatchRules(state, { trunkIds: updated.trunkIds ?? [] }), updated, ruleIdOf);
  return checkRule(state, updated, iteration) ?? storeRule(state, updated);
}

export function createRule(state: State, rule: SIPDispatchRuleInfo): Result<Changed<SIPDispatchRuleInfo>> {
  checkArguments("createDispatchRule", "", rule, SIPDispatchRuleInfoSchema, "rule");
  // LiveKit upgrades the media of a current-form create before validating it.
  const candidate = structuredClone(rule);
  candidate.media = upgradeMedia(candidate.media ?? undefined, candidate.mediaEncryption);
  const valid = validateDispatchRule(candidate);
  if (!valid.ok) return valid;
  // The current request form lists every rule (its legacy top-level trunk filter is empty).
  const conflict = checkRule(state, candidate, interleave(state.rules, candidate));
  if (conflict !== undefined) return conflict;
  const id = newId(state, "SDR_", (x) => findRule(state, x) !== undefined);
  if (!id.ok) return id;
  candidate.sipDispatchRuleId = id.value;
  return storeRule(state, candidate);
}

export function updateRule(state: State, id: string, update: SIPDispatchRuleUpdate): Result<Changed<SIPDispatchRuleInfo>> {
  checkArguments("updateDispatchRule", id, update, SIPDispatchRuleUpdateSchema, "update");
  if (id === "") return fail("id_required", "rule id must be set");
  const problems = dispatchRuleUpdateIssues(update);
  if (problems.length > 0) return failWithIssues(problems);
  const stored = findRule(state, id);
  if (stored === undefined) return fail("not_found", RULE_NOT_FOUND);
  const applied = applyDispatchRuleUpdate(stored, update);
  return applied.ok ? checkedRuleChange(state, applied.value) : applied;
}

export function replaceRule(state: State, id: string, replacement: SIPDispatchRuleInfo): Result<Changed<SIPDispatchRuleInfo>> {
  checkArguments("replaceDispatchRule", id, replacement, SIPDispatchRuleInfoSchema, "replacement");
  if (id === "") return fail("id_required", "rule id must be set");
  const replaced = replaceDispatchRule({ ...replacement, sipDispatchRuleId: id }, replacement); // request checks first
  if (!replaced.ok) return replaced;
  if (findRule(state, id) === undefined) return fail("not_found", RULE_NOT_FOUND);
  return checkedRuleChange(state, replaced.value);
}

export function deleteRule(state: State, id: string): Result<Changed<SIPDispatchRuleInfo>> {
  checkArguments("deleteDispatchRule", id);
  if (id === "") return fail("id_required", "dispatch rule ID is required");
  const stored = findRule(state, id);
  if (stored === undefined) return fail("not_found", RULE_NOT_FOUND);
  return ok({ state: { ...state, rules: Object.freeze(state.rules.filter((r) => r !== stored)) }, value: stored });
}
