import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import { ruleTarget } from "../../src/model/dispatch-rule.js";
import type { DispatchResolution, InboundCall } from "../../src/model/resolution.js";
import { compareBytes, dispatchRulePriority } from "../../src/match/rule-match.js";
import { compileDispatch } from "../../src/resolve/compile.js";
import { callee, direct, expectResult, individual, randomId, resolve, rule, trunk } from "../fixtures.js";
import { runs } from "../runs.js";

const trunkA = trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"] });
const trunkB = trunk({ sipTrunkId: "ST_b", numbers: ["+15550200"] });
const trunks = [trunkA, trunkB];
/** A call through ST_a. */
const callA = (extra: Partial<InboundCall> = {}): InboundCall => ({ from: "+15551111", to: "+15550100", ...extra });

const ruleTrace = (r: DispatchResolution) =>
  (r.trace ?? []).filter((e) => e.stage === "rule").map((e) => [e.id, e.verdict, e.reason] as const);

const conflictText = (id: string, name: string) =>
  `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "${id}" "${name}"`;

describe("candidate set", () => {
  it("a trunk's candidates are its own rules plus default rules; others are trunk_mismatch", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_a"], numbers: ["+15550100"], rule: callee("a") }),
      rule({ sipDispatchRuleId: "SDR_2", rule: direct("default", "") }),
      rule({ sipDispatchRuleId: "SDR_3", trunkIds: ["ST_b"], rule: direct("b") }),
      rule({ sipDispatchRuleId: "SDR_4", trunkIds: ["ST_b", "ST_a"], rule: callee("z") }),
    ];
    const result = expectResult(resolve(callA(), trunks, rules, { trace: true }), "accept");
    expect(result.ruleId).toBe("SDR_1");
    expect(result.trunkId).toBe("ST_a");
    expect(ruleTrace(result)).toEqual([
      ["SDR_1", "selected", "selected"],
      ["SDR_2", "outranked", "specific_rule_won"],
      ["SDR_3", "skipped", "trunk_mismatch"],
      ["SDR_4", "outranked", "lower_priority"],
    ]);
  });

  it("with no trunk matched every rule is a candidate, but only default rules can win", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_a"], rule: direct("a") }),
      rule({ sipDispatchRuleId: "SDR_2", inboundNumbers: ["+19999"], rule: direct("d") }),
    ];
    const result = resolve({ from: "+15551111", to: "+15559999" }, trunks, rules, { trace: true });
    expect(result).toMatchObject({ result: "drop", trunkId: "", reason: "no_rule" });
    expect(ruleTrace(result)).toEqual([
      ["SDR_1", "skipped", "trunk_mismatch"],
      ["SDR_2", "skipped", "caller_mismatch"],
    ]);
  });

  it("with no trunk matched, a conflict between rules for some trunk fails the call", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_b"], rule: direct("x") }),
      rule({ sipDispatchRuleId: "SDR_2", trunkIds: ["ST_b"], rule: direct("y") }),
      rule({ sipDispatchRuleId: "SDR_3", rule: direct("open") }),
    ];
    const none = resolve({ from: "+15551111", to: "+15559999" }, trunks, rules);
    expect(none).toMatchObject({ result: "error", trunkId: "", error: { code: "rule_conflict", message: conflictText("SDR_1", "<blank name>") } });
    // ... while ST_a's candidate set does not contain them.
    expect(resolve(callA(), trunks, rules).result).toBe("accept");
  });
});

