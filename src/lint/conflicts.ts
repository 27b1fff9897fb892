// Lint checks about sets LiveKit refuses: rule and trunk conflicts (at create time and at call
// time), rules without a kind, and ids used twice.
import { dispatchRuleConflictBetween, findDispatchRuleConflicts, findInboundTrunkConflicts } from "../lifecycle/conflicts.js";
import {
  callsFromNowhere,
  callsVia,
  distinct,
  finding,
  findWitness,
  originsFor,
  q,
  quoteList,
  selectedTrunks,
  type Finding,
  type LintContext,
  type Origin,
} from "./context.js";
import { normalizeNumber } from "../match/number.js";
import type { InboundCall } from "../model/resolution.js";
import { compareBytes, type PreparedRule } from "../match/rule-match.js";
import type { PreparedTrunk } from "../match/trunk-match.js";

/** Calls through the trunks with this id, or (`""`: a default-rule key) through every trunk and none. */
function* callsForTrunkKey(ctx: LintContext, trunkKey: string, to?: readonly string[], from?: readonly string[]): Generator<InboundCall> {
  const trunks = trunkKey === "" ? ctx.trunks : (ctx.trunksWithId.get(trunkKey) ?? []);
  for (const trunk of trunks) {
    if (to !== undefined || from !== undefined) yield* callsVia(ctx, trunk, { ...(to && { to }), ...(from && { from }) });
    yield* callsVia(ctx, trunk);
  }
  if (trunkKey === "") yield* callsFromNowhere(ctx);
}

/** What a rule-set failure on this key breaks, for a message. */
function affected(ctx: LintContext, trunkKey: string): string {
  if (trunkKey === "") return "every call (default rules are candidates on every trunk and for calls no trunk takes)";
  if (!ctx.knownTrunkIds.has(trunkKey)) return `every call through trunk ${q(trunkKey)} (no such trunk is in this configuration, so no call fails today)`;
  return `every call through trunk ${q(trunkKey)}`;
}

/** The first rule with this id, in id order (a binary search: conflicts can be many). */
function ruleById(ctx: LintContext, id: string): PreparedRule | undefined {
  let lo = 0;
  let hi = ctx.rules.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(ctx.rules[mid]!.id, id) < 0) lo = mid + 1;
    else hi = mid;
  }
  return ctx.rules[lo]?.id === id ? ctx.rules[lo] : undefined;
}

/** Raw entries of `lists` that normalise to `norm`. */
const rawFormsOf = (norm: string, ...lists: (readonly string[] | undefined)[]): string[] =>
  distinct(lists.flatMap((list) => (list ?? []).filter((raw) => normalizeNumber(raw) === norm)));

/**
 * LiveKit's conflict finders tell entries apart by id, and entries without one (the shapes in
 * LiveKit's docs) all share "". Each gets a stand-in id that sorts where "" sorts (before every
 * real id, in the order given) and equals no other, so that their conflicts are found too.
 * `prepared` is in id order, so its id-less entries come first, in the order given.
 */
function withStandInIds<I, P extends { id: string }>(
  infos: readonly I[],
  prepared: readonly P[],
  idOf: (info: I) => unknown,
  withId: (info: I, id: string) => I,
): { infos: readonly I[]; standIn: (id: string) => P | undefined } {
  const standIns = new Map<string, P>();
  let k = 0;
  const mapped = infos.map((info) => {
    if (idOf(info) !== "" && idOf(info) !== undefined) return info;
    const id = `\u0000${String(k).padStart(10, "0")}`;
    standIns.set(id, prepared[k++]!);
    return withId(info, id);
  });
  return { infos: k === 0 ? infos : mapped, standIn: (id) => standIns.get(id) };
}

