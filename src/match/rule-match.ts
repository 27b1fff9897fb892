import type { CallView } from "./call.js";
import { ruleTarget, type DispatchRuleKind, type RuleTarget, type SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import { copiesWithAssign, frozenCopy } from "../model/frozen.js";
import { objectProblem, stringListProblem, stringMapProblem, stringProblem } from "../model/shape.js";
import { preparedMedia, type SIPMediaConfig } from "../model/media.js";
import type { RoomConfiguration } from "../model/room-config.js";
import { normalizeNumber } from "./number.js";
import type { RuleSetFailure } from "./rule-conflicts.js";
import type { RuleTraceReason, TraceEntry } from "../model/resolution.js";

/** A dispatch rule with its kind read, its priority computed and its number filters as sets. */
export interface PreparedRule {
  readonly rule: SIPDispatchRuleInfo;
  readonly id: string;
  /** `undefined` for a rule with no kind (an empty oneof). */
  readonly kind: DispatchRuleKind | undefined;
  readonly pin: string;
  /** The room name or prefix: the first tie-break. */
  readonly room: string;
  readonly priority: number;
  readonly trunkIds: readonly string[];
  /** No `trunkIds`: a default rule, for every trunk and for calls no trunk took. */
  readonly isDefault: boolean;
  /** `inboundNumbers` as given (LiveKit compares them exactly) and normalised (strict mode). */
  readonly callers: StringSet | undefined;
  readonly callersNormalized: StringSet | undefined;
  /** `numbers`, likewise. */
  readonly numbers: StringSet | undefined;
  readonly numbersNormalized: StringSet | undefined;
  /** Whether the room name ends with a random suffix (Individual unless noRandomness; Callee with randomize). */
  readonly randomSuffix: boolean;
  readonly hidePhoneNumber: boolean;
  readonly metadata: string;
  readonly roomPreset: string;
  readonly krispEnabled: boolean;
  /** The rule's media, upgraded as LiveKit upgrades it before merging. */
  readonly media: SIPMediaConfig;
  /** The rule's attributes, and whether Object.assign may copy them (no `__proto__` key). */
  readonly attributes: Record<string, string>;
  readonly attributesCopyWithAssign: boolean;
  /** A frozen copy of `roomConfig`, shared by every accept result. */
  readonly roomConfig: RoomConfiguration | undefined;
  /**
   * Position in id order within the configuration it was prepared for: the last tie-break, as
   * LiveKit's iteration order. Compared only between rules with the same id (see compareRuleOrder).
   */
  order: number;
  /** The conflict keys, when prepared for an index (which reads them many times). */
  conflictKeys: readonly string[] | undefined;
}

const NO_KIND_PRIORITY = 2147483647;
const KIND_BASE = { direct: 0, individual: 1, callee: 2 } as const;

/**
 * LiveKit's `DispatchRulePriority`; lower wins. Pin rules first, then by kind, with a 1000 penalty
 * for each missing number filter.
 */
export function dispatchRulePriority(target: RuleTarget | undefined, rule: SIPDispatchRuleInfo): number {
  if (target === undefined) return NO_KIND_PRIORITY;
  let priority = KIND_BASE[target.kind] + (target.pin === "" ? 100 : 0);
  if ((rule.inboundNumbers ?? []).length === 0) priority += 1000;
  if ((rule.numbers ?? []).length === 0) priority += 1000;
  return priority;
}

/** The few operations a rule's number filter needs: membership and its distinct values. */
export interface StringSet extends Iterable<string> {
  has(value: string): boolean;
}

/**
 * A short list as a set: most rules filter on one or two numbers, and a JS Set costs more to
 * build and hold than scanning them (compiling 100,000 rules builds 100,000 of these).
 */
class ShortList implements StringSet {
  /** The distinct values, in order: a copy, so a compiled dispatcher never sees later changes to the input. */
  private readonly values: readonly string[];
  constructor(list: readonly string[]) {
    this.values = list.filter((value, i) => list.indexOf(value) === i);
  }
  has(value: string): boolean {
    return this.values.includes(value);
  }
  [Symbol.iterator](): Iterator<string> {
    return this.values[Symbol.iterator]();
  }
}

/** One number, the common case (a rule for one DID, one caller): no array to build or hold. */
class OneValue implements StringSet {
  constructor(readonly value: string) {}
  has(value: string): boolean {
    return value === this.value;
  }
  *[Symbol.iterator](): Iterator<string> {
    yield this.value;
  }
}

const SHORT_LIST = 8;

/**
 * The one entry of a filter prepared from a list of one, or `""` for an empty list (the conflict
 * key part LiveKit uses then); `undefined` for a list of two or more, duplicates included.
 */
export const soleValue = (set: StringSet | undefined): string | undefined =>
  set === undefined ? "" : set instanceof OneValue ? set.value : undefined;

/** Shared by every rule without attributes: frozen, so no resolution can change it. */
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({});

/** No own enumerable key: what frozenCopy would copy is `{}`. */
const isEmpty = (map: Record<string, string>): boolean => {
  for (const key in map) if (Object.hasOwn(map, key)) return false;
  return true;
};

/**
 * A private copy of the rule's attributes: evaluation copies it into each result, so it is never
 * handed out, and a plain copy is cheaper than a frozen one (one per rule when compiling).
 */
const attributesOf = (attributes: Record<string, string> | undefined): Record<string, string> =>
  attributes === undefined || isEmpty(attributes) ? NO_ATTRIBUTES : copiesWithAssign(attributes) ? Object.assign({}, attributes) : frozenCopy(attributes);

const setOf = (list: readonly string[] | undefined): StringSet | undefined =>
  list === undefined || list.length === 0
    ? undefined
    : list.length === 1
      ? new OneValue(list[0]!)
      : list.length <= SHORT_LIST
        ? new ShortList(list)
        : new Set(list);

/** The normalised set, or the raw one itself when every entry is already normal (E.164 lists are). */
const normalizedSetOf = (list: readonly string[] | undefined, raw: StringSet | undefined): StringSet | undefined =>
  raw === undefined || list!.every((n) => normalizeNumber(n) === n) ? raw : setOf(list!.map(normalizeNumber));

const ruleMemberProblem = (member: unknown, kind: string): string | undefined => {
  if (member === undefined) return undefined; // two of the three kinds, on every rule
  const fields = (member ?? {}) as Record<string, unknown>;
  return (
    objectProblem(member, `rule.${kind}`) ??
    stringProblem(fields.pin, `rule.${kind}.pin`) ??
    stringProblem(fields.roomName, `rule.${kind}.roomName`) ??
    stringProblem(fields.roomPrefix, `rule.${kind}.roomPrefix`)
  );
};

/** Checks the fields the engine reads of a hand-built rule (a wrong type is a programmer error). */
function checkRuleShape(rule: SIPDispatchRuleInfo): void {
  // A chain of `??`: nothing is built unless a field is wrong.
  const problem =
    stringProblem(rule.sipDispatchRuleId, "sipDispatchRuleId") ??
    objectProblem(rule.rule, "rule") ??
    ruleMemberProblem(rule.rule?.dispatchRuleDirect, "dispatchRuleDirect") ??
    ruleMemberProblem(rule.rule?.dispatchRuleIndividual, "dispatchRuleIndividual") ??
    ruleMemberProblem(rule.rule?.dispatchRuleCallee, "dispatchRuleCallee") ??
    stringListProblem(rule.trunkIds, "trunkIds") ??
    stringListProblem(rule.inboundNumbers, "inboundNumbers") ??
    stringListProblem(rule.numbers, "numbers") ??
    stringProblem(rule.name, "name") ??
    stringProblem(rule.metadata, "metadata") ??
    stringProblem(rule.roomPreset, "roomPreset") ??
    stringMapProblem(rule.attributes, "attributes") ??
    objectProblem(rule.media, "media") ??
    objectProblem(rule.roomConfig, "roomConfig");
  if (problem !== undefined)
    throw new TypeError(`dispatch rule${typeof rule.sipDispatchRuleId === "string" ? ` ${JSON.stringify(rule.sipDispatchRuleId)}` : ""}: ${problem}`);
}

export function prepareRule(rule: SIPDispatchRuleInfo): PreparedRule {
  checkRuleShape(rule);
  const target = ruleTarget(rule);
  // Copies of what a call reads: a compiled dispatcher is a snapshot of its input.
  const trunkIds = [...(rule.trunkIds ?? [])];
  const callers = setOf(rule.inboundNumbers);
  const numbers = setOf(rule.numbers);
  // What evaluation reads on every call comes first, so that it shares a cache line.
  return {
    id: rule.sipDispatchRuleId ?? "",
    kind: target?.kind,
    pin: target?.pin ?? "",
    room: target?.room ?? "",
    randomSuffix:
      target?.kind === "individual"
        ? rule.rule?.dispatchRuleIndividual?.noRandomness !== true
        : target?.kind === "callee" && rule.rule?.dispatchRuleCallee?.randomize === true,
    hidePhoneNumber: rule.hidePhoneNumber === true,
    metadata: rule.metadata ?? "",
    roomPreset: rule.roomPreset ?? "",
    krispEnabled: rule.krispEnabled === true,
    media: preparedMedia(rule.media, rule.mediaEncryption),
    attributes: attributesOf(rule.attributes),
    attributesCopyWithAssign: copiesWithAssign(rule.attributes ?? {}),
    roomConfig: rule.roomConfig === undefined ? undefined : frozenCopy(rule.roomConfig),
    priority: dispatchRulePriority(target, rule),
    order: 0,
    conflictKeys: undefined,
    rule,
    trunkIds,
    isDefault: trunkIds.length === 0,
    callers,
    callersNormalized: normalizedSetOf(rule.inboundNumbers, callers),
    numbers,
    numbersNormalized: normalizedSetOf(rule.numbers, numbers),
  };
}

/**
 * Compares strings by their UTF-8 bytes, as Go does. UTF-16 code-unit order differs from it only
 * for surrogates against U+E000..U+FFFF, so those are swapped before comparing.
 */
export function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) - utf8Rank(y);
  }
  return a.length - b.length;
}

