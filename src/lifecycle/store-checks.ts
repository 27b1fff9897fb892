import { firstInboundTrunkConflict, inboundTrunkConflictBetween, preparedRuleConflictBetween } from "./conflicts.js";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { fail, type DispatchError, type Issue } from "../model/result.js";
import { prepareRule, type PreparedRule } from "../match/rule-match.js";
import { ruleConflictKeys, validateRuleSet } from "../match/rule-conflicts.js";
import { ruleIdOf, type State } from "./store-state.js";

// The conflict checks a store runs before it keeps a new or changed trunk or rule: LiveKit's own
// validation over the iteration it would run, plus every stored item the candidate collides with.

type Failure = { ok: false; error: DispatchError };

function conflictFailure(code: "rule_conflict" | "trunk_conflict", livekitMessage: string | undefined, issues: Issue[]): Failure {
  return fail(code, livekitMessage ?? issues[0]!.message, issues);
}

/**
 * A stored rule prepared once, with its conflict keys: a store's rules are deep-frozen copies, so
 * their preparation never changes, and every write would otherwise prepare all of them again.
 */
const preparedStored = new WeakMap<SIPDispatchRuleInfo, PreparedRule>();

function prepareWithKeys(rule: SIPDispatchRuleInfo): PreparedRule {
  const prepared = prepareRule(rule);
  prepared.conflictKeys = ruleConflictKeys(prepared);
  return prepared;
}

function preparedOf(rule: SIPDispatchRuleInfo): PreparedRule {
  let prepared = preparedStored.get(rule);
  if (prepared === undefined) preparedStored.set(rule, (prepared = prepareWithKeys(rule)));
  return prepared;
}

/** LiveKit's rule validation over `iteration`, and every stored rule `candidate` collides with. */
export function checkRule(state: State, candidate: SIPDispatchRuleInfo, iteration: readonly SIPDispatchRuleInfo[]): Failure | undefined {
  const prepared = prepareWithKeys(candidate);
  const issues: Issue[] = [];
  for (const other of [candidate, ...state.rules]) {
    if (other !== candidate && ruleIdOf(other) === ruleIdOf(candidate)) continue;
    const conflict = preparedRuleConflictBetween(prepared, other === candidate ? prepared : preparedOf(other));
    if (conflict !== undefined) issues.push({ path: [], code: "rule_conflict", message: conflict.message });
  }
  // Every rule here has a kind (create, update and replace validate it first), so the only
  // failure LiveKit's validator can report is a conflict.
  const failure = validateRuleSet(iteration.map((rule) => (rule === candidate ? prepared : preparedOf(rule))));
  if (failure === undefined && issues.length === 0) return undefined;
  return conflictFailure("rule_conflict", failure?.message, issues);
}

/** LiveKit's trunk validation over `iteration`, and every stored trunk `candidate` collides with. */
export function checkTrunk(state: State, candidate: SIPInboundTrunkInfo, iteration: readonly SIPInboundTrunkInfo[]): Failure | undefined {
  const issues: Issue[] = state.trunks.flatMap((other) => {
    const conflict = inboundTrunkConflictBetween(candidate, other);
    return conflict === undefined ? [] : [{ path: [], code: "trunk_conflict", message: conflict.message }];
  });
  const failure = firstInboundTrunkConflict(iteration);
  if (failure === undefined && issues.length === 0) return undefined;
  return conflictFailure("trunk_conflict", failure?.message, issues);
}
