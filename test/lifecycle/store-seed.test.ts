// createDispatchStore({ trunks, rules }): a bulk import that reports every problem; and
// StoreChange.changes, which keeps a dispatcher current with dispatcher.update (issue 10).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createDispatchStore, type DispatchStore, type StoreChange } from "../../src/lifecycle/store.js";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import type { Result } from "../../src/model/result.js";
import { compileDispatch } from "../../src/resolve/compile.js";
import { callArb, collidingPools, optionsArb, ruleArb, trunkArb } from "../arbitraries.js";
import { deepFreeze, direct, rule, trunk } from "../fixtures.js";

const RUNS = { numRuns: Number(process.env.FC_UPDATE_RUNS ?? 100) };
const secured = (over: Partial<SIPInboundTrunkInfo>): SIPInboundTrunkInfo => trunk({ authUsername: "user", authPassword: "pass", ...over });
let counter = 0;
const randomId = (): string => `ID${String(++counter).padStart(10, "0")}`;

describe("createDispatchStore seeded with a configuration", () => {
  it("keeps the given ids, gives id-less items new ones, and lists in id order, frozen", () => {
    const seeded = createDispatchStore({
      trunks: [secured({ sipTrunkId: "ST_b", numbers: ["+15550199"] }), secured({ sipTrunkId: "", numbers: ["+15550100"] })],
      rules: [rule({ sipDispatchRuleId: "SDR_z", rule: direct("z") }), rule({ sipDispatchRuleId: "SDR_a", rule: direct("a"), numbers: ["+15550199"] })],
      randomId: () => "NEW000000001",
    });
    if (!seeded.ok) throw new Error(seeded.error.message);
    const store = seeded.value;
    expect(store.trunks.map((t) => t.sipTrunkId)).toEqual(["ST_NEW000000001", "ST_b"]);
    expect(store.rules.map((r) => r.sipDispatchRuleId)).toEqual(["SDR_a", "SDR_z"]);
    expect(Object.isFrozen(store.trunks[0])).toBe(true);
    expect(store.getDispatchRule("SDR_a")?.numbers).toEqual(["+15550199"]);
  });

  it("reports every problem at once, each at its path, and never throws on bad data", () => {
    const seeded = createDispatchStore({
      trunks: [secured({ sipTrunkId: "ST_a", numbers: ["+15550199"] }), trunk({ sipTrunkId: "ST_open" }), secured({ sipTrunkId: "ST_a", numbers: ["+15550100"] }), secured({ sipTrunkId: "ST_c", numbers: ["+15550199"] })],
      rules: [{ ...rule({ sipDispatchRuleId: "SDR_nokind" }), rule: undefined }, rule({ sipDispatchRuleId: "SDR_1", rule: direct("x") }), rule({ sipDispatchRuleId: "SDR_2", rule: direct("y") })],
    });
    expect(seeded.ok).toBe(false);
    if (seeded.ok) return;
    expect(seeded.error.code).toBe("invalid_config");
    const found = (seeded.error.issues ?? []).map((issue) => [issue.path.join("."), issue.code]);
    expect(found).toEqual(
      expect.arrayContaining([
        ["trunks.1", "security"],
        ["trunks.2.sipTrunkId", "duplicate_id"],
        ["rules.0.rule", "missing_rule"],
        ["rules.2", "rule_conflict"],
      ]),
    );
    expect(found.some(([, code]) => code === "trunk_conflict")).toBe(true);
    expect(seeded.error.message).toContain(`${found.length} problems`);
  });

  it("still returns a store directly when nothing is seeded", () => {
    expect(createDispatchStore().trunks).toEqual([]);
    expect(createDispatchStore({ randomId }).rules).toEqual([]);
    expect(() => createDispatchStore({ rules: {} as never })).toThrow(TypeError);
    expect(() => createDispatchStore({ trunks: [42] as never })).toThrow(TypeError);
  });

  it("seeded with what a store holds, starts from the same store", () => {
    let store = createDispatchStore({ randomId });
    const t = store.createInboundTrunk(secured({ sipTrunkId: "", numbers: ["+15550199"] }));
    if (t.ok) store = t.value.store;
    const r = store.createDispatchRule(rule({ sipDispatchRuleId: "", rule: direct("room"), trunkIds: [store.trunks[0]!.sipTrunkId] }));
    if (r.ok) store = r.value.store;
    expect(store.rules).toHaveLength(1);
    const again = createDispatchStore({ trunks: store.trunks, rules: store.rules });
    expect(again.ok && again.value.trunks).toEqual(store.trunks);
    expect(again.ok && again.value.rules).toEqual(store.rules);
  });
});

type Operation = (store: DispatchStore) => Result<StoreChange<unknown>> | undefined;

/** Store operations drawn at random: creates, updates that move rules between trunks, replaces, deletes. */
const operationArb: fc.Arbitrary<Operation> = fc.oneof(
  trunkArb("").map((t): Operation => (store) => store.createInboundTrunk({ ...t, authUsername: "u", authPassword: "p" })),
  ruleArb("").map((r): Operation => (store) => store.createDispatchRule(r)),
  fc.tuple(fc.nat(), ruleArb("")).map(([i, r]): Operation => (store) => {
    const target = store.rules[i % Math.max(1, store.rules.length)];
    return target && store.replaceDispatchRule(target.sipDispatchRuleId, { ...r, sipDispatchRuleId: target.sipDispatchRuleId });
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([i, j]): Operation => (store) => {
    const target = store.rules[i % Math.max(1, store.rules.length)];
    const trunkId = store.trunks[j % Math.max(1, store.trunks.length)]?.sipTrunkId ?? "ST_gone";
    return target && store.updateDispatchRule(target.sipDispatchRuleId, { attributes: {}, trunkIds: { set: [trunkId], add: [], remove: [], clear: false } });
  }),
  fc.nat().map((i): Operation => (store) => {
    const target = store.rules[i % Math.max(1, store.rules.length)];
    return target && store.deleteDispatchRule(target.sipDispatchRuleId);
  }),
  fc.nat().map((i): Operation => (store) => {
    const target = store.trunks[i % Math.max(1, store.trunks.length)];
    return target && store.deleteInboundTrunk(target.sipTrunkId);
  }),
);

describe("StoreChange.changes", () => {
  it("keeps a dispatcher current: update(change.changes) answers as compileDispatch of the new store", () => {
    fc.assert(
      fc.property(fc.array(operationArb, { minLength: 1, maxLength: 10 }), fc.array(fc.tuple(callArb(collidingPools), optionsArb), { minLength: 1, maxLength: 4 }), (operations, calls) => {
        let store = createDispatchStore({ randomId });
        let dispatcher = compileDispatch(store.trunks, store.rules);
        for (const operation of operations) {
          const result = operation(store);
          if (result === undefined || !result.ok) continue;
          deepFreeze(result.value.changes);
          dispatcher = dispatcher.update(result.value.changes);
          store = result.value.store;
        }
        const fresh = compileDispatch(store.trunks, store.rules);
        expect(dispatcher.rules).toEqual(store.rules);
        expect(dispatcher.trunks).toEqual(store.trunks);
        for (const [call, options] of calls)
          expect(structuredClone(dispatcher.resolve(call, { ...options, trace: true }))).toEqual(structuredClone(fresh.resolve(call, { ...options, trace: true })));
      }),
      RUNS,
    );
  });
});

export type { SIPDispatchRuleInfo };