const utf8Rank = (c: number): number => (c >= 0xd800 && c <= 0xdfff ? c + 0x2000 : c >= 0xe000 ? c - 0x800 : c);

/** Orders rules by id, as LiveKit's storage lists them. */
export const byRuleId = (a: PreparedRule, b: PreparedRule): number => compareBytes(a.id, b.id);

/** Orders rules as LiveKit lists them: by id, then (equal ids) by position in the configuration. */
export const compareRuleOrder = (a: PreparedRule, b: PreparedRule): number => compareBytes(a.id, b.id) || a.order - b.order;

/** Whether `a` beats `b`: lower priority, then smaller room string, then smaller id. */
export function outranks(a: PreparedRule, b: PreparedRule): boolean {
  if (a.priority !== b.priority) return a.priority < b.priority;
  const room = compareBytes(a.room, b.room);
  if (room !== 0) return room < 0;
  const id = compareBytes(a.id, b.id);
  return id !== 0 ? id < 0 : a.order < b.order;
}

/** Whether the rule applies to calls through `trunkId` (`undefined`: no trunk matched). */
export const ruleCoversTrunk = (rule: PreparedRule, trunkId: string | undefined): boolean =>
  rule.isDefault || (trunkId !== undefined && rule.trunkIds.includes(trunkId));

