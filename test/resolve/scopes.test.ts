// The compiled dispatcher keeps LiveKit's rule-set verdicts per scope (the rules naming one trunk
// id, and the default rules) and composes them; these cases are where composing is subtle. Each
// is checked against the linear resolver, which validates the whole candidate set as LiveKit does.
import { describe, expect, it } from "vitest";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { InboundCall } from "../../src/model/resolution.js";
import { compileDispatch } from "../../src/resolve/compile.js";
import { direct, randomId, resolve, rule, trunk } from "../fixtures.js";

const trunks = [trunk({ sipTrunkId: "ST_t", numbers: ["+15550100"] })];
const throughTrunk: InboundCall = { from: "+15551111", to: "+15550100" };
const noTrunk: InboundCall = { from: "+15551111", to: "+15559999" };
const conflictWith = (id: string) =>
  `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "${id}" "<blank name>"`;

/** Resolves `call` linearly and compiled, and expects both to be `expected`. */
function expectBoth(call: InboundCall, rules: SIPDispatchRuleInfo[], expected: object): void {
  expect(resolve(call, trunks, rules)).toMatchObject(expected);
  expect(compileDispatch(trunks, rules).resolve(call, { randomId })).toMatchObject(expected);
}

describe("rule-set verdicts, composed per scope", () => {
  it('a trunk rule that also names "" collides with a default rule on the "" key: the trunk\'s candidate set fails', () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_t", ""], rule: direct("both") }),
      rule({ sipDispatchRuleId: "SDR_2", trunkIds: ["ST_t"], rule: direct("pinned", "1234") }),
      rule({ sipDispatchRuleId: "SDR_3", rule: direct("default") }),
    ];
    expectBoth(throughTrunk, rules, { result: "error", error: { code: "rule_conflict", message: conflictWith("SDR_1") } });
  });

  it("all rules together: a rule naming three trunks fails on the first of its keys another rule holds, in its own trunk order", () => {
    // SDR_9 names ST_u, ST_x, ST_v in that order; it collides on ST_x with SDR_1 and on ST_v with
    // SDR_2. LiveKit's single pass meets the ST_x key first.
    const rules = [
      rule({ sipDispatchRuleId: "SDR_0", trunkIds: ["ST_v"], rule: direct("other", "99") }),
      rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_x"], rule: direct("x") }),
      rule({ sipDispatchRuleId: "SDR_2", trunkIds: ["ST_v"], rule: direct("v") }),
      rule({ sipDispatchRuleId: "SDR_9", trunkIds: ["ST_u", "ST_x", "ST_v"], rule: direct("many") }),
    ];
    expectBoth(noTrunk, rules, { result: "error", error: { code: "rule_conflict", message: conflictWith("SDR_1") } });
  });

  it("all rules together: a rule that lists a number twice collides with itself before it reaches another rule's key", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_t"], numbers: ["+15550102"], rule: direct("one") }),
      rule({ sipDispatchRuleId: "SDR_2", trunkIds: ["ST_t"], numbers: ["+15550101", "+15550101", "+15550102"], rule: direct("two") }),
    ];
    expectBoth(noTrunk, rules, { result: "error", error: { code: "rule_conflict", message: conflictWith("SDR_2") } });
  });
  it("all rules together: a default rule collides with an earlier rule on its first key before it collides with itself", () => {
    const rules = [
      rule({ sipDispatchRuleId: "SDR_1", numbers: ["+15550101"], rule: direct("one") }),
      rule({ sipDispatchRuleId: "SDR_2", numbers: ["+15550101", "+15550102", "+15550102"], rule: direct("two") }),
    ];
    expectBoth(noTrunk, rules, { result: "error", error: { code: "rule_conflict", message: conflictWith("SDR_1") } });
  });
});

describe("updated dispatchers keep their own verdicts", () => {
  it("an update that resolves a conflict leaves the older dispatcher failing, even for its first call after the update", () => {
    const rules = [rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_t"], rule: direct("a") }), rule({ sipDispatchRuleId: "SDR_2", trunkIds: ["ST_t"], rule: direct("b") })];
    const before = compileDispatch(trunks, rules);
    const after = before.update({ deleteRuleIds: ["SDR_2"] });
    expect(after.resolve(noTrunk, { randomId })).toMatchObject({ result: "drop" });
    expect(before.resolve(noTrunk, { randomId })).toMatchObject({ result: "error", error: { code: "rule_conflict", message: conflictWith("SDR_1") } });
  });
});

describe("the trunk index's shortcut to a number's rules", () => {
  it("a call that spells the trunk's number differently still compares rule numbers exactly, as LiveKit does", () => {
    // The trunk takes "15550100" (numbers are normalised for trunks); the rule's number filter
    // "+15550100" does not equal it, so LiveKit drops the call.
    const rules = [rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_t"], numbers: ["+15550100"], rule: direct("exact") })];
    expectBoth({ from: "+15551111", to: "15550100" }, rules, { result: "drop" });
    expectBoth(throughTrunk, rules, { result: "accept", roomName: "exact" });
  });
});
