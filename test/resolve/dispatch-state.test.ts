// The compiled dispatcher's state (issue 10: "persistent structure, shared where unchanged"). An
// updated state holds exactly what a fresh build of the changed configuration holds, part by
// part, and shares with the older state every part the change did not touch: sharing is what
// keeps an update's cost proportional to the change, and nothing else tells a copy from a share.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { PreparedRule } from "../../src/match/rule-match.js";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import type { DispatchChanges } from "../../src/model/resolution.js";
import { buildState, updateState, type DispatchState } from "../../src/resolve/dispatch-state.js";
import { prepareConfig } from "../../src/resolve/resolve.js";
import { mergeRules, trunkFailure } from "../../src/resolve/scopes.js";
import { ShardedMap } from "../../src/resolve/sharded-map.js";
import { applied, changesArb, changingConfigArb } from "../arbitraries-changes.js";
import { direct, rule, trunk } from "../fixtures.js";

const RUNS = { numRuns: Number(process.env.FC_UPDATE_RUNS ?? 150) };

const build = (trunks: readonly SIPInboundTrunkInfo[], rules: readonly SIPDispatchRuleInfo[]): DispatchState => buildState(prepareConfig(trunks, rules));
const ids = (rules: readonly PreparedRule[]): string[] => rules.map((r) => r.id);
const byFirst = (a: readonly unknown[], b: readonly unknown[]): number => (String(a[0]) < String(b[0]) ? -1 : String(a[0]) > String(b[0]) ? 1 : 0);

/** What a state holds, part by part, by id. */
function contents(state: DispatchState) {
  return {
    trunks: state.trunks.toArray().map((t) => [t.id, t.scope === undefined ? null : ids(t.scope.rules)]),
    rules: ids(state.rules.toArray()),
    scopes: [...state.scopes.entries()].map(([id, scope]) => [id, ids(scope.rules), scope.failure?.code, scope.failure?.ruleId]).sort(byFirst),
    scopeCount: state.scopes.size,
    failing: [...state.failing].map(([id, failure]) => [id, failure.code, failure.ruleId, failure.message]).sort(byFirst),
    defaults: [ids(state.defaults.rules), state.defaults.failure?.code, state.defaults.failure?.ruleId],
  };
}

/** The state's own promises: scopes hold each naming rule once, none is empty, `failing` lists the failing ones. */
function expectWellFormed(state: DispatchState): void {
  const failingIds: string[] = [];
  for (const [id, scope] of state.scopes.entries()) {
    expect(scope.rules.length).toBeGreaterThan(0);
    expect(new Set(scope.rules).size).toBe(scope.rules.length);
    for (const r of scope.rules) expect(r.trunkIds).toContain(id);
    if (id !== "" && scope.failure !== undefined) failingIds.push(id);
  }
  expect([...state.failing.keys()].sort()).toEqual(failingIds.sort());
}