function ruleConflicts(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  const ids = withStandInIds(ctx.ruleInfos, ctx.rules, (r) => r.sipDispatchRuleId, (r, id) => ({ ...r, sipDispatchRuleId: id }));
  for (const c of findDispatchRuleConflicts(ids.infos)) {
    if (c.ruleId === c.otherRuleId) continue; // a self-conflict, or two rules sharing an id (duplicate-id)
    const first = ids.standIn(c.otherRuleId) ?? ruleById(ctx, c.otherRuleId);
    const second = ids.standIn(c.ruleId) ?? ruleById(ctx, c.ruleId);
    const a = first?.rule;
    const b = second?.rule;
    const to = c.number === "" ? undefined : rawFormsOf(c.number, b?.numbers, a?.numbers);
    const from = c.inboundNumber === "" ? undefined : rawFormsOf(c.inboundNumber, b?.inboundNumbers, a?.inboundNumbers);
    const witness = findWitness(
      ctx,
      callsForTrunkKey(ctx, c.trunkId, to, from),
      (r) => r.result === "error" && r.error.code === "rule_conflict" && (c.trunkId === "" || r.trunkId === c.trunkId),
    );
    const scope = c.trunkId === "" ? "both default rules (no trunkIds)" : `both on trunk ${q(c.trunkId)}`;
    const pin = c.pin === "" ? "both open (no pin)" : "both with the same pin";
    const callers = c.inboundNumber === "" ? "neither filters calling numbers" : `both list calling number ${q(c.inboundNumber)}`;
    const numbers = c.number === "" ? "neither filters called numbers" : `both list called number ${q(c.number)}`;
    out.push(
      finding(
        "rule-conflict",
        "error",
        `Dispatch rules ${first ? ctx.ruleName(first) : q(c.otherRuleId)} and ${second ? ctx.ruleName(second) : q(c.ruleId)} collide: they are ${scope}, ${pin}, ${callers} and ${numbers} ` +
          `(numbers compared after normalisation). LiveKit refuses to create the second one, and when both are stored it answers ` +
          `503 to ${affected(ctx, c.trunkId)}, even calls neither rule would match. ` +
          `Fix: give one of them a distinct numbers or inboundNumbers filter, another trunk or another pin, or delete one.`,
        { ...ctx.subjects({ rules: [first, second].filter((r) => r !== undefined), trunkIds: c.trunkId === "" ? [] : [c.trunkId] }), witness },
      ),
    );
  }
  return out;
}

/** Groups of raw entries that are the same key (after `key`), for a message. */
function repeated(list: readonly string[], key: (s: string) => string): string[][] {
  const groups = new Map<string, string[]>();
  for (const raw of list) {
    const k = key(raw);
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [raw]);
    else group.push(raw);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

function describeRepeats(field: string, groups: string[][], normalised: boolean): string[] {
  return groups.map((group) => {
    const forms = distinct(group);
    if (forms.length === 1) return `its ${field} list ${q(forms[0]!)} ${group.length === 2 ? "twice" : `${group.length} times`}`;
    return `its ${field} ${quoteList(forms)} are the same ${normalised ? "number once normalised" : "value"}`;
  });
}

function selfConflicts(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of ctx.rules) {
    const c = dispatchRuleConflictBetween(rule.rule, rule.rule);
    if (c === undefined) continue;
    const reasons = [
      ...describeRepeats("trunkIds", repeated(rule.trunkIds, (s) => s), false),
      ...describeRepeats("calling numbers (inboundNumbers)", repeated(rule.rule.inboundNumbers ?? [], normalizeNumber), true),
      ...describeRepeats("called numbers (numbers)", repeated(rule.rule.numbers ?? [], normalizeNumber), true),
    ];
    const witness = findWitness(
      ctx,
      callsForTrunkKey(ctx, c.trunkId),
      (r) => r.result === "error" && r.error.code === "rule_conflict" && (c.trunkId === "" || r.trunkId === c.trunkId),
    );
    const scope = rule.isDefault ? affected(ctx, "") : affected(ctx, c.trunkId);
    out.push(
      finding(
        "self-conflict",
        "error",
        `Dispatch rule ${ctx.ruleName(rule)} collides with itself: ${reasons.join("; ")}. LiveKit normalises rule numbers when it checks ` +
          `for conflicts (though not when it routes), refuses to create such a rule, and if one is stored answers 503 to ${scope}. ` +
          `Fix: remove the duplicate entries, keeping the one spelled as your carrier sends it.`,
        { ...ctx.subjects({ rules: [rule], trunkIds: c.trunkId === "" ? [] : [c.trunkId] }), witness },
      ),
    );
  }
  return out;
}

