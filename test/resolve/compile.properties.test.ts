// Laws of the compiled dispatcher (issue 4): its index must decide exactly what the linear
// resolver decides. These configurations are larger than resolve.properties.test.ts's, so that
// buckets fill up (several rules per number, caller and pin), and they add what only the index
// treats specially: rules naming the trunk id "", and strict-mode buckets built on first use.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileDispatch } from "../../src/resolve/compile.js";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { callArb, collidingPools, crowdedCallArb, crowdedConfigArb, optionsArb, ruleArb, trunkArb, TRUNK_IDS } from "../arbitraries.js";
import { deepFreeze } from "../fixtures.js";
import { runs } from "../runs.js";

const RUNS = runs(300);

/** A rule that sometimes also names the trunk id "" (its keys then share the default rules' space). */
const indexedRuleArb = (id: string): fc.Arbitrary<SIPDispatchRuleInfo> =>
  fc.tuple(ruleArb(id), fc.integer({ min: 0, max: 5 })).map(([rule, roll]) => (roll === 0 ? { ...rule, trunkIds: [...rule.trunkIds, ""] } : rule));

const largeConfigArb: fc.Arbitrary<{ trunks: SIPInboundTrunkInfo[]; rules: SIPDispatchRuleInfo[] }> = fc.record({
  trunks: fc
    .uniqueArray(fc.constantFrom(...TRUNK_IDS), { maxLength: TRUNK_IDS.length })
    .chain((ids): fc.Arbitrary<SIPInboundTrunkInfo[]> => (ids.length === 0 ? fc.constant([]) : fc.tuple(...ids.map((id) => trunkArb(id))))),
  rules: fc
    .integer({ min: 0, max: 14 })
    .chain((n): fc.Arbitrary<SIPDispatchRuleInfo[]> =>
      n === 0 ? fc.constant([]) : fc.tuple(...Array.from({ length: n }, (_, i) => indexedRuleArb(`SDR_${String(i).padStart(2, "0")}`))),
    ),
});

describe("compileDispatch", () => {
  it("resolves every call exactly as resolveDispatch does, whatever the order of calls and modes", () => {
    fc.assert(
      fc.property(largeConfigArb, fc.array(fc.tuple(callArb(collidingPools), optionsArb), { minLength: 1, maxLength: 8 }), (config, calls) => {
        const dispatcher = compileDispatch(config.trunks, config.rules);
        for (const [call, options] of calls)
          expect(dispatcher.resolve(call, options)).toEqual(resolveDispatch(call, config.trunks, config.rules, options));
      }),
      RUNS,
    );
  });

  it("decides as resolveDispatch does when many rules crowd the same numbers and tie on priority", () => {
    // The shapes the compiled index treats specially: several rules per number bucket (with and
    // without pins, default and trunk-specific), trunk-specific rules on the called number,
    // number lists mixing E.164 and other spellings (strict mode), and ties on priority and room.
    fc.assert(
      fc.property(crowdedConfigArb(), fc.array(fc.tuple(crowdedCallArb(), optionsArb), { minLength: 1, maxLength: 8 }), (config, calls) => {
        const dispatcher = compileDispatch(config.trunks, config.rules);
        for (const [call, options] of calls)
          expect(dispatcher.resolve(call, options)).toEqual(resolveDispatch(call, config.trunks, config.rules, options));
      }),
      RUNS,
    );
  });

  it("never mutates its inputs, even deep-frozen ones, and keeps no reference a result can change", () => {
    fc.assert(
      fc.property(largeConfigArb, callArb(collidingPools), optionsArb, (config, call, options) => {
        const before = structuredClone(config);
        const frozen = deepFreeze(structuredClone(config));
        const dispatcher = compileDispatch(frozen.trunks, frozen.rules);
        const first = dispatcher.resolve(call, { ...options, trace: true });
        expect(frozen).toEqual(before);
        // Changing what a result gave back must not change the next answer.
        if (first.result === "accept") first.participant.attributes["sip.ruleID"] = "tampered";
        expect(dispatcher.resolve(call, { ...options, trace: true })).toEqual(resolveDispatch(call, before.trunks, before.rules, { ...options, trace: true }));
      }),
      RUNS,
    );
  });

  it("gives the same trace as the linear resolver, entry for entry", () => {
    fc.assert(
      fc.property(largeConfigArb, callArb(collidingPools), optionsArb, (config, call, options) => {
        const compiled = compileDispatch(config.trunks, config.rules).resolve(call, { ...options, trace: true });
        const linear = resolveDispatch(call, config.trunks, config.rules, { ...options, trace: true });
        expect(compiled.trace).toEqual(linear.trace);
        expect(compiled.trace).toBeDefined();
      }),
      RUNS,
    );
  });
});