describe("DispatchState", () => {
  it("an updated state holds what a fresh build of the changed configuration holds, and both are well formed", () => {
    fc.assert(
      fc.property(changingConfigArb, fc.array(changesArb, { minLength: 1, maxLength: 4 }), (config, changes) => {
        let state = build(config.trunks, config.rules);
        let expected = config;
        expectWellFormed(state);
        for (const change of changes) {
          state = updateState(state, change);
          expected = applied(expected, change);
          const fresh = build(expected.trunks, expected.rules);
          expectWellFormed(state);
          expect(contents(state)).toEqual(contents(fresh));
        }
      }),
      RUNS,
    );
  });

  const trunks = [
    trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"] }),
    trunk({ sipTrunkId: "ST_b", numbers: ["+15550200"] }),
  ];
  const rules = [
    rule({ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_a"], rule: direct("a") }),
    rule({ sipDispatchRuleId: "SDR_b1", trunkIds: ["ST_b"], rule: direct("b1") }),
    rule({ sipDispatchRuleId: "SDR_b2", trunkIds: ["ST_b"], rule: direct("b2") }), // ST_b's rules conflict
    rule({ sipDispatchRuleId: "SDR_d", rule: direct("default") }),
  ];
  const state = build(trunks, rules);
  const update = (changes: DispatchChanges): DispatchState => updateState(state, changes);

  it("a change to one trunk's rule shares the default rules, the other scopes, the other trunks and the failing list", () => {
    const next = update({ upsertRules: [rule({ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_a"], rule: direct("a2") })] });
    expect(next.defaults).toBe(state.defaults);
    expect(next.scopes.get("ST_b")).toBe(state.scopes.get("ST_b"));
    expect(next.scopes.get("ST_a")).not.toBe(state.scopes.get("ST_a"));
    expect(next.trunks.withId("ST_b")[0]).toBe(state.trunks.withId("ST_b")[0]);
    expect(next.failing).toBe(state.failing);
  });

  it("a change to rules that name no existing trunk rebuilds no trunk: the trunk list and index are shared", () => {
    const next = update({ upsertRules: [rule({ sipDispatchRuleId: "SDR_g", trunkIds: ["ST_gone"], rule: direct("g") })] });
    expect(next.trunks).toBe(state.trunks);
    expect(next.trunkIndex).toBe(state.trunkIndex);
    expect(next.scopes.get("ST_gone")?.rules.map((r) => r.id)).toEqual(["SDR_g"]);
  });

  it("deleting a trunk no state holds changes no trunk: the trunk index is shared", () => {
    expect(update({ deleteTrunkIds: ["ST_none"] }).trunkIndex).toBe(state.trunkIndex);
  });

  it("deleting a trunk removes its numbers from the index (nothing is left behind for a chain of updates to pile up)", () => {
    expect(state.trunkIndex.numberCount).toBe(2);
    expect(update({ deleteTrunkIds: ["ST_a"] }).trunkIndex.numberCount).toBe(1);
    const both = update({ upsertTrunks: [trunk({ sipTrunkId: "ST_c", numbers: ["+15550100"] })] });
    expect(both.trunkIndex.numberCount).toBe(2);
    expect(updateState(both, { deleteTrunkIds: ["ST_a", "ST_c"] }).trunkIndex.numberCount).toBe(1);
  });

  it("deleting a scope's last rule removes the scope (no empty scope is kept), and its trunk loses its rules", () => {
    const next = update({ deleteRuleIds: ["SDR_a"] });
    expect(next.scopes.get("ST_a")).toBeUndefined();
    expect(next.scopes.size).toBe(state.scopes.size - 1);
    expect(next.trunks.withId("ST_a")[0]?.scope).toBeUndefined();
    expect([...next.scopes.entries()].map(([id]) => id).sort()).toEqual(["ST_b"]);
  });

  it("resolving a scope's conflict drops it from the failing list; the older state keeps it", () => {
    const next = update({ deleteRuleIds: ["SDR_b2"] });
    expect([...next.failing.keys()]).toEqual([]);
    expect([...state.failing.keys()]).toEqual(["ST_b"]);
  });

  it("a rule that names a trunk twice is in that trunk's scope once", () => {
    const twice = build(trunks, [rule({ sipDispatchRuleId: "SDR_x", trunkIds: ["ST_a", "ST_a", "ST_b"], rule: direct("x") })]);
    expect(twice.scopes.get("ST_a")?.rules.map((r) => r.id)).toEqual(["SDR_x"]);
    const next = updateState(twice, { upsertRules: [rule({ sipDispatchRuleId: "SDR_y", trunkIds: ["ST_b", "ST_b"], rule: direct("y", "1") })] });
    expect(next.scopes.get("ST_b")?.rules.map((r) => r.id)).toEqual(["SDR_x", "SDR_y"]);
  });

  it("a trunk's verdict merged with the default rules is computed once per pair of scopes", () => {
    const shared = build(trunks, [
      rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_a", ""], rule: direct("both") }),
      rule({ sipDispatchRuleId: "SDR_2", rule: direct("default") }),
    ]);
    const scope = shared.scopes.get("ST_a");
    const first = trunkFailure(scope, shared.defaults);
    expect(first?.code).toBe("rule_conflict");
    expect(trunkFailure(scope, shared.defaults)).toBe(first);
  });

  it("merging with an empty list returns the other list itself", () => {
    const list = state.scopes.get("ST_b")!.rules;
    expect(mergeRules(list, [])).toBe(list);
    expect(mergeRules([], list)).toBe(list);
  });
});

describe("ShardedMap versions", () => {
  const map = ShardedMap.from(
    Array.from({ length: 100 }, (_, i): [string, number] => [`+1555${i}`, i]),
    100,
  );

  it("an edit that writes nothing, or deletes an absent key, returns the same map", () => {
    expect(map.with(() => {})).toBe(map);
    expect(map.with((m) => m.delete("+19999"))).toBe(map);
  });
});
