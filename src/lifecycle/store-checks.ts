import { dispatchRuleConflictBetween, firstInboundTrunkConflict, inboundTrunkConflictBetween } from "./conflicts.js";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { fail, type DispatchError, type Issue } from "../model/result.js";
import { prepareRule, validateRuleSet } from "../match/rule-match.js";
import { ruleIdOf, type State } from "./store-state.js";

// The conflict checks a store runs before it keeps a new or changed trunk or rule: LiveKit's own
// validation over the iteration it would run, plus every stored item the candidate collides with.

type Failure = { ok: false; error: DispatchError };

function conflictFailure(code: "rule_conflict" | "trunk_conflict", livekitMessage: string | undefined, issues: Issue[]): Failure {
  return fail(code, livekitMessage ?? issues[0]!.message, issues);
}

/** LiveKit's rule validation over `iteration`, and every stored rule `candidate` collides with. */
export function checkRule(state: State, candidate: SIPDispatchRuleInfo, iteration: readonly SIPDispatchRuleInfo[]): Failure | undefined {
  const others = state.rules.filter((r) => ruleIdOf(r) !== ruleIdOf(candidate));
  const issues: Issue[] = [candidate, ...others].flatMap((other) => {
    const conflict = dispatchRuleConflictBetween(candidate, other);
    return conflict === undefined ? [] : [{ path: [], code: "rule_conflict", message: conflict.message }];
  });
  // Every rule here has a kind (create, update and replace validate it first), so the only
  // failure LiveKit's validator can report is a conflict.
  const failure = validateRuleSet(iteration.map(prepareRule));
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
