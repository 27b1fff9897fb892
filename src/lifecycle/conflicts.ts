import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { goQuote, goQuoteList } from "../match/go-format.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import { normalizeNumber } from "../match/number.js";
import { compareBytes, prepareRule, type PreparedRule } from "../match/rule-match.js";
import { conflictKeysOf, decodeConflictKey, ruleConflictKeys, ruleConflictMessage } from "../match/rule-conflicts.js";

/**
 * Two dispatch rules that LiveKit refuses to hold together: they share a (pin, trunk, calling
 * number, called number) combination. `otherRuleId` is the rule earlier in id order (the one
 * LiveKit's message names), `ruleId` the later; both are equal for a rule that conflicts with
 * itself. The numbers are normalised; an empty string stands for "no filter" (or a default rule).
 */
export interface DispatchRuleConflict {
  ruleId: string;
  otherRuleId: string;
  pin: string;
  trunkId: string;
  inboundNumber: string;
  number: string;
  /** LiveKit's text: `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "<id>" "<name>"`. */
  message: string;
}

/**
 * Two inbound trunks that LiveKit refuses to hold together: they serve the same (normalised)
 * called number, `""` for two default trunks, and admit the same (normalised) caller, `""` when
 * neither restricts callers. `otherTrunkId` is the trunk earlier in id order, `trunkId` the later.
 */