export type RuleRejection = Exclude<RuleTraceReason, "specific_rule_won" | "lower_priority" | "selected">;

/**
 * LiveKit's per-rule filters, in its order: calling number, called number, pin, trunk.
 * Number filters compare exactly, as LiveKit does; `strict` compares normalised numbers.
 */
export function rejectRule(rule: PreparedRule, call: CallView, trunkId: string | undefined): RuleRejection | undefined {
  if (rule.callers !== undefined) {
    const hit = call.strict ? rule.callersNormalized!.has(call.fromNormalized) : rule.callers.has(call.fromUser);
    if (!hit) return "caller_mismatch";
  }
  if (rule.numbers !== undefined) {
    const hit = call.strict ? rule.numbersNormalized!.has(call.toNormalized) : rule.numbers.has(call.toUser);
    if (!hit) return "number_mismatch";
  }
  if (call.noPin) {
    if (rule.pin !== "") return "pin_required_but_no_pin_mode";
  } else if (call.pin !== "") {
    if (rule.pin === "") return "open_rule_after_pin";
    if (rule.pin !== call.pin) return "pin_mismatch";
  }
  if (!ruleCoversTrunk(rule, trunkId)) return "trunk_mismatch";
  return undefined;
}

/** The outcome of rule selection over candidates that passed validation. */
export interface RuleSelection {
  /** The winner, or `undefined` (drop). */
  winner: PreparedRule | undefined;
  /** Per candidate, why it was skipped (`undefined`: it matched). Same order as the input. */
  rejections: (RuleRejection | undefined)[];
}

