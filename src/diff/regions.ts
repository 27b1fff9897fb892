import { normalizeNumber } from "../match/number.js";
import type { PreparedRule } from "../match/rule-match.js";
import { validateRuleSet, type RuleSetFailure } from "../match/rule-conflicts.js";
import type { PreparedTrunk } from "../match/trunk-match.js";
import type { CallSpace } from "./call-space.js";

// Where in the call space two configurations can decide differently. A call's decision reads the
// trunks that pass its filters, the candidate set of the trunk chosen (LiveKit validates all of
// it), and the rules that pass theirs. A call that no changed trunk admits, whose trunk's candidate
// set gets the same verdict, and that no changed rule admits, is decided by the same trunk and
// rule, unchanged, in both: it cannot differ. So only calls inside these regions are compared.

/** Called and calling numbers a region covers, normalised; `"any"` for all. */
export interface Region {
  to: ReadonlySet<string> | "any";
  from: ReadonlySet<string> | "any";
}

const numbersServedBy = (trunks: readonly PreparedTrunk[]): ReadonlySet<string> | "any" => {
  if (trunks.some((trunk) => trunk.isDefault)) return "any";
  return new Set(trunks.flatMap((trunk) => [...trunk.numbers]));
};

/** The calls a trunk (one version of it) admits. */
export const trunkRegion = (trunk: PreparedTrunk): Region => ({
  to: trunk.isDefault ? "any" : trunk.numbers,
  from: trunk.allowedCallers ?? "any",
});

/** The calls a rule (one version of it) admits through a trunk it covers; `undefined` for none. */
export function ruleRegion(rule: PreparedRule, space: CallSpace): Region | undefined {
  if (rule.kind === undefined) return undefined; // never selected; its effect on validation is a verdict change
  const callers = rule.rule.inboundNumbers ?? [];
  const from = callers.length === 0 ? "any" : new Set(callers.map(normalizeNumber));
  const numbers = rule.rule.numbers ?? [];
  if (numbers.length > 0) return { to: new Set(numbers.map(normalizeNumber)), from };
  if (rule.isDefault) return { to: "any", from };
  const trunks = rule.trunkIds.flatMap((id) => space.trunksWithId(id));
  return trunks.length === 0 ? undefined : { to: numbersServedBy(trunks), from };
}

/** LiveKit's verdict on a candidate set, as the resolution shows it. */
const verdictText = (failure: RuleSetFailure | undefined): string => (failure === undefined ? "" : `${failure.code}\n${failure.message}`);

/** For each trunk id in `trunkIds`, its candidate set (the rules naming it, and the default rules) in id order. */
function candidateSets(rulesById: readonly PreparedRule[], trunkIds: ReadonlySet<string>): Map<string, PreparedRule[]> {
  const sets = new Map<string, PreparedRule[]>([...trunkIds].map((id) => [id, []]));
  for (const rule of rulesById) {
    if (rule.isDefault) for (const set of sets.values()) set.push(rule);
    else for (const id of new Set(rule.trunkIds)) sets.get(id)?.push(rule);
  }
  return sets;
}

/**
 * The calls whose trunk's candidate set LiveKit judges differently (a new conflict, one gone, a
 * different message): all calls through that trunk, or all calls no trunk takes (whose candidates
 * are every rule). Only the candidate sets a changed rule belongs to can change: those of the
 * trunks it names, or of every trunk for a default rule.
 */
export function verdictRegions(
  space: CallSpace,
  before: readonly PreparedRule[],
  after: readonly PreparedRule[],
  changedRules: readonly PreparedRule[],
): Region[] {
  if (changedRules.length === 0) return [];
  const regions: Region[] = [];
  if (verdictText(validateRuleSet(before)) !== verdictText(validateRuleSet(after))) regions.push({ to: "any", from: "any" });
  const trunkIds = changedRules.some((rule) => rule.isDefault)
    ? new Set(space.trunkIds())
    : new Set(changedRules.flatMap((rule) => rule.trunkIds).filter((id) => space.trunksWithId(id).length > 0));
  const was = candidateSets(before, trunkIds);
  const is = candidateSets(after, trunkIds);
  for (const id of trunkIds)
    if (verdictText(validateRuleSet(was.get(id)!)) !== verdictText(validateRuleSet(is.get(id)!)))
      regions.push({ to: numbersServedBy(space.trunksWithId(id)), from: "any" });
  return regions;
}