export interface InboundTrunkConflict {
  trunkId: string;
  otherTrunkId: string;
  number: string;
  allowedNumber: string;
  /** LiveKit's text: `Conflicting inbound SIP Trunks: "<id>" and "<other>", using the same number(s) ...`. */
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Order: LiveKit lists by id. Equal ids (hand-made sets) are ordered by content, so that the
// answer never depends on the order of the input.

function canonicalJson(value: unknown): string {
  // Stryker disable next-line ConditionalExpression,StringLiteral: any one-to-one encoding orders equal-id items alike whatever the input order (docs/testing.md lists it)
  if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(",") + "]";
  // Stryker disable next-line ConditionalExpression,EqualityOperator,StringLiteral,BlockStatement: any one-to-one encoding orders equal-id items alike whatever the input order (docs/testing.md lists it)
  if (typeof value === "object" && value !== null) {
    // Stryker disable next-line MethodExpression: any one-to-one encoding orders equal-id items alike whatever the input order (docs/testing.md lists it)
    const keys = Object.keys(value).sort(compareBytes);
    // Stryker disable next-line StringLiteral: any one-to-one encoding orders equal-id items alike whatever the input order (docs/testing.md lists it)
    return "{" + keys.map((k) => JSON.stringify(k) + ":" + canonicalJson((value as Record<string, unknown>)[k])).join(",") + "}";
  }
  // Stryker disable next-line ConditionalExpression,StringLiteral: any one-to-one encoding orders equal-id items alike whatever the input order (docs/testing.md lists it)
  return value === undefined ? "null" : JSON.stringify(value);
}

function sortById<T>(items: readonly T[], id: (item: T) => string): T[] {
  const keyed = items.map((item) => ({ item, id: id(item), content: undefined as string | undefined }));
  const content = (k: (typeof keyed)[number]): string => (k.content ??= canonicalJson(k.item));
  keyed.sort((a, b) => compareBytes(a.id, b.id) || compareBytes(content(a), content(b)));
  return keyed.map((k) => k.item);
}

// ---------------------------------------------------------------------------------------------
// Dispatch rules.

interface RuleKeys {
  readonly rule: SIPDispatchRuleInfo;
  readonly id: string;
  /** The validator's keys in LiveKit's loop order (trunk, calling number, called number). */
  readonly keys: readonly string[];
}

/** Keys of a prepared rule with a kind (its kept keys when it has them); `undefined` for a kind-less rule (not a conflict: invalid). */
function keysOfPrepared(prepared: PreparedRule): RuleKeys | undefined {
  if (prepared.kind === undefined) return undefined;
  return { rule: prepared.rule, id: prepared.id, keys: conflictKeysOf(prepared) };
}

const ruleKeys = (rule: SIPDispatchRuleInfo): RuleKeys | undefined => keysOfPrepared(prepareRule(rule));

function ruleConflict(later: RuleKeys, earlier: RuleKeys, key: string): DispatchRuleConflict {
  const [pin, trunkId, inboundNumber, number] = decodeConflictKey(key);
  return {
    ruleId: later.id,
    otherRuleId: earlier.id,
    pin,
    trunkId,
    inboundNumber,
    number,
    message: ruleConflictMessage(earlier.id, earlier.rule.name ?? ""),
  };
}

/**
 * The conflict LiveKit reports when `later` is validated after `earlier` (the same object for a
 * self-conflict): the first of `later`'s keys that `earlier` already holds. `undefined` when
 * they do not conflict, or when either has no rule kind.
 */
export function dispatchRuleConflictBetween(later: SIPDispatchRuleInfo, earlier: SIPDispatchRuleInfo): DispatchRuleConflict | undefined {
  const prepared = prepareRule(later);
  return preparedRuleConflictBetween(prepared, later === earlier ? prepared : prepareRule(earlier));
}

/** {@link dispatchRuleConflictBetween} over prepared rules (the store keeps its rules prepared). */
export function preparedRuleConflictBetween(later: PreparedRule, earlier: PreparedRule): DispatchRuleConflict | undefined {
  const b = keysOfPrepared(later);
  const a = later === earlier ? b : keysOfPrepared(earlier);
  if (a === undefined || b === undefined) return undefined;
  if (a === b) {
    const seen = new Set<string>();
    for (const key of b.keys) {
      if (seen.has(key)) return ruleConflict(b, b, key);
      seen.add(key);
    }
    return undefined;
  }
  // Most key lists are short (one key per trunk × caller × number): a scan beats a Set per pair.
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a scan and a Set answer alike; the choice is speed (docs/testing.md lists it)
  const held = a.keys.length <= 16 ? a.keys : new Set(a.keys);
  const key = b.keys.find((k) => (Array.isArray(held) ? held.includes(k) : (held as Set<string>).has(k)));
  return key === undefined ? undefined : ruleConflict(b, a, key);
}

/**
 * Every pair of dispatch rules that LiveKit's validator refuses to hold together (LiveKit stops
 * at the first). Rules conflict when they share a (pin, trunk, calling number, called number)
 * key: the same pin string (an open rule never conflicts with a pin rule), a common trunk id (a
 * default rule only with default rules), and a common normalised `inboundNumbers` and `numbers`
 * entry (an empty list only with an empty list). The kind and the room are irrelevant. A rule whose
 * own lists repeat a key (`trunkIds: ["A", "A"]`, `numbers: ["+1 555", "+1555"]`) conflicts with
 * itself.
 *
 * One entry per unordered pair, for the first key shared (in LiveKit's loop order over the later
 * rule's keys), in the order LiveKit meets them: the first entry is the error LiveKit reports.
 * The answer does not depend on the order of `rules`. Rules without a kind cannot be keyed and
 * are left out: {@link validateDispatchRule} reports them. `[]` means LiveKit accepts the set.
 *
 * @example
 * findDispatchRuleConflicts([
 *   { ...rule, sipDispatchRuleId: "SDR_a", trunkIds: ["ST_1"], numbers: ["+1555"] },
 *   { ...rule, sipDispatchRuleId: "SDR_b", trunkIds: ["ST_1", "ST_2"], numbers: ["1555"] },
 * ]) // [{ ruleId: "SDR_b", otherRuleId: "SDR_a", pin: "", trunkId: "ST_1", inboundNumber: "", number: "+1555", message: ... }]
 */
export function findDispatchRuleConflicts(rules: readonly SIPDispatchRuleInfo[]): DispatchRuleConflict[] {
  if (!Array.isArray(rules)) throw new TypeError("findDispatchRuleConflicts: rules must be an array of SIPDispatchRuleInfo");
  rules.forEach((r, i) => {
    if (typeof r !== "object" || r === null) throw new TypeError(`findDispatchRuleConflicts: rules[${i}] must be a SIPDispatchRuleInfo object`);
  });
  const keyed = sortById(
    rules.flatMap((r) => ruleKeys(r) ?? []),
    (k) => k.id,
  );
  const holders = new Map<string, number[]>();
  const conflicts: DispatchRuleConflict[] = [];
  keyed.forEach((b, j) => {
    // Reported in the rule's key order, then in id order of the other rules: keys are visited in
    // order, and each key's holders were appended as earlier rules were visited.
    const own = new Set<string>();
    const paired = new Set<number>();
    let self = false;
    for (const key of b.keys) {
      if (own.has(key)) {
        if (!self) conflicts.push(ruleConflict(b, b, key));
        self = true;
        continue;
      }
      own.add(key);
      for (const i of holders.get(key) ?? []) {
        if (paired.has(i)) continue;
        paired.add(i);
        conflicts.push(ruleConflict(b, keyed[i]!, key));
      }
    }
    for (const key of own) {
      const list = holders.get(key);
      if (list === undefined) holders.set(key, [j]);
      else list.push(j);
    }
  });
  return conflicts;
}

// ---------------------------------------------------------------------------------------------
// Inbound trunks.

const printId = (id: string): string => (id === "" ? "<new>" : id);
const printNumbers = (numbers: readonly string[]): string => (numbers.length === 0 ? "<any>" : goQuoteList(numbers));

/**
 * LiveKit's trunk conflict text. `trunk` is the trunk being validated (later in LiveKit's order),
 * `otherId` the trunk that already holds the key; `allowedNumber` is the raw allowed number of
 * `trunk` that collided, or `undefined` when `trunk` has no `allowedNumbers`.
 */
export function inboundTrunkConflictMessage(
  trunk: Pick<SIPInboundTrunkInfo, "sipTrunkId" | "numbers">,
  otherId: string,
  allowedNumber: string | undefined,
): string {
  const head = `Conflicting inbound SIP Trunks: ${goQuote(printId(trunk.sipTrunkId ?? ""))} and ${goQuote(printId(otherId))}, using the same number(s) ${printNumbers(trunk.numbers ?? [])}`;
  return allowedNumber === undefined ? `${head} without AllowedNumbers set` : `${head} and AllowedNumber ${goQuote(allowedNumber)}`;
}

interface TrunkKey {
  readonly key: string;
  readonly number: string;
  readonly allowedNumber: string;
  /** The raw allowed number that produced the key; `undefined` when the trunk has none. */
  readonly raw: string | undefined;
}

interface TrunkKeys {
  readonly trunk: SIPInboundTrunkInfo;
  readonly id: string;
  readonly keys: readonly TrunkKey[];
}

const distinctNormalized = (list: readonly string[]): { norm: string; raw: string }[] => {
  const seen = new Set<string>();
  const out: { norm: string; raw: string }[] = [];
  for (const raw of list) {
    const norm = normalizeNumber(raw);
    // Stryker disable next-line ConditionalExpression: a repeated key comes after its first occurrence, and every reader takes the first (docs/testing.md lists it)
    if (seen.has(norm)) continue;
    seen.add(norm);
    out.push({ norm, raw });
  }
  return out;
};

/** The keys of `ValidateTrunksIter`, in its loop order: number buckets, then allowed numbers. */
function trunkKeys(trunk: SIPInboundTrunkInfo): TrunkKeys {
  const numbers = trunk.numbers ?? [];
  const allowed = trunk.allowedNumbers ?? [];
  const buckets = numbers.length === 0 ? [""] : distinctNormalized(numbers).map((n) => n.norm);
  const callers: { norm: string; raw: string | undefined }[] = allowed.length === 0 ? [{ norm: "", raw: undefined }] : distinctNormalized(allowed);
  const keys: TrunkKey[] = [];
  for (const number of buckets)
    for (const caller of callers)
      keys.push({ key: JSON.stringify([number, caller.norm]), number, allowedNumber: caller.norm, raw: caller.raw });
  return { trunk, id: trunk.sipTrunkId ?? "", keys };
}

function trunkConflict(later: TrunkKeys, earlier: TrunkKeys, key: TrunkKey): InboundTrunkConflict {
  return {
    trunkId: later.id,
    otherTrunkId: earlier.id,
    number: key.number,
    allowedNumber: key.allowedNumber,
    message: inboundTrunkConflictMessage(later.trunk, earlier.id, key.raw),
  };
}

/**
 * The conflict LiveKit reports when `later` is validated after `earlier`: the first of `later`'s
 * keys that `earlier` holds. Trunks with the same id never conflict (LiveKit skips them).
 */
export function inboundTrunkConflictBetween(later: SIPInboundTrunkInfo, earlier: SIPInboundTrunkInfo): InboundTrunkConflict | undefined {
  const b = trunkKeys(later);
  const a = trunkKeys(earlier);
  if (a.id === b.id) return undefined;
  const held = new Set(a.keys.map((k) => k.key));
  const key = b.keys.find((k) => held.has(k.key));
  return key === undefined ? undefined : trunkConflict(b, a, key);
}

/**
 * LiveKit's `ValidateTrunksIter` over trunks in the given order: the first conflict, where the
 * holder of a key is the last trunk that recorded it. `undefined` when the set is accepted.
 */
export function firstInboundTrunkConflict(trunksInOrder: readonly SIPInboundTrunkInfo[]): InboundTrunkConflict | undefined {
  const holders = new Map<string, TrunkKeys>();
  for (const trunk of trunksInOrder) {
    const b = trunkKeys(trunk);
    for (const key of b.keys) {
      const a = holders.get(key.key);
      if (a !== undefined && a.id !== b.id) return trunkConflict(b, a, key);
      holders.set(key.key, b);
    }
  }
  return undefined;
}

/**
 * Every pair of inbound trunks that LiveKit's trunk validator refuses to hold together (LiveKit
 * stops at the first). Each trunk is keyed by its distinct normalised `numbers` (a trunk without
 * numbers: the default bucket `""`) and, within each, its distinct normalised `allowedNumbers`
 * (`""` without any). Two trunks with different ids sharing a key conflict. `allowedAddresses`
 * plays no part, and trunks with the same id never conflict (LiveKit skips them).
 *
 * One entry per unordered pair, for the first key shared in LiveKit's loop order over the later
 * trunk's keys; `otherTrunkId` is the earlier trunk in id order, and the message is LiveKit's
 * (`<new>` for an empty id, `<any>` for no numbers, the later trunk's numbers as Go prints a
 * list). The answer does not depend on the order of `trunks`. `[]` means LiveKit accepts the set.
 *
 * @example
 * findInboundTrunkConflicts([
 *   { ...trunk, sipTrunkId: "ST_a", numbers: ["+1555"] },
 *   { ...trunk, sipTrunkId: "ST_b", numbers: ["1555"] },
 * ]) // [{ trunkId: "ST_b", otherTrunkId: "ST_a", number: "+1555", allowedNumber: "",
 *    //    message: 'Conflicting inbound SIP Trunks: "ST_b" and "ST_a", using the same number(s) ["1555"] without AllowedNumbers set' }]
 */
export function findInboundTrunkConflicts(trunks: readonly SIPInboundTrunkInfo[]): InboundTrunkConflict[] {
  if (!Array.isArray(trunks)) throw new TypeError("findInboundTrunkConflicts: trunks must be an array of SIPInboundTrunkInfo");
  trunks.forEach((t, i) => {
    if (typeof t !== "object" || t === null) throw new TypeError(`findInboundTrunkConflicts: trunks[${i}] must be a SIPInboundTrunkInfo object`);
  });
  const keyed = sortById(trunks.map(trunkKeys), (k) => k.id);
  const holders = new Map<string, number[]>();
  const conflicts: InboundTrunkConflict[] = [];
  keyed.forEach((b, j) => {
    // In the trunk's key order, then in id order of the other trunks (as for rules above).
    const paired = new Set<number>();
    for (const key of b.keys)
      for (const i of holders.get(key.key) ?? []) {
        if (paired.has(i) || keyed[i]!.id === b.id) continue;
        paired.add(i);
        conflicts.push(trunkConflict(b, keyed[i]!, key));
      }
    for (const key of b.keys) {
      const list = holders.get(key.key);
      if (list === undefined) holders.set(key.key, [j]);
      else list.push(j);
    }
  });
  return conflicts;
}
