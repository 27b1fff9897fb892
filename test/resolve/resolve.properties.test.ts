import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { compileDispatch } from "../../src/resolve/compile.js";
import type { DispatchResolution } from "../../src/model/resolution.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { PINS, callArb, collidingPools, configArb, optionsArb, wildPools, type Config } from "../arbitraries.js";
import { deepFreeze } from "../fixtures.js";
import { runs } from "../runs.js";

const RUNS = runs(200);

/** A configuration with the same trunks and rules in another order. */
const shuffled = (config: Config): fc.Arbitrary<Config> =>
  fc.record({
    trunks: fc.shuffledSubarray(config.trunks, { minLength: config.trunks.length, maxLength: config.trunks.length }),
    rules: fc.shuffledSubarray(config.rules, { minLength: config.rules.length, maxLength: config.rules.length }),
  });

const withShuffle = configArb().chain((config) => fc.tuple(fc.constant(config), shuffled(config)));

describe("resolveDispatch properties", () => {
  test.prop([withShuffle, callArb(), optionsArb], RUNS)("the order of trunks and rules never changes the resolution", ([config, other], call, options) => {
    const a = resolveDispatch(call, config.trunks, config.rules, { ...options, trace: true });
    const b = resolveDispatch(call, other.trunks, other.rules, { ...options, trace: true });
    expect(b).toEqual(a);
  });

  test.prop([configArb(), callArb(), optionsArb], RUNS)("deep-frozen inputs are never mutated and never make it throw", (config, call, options) => {
    const before = structuredClone({ config, call });
    const plain = resolveDispatch(call, config.trunks, config.rules, options);
    const frozen = deepFreeze(structuredClone({ config, call }));
    const result = resolveDispatch(frozen.call, frozen.config.trunks, frozen.config.rules, options);
    expect(result).toEqual(plain);
    expect(compileDispatch(frozen.config.trunks, frozen.config.rules).resolve(frozen.call, options)).toEqual(plain);
    expect(frozen).toEqual(before);
    expect({ config, call }).toEqual(before);
  });

  test.prop([configArb(), fc.array(fc.tuple(callArb(), optionsArb), { minLength: 1, maxLength: 4 })], RUNS)(
    "compileDispatch(t, r).resolve(c, o) equals resolveDispatch(c, t, r, o)",
    (config, calls) => {
      const dispatcher = compileDispatch(config.trunks, config.rules);
      for (const [call, options] of calls) expect(dispatcher.resolve(call, options)).toEqual(resolveDispatch(call, config.trunks, config.rules, options));
    },
  );

  test.prop([configArb(wildPools), callArb(wildPools), optionsArb], RUNS)("never throws for any well-typed call and configuration", (config, call, options) => {
    const result = resolveDispatch(call, config.trunks, config.rules, options);
    expect(["accept", "request_pin", "drop", "error"]).toContain(result.result);
    expect(compileDispatch(config.trunks, config.rules).resolve(call, options)).toEqual(result);
  });

  test.prop([configArb(collidingPools), callArb(collidingPools), optionsArb], RUNS)("no pin ever appears in a resolution", (config, call, options) => {
    const text = JSON.stringify(resolveDispatch(call, config.trunks, config.rules, { ...options, trace: true }));
    for (const pin of PINS) expect(text).not.toContain(pin);
  });

  test.prop([configArb(), callArb(), optionsArb], RUNS)("the trace lists each trunk and rule as the contract says", (config, call, options) => {
    const result: DispatchResolution = resolveDispatch(call, config.trunks, config.rules, { ...options, trace: true });
    const trace = result.trace!;
    const trunkIds = trace.filter((e) => e.stage === "trunk").map((e) => e.id);
    const ruleIds = trace.filter((e) => e.stage === "rule").map((e) => e.id);
    const allTrunks = config.trunks.map((t) => t.sipTrunkId).sort();
    const allRules = config.rules.map((r) => r.sipDispatchRuleId).sort();
    // trunks first, then rules
    expect(trace.map((e) => e.stage)).toEqual([...trunkIds.map(() => "trunk"), ...ruleIds.map(() => "rule")]);
    if (result.result === "error" && result.error.code === "invalid_source_ip") {
      expect(trace).toEqual([]);
      expect(result.trunkId).toBe("");
      return;
    }
    const fastPath = trace.some((e) => e.reason === "fast_path");
    if (fastPath) expect(trunkIds).toEqual([call.trunkId]);
    else expect(trunkIds).toEqual(allTrunks);
    const ruleStageRan =
      result.result === "accept" || result.result === "request_pin" || result.result === "drop" || (result.result === "error" && result.error.code === "rule_conflict");
    expect(ruleIds).toEqual(ruleStageRan ? allRules : []);
    // the selected rule and trunk are the result's
    const selectedTrunk = trace.filter((e) => e.stage === "trunk" && e.verdict === "selected").map((e) => e.id);
    if (result.trunkId !== "") expect(selectedTrunk).toEqual([result.trunkId]);
    if (result.result === "accept" || result.result === "request_pin")
      expect(trace.filter((e) => e.stage === "rule" && e.verdict === "selected").map((e) => e.id)).toEqual([result.ruleId]);
    if (result.result === "drop") expect(trace.filter((e) => e.verdict === "selected" && e.stage === "rule")).toEqual([]);
    // trunk errors carry "", rule errors the matched trunk
    if (result.result === "error" && (result.error.code === "trunk_conflict" || result.error.code === "default_trunk_conflict")) expect(result.trunkId).toBe("");
  });
});
