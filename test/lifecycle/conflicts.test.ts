import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import {
  dispatchRuleConflictBetween,
  findDispatchRuleConflicts,
  findInboundTrunkConflicts,
  firstInboundTrunkConflict,
  inboundTrunkConflictBetween,
  type DispatchRuleConflict,
  type InboundTrunkConflict,
} from "../../src/lifecycle/conflicts.js";
import type { SIPDispatchRule, SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import { compareBytes, prepareRule } from "../../src/match/rule-match.js";
import { validateRuleSet } from "../../src/match/rule-conflicts.js";
import { RULE_DEFAULTS, TRUNK_DEFAULTS } from "../fixtures.js";

const direct = (pin = "", roomName = "room"): SIPDispatchRule => ({ dispatchRuleDirect: { roomName, pin } });
const individual = (pin = ""): SIPDispatchRule => ({ dispatchRuleIndividual: { roomPrefix: "call", pin, noRandomness: false } });

const rule = (id: string, over: Partial<SIPDispatchRuleInfo> = {}): SIPDispatchRuleInfo => ({
  ...RULE_DEFAULTS,
  sipDispatchRuleId: id,
  rule: direct(),
  ...over,
});

const trunk = (id: string, over: Partial<SIPInboundTrunkInfo> = {}): SIPInboundTrunkInfo => ({
  ...TRUNK_DEFAULTS,
  sipTrunkId: id,
  ...over,
});

const ruleMessage = (id: string, name: string) =>
  `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "${id}" "${name}"`;

const pairs = (conflicts: readonly (DispatchRuleConflict | InboundTrunkConflict)[]): string[] =>
  conflicts
    .map((c) => ("ruleId" in c ? [c.ruleId, c.otherRuleId] : [c.trunkId, c.otherTrunkId]).sort(compareBytes).join("|"))
    .sort();

describe("findDispatchRuleConflicts: LiveKit's keys", () => {
  test("two default open rules conflict; the message names the earlier rule", () => {
    expect(findDispatchRuleConflicts([rule("SDR_b"), rule("SDR_a", { name: "Main line" })])).toEqual([
      {
        ruleId: "SDR_b",
        otherRuleId: "SDR_a",
        pin: "",
        trunkId: "",
        inboundNumber: "",
        number: "",
        message: ruleMessage("SDR_a", "Main line"),
      },
    ]);
  });

  test.each([
    { name: "same pin, same trunk", a: { rule: direct("123"), trunkIds: ["ST_1"] }, b: { rule: direct("123"), trunkIds: ["ST_1"] }, conflict: true },
    { name: "the kind is irrelevant", a: { rule: direct() }, b: { rule: individual() }, conflict: true },
    { name: "the room is irrelevant", a: { rule: direct("", "x") }, b: { rule: direct("", "y") }, conflict: true },
    { name: "different pins", a: { rule: direct("1") }, b: { rule: direct("2") }, conflict: false },
    { name: "an open rule and a pin rule", a: { rule: direct("") }, b: { rule: direct("1") }, conflict: false },
    { name: "a default rule and a trunk rule", a: { trunkIds: [] }, b: { trunkIds: ["ST_1"] }, conflict: false },
    { name: "disjoint trunks", a: { trunkIds: ["ST_1"] }, b: { trunkIds: ["ST_2"] }, conflict: false },
    { name: "overlapping trunks", a: { trunkIds: ["ST_1", "ST_2"] }, b: { trunkIds: ["ST_3", "ST_2"] }, conflict: true },
    { name: "different called numbers", a: { numbers: ["+1"] }, b: { numbers: ["+2"] }, conflict: false },
    { name: "a number filter and none (both could match a call)", a: { numbers: ["+1"] }, b: { numbers: [] }, conflict: false },
    { name: "called numbers that normalise alike", a: { numbers: ["+1 (555) 0100"] }, b: { numbers: ["15550100"] }, conflict: true },
    { name: "calling numbers that normalise alike", a: { inboundNumbers: ["555-0100"] }, b: { inboundNumbers: ["+5550100"] }, conflict: true },
    { name: "a caller filter against a called filter", a: { inboundNumbers: ["+1"] }, b: { numbers: ["+1"] }, conflict: false },
    { name: "non-numbers compare raw", a: { numbers: ["alice"] }, b: { numbers: ["Alice"] }, conflict: false },
  ])("$name: conflict $conflict", ({ a, b, conflict }) => {
    const found = findDispatchRuleConflicts([rule("SDR_a", a), rule("SDR_b", b)]);
    expect(found.length).toBe(conflict ? 1 : 0);
  });

  test("the shared key is reported, with normalised numbers and raw pin and trunk", () => {
    const a = rule("SDR_a", { rule: direct("42"), trunkIds: ["ST_9", "ST_1"], inboundNumbers: ["(555) 0100"], numbers: ["1-800-FLOWERS", "1 800"] });
    const b = rule("SDR_b", { rule: individual("42"), trunkIds: ["ST_1"], inboundNumbers: ["+5550100"], numbers: ["+1800"] });
    expect(findDispatchRuleConflicts([a, b])).toEqual([
      { ruleId: "SDR_b", otherRuleId: "SDR_a", pin: "42", trunkId: "ST_1", inboundNumber: "+5550100", number: "+1800", message: ruleMessage("SDR_a", "<blank name>") },
    ]);
  });

  test("the first shared key in LiveKit's loop order over the later rule (trunk, caller, number)", () => {
    const a = rule("SDR_a", { trunkIds: ["ST_1", "ST_2"], numbers: ["+1", "+2"] });
    const b = rule("SDR_b", { trunkIds: ["ST_2", "ST_1"], numbers: ["+2", "+1"] });
    expect(findDispatchRuleConflicts([a, b])[0]).toMatchObject({ trunkId: "ST_2", number: "+2" });
  });

  test.each([
    { name: "duplicate trunk ids", over: { trunkIds: ["ST_1", "ST_1"] }, key: { trunkId: "ST_1", number: "" } },
    { name: "numbers that normalise alike", over: { numbers: ["+1 555", "+1555"] }, key: { trunkId: "", number: "+1555" } },
    { name: "calling numbers that normalise alike", over: { inboundNumbers: ["555", "+555"] }, key: { trunkId: "", inboundNumber: "+555", number: "" } },
  ])("a rule conflicts with itself: $name", ({ over, key }) => {
    const found = findDispatchRuleConflicts([rule("SDR_self", { name: "Self", ...over })]);
    expect(found).toEqual([{ ruleId: "SDR_self", otherRuleId: "SDR_self", pin: "", inboundNumber: "", message: ruleMessage("SDR_self", "Self"), ...key }]);
  });

  test("a new rule (no id yet) prints as <new>", () => {
    const found = findDispatchRuleConflicts([rule("SDR_a"), rule("")]);
    expect(found).toEqual([expect.objectContaining({ ruleId: "SDR_a", otherRuleId: "", message: ruleMessage("<new>", "<blank name>") })]);
  });

  test("names and ids are quoted as Go's %q does", () => {
    const found = findDispatchRuleConflicts([rule("SDR_a", { name: 'say "hi"\n' }), rule("SDR_b")]);
    expect(found[0]!.message).toBe(ruleMessage("SDR_a", 'say \\"hi\\"\\n'));
  });

  test("every conflicting pair, not only the first; self-conflicts too", () => {
    const rules = [
      rule("SDR_c", { trunkIds: ["ST_1", "ST_1"] }),
      rule("SDR_a", { trunkIds: ["ST_1"] }),
      rule("SDR_b", { trunkIds: ["ST_1", "ST_2"] }),
      rule("SDR_d", { trunkIds: ["ST_2"] }),
      rule("SDR_e", { trunkIds: ["ST_3"] }),
    ];
    const found = findDispatchRuleConflicts(rules);
    expect(found.map((c) => [c.ruleId, c.otherRuleId, c.trunkId])).toEqual([
      ["SDR_b", "SDR_a", "ST_1"],
      ["SDR_c", "SDR_a", "ST_1"],
      ["SDR_c", "SDR_b", "ST_1"],
      ["SDR_c", "SDR_c", "ST_1"],
      ["SDR_d", "SDR_b", "ST_2"],
    ]);
  });

  test("rules without a kind are left out (validateDispatchRule reports them)", () => {
    expect(findDispatchRuleConflicts([rule("SDR_a", { rule: undefined }), rule("SDR_b", { rule: {} }), rule("SDR_c")])).toEqual([]);
  });

  test("[] for a valid set, and the input is not touched", () => {
    const rules = Object.freeze([rule("SDR_a", { rule: direct("1") }), rule("SDR_b", { rule: direct("2") })]);
    expect(findDispatchRuleConflicts(rules)).toEqual([]);
  });

});

describe("findInboundTrunkConflicts: LiveKit's keys and texts", () => {
  test.each([
    {
      name: "two default trunks",
      a: {},
      b: {},
      expected: { number: "", allowedNumber: "", message: 'Conflicting inbound SIP Trunks: "ST_b" and "ST_a", using the same number(s) <any> without AllowedNumbers set' },
    },
    {
      name: "the same number in two forms",
      a: { numbers: ["+15550100"] },
      b: { numbers: ["+1 555 0100", "+1999"] },
      expected: {
        number: "+15550100",
        allowedNumber: "",
        message: 'Conflicting inbound SIP Trunks: "ST_b" and "ST_a", using the same number(s) ["+1 555 0100" "+1999"] without AllowedNumbers set',
      },
    },
    {
      name: "the same number and the same allowed caller",
      a: { numbers: ["+1"], allowedNumbers: ["+2", "+3"] },
      b: { numbers: ["+1"], allowedNumbers: ["(3)"] },
      expected: {
        number: "+1",
        allowedNumber: "+3",
        message: 'Conflicting inbound SIP Trunks: "ST_b" and "ST_a", using the same number(s) ["+1"] and AllowedNumber "(3)"',
      },
    },
  ])("$name", ({ a, b, expected }) => {
    expect(findInboundTrunkConflicts([trunk("ST_a", a), trunk("ST_b", b)])).toEqual([{ trunkId: "ST_b", otherTrunkId: "ST_a", ...expected }]);
  });

  test.each([
    { name: "different numbers", a: { numbers: ["+1"] }, b: { numbers: ["+2"] } },
    { name: "a default trunk and a numbered one", a: { numbers: [] }, b: { numbers: ["+1"] } },
    { name: "one with allowed numbers, one without (a runtime conflict LiveKit lets through)", a: { numbers: ["+1"] }, b: { numbers: ["+1"], allowedNumbers: ["+2"] } },
    { name: "different allowed numbers", a: { allowedNumbers: ["+2"] }, b: { allowedNumbers: ["+3"] } },
    { name: "allowed addresses play no part", a: { numbers: ["+1"], allowedAddresses: ["10.0.0.1"] }, b: { numbers: ["+2"], allowedAddresses: ["10.0.0.1"] } },
  ])("no conflict: $name", ({ a, b }) => {
    expect(findInboundTrunkConflicts([trunk("ST_a", a), trunk("ST_b", b)])).toEqual([]);
  });

  test("a trunk never conflicts with itself, nor with another of the same id", () => {
    expect(findInboundTrunkConflicts([trunk("ST_a", { numbers: ["+1", "1"], allowedNumbers: ["+2", "2"] })])).toEqual([]);
    expect(findInboundTrunkConflicts([trunk("ST_a"), trunk("ST_a", { name: "copy" })])).toEqual([]);
  });

  test("a new trunk prints as <new>", () => {
    expect(findInboundTrunkConflicts([trunk("ST_a"), trunk("", { authUsername: "u" })])[0]!.message).toBe(
      'Conflicting inbound SIP Trunks: "ST_a" and "<new>", using the same number(s) <any> without AllowedNumbers set',
    );
  });

  test("every pair", () => {
    const trunks = [trunk("ST_c"), trunk("ST_a"), trunk("ST_b"), trunk("ST_d", { numbers: ["+1"] })];
    expect(findInboundTrunkConflicts(trunks).map((c) => [c.trunkId, c.otherTrunkId])).toEqual([
      ["ST_b", "ST_a"],
      ["ST_c", "ST_a"],
      ["ST_c", "ST_b"],
    ]);
  });
});

/** A copy of `item` without the given fields, as a hand-built model may come (absent, not empty). */
function without<T extends object>(item: T, ...fields: (keyof T)[]): T {
  const copy = { ...item };
  for (const field of fields) Reflect.deleteProperty(copy, field);
  return copy;
}

const trunkMessage = (later: string, earlier: string, numbers: string, tail = "without AllowedNumbers set") =>
  `Conflicting inbound SIP Trunks: ${later} and ${earlier}, using the same number(s) ${numbers} ${tail}`;

describe("findDispatchRuleConflicts: every entry, exactly", () => {
  test("a rule that repeats several keys conflicts with itself once", () => {
    const found = findDispatchRuleConflicts([rule("SDR_self", { trunkIds: ["ST_1", "ST_1", "ST_1"], numbers: ["+1", "1"] })]);
    expect(found).toEqual([
      { ruleId: "SDR_self", otherRuleId: "SDR_self", pin: "", trunkId: "ST_1", inboundNumber: "", number: "+1", message: ruleMessage("SDR_self", "<blank name>") },
    ]);
  });

  test("two rules sharing several keys are one entry, for the first shared key", () => {
    const found = findDispatchRuleConflicts([rule("SDR_a", { trunkIds: ["ST_1", "ST_2"] }), rule("SDR_b", { trunkIds: ["ST_1", "ST_2"] })]);
    expect(found).toEqual([{ ruleId: "SDR_b", otherRuleId: "SDR_a", pin: "", trunkId: "ST_1", inboundNumber: "", number: "", message: ruleMessage("SDR_a", "<blank name>") }]);
  });

  test("a rule's conflicts come in its own key order, not in the other rules' id order", () => {
    const rules = [rule("SDR_a", { trunkIds: ["ST_2"] }), rule("SDR_b", { trunkIds: ["ST_1"] }), rule("SDR_c", { trunkIds: ["ST_1", "ST_2"] })];
    expect(findDispatchRuleConflicts(rules).map((c) => [c.ruleId, c.otherRuleId, c.trunkId])).toEqual([
      ["SDR_c", "SDR_b", "ST_1"],
      ["SDR_c", "SDR_a", "ST_2"],
    ]);
  });

  test("ids are ordered by their bytes, also when one is the other followed by a space", () => {
    const found = findDispatchRuleConflicts([rule("SDR_a"), rule("SDR_a b")]);
    expect(found.map((c) => [c.ruleId, c.otherRuleId])).toEqual([["SDR_a b", "SDR_a"]]);
  });

  test.each([
    { name: "first", other: "second" },
    { name: "second", other: "first" },
  ])("equal ids (hand-made sets) are ordered by content, whatever the input order ($name given first)", ({ name, other }) => {
    const found = findDispatchRuleConflicts([rule("SDR_x", { name }), rule("SDR_x", { name: other })]);
    expect(found).toEqual([{ ruleId: "SDR_x", otherRuleId: "SDR_x", pin: "", trunkId: "", inboundNumber: "", number: "", message: ruleMessage("SDR_x", "first") }]);
  });

  test("a hand-built rule without a name is named blank", () => {
    const found = findDispatchRuleConflicts([without(rule("SDR_a"), "name"), rule("SDR_b", { name: "B" })]);
    expect(found.map((c) => c.message)).toEqual([ruleMessage("SDR_a", "<blank name>")]);
  });

  test("programmer errors throw a TypeError that says what is wrong", () => {
    expect(() => findDispatchRuleConflicts({} as unknown as SIPDispatchRuleInfo[])).toThrow(
      new TypeError("findDispatchRuleConflicts: rules must be an array of SIPDispatchRuleInfo"),
    );
    for (const bad of [null, 5, "SDR_b", undefined])
      expect(() => findDispatchRuleConflicts([rule("SDR_a"), bad as unknown as SIPDispatchRuleInfo])).toThrow(
        new TypeError("findDispatchRuleConflicts: rules[1] must be a SIPDispatchRuleInfo object"),
      );
  });
});

describe("dispatchRuleConflictBetween", () => {
  test("the first of the later rule's keys that the earlier holds", () => {
    const a = rule("SDR_a", { name: "A", trunkIds: ["ST_2", "ST_1"] });
    const b = rule("SDR_b", { trunkIds: ["ST_1", "ST_2"] });
    expect(dispatchRuleConflictBetween(b, a)).toEqual({ ruleId: "SDR_b", otherRuleId: "SDR_a", pin: "", trunkId: "ST_1", inboundNumber: "", number: "", message: ruleMessage("SDR_a", "A") });
    expect(dispatchRuleConflictBetween(a, b)).toEqual({ ruleId: "SDR_a", otherRuleId: "SDR_b", pin: "", trunkId: "ST_2", inboundNumber: "", number: "", message: ruleMessage("SDR_b", "<blank name>") });
    expect(dispatchRuleConflictBetween(b, rule("SDR_c", { trunkIds: ["ST_3"] }))).toBeUndefined();
  });

  test("a rule against itself: its repeated key, or nothing", () => {
    const self = rule("SDR_s", { name: "S", numbers: ["+1", "1"] });
    expect(dispatchRuleConflictBetween(self, self)).toEqual({ ruleId: "SDR_s", otherRuleId: "SDR_s", pin: "", trunkId: "", inboundNumber: "", number: "+1", message: ruleMessage("SDR_s", "S") });
    const plain = rule("SDR_p");
    expect(dispatchRuleConflictBetween(plain, plain)).toBeUndefined();
  });

  test("undefined when either rule has no kind", () => {
    const kindless = rule("SDR_k", { rule: {} });
    expect(dispatchRuleConflictBetween(kindless, rule("SDR_a"))).toBeUndefined();
    expect(dispatchRuleConflictBetween(rule("SDR_a"), kindless)).toBeUndefined();
    expect(dispatchRuleConflictBetween(kindless, kindless)).toBeUndefined();
  });
});

describe("findInboundTrunkConflicts: every entry, exactly", () => {
  test("a hand-built trunk without id, numbers or allowedNumbers reads them as empty", () => {
    const bare = without(trunk(""), "sipTrunkId", "numbers", "allowedNumbers");
    const numberless = without(trunk("ST_a"), "numbers");
    expect(findInboundTrunkConflicts([numberless, bare])).toEqual([
      { trunkId: "ST_a", otherTrunkId: "", number: "", allowedNumber: "", message: trunkMessage('"ST_a"', '"<new>"', "<any>") },
    ]);
    // Validated after another trunk, the id-less trunk prints as <new>.
    const expected = { trunkId: "", otherTrunkId: "ST_a", number: "", allowedNumber: "", message: trunkMessage('"<new>"', '"ST_a"', "<any>") };
    expect(firstInboundTrunkConflict([numberless, bare])).toEqual(expected);
    expect(inboundTrunkConflictBetween(bare, numberless)).toEqual(expected);
  });

  test("a trunk's conflicts come in its own key order, not in the other trunks' id order", () => {
    const trunks = [trunk("ST_a", { numbers: ["+2"] }), trunk("ST_b", { numbers: ["+1"] }), trunk("ST_c", { numbers: ["+1", "+2"] })];
    expect(findInboundTrunkConflicts(trunks).map((c) => [c.trunkId, c.otherTrunkId, c.number])).toEqual([
      ["ST_c", "ST_b", "+1"],
      ["ST_c", "ST_a", "+2"],
    ]);
  });

  test("ids are ordered by their bytes, also when one is the other followed by a space", () => {
    expect(findInboundTrunkConflicts([trunk("ST_a"), trunk("ST_a b")]).map((c) => [c.trunkId, c.otherTrunkId])).toEqual([["ST_a b", "ST_a"]]);
  });

  test("hand-built trunks with null fields and equal ids: no crash, no conflict", () => {
    const withNull = { ...trunk("ST_a"), metadata: null } as unknown as SIPInboundTrunkInfo;
    expect(findInboundTrunkConflicts([withNull, trunk("ST_a", { name: "copy" })])).toEqual([]);
  });

  test("programmer errors throw a TypeError that says what is wrong", () => {
    expect(() => findInboundTrunkConflicts({} as unknown as SIPInboundTrunkInfo[])).toThrow(
      new TypeError("findInboundTrunkConflicts: trunks must be an array of SIPInboundTrunkInfo"),
    );
    for (const bad of [null, 5, "ST_b", undefined])
      expect(() => findInboundTrunkConflicts([trunk("ST_a"), bad as unknown as SIPInboundTrunkInfo])).toThrow(
        new TypeError("findInboundTrunkConflicts: trunks[1] must be a SIPInboundTrunkInfo object"),
      );
  });
});

describe("firstInboundTrunkConflict: LiveKit's ValidateTrunksIter in the given order", () => {
  test("the first conflict met, the trunk met later first, whatever the ids", () => {
    const trunks = [trunk("ST_b", { numbers: ["+1"] }), trunk("ST_c", { numbers: ["+2"] }), trunk("ST_a", { numbers: ["1"] })];
    expect(firstInboundTrunkConflict(trunks)).toEqual({ trunkId: "ST_a", otherTrunkId: "ST_b", number: "+1", allowedNumber: "", message: trunkMessage('"ST_a"', '"ST_b"', '["1"]') });
  });

  test("undefined for an accepted set, and trunks with the same id never conflict", () => {
    expect(firstInboundTrunkConflict([trunk("ST_a", { numbers: ["+1"] }), trunk("ST_b", { numbers: ["+2"] })])).toBeUndefined();
    expect(firstInboundTrunkConflict([trunk("ST_a"), trunk("ST_a", { name: "copy" })])).toBeUndefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Laws.

const ids = fc.constantFrom("SDR_a", "SDR_b", "SDR_c", "SDR_d", "SDR_e", "");
const arbRule = fc.record({
  sipDispatchRuleId: ids,
  pin: fc.constantFrom("", "", "1"),
  kind: fc.constantFrom("direct", "individual", "none"),
  trunkIds: fc.array(fc.constantFrom("ST_1", "ST_2"), { maxLength: 2 }),
  inboundNumbers: fc.array(fc.constantFrom("+1", "1", "+2"), { maxLength: 2 }),
  numbers: fc.array(fc.constantFrom("+3", "3", "(3)", "+4"), { maxLength: 2 }),
  name: fc.constantFrom("", "n1", "n2"),
}).map(({ pin, kind, ...r }) =>
  rule(r.sipDispatchRuleId, { ...r, rule: kind === "none" ? undefined : kind === "direct" ? direct(pin) : individual(pin) }),
);
const arbRules = fc.array(arbRule, { maxLength: 7 });
const arbUniqueRules = fc.uniqueArray(arbRule, { maxLength: 6, selector: (r) => r.sipDispatchRuleId });

const arbTrunk = fc.record({
  sipTrunkId: fc.constantFrom("ST_a", "ST_b", "ST_c", "ST_d", ""),
  numbers: fc.array(fc.constantFrom("+1", "1", "+2", ""), { maxLength: 2 }),
  allowedNumbers: fc.array(fc.constantFrom("+5", "5", "+6", ""), { maxLength: 2 }),
  name: fc.constantFrom("", "x"),
}).map((t) => trunk(t.sipTrunkId, t));
const arbTrunks = fc.array(arbTrunk, { maxLength: 7 });

describe("conflict laws", () => {
  test.prop([arbRules.chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length })))])(
    "rule conflicts do not depend on input order",
    ([rules, shuffled]) => {
      expect(findDispatchRuleConflicts(shuffled)).toEqual(findDispatchRuleConflicts(rules));
    },
  );

  test.prop([arbRules])("rule conflicts are symmetric: reversing the input gives the same unordered pairs", (rules) => {
    expect(pairs(findDispatchRuleConflicts([...rules].reverse()))).toEqual(pairs(findDispatchRuleConflicts(rules)));
  });

  test.prop([arbRule, arbRule])("a pair conflicts whichever comes first", (a, b) => {
    expect(pairs(findDispatchRuleConflicts([a, b]))).toEqual(pairs(findDispatchRuleConflicts([b, a])));
  });

  test.prop([arbUniqueRules])("each unordered pair appears once, later rule first in id order", (rules) => {
    const found = findDispatchRuleConflicts(rules);
    expect(new Set(pairs(found)).size).toBe(found.length);
    for (const c of found) expect(compareBytes(c.otherRuleId, c.ruleId)).toBeLessThanOrEqual(0);
  });

  test.prop([arbUniqueRules])("the first conflict is the error LiveKit's validator reports over the rules in id order", (rules) => {
    const withKind = rules.filter((r) => r.rule !== undefined);
    const failure = validateRuleSet(withKind.map(prepareRule).sort((a, b) => compareBytes(a.id, b.id)));
    const found = findDispatchRuleConflicts(rules);
    if (failure === undefined) expect(found).toEqual([]);
    else {
      expect(found[0]).toMatchObject({ ruleId: failure.ruleId, otherRuleId: failure.otherRuleId, message: failure.message });
    }
  });

  test.prop([arbTrunks.chain((ts) => fc.tuple(fc.constant(ts), fc.shuffledSubarray(ts, { minLength: ts.length, maxLength: ts.length })))])(
    "trunk conflicts do not depend on input order",
    ([trunks, shuffled]) => {
      expect(findInboundTrunkConflicts(shuffled)).toEqual(findInboundTrunkConflicts(trunks));
    },
  );

  test.prop([arbTrunks])("trunk conflicts are symmetric", (trunks) => {
    expect(pairs(findInboundTrunkConflicts([...trunks].reverse()))).toEqual(pairs(findInboundTrunkConflicts(trunks)));
  });

  test.prop([fc.uniqueArray(arbTrunk, { maxLength: 5, selector: (t) => t.sipTrunkId })])(
    "the first trunk conflict is LiveKit's over the trunks in id order",
    (trunks) => {
      const sorted = [...trunks].sort((a, b) => compareBytes(a.sipTrunkId, b.sipTrunkId));
      const first = firstInboundTrunkConflict(sorted);
      const found = findInboundTrunkConflicts(trunks);
      if (first === undefined) expect(found).toEqual([]);
      else expect(found[0]).toEqual(first);
    },
  );
});
