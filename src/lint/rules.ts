// Lint checks about dispatch rules: rules that cannot work (number forms, pins, room names,
// unknown trunks, rules no call selects) and rules that expose callers (masked rooms, catch-alls).
import { maskNumber } from "../resolve/evaluate.js";
import {
  callsForRule,
  callsFromNowhere,
  callsVia,
  distinct,
  finding,
  findWitness,
  joinNames,
  namedTrunks,
  q,
  quoteList,
  rawAllowed,
  rawNumbers,
  trunksOf,
  type Finding,
  type LintContext,
} from "./context.js";
import { normalizeNumber } from "../match/number.js";
import type { DispatchResolution, InboundCall } from "../model/resolution.js";
import type { PreparedRule, StringSet } from "../match/rule-match.js";
import type { PreparedTrunk } from "../match/trunk-match.js";

const fromUser = (call: InboundCall): string => (typeof call.from === "string" ? call.from : call.from.user);
const selects = (r: DispatchResolution, rule: PreparedRule): boolean => (r.result === "accept" || r.result === "request_pin") && r.ruleId === rule.id;

// ---------------------------------------------------------------------------------------------
// number-format-mismatch

interface FormMismatch {
  trunk: PreparedTrunk;
  /** The rule's spelling, which no call arrives in. */
  ruleForm: string;
  /** The same number as calls arrive: E.164, what normalisation gives. */
  callForm: string;
}

/**
 * Entries of a rule filter that are not spelled as calls arrive (carriers send E.164,
 * `+442071838750`) while a trunk the rule covers serves that number: the trunk takes the call
 * after normalisation, but the rule compares exactly and skips it.
 */
function formMismatches(trunks: readonly PreparedTrunk[], ruleList: readonly string[], trunkList: (t: PreparedTrunk) => readonly string[]): FormMismatch[] {
  const off = distinct(ruleList)
    .map((ruleForm) => ({ ruleForm, callForm: normalizeNumber(ruleForm) }))
    .filter(({ ruleForm, callForm }) => ruleForm !== callForm && !ruleList.includes(callForm));
  if (off.length === 0) return [];
  const out: FormMismatch[] = [];
  for (const trunk of trunks) {
    const served = new Set(trunkList(trunk).map(normalizeNumber));
    for (const m of off) if (served.has(m.callForm)) out.push({ trunk, ...m });
  }
  return out;
}