/** Filters every candidate and picks the best specific rule, else the best default rule. */
export function selectRule(candidates: readonly PreparedRule[], call: CallView, trunkId: string | undefined): RuleSelection {
  let bestSpecific: PreparedRule | undefined;
  let bestDefault: PreparedRule | undefined;
  const rejections: (RuleRejection | undefined)[] = new Array(candidates.length);
  for (let i = 0; i < candidates.length; i++) {
    const rule = candidates[i]!;
    const rejection = rejectRule(rule, call, trunkId);
    rejections[i] = rejection;
    if (rejection !== undefined) continue;
    if (rule.isDefault) {
      if (bestDefault === undefined || outranks(rule, bestDefault)) bestDefault = rule;
    } else if (bestSpecific === undefined || outranks(rule, bestSpecific)) {
      bestSpecific = rule;
    }
  }
  return { winner: bestSpecific ?? bestDefault, rejections };
}

const RULE_REJECTION_DETAIL: Record<RuleRejection, string> = {
  caller_mismatch: "the calling number is not in inboundNumbers",
  number_mismatch: "the called number is not in numbers",
  pin_required_but_no_pin_mode: "the rule has a pin and the caller entered none (#)",
  open_rule_after_pin: "a pin was entered, and open rules are not a fallback",
  pin_mismatch: "the entered pin is not this rule's pin",
  trunk_mismatch: "the rule names other trunks than the matched one",
};

function ruleEntry(id: string, verdict: TraceEntry["verdict"], reason: RuleTraceReason, detail?: string): TraceEntry {
  return detail === undefined ? { stage: "rule", id, verdict, reason } : { stage: "rule", id, verdict, reason, detail };
}

/**
 * The rule stage of the trace: each rule given, in id order. Rules outside the candidate set get
 * `trunk_mismatch`; candidates get their first failing filter, or their rank against the winner.
 * `failure` marks a candidate set LiveKit refused (the would-be winner is then not dispatched).
 */
export function traceRules(
  allRulesById: readonly PreparedRule[],
  candidates: readonly PreparedRule[],
  selection: RuleSelection,
  failure?: RuleSetFailure,
): TraceEntry[] {
  const rejectionOf = new Map<PreparedRule, RuleRejection | undefined>();
  candidates.forEach((rule, i) => rejectionOf.set(rule, selection.rejections[i]));
  const winner = selection.winner;
  return allRulesById.map((rule) => {
    if (!rejectionOf.has(rule)) return ruleEntry(rule.id, "skipped", "trunk_mismatch", RULE_REJECTION_DETAIL.trunk_mismatch);
    const rejection = rejectionOf.get(rule);
    if (rejection !== undefined) return ruleEntry(rule.id, "skipped", rejection, RULE_REJECTION_DETAIL[rejection]);
    const conflictNote =
      failure !== undefined && (rule.id === failure.ruleId || rule.id === failure.otherRuleId) ? failure.message : undefined;
    if (rule === winner)
      return ruleEntry(
        rule.id,
        "selected",
        "selected",
        failure === undefined ? undefined : `would be selected, but LiveKit rejects the candidate set: ${failure.message}`,
      );
    if (winner !== undefined && !winner.isDefault && rule.isDefault)
      return ruleEntry(rule.id, "outranked", "specific_rule_won", conflictNote ?? `trunk-specific rule ${winner.id} wins over default rules`);
    return ruleEntry(rule.id, "outranked", "lower_priority", conflictNote);
  });
}
