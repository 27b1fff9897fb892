import { goQuote } from "./go-format.js";
import { normalizeNumber } from "./number.js";
import { soleValue, type PreparedRule } from "./rule-match.js";

// LiveKit's match-time validation of a candidate rule set: every rule has conflict keys (pin,
// trunk, calling number, called number), and a set in which two rules share a key, or a rule has
// no kind, is refused whole.

/** A rule set that LiveKit refuses to dispatch from. */
export interface RuleSetFailure {
  code: "rule_conflict" | "invalid_rule";
  message: string;
  /** The rule that failed, and for a conflict the rule it collides with (possibly itself). */
  ruleId: string;
  otherRuleId?: string;
  /** The rule that failed. */
  rule: PreparedRule;
}

export const INVALID_RULE_MESSAGE = "unsupported SIP Dispatch Rule: <nil>";

export const ruleConflictMessage = (otherId: string, otherName: string): string =>
  `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule ${goQuote(
    otherId === "" ? "<new>" : otherId,
  )} ${goQuote(otherName === "" ? "<blank name>" : otherName)}`;

/** A conflict key part: its length, `:`, then the text, so that no two keys run together. */
const keyPart = (text: string): string => text.length + ":" + text;

/** A conflict key's four parts back from the key. */
export function decodeConflictKey(key: string): [pin: string, trunkId: string, inboundNumber: string, number: string] {
  const parts: string[] = [];
  let at = 0;
  while (parts.length < 4) {
    const colon = key.indexOf(":", at);
    const length = Number(key.slice(at, colon));
    parts.push(key.slice(colon + 1, colon + 1 + length));
    at = colon + 1 + length;
  }
  return parts as [string, string, string, string];
}

/** The conflict keys of one rule: every (pin, trunk, normalised caller, normalised number), lists as `[""]` when empty. */
export function ruleConflictKeys(rule: PreparedRule): string[] {
  const trunks = rule.trunkIds.length === 0 ? [""] : rule.trunkIds;
  const callers = (rule.rule.inboundNumbers ?? []).length === 0 ? [""] : rule.rule.inboundNumbers;
  const numbers = (rule.rule.numbers ?? []).length === 0 ? [""] : rule.rule.numbers;
  const keys: string[] = [];
  const pin = keyPart(rule.pin);
  for (const trunk of trunks) {
    const pinTrunk = pin + keyPart(trunk);
    for (const caller of callers) {
      const pinTrunkCaller = pinTrunk + keyPart(normalizeNumber(caller));
      for (const number of numbers) keys.push(pinTrunkCaller + keyPart(normalizeNumber(number)));
    }
  }
  return keys;
}

/** A rule's conflict keys: those it was prepared with, else built now. */
export const conflictKeysOf = (rule: PreparedRule): readonly string[] => rule.conflictKeys ?? ruleConflictKeys(rule);

/** LiveKit's verdict when `rule` takes a key `other` (earlier in id order, or itself) already holds. */
export const ruleConflictFailure = (rule: PreparedRule, other: PreparedRule): RuleSetFailure => ({
  code: "rule_conflict",
  message: ruleConflictMessage(other.id, other.rule.name ?? ""),
  ruleId: rule.id,
  otherRuleId: other.id,
  rule,
});

/**
 * LiveKit's `DispatchRuleValidator` over a candidate set in id order: the first rule with no kind,
 * or the first key already held by an earlier rule (or by the same rule), fails the whole set.
 */
export function validateRuleSet(rulesById: readonly PreparedRule[]): RuleSetFailure | undefined {
  return rulesById.length <= SMALL_SET && rulesById.every(hasOneKey) ? validateOneKeyEach(rulesById) : validateByKeys(rulesById);
}

/** The validator itself: each key in order, owned by the first rule that holds it. */
function validateByKeys(rulesById: readonly PreparedRule[]): RuleSetFailure | undefined {
  const owners = new Map<string, PreparedRule>();
  for (const rule of rulesById) {
    if (rule.kind === undefined) return invalidRule(rule);
    for (const key of conflictKeysOf(rule)) {
      const other = owners.get(key);
      if (other !== undefined) return ruleConflictFailure(rule, other);
      owners.set(key, rule);
    }
  }
  return undefined;
}

const invalidRule = (rule: PreparedRule): RuleSetFailure => ({ code: "invalid_rule", message: INVALID_RULE_MESSAGE, ruleId: rule.id, rule });

/**
 * Sets up to this size whose rules have one key each (the common scope: a trunk's rules, each
 * for one number) are compared pair by pair: compiling 100,000 rules validates 10,000 such sets,
 * and building, hashing and storing their key strings cost more than the comparisons.
 */
const SMALL_SET = 16;

/** At most one trunk id, calling number and called number: exactly one key, so no self-conflict. */
const hasOneKey = (rule: PreparedRule): boolean =>
  rule.trunkIds.length <= 1 && soleValue(rule.callersNormalized) !== undefined && soleValue(rule.numbersNormalized) !== undefined;

/**
 * What validateByKeys decides, for rules with one key each: a rule fails on the first earlier rule
 * with the same key parts (the key's owner; a second holder would have failed already).
 */
function validateOneKeyEach(rulesById: readonly PreparedRule[]): RuleSetFailure | undefined {
  const parts: string[] = [];
  for (let j = 0; j < rulesById.length; j++) {
    const rule = rulesById[j]!;
    if (rule.kind === undefined) return invalidRule(rule);
    const trunk = rule.trunkIds[0] ?? "";
    const caller = soleValue(rule.callersNormalized)!;
    const number = soleValue(rule.numbersNormalized)!;
    for (let i = 0; i < j; i++)
      if (parts[4 * i] === rule.pin && parts[4 * i + 1] === trunk && parts[4 * i + 2] === caller && parts[4 * i + 3] === number)
        return ruleConflictFailure(rule, rulesById[i]!);
    parts.push(rule.pin, trunk, caller, number);
  }
  return undefined;
}