describe("match-time validation", () => {
  it("a conflicting pair anywhere in the candidate set fails every call on that trunk", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_good", trunkIds: ["ST_a"], rule: direct("good") }),
      // both for a caller this call is not: they could never match it
      rule({ sipDispatchRuleId: "SDR_y", name: "Second", inboundNumbers: ["+15552222"], rule: direct("y") }),
      rule({ sipDispatchRuleId: "SDR_x", name: "First", inboundNumbers: ["15552222"], rule: individual("x") }),
    ];
    const result = resolve(callA(), trunks, rules, { trace: true });
    expect(result).toEqual({
      result: "error",
      trunkId: "ST_a",
      error: { code: "rule_conflict", message: conflictText("SDR_x", "First") },
      sipStatus: 503,
      sipOutcome: "reject",
      trace: expect.any(Array),
    });
    // rule_conflict traces every rule, as if selection had run
    expect(ruleTrace(result)).toEqual([
      ["SDR_good", "selected", "selected"],
      ["SDR_x", "skipped", "caller_mismatch"],
      ["SDR_y", "skipped", "caller_mismatch"],
    ]);
    // ST_b's calls fail too (default rules are in every candidate set)
    expect(resolve({ from: "+1", to: "+15550200" }, trunks, rules)).toMatchObject({ result: "error", trunkId: "ST_b" });
  });

  // Where the conflict's text goes in the trace: on the conflicting pair only, wherever the pair
  // ranks; the rule selection would have picked says the set was rejected.
  const wouldBeSelected = (id: string, message: string) => ({
    stage: "rule",
    id,
    verdict: "selected",
    reason: "selected",
    detail: `would be selected, but LiveKit rejects the candidate set: ${message}`,
  });
  const outranked = (id: string, reason: string, detail?: string) => ({ stage: "rule", id, verdict: "outranked", reason, ...(detail === undefined ? {} : { detail }) });
  const message = conflictText("SDR_1", "One");
  const traceCases = [
    {
      name: "a third rule that also matched does not carry it",
      rules: [
        rule({ sipDispatchRuleId: "SDR_1", name: "One", numbers: ["+15550100"], rule: direct("a") }),
        rule({ sipDispatchRuleId: "SDR_2", numbers: ["+15550100"], rule: direct("b") }),
        rule({ sipDispatchRuleId: "SDR_3", rule: direct("c") }),
      ],
      trace: [wouldBeSelected("SDR_1", message), outranked("SDR_2", "lower_priority", message), outranked("SDR_3", "lower_priority")],
    },
    {
      name: "a pair that a third rule outranks carries it",
      rules: [
        rule({ sipDispatchRuleId: "SDR_1", name: "One", numbers: ["+15550100"], rule: direct("a") }),
        rule({ sipDispatchRuleId: "SDR_2", numbers: ["+15550100"], rule: direct("b") }),
        // Filters the caller too: priority 0 against 1000, and no shared conflict key.
        rule({ sipDispatchRuleId: "SDR_3", inboundNumbers: ["+15551111"], numbers: ["+15550100"], rule: direct("c") }),
      ],
      trace: [outranked("SDR_1", "lower_priority", message), outranked("SDR_2", "lower_priority", message), wouldBeSelected("SDR_3", message)],
    },
    {
      name: "a pair of default rules beside a trunk-specific winner and a specific loser carries it",
      rules: [
        rule({ sipDispatchRuleId: "SDR_1", name: "One", rule: direct("a") }),
        rule({ sipDispatchRuleId: "SDR_2", rule: direct("b") }),
        rule({ sipDispatchRuleId: "SDR_3", trunkIds: ["ST_a"], inboundNumbers: ["+15551111"], rule: direct("c") }),
        rule({ sipDispatchRuleId: "SDR_4", trunkIds: ["ST_a"], rule: direct("d") }),
      ],
      trace: [
        outranked("SDR_1", "specific_rule_won", message),
        outranked("SDR_2", "specific_rule_won", message),
        wouldBeSelected("SDR_3", message),
        outranked("SDR_4", "lower_priority"),
      ],
    },
  ];
  it.each(traceCases.map((c) => [c.name, c] as const))("a rule conflict's text in the trace: %s", (_name, { rules, trace }) => {
    for (const result of [resolve(callA(), trunks, rules, { trace: true }), compileDispatch(trunks, rules).resolve(callA(), { randomId, trace: true })]) {
      expect(result).toMatchObject({ result: "error", error: { code: "rule_conflict", message } });
      expect(result.trace!.filter((e) => e.stage === "rule")).toEqual(trace);
    }
  });

  it("two rules with the same id (lint's duplicate-id): the earlier in the configuration is the would-be winner", () => {
    const twin = (name: string) => rule({ sipDispatchRuleId: "SDR_dup", name, rule: direct("r") });
    const message = conflictText("SDR_dup", "First");
    const rules = [twin("First"), twin("Second")];
    for (const result of [resolve(callA(), trunks, rules, { trace: true }), compileDispatch(trunks, rules).resolve(callA(), { randomId, trace: true })]) {
      expect(result).toMatchObject({ result: "error", error: { code: "rule_conflict", message } });
      expect(result.trace!.filter((e) => e.stage === "rule")).toEqual([
        { stage: "rule", id: "SDR_dup", verdict: "selected", reason: "selected", detail: `would be selected, but LiveKit rejects the candidate set: ${message}` },
        { stage: "rule", id: "SDR_dup", verdict: "outranked", reason: "lower_priority", detail: message },
      ]);
    }
  });

  it("a trunk's rules and the default rules both fail on rules with the same id: the earlier in the configuration is reported, compiled as linear", () => {
    // The compiled dispatcher keeps each group's verdict and reports the earlier of the two
    // failures; between equal ids, earlier means earlier in the configuration.
    const rules = [
      rule({ sipDispatchRuleId: "SDR_a", name: "Alpha", trunkIds: ["ST_a"], rule: direct("x") }),
      rule({ sipDispatchRuleId: "SDR_dup", trunkIds: ["ST_a"], rule: direct("x") }),
      rule({ sipDispatchRuleId: "SDR_b", name: "Bravo", rule: direct("y") }),
      rule({ sipDispatchRuleId: "SDR_dup", rule: direct("y") }),
    ];
    const error = { code: "rule_conflict", message: conflictText("SDR_a", "Alpha") };
    expect(resolve(callA(), trunks, rules)).toMatchObject({ result: "error", error });
    expect(compileDispatch(trunks, rules).resolve(callA(), { randomId })).toMatchObject({ result: "error", error });
  });

  it("a rule upserted into a compiled dispatcher ties an older rule on priority and room: the smaller id wins, as after a fresh compile", () => {
    // Upserted rules are prepared outside any configuration (position 0); positions only order equal ids.
    const pinRule = (id: string, pin: string) => rule({ sipDispatchRuleId: id, trunkIds: ["ST_a"], rule: direct("shared", pin) });
    const other = rule({ sipDispatchRuleId: "SDR_0", trunkIds: ["ST_b"], rule: direct("elsewhere") });
    const older = pinRule("SDR_a", "1111");
    const upserted = pinRule("SDR_c", "2222");
    const updated = compileDispatch(trunks, [other, older]).update({ upsertRules: [upserted] });
    const fresh = compileDispatch(trunks, [other, older, upserted]);
    for (const dispatcher of [updated, fresh])
      expect(dispatcher.resolve(callA(), { randomId })).toMatchObject({ result: "request_pin", ruleId: "SDR_a" });
  });

  it("hand-built conflicting rules without names are named <blank name>", () => {
    const nameless = (id: string) => ({ sipDispatchRuleId: id, rule: { dispatchRuleDirect: { roomName: id, pin: "" } } }) as SIPDispatchRuleInfo;
    const result = resolve(callA(), trunks, [nameless("SDR_2"), nameless("SDR_1")]);
    expect(result).toMatchObject({ result: "error", error: { code: "rule_conflict", message: conflictText("SDR_1", "<blank name>") } });
  });

  it.each<[string, SIPDispatchRuleInfo[], string]>([
    [
      "names the earlier rule in id order, <blank name> for an empty name",
      [rule({ sipDispatchRuleId: "SDR_b", name: "Bravo" }), rule({ sipDispatchRuleId: "SDR_a", name: "" })],
      conflictText("SDR_a", "<blank name>"),
    ],
    [
      "a name is quoted Go-style",
      [rule({ sipDispatchRuleId: "SDR_1", name: 'say "hi"\\' }), rule({ sipDispatchRuleId: "SDR_2" })],
      conflictText("SDR_1", 'say \\"hi\\"\\\\'),
    ],
    [
      "kinds do not matter (Direct vs Callee, same pin)",
      [rule({ sipDispatchRuleId: "SDR_1", rule: direct("r", "12") }), rule({ sipDispatchRuleId: "SDR_2", rule: callee("p", { pin: "12" }) })],
      conflictText("SDR_1", "<blank name>"),
    ],
    [
      "numbers conflict after normalisation",
      [
        rule({ sipDispatchRuleId: "SDR_1", numbers: ["+1 555 0100"], trunkIds: ["ST_a"] }),
        rule({ sipDispatchRuleId: "SDR_2", numbers: ["15550100"], trunkIds: ["ST_a"] }),
      ],
      conflictText("SDR_1", "<blank name>"),
    ],
    [
      "self-conflict: duplicate trunk ids",
      [rule({ sipDispatchRuleId: "SDR_self", name: "Dup", trunkIds: ["ST_a", "ST_a"] })],
      conflictText("SDR_self", "Dup"),
    ],
    [
      "self-conflict: numbers that normalise alike",
      [rule({ sipDispatchRuleId: "SDR_self", numbers: ["+1 555", "+1555"] })],
      conflictText("SDR_self", "<blank name>"),
    ],
    [
      "self-conflict: inbound numbers that normalise alike",
      [rule({ sipDispatchRuleId: "SDR_self", inboundNumbers: ["(555) 1111", "5551111"] })],
      conflictText("SDR_self", "<blank name>"),
    ],
    [
      "an id-less rule prints as <new>",
      [rule({ sipDispatchRuleId: "" }), rule({ sipDispatchRuleId: "SDR_2" })],
      conflictText("<new>", "<blank name>"),
    ],
  ])("rule_conflict: %s", (_name, rules, message) => {
    const result = resolve(callA(), trunks, rules);
    expect(result).toEqual({ result: "error", trunkId: "ST_a", error: { code: "rule_conflict", message }, sipStatus: 503, sipOutcome: "reject" });
  });

  it.each<[string, SIPDispatchRuleInfo[]]>([
    ["different pins", [rule({ sipDispatchRuleId: "SDR_1", rule: direct("r", "1") }), rule({ sipDispatchRuleId: "SDR_2", rule: direct("r", "2") })]],
    ["open and pin", [rule({ sipDispatchRuleId: "SDR_1", rule: direct("r") }), rule({ sipDispatchRuleId: "SDR_2", rule: direct("r", "2") })]],
    ["default and trunk-specific", [rule({ sipDispatchRuleId: "SDR_1" }), rule({ sipDispatchRuleId: "SDR_2", trunkIds: ["ST_a"] })]],
    ["different number filters", [rule({ sipDispatchRuleId: "SDR_1" }), rule({ sipDispatchRuleId: "SDR_2", inboundNumbers: ["+15551111"] })]],
    ["different trunks", [rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_a"] }), rule({ sipDispatchRuleId: "SDR_2", trunkIds: ["ST_b"] })]],
    ["same trunk twice across rules but other trunk for this call", [rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_b"] }), rule({ sipDispatchRuleId: "SDR_2", trunkIds: ["ST_b"] })]],
  ])("no conflict: %s", (_name, rules) => {
    expect(resolve(callA(), trunks, rules).result).not.toBe("error");
  });

  it.each<[string, SIPDispatchRuleInfo]>([
    ["no rule field", rule({ sipDispatchRuleId: "SDR_nil", rule: undefined })],
    ["an empty wrapper", rule({ sipDispatchRuleId: "SDR_nil", rule: {} })],
  ])("a kind-less rule (%s) is invalid_rule with the matched trunk's id", (_name, kindless) => {
    const rules = [rule({ sipDispatchRuleId: "SDR_good", rule: direct("good"), inboundNumbers: ["+15551111"] }), kindless];
    const result = resolve(callA(), trunks, rules, { trace: true });
    expect(result).toEqual({
      result: "error",
      trunkId: "ST_a",
      error: { code: "invalid_rule", message: "unsupported SIP Dispatch Rule: <nil>" },
      sipStatus: 503,
      sipOutcome: "reject",
      trace: [
        { stage: "trunk", id: "ST_a", verdict: "selected", reason: "selected_specific" },
        { stage: "trunk", id: "ST_b", verdict: "skipped", reason: "number_mismatch", detail: expect.any(String) },
      ],
    });
    // no trunk matched: trunkId ""
    expect(resolve({ from: "+1", to: "+1999" }, trunks, rules)).toMatchObject({ result: "error", trunkId: "", error: { code: "invalid_rule" } });
  });

  it("a kind-less rule for another trunk is outside the candidate set", () => {
    const rules = [rule({ sipDispatchRuleId: "SDR_good" }), rule({ sipDispatchRuleId: "SDR_nil", trunkIds: ["ST_b"], rule: {} })];
    expect(resolve(callA(), trunks, rules).result).toBe("accept");
    expect(expectResult(resolve({ from: "+1", to: "+15550200" }, trunks, rules), "error").error.code).toBe("invalid_rule");
  });

  it.each<[string, SIPDispatchRuleInfo[], string]>([
    [
      "a conflict earlier in id order than the kind-less rule",
      [rule({ sipDispatchRuleId: "SDR_1" }), rule({ sipDispatchRuleId: "SDR_2" }), rule({ sipDispatchRuleId: "SDR_3", rule: {} })],
      "rule_conflict",
    ],
    [
      "a kind-less rule earlier in id order than the conflict",
      [rule({ sipDispatchRuleId: "SDR_2" }), rule({ sipDispatchRuleId: "SDR_3" }), rule({ sipDispatchRuleId: "SDR_1", rule: {} })],
      "invalid_rule",
    ],
  ])("the first failure in id order is reported: %s", (_name, rules, code) => {
    expect(expectResult(resolve(callA(), trunks, rules), "error").error.code).toBe(code);
  });
});

describe("number filters", () => {
  // [case, inboundNumbers, numbers, from, to, LiveKit, strict]
  it.each<[string, string[], string[], string, string, boolean, boolean]>([
    ["inboundNumbers exact", ["+15551111"], [], "+15551111", "+15550100", true, true],
    ["inboundNumbers without +", ["+15551111"], [], "15551111", "+15550100", false, true],
    ["inboundNumbers formatted", ["+1 555 1111"], [], "+15551111", "+15550100", false, true],
    ["inboundNumbers other caller", ["+15551111"], [], "+15552222", "+15550100", false, false],
    ["numbers exact", [], ["+15550100"], "+15551111", "+15550100", true, true],
    ["numbers: call without +", [], ["+15550100"], "+15551111", "15550100", false, true],
    ["numbers: rule formatted", [], ["1-555-0100"], "+15551111", "+15550100", false, true],
    ["numbers: other number", [], ["+15550199"], "+15551111", "+15550100", false, false],
    ["both filters", ["+15551111"], ["+15550100"], "+15551111", "+15550100", true, true],
    ["user names stay exact", ["alice"], [], "Alice", "+15550100", false, false],
    // A list mixing E.164 and formatted entries: strict mode normalises every entry, not only
    // lists whose entries are all formatted.
    ["inboundNumbers mixed, formatted entry", ["+15559999", "+1 555 1111"], [], "+15551111", "+15550100", false, true],
    ["inboundNumbers mixed, E.164 entry", ["+1 555 9999", "+15551111"], [], "+15551111", "+15550100", true, true],
    ["numbers mixed, formatted entry", [], ["+15550199", "1-555-0100"], "+15551111", "+15550100", false, true],
    ["numbers mixed, E.164 entry", [], ["1-555-0199", "+15550100"], "+15551111", "+15550100", true, true],
    ["numbers mixed, neither entry", [], ["+15550199", "1-555-0198"], "+15551111", "+15550100", false, false],
  ])("%s", (_name, inboundNumbers, numbers, from, to, lk, strict) => {
    const rules = [rule({ sipDispatchRuleId: "SDR_f", inboundNumbers, numbers, rule: direct("f") })];
    const t = [trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"] })];
    expect(resolve({ from, to }, t, rules).result).toBe(lk ? "accept" : "drop");
    expect(resolve({ from, to }, t, rules, { strict: true }).result).toBe(strict ? "accept" : "drop");
  });
});

describe("pin modes", () => {
  const pinRule = rule({ sipDispatchRuleId: "SDR_pin", rule: direct("secret", "4321") });
  const pinRule2 = rule({ sipDispatchRuleId: "SDR_pin2", rule: individual("club", { pin: "8888" }) });
  const open = rule({ sipDispatchRuleId: "SDR_open", rule: direct("lobby") });
  const rules = [pinRule, pinRule2, open];

  // [case, call pin fields, result, rule, trace per rule (SDR_open, SDR_pin, SDR_pin2)]
  it.each<[string, Partial<InboundCall>, string, string | undefined, string[]]>([
    ["first INVITE: pin and open rules kept; the pin rule wins", {}, "request_pin", "SDR_pin", ["lower_priority", "selected", "lower_priority"]],
    ["pin \"\" is the first INVITE", { pin: "" }, "request_pin", "SDR_pin", ["lower_priority", "selected", "lower_priority"]],
    ["the right pin", { pin: "4321" }, "accept", "SDR_pin", ["open_rule_after_pin", "selected", "pin_mismatch"]],
    ["another pin rule's pin reaches that rule", { pin: "8888" }, "accept", "SDR_pin2", ["open_rule_after_pin", "pin_mismatch", "selected"]],
    ["a wrong pin drops: open rules are no fallback", { pin: "0000" }, "drop", undefined, ["open_rule_after_pin", "pin_mismatch", "pin_mismatch"]],
    ["# alone selects the open rule", { noPin: true }, "accept", "SDR_open", ["selected", "pin_required_but_no_pin_mode", "pin_required_but_no_pin_mode"]],
    ["noPin wins over pin", { noPin: true, pin: "4321" }, "accept", "SDR_open", ["selected", "pin_required_but_no_pin_mode", "pin_required_but_no_pin_mode"]],
  ])("%s", (_name, pinFields, kind, ruleId, reasons) => {
    const result = resolve(callA(pinFields), trunks, rules, { trace: true });
    expect(result.result).toBe(kind);
    if (ruleId !== undefined) expect((result as { ruleId: string }).ruleId).toBe(ruleId);
    expect(ruleTrace(result).map(([, , reason]) => reason)).toEqual(reasons);
  });

  it("a pin sent to an open-only configuration drops", () => {
    expect(resolve(callA({ pin: "1234" }), trunks, [open])).toEqual({
      result: "drop",
      trunkId: "ST_a",
      reason: "no_rule",
      sipOutcome: "wrong_pin_hangup",
    });
  });

  it("noPin with only pin rules drops", () => {
    expect(resolve(callA({ noPin: true }), trunks, [pinRule])).toEqual({
      result: "drop",
      trunkId: "ST_a",
      reason: "no_rule",
      sipOutcome: "wrong_pin_hangup",
    });
  });
});

describe("priority", () => {
  // [kind, pin, inboundNumbers, numbers, priority]
  it.each<[string, string, number, number, number]>([
    ["direct", "1", 1, 1, 0],
    ["individual", "1", 1, 1, 1],
    ["callee", "1", 1, 1, 2],
    ["direct", "", 1, 1, 100],
    ["individual", "", 1, 1, 101],
    ["callee", "", 1, 1, 102],
    ["direct", "1", 0, 1, 1000],
    ["direct", "1", 1, 0, 1000],
    ["direct", "1", 0, 0, 2000],
    ["individual", "", 0, 0, 2101],
    ["callee", "", 0, 1, 1102],
    ["callee", "1", 0, 0, 2002],
  ])("%s pin=%j inboundNumbers=%i numbers=%i: %i", (kind, pin, inbound, nums, priority) => {
    const r = rule({
      rule: kind === "direct" ? direct("r", pin) : kind === "individual" ? individual("r", { pin }) : callee("r", { pin }),
      inboundNumbers: inbound ? ["+1"] : [],
      numbers: nums ? ["+2"] : [],
    });
    expect(dispatchRulePriority(ruleTarget(r), r)).toBe(priority);
  });

  it("a kind-less rule gets the maximum int32 and no penalties", () => {
    const r = rule({ rule: {} });
    expect(dispatchRulePriority(ruleTarget(r), r)).toBe(2147483647);
  });

  it("the personal room: a known caller goes straight in (1100), everyone else is asked for a pin (2000)", () => {
    const personal = rule({ sipDispatchRuleId: "SDR_personal", inboundNumbers: ["+15551111"], rule: direct("alice-room") });
    const guarded = rule({ sipDispatchRuleId: "SDR_guarded", rule: direct("alice-room", "2468") });
    const rules = [guarded, personal];
    expect(expectResult(resolve(callA(), trunks, rules), "accept")).toMatchObject({ ruleId: "SDR_personal", roomName: "alice-room" });
    expect(resolve(callA({ from: "+15552222" }), trunks, rules)).toMatchObject({ result: "request_pin", ruleId: "SDR_guarded" });
    expect(resolve(callA({ from: "+15552222", pin: "2468" }), trunks, rules)).toMatchObject({ result: "accept", ruleId: "SDR_guarded" });
  });

  it("a pin rule with no filters (2000) beats an open rule with no filters (2100)", () => {
    const rules = [rule({ sipDispatchRuleId: "SDR_open", rule: direct("a") }), rule({ sipDispatchRuleId: "SDR_pin", rule: callee("b", { pin: "7" }) })];
    expect(resolve(callA(), trunks, rules)).toMatchObject({ result: "request_pin", ruleId: "SDR_pin" });
  });

  it("a trunk-specific rule beats any default rule, whatever the priorities", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_best_default", inboundNumbers: ["+15551111"], numbers: ["+15550100"], rule: direct("d", "5") }),
      rule({ sipDispatchRuleId: "SDR_weak_specific", trunkIds: ["ST_a"], rule: callee("s") }),
    ];
    const result = resolve(callA(), trunks, rules, { trace: true });
    expect(result).toMatchObject({ result: "accept", ruleId: "SDR_weak_specific" });
    expect(ruleTrace(result)).toEqual([
      ["SDR_best_default", "outranked", "specific_rule_won"],
      ["SDR_weak_specific", "selected", "selected"],
    ]);
  });
});

describe("tie-break: room string, then rule id", () => {
  // Equal priority without a conflict: one rule filters the caller, the other the called number (1100 + kind).
  const byCaller = (id: string, r: SIPDispatchRuleInfo["rule"]) => rule({ sipDispatchRuleId: id, rule: r, inboundNumbers: ["+15551111"] });
  const byNumber = (id: string, r: SIPDispatchRuleInfo["rule"]) => rule({ sipDispatchRuleId: id, rule: r, numbers: ["+15550100"] });

  it.each<[string, SIPDispatchRuleInfo[], string]>([
    ["smaller room wins over smaller id", [byCaller("SDR_1", direct("b")), byNumber("SDR_2", direct("a"))], "SDR_2"],
    ["uppercase sorts before lowercase", [byCaller("SDR_1", direct("a")), byNumber("SDR_2", direct("B"))], "SDR_2"],
    ["a prefix sorts before its extension", [byCaller("SDR_1", direct("ab")), byNumber("SDR_2", direct("a"))], "SDR_2"],
    ["the room string is the prefix for Individual", [byCaller("SDR_1", individual("b")), byNumber("SDR_2", individual("a"))], "SDR_2"],
    ["UTF-8 byte order, not UTF-16 (U+FF5E < U+1F600)", [byCaller("SDR_1", direct("\u{1F600}")), byNumber("SDR_2", direct("\uFF5E"))], "SDR_2"],
    ["smaller room on the smaller id", [byCaller("SDR_1", direct("a")), byNumber("SDR_2", direct("b"))], "SDR_1"],
    ["equal rooms: smaller id", [byCaller("SDR_b", callee("r")), byNumber("SDR_a", callee("r"))], "SDR_a"],
    ["equal rooms: smaller id, which filters the caller", [byCaller("SDR_a", callee("r")), byNumber("SDR_b", callee("r"))], "SDR_a"],
    ["equal rooms: smaller id (bytes)", [byCaller("SDR_a", callee("r")), byNumber("SDR_B", callee("r"))], "SDR_B"],
    ["priority before room", [byCaller("SDR_1", callee("a")), byNumber("SDR_2", individual("z"))], "SDR_2"],
  ])("%s", (_name, rules, winner) => {
    expect(resolve(callA(), trunks, rules)).toMatchObject({ ruleId: winner });
    expect(resolve(callA(), trunks, [...rules].reverse())).toMatchObject({ ruleId: winner });
    // The compiled index probes the caller's bucket before the number's: not in id order.
    expect(compileDispatch(trunks, rules).resolve(callA(), { randomId })).toMatchObject({ ruleId: winner });
    expect(compileDispatch(trunks, [...rules].reverse()).resolve(callA(), { randomId })).toMatchObject({ ruleId: winner });
  });

  it("the loser is traced lower_priority", () => {
    const rules = [byNumber("SDR_a", callee("r")), byCaller("SDR_b", callee("r"))];
    for (const order of [rules, [...rules].reverse()]) {
      const result = resolve(callA(), trunks, order, { trace: true });
      expect(result).toMatchObject({ result: "accept", ruleId: "SDR_a" });
      expect(ruleTrace(result)).toEqual([
        ["SDR_a", "selected", "selected"],
        ["SDR_b", "outranked", "lower_priority"],
      ]);
    }
  });
});

describe("drop", () => {
  it.each<[string, InboundCall, SIPDispatchRuleInfo[], string]>([
    ["no rules at all", callA(), [], "ST_a"],
    ["no rule for this caller", callA(), [rule({ sipDispatchRuleId: "SDR_1", inboundNumbers: ["+1999"] })], "ST_a"],
    ["only rules for other trunks", callA(), [rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_b"] })], "ST_a"],
    ["no trunk matched and only specific rules", { from: "+1", to: "+1999" }, [rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_a"] })], ""],
  ])("%s", (_name, c, rules, trunkId) => {
    expect(resolve(c, trunks, rules)).toEqual({ result: "drop", trunkId, reason: "no_rule", sipOutcome: "ignore" });
  });

  it("traces every trunk and every rule", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_b"] }),
      rule({ sipDispatchRuleId: "SDR_2", inboundNumbers: ["+1999"], numbers: ["+1888"], rule: direct("x", "1") }),
      rule({ sipDispatchRuleId: "SDR_3", numbers: ["+1888"], rule: direct("x", "1") }),
      rule({ sipDispatchRuleId: "SDR_4", rule: direct("x", "1") }),
      rule({ sipDispatchRuleId: "SDR_5", rule: direct("x", "2"), trunkIds: ["ST_a", "ST_zzz"] }),
    ];
    const result = resolve(callA({ pin: "3" }), trunks, rules, { trace: true });
    expect(result.result).toBe("drop");
    expect(result.trace!.map((e) => [e.stage, e.id, e.reason])).toEqual([
      ["trunk", "ST_a", "selected_specific"],
      ["trunk", "ST_b", "number_mismatch"],
      ["rule", "SDR_1", "trunk_mismatch"],
      ["rule", "SDR_2", "caller_mismatch"],
      ["rule", "SDR_3", "number_mismatch"],
      ["rule", "SDR_4", "pin_mismatch"],
      ["rule", "SDR_5", "pin_mismatch"],
    ]);
  });
});

describe("the rule stage of the trace, entry for entry", () => {
  const skipped = (id: string, reason: string, detail: string) => ({ stage: "rule", id, verdict: "skipped", reason, detail });
  const dispatchers = [
    ["resolveDispatch", (c: InboundCall, rules: SIPDispatchRuleInfo[]) => resolve(c, trunks, rules, { trace: true })],
    ["compileDispatch", (c: InboundCall, rules: SIPDispatchRuleInfo[]) => compileDispatch(trunks, rules).resolve(c, { randomId, trace: true })],
  ] as const;

  it.each(dispatchers)("%s: each filter's reason and detail, in id order", (_name, dispatch) => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_1_caller", inboundNumbers: ["+15552222"], rule: direct("r1") }),
      rule({ sipDispatchRuleId: "SDR_2_number", numbers: ["+15550199"], rule: direct("r2") }),
      rule({ sipDispatchRuleId: "SDR_3_open", rule: direct("r3") }),
      rule({ sipDispatchRuleId: "SDR_4_pin", rule: direct("r4", "9999") }),
      rule({ sipDispatchRuleId: "SDR_5_trunk", trunkIds: ["ST_b"], rule: direct("r5") }),
      rule({ sipDispatchRuleId: "SDR_6_win", rule: direct("r6", "1234") }),
    ];
    const result = dispatch(callA({ pin: "1234" }), rules);
    expect(result).toMatchObject({ result: "accept", ruleId: "SDR_6_win" });
    expect(result.trace!.filter((e) => e.stage === "rule")).toEqual([
      skipped("SDR_1_caller", "caller_mismatch", "the calling number is not in inboundNumbers"),
      skipped("SDR_2_number", "number_mismatch", "the called number is not in numbers"),
      skipped("SDR_3_open", "open_rule_after_pin", "a pin was entered, and open rules are not a fallback"),
      skipped("SDR_4_pin", "pin_mismatch", "the entered pin is not this rule's pin"),
      skipped("SDR_5_trunk", "trunk_mismatch", "the rule names other trunks than the matched one"),
      { stage: "rule", id: "SDR_6_win", verdict: "selected", reason: "selected" },
    ]);
  });

  it.each(dispatchers)("%s: a pin rule when the caller chose no pin (#)", (_name, dispatch) => {
    const rules = [rule({ sipDispatchRuleId: "SDR_1_open", rule: direct("r1") }), rule({ sipDispatchRuleId: "SDR_2_pin", rule: direct("r2", "1234") })];
    const result = dispatch(callA({ noPin: true }), rules);
    expect(result).toMatchObject({ result: "accept", ruleId: "SDR_1_open" });
    expect(result.trace!.filter((e) => e.stage === "rule")).toEqual([
      { stage: "rule", id: "SDR_1_open", verdict: "selected", reason: "selected" },
      skipped("SDR_2_pin", "pin_required_but_no_pin_mode", "the rule has a pin and the caller entered none (#)"),
    ]);
  });

  it.each(dispatchers)("%s: a default rule beside a trunk-specific winner", (_name, dispatch) => {
    const rules = [rule({ sipDispatchRuleId: "SDR_1_default", rule: direct("r1") }), rule({ sipDispatchRuleId: "SDR_2_specific", trunkIds: ["ST_a"], rule: direct("r2") })];
    expect(dispatch(callA(), rules).trace!.filter((e) => e.stage === "rule")).toEqual([
      { stage: "rule", id: "SDR_1_default", verdict: "outranked", reason: "specific_rule_won", detail: "trunk-specific rule SDR_2_specific wins over default rules" },
      { stage: "rule", id: "SDR_2_specific", verdict: "selected", reason: "selected" },
    ]);
  });
});

describe("compareBytes orders strings by their UTF-8 bytes, as Go compares strings", () => {
  const utf8 = new TextEncoder();
  const byteOrder = (a: string, b: string): number => {
    const x = utf8.encode(a);
    const y = utf8.encode(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  };
  // Characters on each side of the ranges where UTF-16 and UTF-8 order differ.
  const edges = ["a", "b", "\u07ff", "\u0800", "\ud7ff", "\u{10000}", "\u{1F600}", "\u{10FC00}", "\u{10FFFF}", "\ue000", "\ue001", "\uff5e", "\uffff"];
  const text = fc.array(fc.constantFrom(...edges), { maxLength: 4 }).map((chars) => chars.join(""));

  test.prop([text, text], runs(300))("the sign matches the byte order, both ways round", (a, b) => {
    expect(Math.sign(compareBytes(a, b))).toBe(Math.sign(byteOrder(a, b)));
    expect(Math.sign(compareBytes(b, a))).toBe(Math.sign(byteOrder(b, a)));
  });

  it.each([
    ["a", "ab", -1],
    ["ab", "a", 1],
    ["\ud7ff", "\u{10000}", -1],
    ["\u{10FFFF}", "\ue000", 1],
    ["\ue000", "\u{10000}", -1],
    ["\uffff", "\u{10000}", -1],
    // The same high surrogate: the low surrogates decide (U+10FC00 < U+10FFFF).
    ["\u{10FFFF}", "\u{10FC00}", 1],
    ["\ue000", "\ue001", -1],
    ["same", "same", 0],
  ])("compareBytes(%j, %j) has sign %d", (a, b, sign) => {
    expect(Math.sign(compareBytes(a, b))).toBe(sign);
  });
});