function numberFormFindings(ctx: LintContext, rule: PreparedRule): Finding[] {
  const out: Finding[] = [];
  const fields = [
    { list: rule.rule.numbers ?? [], trunkList: rawNumbers, called: true },
    { list: rule.rule.inboundNumbers ?? [], trunkList: rawAllowed, called: false },
  ];
  for (const { list, trunkList, called } of fields) {
    if (list.length === 0 || list.every((n) => normalizeNumber(n) === n)) continue;
    const mismatches = formMismatches(trunksOf(ctx, rule), list, trunkList);
    if (mismatches.length === 0) continue;
    const otherFilter = called ? rule.callers : rule.numbers;
    const candidates = function* (): Generator<InboundCall> {
      for (const m of mismatches.slice(0, 4)) {
        const others = otherFilter === undefined ? undefined : [...otherFilter];
        yield* callsVia(ctx, m.trunk, called ? { to: [m.callForm], ...(others && { from: others }) } : { from: [m.callForm], ...(others && { to: others }) });
      }
    };
    const skipsRule = (r: DispatchResolution): boolean =>
      r.result !== "error" && mismatches.some((m) => m.trunk.id === r.trunkId) && !selects(r, rule);
    // The rule with the advice applied matches exactly the calls that arrive spelled as it is now.
    const spelledAsRule = (call: InboundCall): InboundCall => {
      const m = mismatches.find((x) => x.callForm === (called ? call.to : fromUser(call)));
      if (m === undefined) return call;
      return called ? { ...call, to: m.ruleForm } : { ...call, from: typeof call.from === "string" ? m.ruleForm : { ...call.from, user: m.ruleForm } };
    };
    // Prefer a call that the rule takes once the advice is applied.
    const witness =
      findWitness(ctx, candidates(), (r, call) => skipsRule(r) && selects(ctx.resolve(spelledAsRule(call)), rule)) ??
      findWitness(ctx, candidates(), skipsRule);
    const what = called ? "called number" : "calling number";
    const field = called ? "numbers" : "inboundNumbers";
    const forms = distinct(mismatches.map((m) => m.ruleForm));
    const advice = distinct(mismatches.map((m) => `${q(m.callForm)} for ${q(m.ruleForm)}`));
    const example = mismatches[0]!;
    out.push(
      finding(
        "number-format-mismatch",
        "warning",
        `Dispatch rule ${ctx.ruleName(rule)} filters on ${what} ${quoteList(forms)}, but calls arrive in E.164 form ` +
          `(${q(example.callForm)}). Trunk ${ctx.trunkName(example.trunk)} takes such a call (trunks compare numbers after ` +
          `normalisation), but rule filters (${field}) compare them exactly, so the call skips this rule. ` +
          `Fix: write ${field} in E.164 as calls arrive: ${advice.join(", ")} ` +
          `(not both spellings in one rule: they normalise alike, which LiveKit rejects as a self-conflict).`,
        { ...ctx.subjects({ rules: [rule], trunks: distinct(mismatches.map((m) => m.trunk)) }), witness },
      ),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// unreachable-pin, empty-room-name, unknown-trunk

/** The characters a caller can send as DTMF; `#` ends the entry. */
const DTMF_PIN = /^[0-9*A-D]*$/;
const MAX_PIN_LENGTH = 16;

function pinFinding(ctx: LintContext, rule: PreparedRule): Finding | undefined {
  const pin = rule.pin;
  if (pin === "") return undefined;
  const badChars = !DTMF_PIN.test(pin);
  const tooLong = pin.length > MAX_PIN_LENGTH;
  if (!badChars && !tooLong) return undefined;
  const why = [
    ...(badChars ? ["contains characters a phone keypad cannot send (only 0-9, *, and upper-case A-D can be entered; # ends the entry)"] : []),
    ...(tooLong ? [`is longer than ${MAX_PIN_LENGTH} characters, and LiveKit hangs up on the ${MAX_PIN_LENGTH + 1}th`] : []),
  ];
  const witness = findWitness(ctx, callsForRule(ctx, rule), (r) => r.result === "request_pin" && r.ruleId === rule.id);
  return finding(
    "unreachable-pin",
    "error",
    `Dispatch rule ${ctx.ruleName(rule)} has a pin that ${why.join(" and ")}. LiveKit does not check pins when a rule is created, so ` +
      `callers prompted for it can never enter it and hear "wrong pin". Fix: use a pin of at most ${MAX_PIN_LENGTH} characters ` +
      `from 0-9, *, A-D.`,
    { ...ctx.subjects({ rules: [rule] }), witness },
  );
}

function emptyRoomFinding(ctx: LintContext, rule: PreparedRule): Finding | undefined {
  if (rule.kind !== "direct" || rule.room !== "") return undefined;
  const witness = findWitness(
    ctx,
    callsForRule(ctx, rule),
    (r) => selects(r, rule) && (r.result === "request_pin" || (r.result === "accept" && r.roomName === "")),
  );
  return finding(
    "empty-room-name",
    "error",
    `Dispatch rule ${ctx.ruleName(rule)} is a Direct rule with an empty roomName. LiveKit accepts it, but a call it takes is sent to ` +
      `a room named "", which cannot be joined` +
      (rule.pin === "" ? "" : `; after entering its pin the caller hears "wrong pin"`) +
      `. Fix: set roomName, or use an Individual or Callee rule for rooms per caller or per number.`,
    { ...ctx.subjects({ rules: [rule] }), witness },
  );
}

function unknownTrunkFinding(ctx: LintContext, rule: PreparedRule): Finding | undefined {
  const named = distinct(rule.trunkIds);
  const unknown = named.filter((id) => !ctx.knownTrunkIds.has(id));
  if (unknown.length === 0) return undefined;
  const all = unknown.length === named.length;
  const trunks = `${unknown.length > 1 ? "trunks" : "trunk"} ${quoteList(unknown)}`;
  return finding(
    "unknown-trunk",
    "warning",
    `Dispatch rule ${ctx.ruleName(rule)} names ${trunks}, which ${unknown.length > 1 ? "are" : "is"} not in this configuration` +
      (all
        ? `, so no call can reach it: a rule with trunkIds is only a candidate for calls through the trunks it names`
        : `; calls through its other trunks still reach it`) +
      `. LiveKit keeps rules when a trunk is deleted. Fix: correct the trunk id, or remove it from trunkIds` +
      (all ? " (an empty trunkIds would make this a default rule for every trunk)" : "") +
      `.`,
    ctx.subjects({ rules: [rule], trunkIds: unknown }),
  );
}

// ---------------------------------------------------------------------------------------------
// shadowed-rule

/** `a` passes every value `b` passes: no filter, or a filter containing all of `b`'s. */
const covers = (a: StringSet | undefined, b: StringSet | undefined): boolean =>
  a === undefined || (b !== undefined && [...b].every((x) => a.has(x)));

/** Whether `trunk` serves some number `rule` filters on (or either takes any number). */
const servesRuleNumbers = (trunk: PreparedTrunk, rule: PreparedRule): boolean =>
  rule.numbers === undefined || trunk.isDefault || [...rule.numbers].some((n) => trunk.numbers.has(normalizeNumber(n)));

/** Whether a call that passes `rule`'s number filters can pass `trunk`'s (an over-approximation). */
function mayCarry(trunk: PreparedTrunk, rule: PreparedRule): boolean {
  const numbersOk = servesRuleNumbers(trunk, rule);
  const callersOk =
    rule.callers === undefined || trunk.allowedCallers === undefined || [...rule.callers].some((c) => trunk.allowedCallers!.has(normalizeNumber(c)));
  return numbersOk && callersOk;
}

/** A trunk with no caller or address filter: every call that reaches it (for its numbers) passes. */
const admitsEveryone = (trunk: PreparedTrunk): boolean => trunk.allowedCallers === undefined && trunk.addresses === undefined;

/** Called numbers served by a specific trunk that admits everyone, once per configuration. */
const openNumbersOf = new WeakMap<LintContext, Set<string>>();
function openNumbers(ctx: LintContext): Set<string> {
  let numbers = openNumbersOf.get(ctx);
  if (numbers === undefined) {
    numbers = new Set(ctx.trunks.filter((t) => !t.isDefault && admitsEveryone(t)).flatMap((t) => [...t.numbers]));
    openNumbersOf.set(ctx, numbers);
  }
  return numbers;
}

/**
 * A rule no call can select, when that can be proved (a miss is fine, a false alarm is not):
 *
 * - a trunk-specific rule whose number filters no trunk it names can pass (the trunk serves none
 *   of its called numbers, or admits none of its calling numbers);
 * - a default rule when no call can arrive without a trunk, and on every trunk that may carry a
 *   call it passes, a trunk-specific rule with the same pin and wider-or-equal filters passes
 *   too: a trunk-specific rule always beats a default one.
 *
 * Two rules of the same group (both default, or both for one trunk) where one always wins share
 * a conflict key, so LiveKit rejects them: rule-conflict reports those.
 */
function shadowFinding(ctx: LintContext, rule: PreparedRule): Finding | undefined {
  if (rule.kind === undefined) return undefined;
  if (!rule.isDefault) {
    const named = namedTrunks(ctx, rule.trunkIds);
    if (named.length === 0 || named.some((t) => mayCarry(t, rule))) return undefined;
    const why = named.map((t) => {
      return servesRuleNumbers(t, rule)
        ? `trunk ${ctx.trunkName(t)} admits none of its calling numbers (inboundNumbers) in allowedNumbers`
        : `trunk ${ctx.trunkName(t)} serves none of its called numbers (${quoteList([...rule.numbers!])})`;
    });
    return finding(
      "shadowed-rule",
      "warning",
      `Dispatch rule ${ctx.ruleName(rule)} can never be selected: ${distinct(why).join("; ")}, so no call that passes its filters arrives through a trunk it names. ` +
        `Fix: use the numbers the trunk lists, add them to the trunk, or name the trunk that serves them.`,
      ctx.subjects({ rules: [rule], trunks: named }),
    );
  }
  const catchAllTrunk = ctx.trunks.find((t) => t.isDefault && admitsEveryone(t));
  const numbersAlwaysTaken =
    rule.numbers !== undefined &&
    [...rule.numbers].every((n) => openNumbers(ctx).has(normalizeNumber(n)));
  if (catchAllTrunk === undefined && !numbersAlwaysTaken) return undefined; // it may catch calls no trunk takes
  const carriers = ctx.trunks.filter((t) => mayCarry(t, rule));
  const winners: PreparedRule[] = [];
  for (const trunk of carriers) {
    const winner = ctx.rulesForTrunk.get(trunk.id)?.find(
      (a) =>
        a !== rule &&
        a.kind !== undefined &&
        a.pin === rule.pin &&
        covers(a.callers, rule.callers) &&
        covers(a.numbers, rule.numbers),
    );
    if (winner === undefined) return undefined;
    if (!winners.includes(winner)) winners.push(winner);
  }
  const noTrunk =
    catchAllTrunk !== undefined
      ? `trunk ${ctx.trunkName(catchAllTrunk)} takes every call no other trunk takes`
      : `every number it filters on belongs to a trunk that admits every caller`;
  const several = winners.length > 1;
  return finding(
    "shadowed-rule",
    "warning",
    `Default rule ${ctx.ruleName(rule)} can never be selected: ${noTrunk}, so every call it matches arrives through a trunk ` +
      `(${joinNames(distinct(carriers.map(ctx.trunkName)))}), and there trunk-specific ${several ? "rules" : "rule"} ` +
      `${joinNames(distinct(winners.map(ctx.ruleName)))} also ${several ? "match" : "matches"}; a trunk-specific rule always beats a default rule. ` +
      `Fix: delete it, or narrow the trunk-specific rules if it should take some of those calls.`,
    ctx.subjects({ rules: [rule, ...winners], trunks: carriers }),
  );
}

// ---------------------------------------------------------------------------------------------
// shared-masked-room, open-catch-all

/** Callers that share `caller`'s masked form: listed ones first, then made-up ones. */
function sameMaskCallers(caller: string, listed: readonly string[]): string[] {
  const mask = maskNumber(caller);
  const made = caller.length > 4 ? ["+1999", "+4420", "1"].map((head) => head + caller.slice(-4)) : [];
  return distinct([...listed, ...made]).filter((other) => maskNumber(other) === mask && normalizeNumber(other) !== normalizeNumber(caller));
}

function maskedRoomFinding(ctx: LintContext, rule: PreparedRule): Finding | undefined {
  if (rule.kind !== "individual" || !rule.hidePhoneNumber || rule.randomSuffix) return undefined;
  // A bounded set of callers (the rule's own list, or every trunk's allowedNumbers) shares a room
  // only if two of its numbers end alike.
  const trunks = trunksOf(ctx, rule);
  const bounded =
    rule.callers !== undefined
      ? [...rule.callers]
      : !rule.isDefault && trunks.length > 0 && trunks.every((t) => t.allowedCallers !== undefined)
        ? trunks.flatMap(rawAllowed)
        : undefined;
  if (bounded !== undefined) {
    const seen = new Map<string, string>();
    let shared = false;
    for (const caller of bounded) {
      const norm = normalizeNumber(caller);
      const mask = maskNumber(norm);
      const other = seen.get(mask);
      if (other !== undefined && other !== norm) shared = true;
      seen.set(mask, norm);
    }
    if (!shared) return undefined;
  }
  const listed = bounded ?? [];
  let pair: [string, string] | undefined;
  const witness =
    rule.pin !== ""
      ? undefined // showing the shared room would need the pin in the call
      : findWitness(ctx, callsForRule(ctx, rule), (r, call) => {
          if (r.result !== "accept" || r.ruleId !== rule.id) return false;
          const caller = fromUser(call);
          for (const other of sameMaskCallers(caller, listed)) {
            const again = ctx.resolve({ ...call, from: typeof call.from === "string" ? other : { ...call.from, user: other } });
            if (again.result === "accept" && again.ruleId === rule.id && again.roomName === r.roomName) {
              pair = [caller, other];
              return true;
            }
          }
          return false;
        });
  const example = pair === undefined ? "" : ` (e.g. ${q(pair[0])} and ${q(pair[1])})`;
  return finding(
    "shared-masked-room",
    "warning",
    `Dispatch rule ${ctx.ruleName(rule)} is an Individual rule with hidePhoneNumber and noRandomness, so its room name is the prefix ` +
      `plus only the last 4 digits of the caller: different callers who share them${example} join the same room and hear each ` +
      `other. Fix: remove noRandomness so every call gets its own room, or stop hiding the number if a stable room per caller ` +
      `is what you need.`,
    { ...ctx.subjects({ rules: [rule] }), witness },
  );
}

function catchAllFinding(ctx: LintContext, rule: PreparedRule): Finding | undefined {
  if (rule.kind === undefined || !rule.isDefault || rule.callers !== undefined || rule.numbers !== undefined || rule.pin !== "") return undefined;
  const witness = findWitness(ctx, callsFromNowhere(ctx), (r) => r.result === "accept" && r.trunkId === "" && r.ruleId === rule.id);
  if (witness === undefined) return undefined; // every call has a trunk, or another rule takes the junk first
  return finding(
    "open-catch-all",
    "warning",
    `Default rule ${ctx.ruleName(rule)} has no trunkIds, no number filters and no pin, so it accepts calls that no trunk takes, ` +
      `including junk INVITEs that scanners send to any SIP server: each gets a room (and an agent, if one is dispatched). ` +
      `Fix: list your trunks in trunkIds, add a numbers filter, or set a pin.`,
    { ...ctx.subjects({ rules: [rule] }), witness },
  );
}

export function ruleFindings(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of ctx.rules) {
    const unknown = unknownTrunkFinding(ctx, rule);
    if (unknown !== undefined) out.push(unknown);
    if (rule.kind === undefined) continue; // kindless-rule says all there is to say
    out.push(...numberFormFindings(ctx, rule));
    for (const check of [pinFinding, emptyRoomFinding, shadowFinding, maskedRoomFinding, catchAllFinding]) {
      const found = check(ctx, rule);
      if (found !== undefined) out.push(found);
    }
  }
  return out;
}
