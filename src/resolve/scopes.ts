import { bucketRules, type RuleBuckets } from "./dispatch-index.js";
import { compareRuleOrder, type PreparedRule } from "../match/rule-match.js";
import { conflictKeysOf, INVALID_RULE_MESSAGE, ruleConflictFailure, validateRuleSet, type RuleSetFailure } from "../match/rule-conflicts.js";

// The rules of a compiled dispatcher grouped as LiveKit's candidate sets are made of: per trunk
// id, the rules that name it (a scope); and the default rules. Each group carries its buckets and
// LiveKit's match-time verdict on it, so that a change rebuilds only the groups it touches.
//
// Why the verdicts compose: a conflict key holds a trunk id, so two rules can only collide on the
// keys of a trunk id both name (or "", for default rules and rules naming ""). Two rules that both
// name trunk T and collide on any key also collide on a T key. So a candidate set's first failure
// is the earlier of its parts' failures, except where rules naming "" mix the two key spaces.

/** The rules that name one trunk id, in id order, with their buckets and verdict. */
export interface Scope {
  readonly rules: readonly PreparedRule[];
  readonly buckets: RuleBuckets | undefined;
  /** LiveKit's validator over these rules alone. */
  readonly failure: RuleSetFailure | undefined;
  /** Some rule (with a kind) also names "": its keys share the default rules' space. */
  readonly sharesDefaultKeys: boolean;
  /** Built on the first strict-mode call (numbers compared normalised). */
  strictBuckets: RuleBuckets | undefined;
  /** The verdict merged with a DefaultScope's, kept for the last DefaultScope asked about. */
  merged: { defaults: DefaultScope; failure: RuleSetFailure | undefined } | undefined;
}

/** The rules with no trunkIds, in id order. */
export interface DefaultScope {
  readonly rules: readonly PreparedRule[];
  readonly buckets: RuleBuckets | undefined;
  readonly failure: RuleSetFailure | undefined;
  strictBuckets: RuleBuckets | undefined;
}

export function buildScope(rules: readonly PreparedRule[]): Scope {
  return {
    rules,
    buckets: bucketRules(rules, false),
    failure: validateRuleSet(rules),
    // Stryker disable next-line ConditionalExpression,LogicalOperator: true more often only validates the merged set, which decides the same (docs/testing.md lists it)
    sharesDefaultKeys: rules.some((rule) => rule.kind !== undefined && rule.trunkIds.includes("")),
    strictBuckets: undefined,
    merged: undefined,
  };
}

export function buildDefaultScope(rules: readonly PreparedRule[]): DefaultScope {
  return { rules, buckets: bucketRules(rules, false), failure: validateRuleSet(rules), strictBuckets: undefined };
}

/** Two lists in rule order merged into one (a rule in both appears once). */
export function mergeRules(a: readonly PreparedRule[], b: readonly PreparedRule[]): PreparedRule[] {
  if (a.length === 0) return b as PreparedRule[];
  if (b.length === 0) return a as PreparedRule[];
  return [...new Set([...a, ...b])].sort(compareRuleOrder);
}

/** The first of two failures in id order: the one LiveKit's validator meets first. */
function firstFailure(a: RuleSetFailure | undefined, b: RuleSetFailure | undefined): RuleSetFailure | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  // Stryker disable next-line EqualityOperator: the two failures never concern the same rule (docs/testing.md lists it)
  return compareRuleOrder(a.rule, b.rule) <= 0 ? a : b;
}

/** LiveKit's verdict on the candidate set of calls through a trunk whose id has `scope`. */
export function trunkFailure(scope: Scope | undefined, defaults: DefaultScope): RuleSetFailure | undefined {
  if (scope === undefined) return defaults.failure;
  // Stryker disable next-line ConditionalExpression: validating the merged set decides the same; composing is a saving (docs/testing.md lists it)
  if (!scope.sharesDefaultKeys) return firstFailure(scope.failure, defaults.failure);
  if (scope.merged?.defaults !== defaults) scope.merged = { defaults, failure: validateRuleSet(mergeRules(scope.rules, defaults.rules)) };
  return scope.merged.failure;
}

/**
 * LiveKit's verdict on every rule together (the candidate set when no trunk matched). Its first
 * failing rule is the earliest of the key spaces' first failing rules (`failing`, the scopes that
 * fail, plus the "" key space); which earlier rule it collides with is then looked up over all of
 * them, as the validator's single pass would find it.
 */
export function allRulesFailure(
  failing: Iterable<RuleSetFailure>,
  scopeOf: (trunkId: string) => Scope | undefined,
  defaults: DefaultScope,
): RuleSetFailure | undefined {
  const emptyIdScope = scopeOf("");
  const keySpace = (trunkId: string): readonly PreparedRule[] =>
    // Stryker disable next-line OptionalChaining,ArrayDeclaration: a failing rule names its trunk id, so that id's scope exists (docs/testing.md lists it)
    trunkId === "" ? mergeRules(emptyIdScope?.rules ?? [], defaults.rules) : (scopeOf(trunkId)?.rules ?? []);
  // Stryker disable next-line ConditionalExpression: with no "" scope, validating the default rules alone gives defaults.failure (docs/testing.md lists it)
  let first = emptyIdScope === undefined ? defaults.failure : validateRuleSet(keySpace(""));
  for (const failure of failing) first = firstFailure(first, failure);
  if (first === undefined) return undefined;
  const rule = first.rule;
  if (rule.kind === undefined) return { code: "invalid_rule", message: INVALID_RULE_MESSAGE, ruleId: rule.id, rule };
  const keys = conflictKeysOf(rule);
  const parts = rule.trunkIds.length === 0 ? [""] : rule.trunkIds;
  const perPart = keys.length / parts.length;
  // Stryker disable next-line EqualityOperator: the loop returns before the extra round: the failing rule collides on one of its keys (docs/testing.md lists it)
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const earlier = keySpace(parts[Math.floor(i / perPart)]!).find(
      (other) => compareRuleOrder(other, rule) < 0 && conflictKeysOf(other).includes(key),
    );
    const other = earlier ?? (keys.indexOf(key) < i ? rule : undefined);
    if (other !== undefined) return ruleConflictFailure(rule, other);
  }
  return first; // not reached: the rule failed in some key space, on one of these keys
}