/** Origins both trunks may admit: each one's own, and each IP with the other's From hosts. */
function sharedOrigins(a: PreparedTrunk, b: PreparedTrunk): Origin[] {
  const oa = originsFor(a);
  const ob = originsFor(b);
  const all: Origin[] = [...oa, ...ob];
  for (const x of oa) for (const y of ob) all.push({ ip: x.ip, host: y.host }, { ip: y.ip, host: x.host });
  const seen = new Set<string>();
  return all.filter((o) => {
    const key = o.ip + "\u0000" + o.host;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * A call both trunks take, resolving to a trunk conflict between them: to `number` (normalised;
 * `""` for two default trunks), from `caller` (normalised; `""` when neither restricts callers).
 */
function trunkConflictWitness(ctx: LintContext, a: PreparedTrunk, b: PreparedTrunk, number: string, caller: string): InboundCall | undefined {
  const to = number === "" ? ctx.freshNumbers : rawFormsOf(number, a.trunk.numbers, b.trunk.numbers);
  const from = caller === "" ? ctx.freshCallers : rawFormsOf(caller, a.trunk.allowedNumbers, b.trunk.allowedNumbers);
  const code = number === "" ? "default_trunk_conflict" : "trunk_conflict";
  return findWitness(
    ctx,
    callsVia(ctx, a, { to, from, origins: sharedOrigins(a, b) }),
    (r) => {
      if (r.result !== "error" || r.error.code !== code) return false;
      const selected = selectedTrunks(r);
      return selected.has(a.id) && selected.has(b.id);
    },
    true,
  );
}

const trunkById = (ctx: LintContext, id: string): PreparedTrunk | undefined => ctx.trunksWithId.get(id)?.[0];
/** A pair of trunks by their places in ctx.trunks (ids may be missing, or repeat). */
const pairKey = (i: number, j: number): string => (i < j ? `${i},${j}` : `${j},${i}`);

function trunkConflicts(ctx: LintContext, reported: Set<string>): Finding[] {
  const out: Finding[] = [];
  const ids = withStandInIds(ctx.trunkInfos, ctx.trunks, (t) => t.sipTrunkId, (t, id) => ({ ...t, sipTrunkId: id }));
  for (const c of findInboundTrunkConflicts(ids.infos)) {
    const a = ids.standIn(c.otherTrunkId) ?? trunkById(ctx, c.otherTrunkId);
    const b = ids.standIn(c.trunkId) ?? trunkById(ctx, c.trunkId);
    if (a !== undefined && b !== undefined) reported.add(pairKey(ctx.trunks.indexOf(a), ctx.trunks.indexOf(b)));
    const nameOf = (trunk: PreparedTrunk | undefined, id: string): string => (trunk === undefined || trunk.id !== "" ? q(id) : ctx.trunkName(trunk));
    const witness = a && b ? trunkConflictWitness(ctx, a, b, c.number, c.allowedNumber) : undefined;
    const what = c.number === "" ? "every called number (neither lists numbers)" : `called number ${q(c.number)}`;
    const who = c.allowedNumber === "" ? "neither restricts callers with allowedNumbers" : `both admit caller ${q(c.allowedNumber)}`;
    const runtime =
      c.number === ""
        ? `a call that no trunk lists, from a caller both admit, fails with 503 ("Multiple default SIP Trunks matched")`
        : `a call to that number from a caller both admit fails with 503 ("Multiple SIP Trunks matched")`;
    out.push(
      finding(
        "trunk-conflict",
        "error",
        `Inbound trunks ${nameOf(a, c.otherTrunkId)} and ${nameOf(b, c.trunkId)} both serve ${what} and ${who}. LiveKit refuses to create the ` +
          `second one ("Conflicting inbound SIP Trunks"), and if both are stored ${runtime}. ` +
          `Fix: list each number on one trunk only, or give the trunks disjoint allowedNumbers.`,
        { ...ctx.subjects(a !== undefined && b !== undefined ? { trunks: [a, b] } : { trunkIds: [c.otherTrunkId, c.trunkId] }), witness },
      ),
    );
  }
  return out;
}

/**
 * Pairs of trunks (indexes into ctx.trunks, i < j) that can take the same call: two default
 * trunks, or two specific trunks sharing a called number. Grouped by number, not every pair
 * checked: at 10,000 trunks that would be 50 million.
 */
function overlappingPairs(trunks: readonly PreparedTrunk[]): [number, number][] {
  const byNumber = new Map<string, number[]>();
  const defaults: number[] = [];
  trunks.forEach((trunk, index) => {
    if (trunk.isDefault) defaults.push(index);
    for (const number of trunk.numbers) {
      const group = byNumber.get(number);
      if (group === undefined) byNumber.set(number, [index]);
      else group.push(index); // trunk.numbers is a set: each trunk once per number
    }
  });
  const seen = new Set<number>();
  const pairs: [number, number][] = [];
  const add = (group: readonly number[]): void => {
    for (let x = 0; x < group.length; x++)
      for (let y = x + 1; y < group.length; y++) {
        const key = group[x]! * trunks.length + group[y]!;
        if (!seen.has(key)) {
          seen.add(key);
          pairs.push([group[x]!, group[y]!]);
        }
      }
  };
  add(defaults);
  for (const group of byNumber.values()) if (group.length > 1) add(group);
  return pairs.sort((p, r) => p[0] - r[0] || p[1] - r[1]);
}

function runtimeTrunkConflicts(ctx: LintContext, reported: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const trunks = ctx.trunks;
  for (const [i, j] of overlappingPairs(trunks)) {
    {
      const a = trunks[i]!;
      const b = trunks[j]!;
      // Two trunks sharing a real id are duplicate-id's; id-less trunks are distinct trunks.
      if ((a.id === b.id && a.id !== "") || a.isDefault !== b.isDefault || reported.has(pairKey(i, j))) continue;
      // LiveKit's keys miss exactly this case: one trunk restricts callers, the other does not.
      const restricted = a.allowedCallers !== undefined && b.allowedCallers === undefined ? a : b.allowedCallers !== undefined && a.allowedCallers === undefined ? b : undefined;
      if (restricted === undefined) continue;
      const open = restricted === a ? b : a;
      const numbers = a.isDefault ? [""] : [...a.numbers].filter((n) => b.numbers.has(n));
      let witness: InboundCall | undefined;
      for (const number of numbers.slice(0, 3)) {
        for (const caller of [...restricted.allowedCallers!].slice(0, 3)) {
          witness = trunkConflictWitness(ctx, a, b, number, caller);
          if (witness !== undefined) break;
        }
        if (witness !== undefined) break;
      }
      if (witness === undefined) continue; // no call both take: not a conflict anyone can hit
      const what = a.isDefault ? "every called number (neither lists numbers)" : `called number${numbers.length > 1 ? "s" : ""} ${quoteList(numbers)}`;
      const error = a.isDefault ? "Multiple default SIP Trunks matched" : "Multiple SIP Trunks matched";
      out.push(
        finding(
          "runtime-trunk-conflict",
          "error",
          `Inbound trunks ${ctx.trunkName(a)} and ${ctx.trunkName(b)} both serve ${what}; ${ctx.trunkName(restricted)} restricts callers with allowedNumbers ` +
            `and ${ctx.trunkName(open)} does not. LiveKit's create-time check accepts this pair, but a call from a caller that ${ctx.trunkName(restricted)} ` +
            `admits (such as ${q(typeof witness.from === "string" ? witness.from : witness.from.user)}) matches both trunks and fails with 503 ("${error}"). ` +
            `Fix: serve the number${a.isDefault ? "s" : ""} from one trunk and route callers with dispatch rules' inboundNumbers, ` +
            `or give ${ctx.trunkName(open)} allowedNumbers disjoint from ${ctx.trunkName(restricted)}'s.`,
          { ...ctx.subjects({ trunks: [a, b] }), witness },
        ),
      );
    }
  }
  return out;
}

function kindlessRules(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of ctx.rules) {
    if (rule.kind !== undefined) continue;
    const keys = rule.isDefault ? [""] : distinct(rule.trunkIds);
    let witness: InboundCall | undefined;
    for (const key of keys) {
      witness = findWitness(ctx, callsForTrunkKey(ctx, key), (r) => r.result === "error" && r.error.code === "invalid_rule" && (key === "" || r.trunkId === key));
      if (witness !== undefined) break;
    }
    const scope = rule.isDefault
      ? affected(ctx, "")
      : `every call through ${rule.trunkIds.length > 1 ? "trunks" : "trunk"} ${quoteList(distinct(rule.trunkIds))}`;
    out.push(
      finding(
        "kindless-rule",
        "error",
        `Dispatch rule ${ctx.ruleName(rule)} has no rule kind: its "rule" sets none of dispatchRuleDirect, dispatchRuleIndividual and ` +
          `dispatchRuleCallee. LiveKit re-validates the candidate rules on every call, so ${scope} fails with 503 ` +
          `("unsupported SIP Dispatch Rule: <nil>"). Fix: set one of the three kinds under "rule", or delete the rule.`,
        { ...ctx.subjects({ rules: [rule], trunkIds: rule.isDefault ? [] : distinct(rule.trunkIds) }), witness },
      ),
    );
  }
  return out;
}

function duplicateIds(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  const count = (ids: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const id of ids) if (id !== "") m.set(id, (m.get(id) ?? 0) + 1);
    return m;
  };
  for (const [id, n] of count(ctx.trunks.map((t) => t.id)))
    if (n > 1)
      out.push(
        finding(
          "duplicate-id",
          "error",
          `${n} inbound trunks have the id ${q(id)}. LiveKit ids are unique, so this is not a configuration LiveKit can hold ` +
            `(two exports merged, or a copied trunk?), and which of them a call uses is not LiveKit's decision. ` +
            `Fix: delete the extra copies, or clear their sipTrunkId so LiveKit assigns new ids.`,
          ctx.subjects({ trunks: ctx.trunksWithId.get(id) ?? [] }),
        ),
      );
  for (const [id, n] of count(ctx.rules.map((r) => r.id)))
    if (n > 1)
      out.push(
        finding(
          "duplicate-id",
          "error",
          `${n} dispatch rules have the id ${q(id)}. LiveKit ids are unique, so this is not a configuration LiveKit can hold ` +
            `(two exports merged, or a copied rule?). Fix: delete the extra copies, or clear their sipDispatchRuleId so LiveKit assigns new ids.`,
          ctx.subjects({ rules: ctx.rules.filter((r) => r.id === id) }),
        ),
      );
  return out;
}

export function conflictFindings(ctx: LintContext): Finding[] {
  const reported = new Set<string>();
  const trunk = trunkConflicts(ctx, reported);
  return [...ruleConflicts(ctx), ...selfConflicts(ctx), ...trunk, ...runtimeTrunkConflicts(ctx, reported), ...kindlessRules(ctx), ...duplicateIds(ctx)];
}
