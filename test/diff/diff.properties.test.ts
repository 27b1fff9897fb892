import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { classRepresentative, diffDispatch } from "../../src/diff/diff.js";
import { differingFields, placeholderRandomId, stableJson, summarize } from "../../src/diff/summary.js";
import type { DispatchResolution, InboundCall } from "../../src/model/resolution.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { callArb, collidingPools, configArb, ruleArb, trunkArb, wildPools, type Config, type Pools } from "../arbitraries.js";

// The laws of diffDispatch (docs/diff.md): every witness resolves differently (sound), every call
// that resolves differently is in a reported class with the same two summaries (complete), and a
// configuration diffed with itself, or with itself reordered, reports nothing.

const RUNS = { numRuns: 150 };

/** `config` with one field of one trunk or rule replaced by what a fresh one of the same id has. */
function oneFieldEdited(config: Config, pools: Pools): fc.Arbitrary<Config> {
  const trunkEdit =
    config.trunks.length === 0
      ? []
      : [
          fc.nat(config.trunks.length - 1).chain((i) =>
            fc.tuple(fc.constant(i), trunkArb(config.trunks[i]!.sipTrunkId, pools), fc.constantFrom(...Object.keys(config.trunks[i]!), "media", "ringingTimeout")),
          ).map(([i, fresh, key]): Config => {
            const trunks = [...config.trunks];
            const edited: Record<string, unknown> = { ...trunks[i]! };
            const value = (fresh as unknown as Record<string, unknown>)[key];
            if (value === undefined) delete edited[key];
            else edited[key] = value;
            trunks[i] = edited as unknown as Config["trunks"][number];
            return { trunks, rules: config.rules };
          }),
        ];
  const ruleEdit =
    config.rules.length === 0
      ? []
      : [
          fc.nat(config.rules.length - 1).chain((i) =>
            fc.tuple(fc.constant(i), ruleArb(config.rules[i]!.sipDispatchRuleId, pools), fc.constantFrom(...Object.keys(config.rules[i]!), "rule", "roomConfig", "media")),
          ).map(([i, fresh, key]): Config => {
            const rules = [...config.rules];
            const edited: Record<string, unknown> = { ...rules[i]! };
            const value = (fresh as unknown as Record<string, unknown>)[key];
            if (value === undefined) delete edited[key];
            else edited[key] = value;
            rules[i] = edited as unknown as Config["rules"][number];
            return { trunks: config.trunks, rules };
          }),
        ];
  const options = [...trunkEdit, ...ruleEdit];
  return options.length === 0 ? fc.constant(config) : fc.oneof(...options);
}

/** `config` with one trunk or rule left out. */
function oneEntryRemoved(config: Config): fc.Arbitrary<Config> {
  const total = config.trunks.length + config.rules.length;
  if (total === 0) return fc.constant(config);
  return fc.nat(total - 1).map((i) =>
    i < config.trunks.length
      ? { trunks: config.trunks.filter((_, j) => j !== i), rules: config.rules }
      : { trunks: config.trunks, rules: config.rules.filter((_, j) => j !== i - config.trunks.length) },
  );
}

const editedPair = (pools: Pools): fc.Arbitrary<[Config, Config]> =>
  configArb(pools).chain((config) => fc.tuple(fc.constant(config), oneFieldEdited(config, pools)));

/** Pairs of configurations: unrelated, one field apart, one entry apart (either way round). */
const pairArb: fc.Arbitrary<[Config, Config]> = fc.oneof(
  fc.tuple(configArb(), configArb()),
  editedPair(collidingPools),
  editedPair(collidingPools).map(([a, b]): [Config, Config] => [b, a]),
  editedPair(wildPools),
  configArb().chain((config) => fc.tuple(fc.constant(config), oneEntryRemoved(config))),
  configArb().chain((config) => fc.tuple(oneEntryRemoved(config), fc.constant(config))),
);

/** Calls made of the values configurations name, and of anything at all. */
const callsArb = fc.array(fc.oneof(callArb(collidingPools), callArb(wildPools)), { minLength: 1, maxLength: 12 });

const resolved = (config: Config, call: InboundCall, strict: boolean): DispatchResolution =>
  resolveDispatch(call, config.trunks, config.rules, { randomId: placeholderRandomId, strict });
const summaryText = (config: Config, call: InboundCall, strict: boolean): string => stableJson(summarize(resolved(config, call, strict)));

/** What picks the destination: the same for a call and its class representative. */
const decisionOf = (r: DispatchResolution) => ({
  result: r.result,
  trunkId: r.trunkId,
  ruleId: "ruleId" in r ? r.ruleId : undefined,
  error: r.result === "error" ? r.error.code : undefined,
  sipOutcome: (r as { sipOutcome?: string }).sipOutcome,
});

describe("diffDispatch laws", () => {
  test.prop([pairArb, fc.boolean()], RUNS)("sound: every witness resolves to the two reported summaries, and they differ", ([before, after], strict) => {
    const diff = diffDispatch(before, after, { strict });
    const keys = new Set<string>();
    for (const change of diff.changes) {
      const was = summaryText(before, change.call, strict);
      const is = summaryText(after, change.call, strict);
      expect(was).toBe(stableJson(change.before));
      expect(is).toBe(stableJson(change.after));
      expect(was).not.toBe(is);
      expect(change.fields).toEqual(differingFields(change.before, change.after));
      expect(change.fields.length).toBeGreaterThan(0);
      expect(change.message).not.toMatch(/\n/);
      keys.add(`${was}\n${is}`);
    }
    expect(keys.size).toBe(diff.changes.length); // each difference reported once
  });

  test.prop([pairArb, callsArb, fc.boolean()], RUNS)(
    "complete: a call decided differently falls in a reported class with the same two summaries",
    ([before, after], calls, strict) => {
      const diff = diffDispatch(before, after, { strict });
      const reported = new Set(diff.changes.map((change) => `${stableJson(change.before)}\n${stableJson(change.after)}`));
      for (const call of calls) {
        if (summaryText(before, call, strict) === summaryText(after, call, strict)) continue;
        const representative = classRepresentative(before, after, call);
        // The representative stands for the call: same trunk, rule and outcome in both configurations.
        expect(decisionOf(resolved(before, representative, strict))).toEqual(decisionOf(resolved(before, call, strict)));
        expect(decisionOf(resolved(after, representative, strict))).toEqual(decisionOf(resolved(after, call, strict)));
        expect(reported).toContain(`${summaryText(before, representative, strict)}\n${summaryText(after, representative, strict)}`);
      }
    },
  );

  const withShuffle = configArb(wildPools).chain((config) =>
    fc.tuple(
      fc.constant(config),
      fc.record({
        trunks: fc.shuffledSubarray(config.trunks, { minLength: config.trunks.length, maxLength: config.trunks.length }),
        rules: fc.shuffledSubarray(config.rules, { minLength: config.rules.length, maxLength: config.rules.length }),
      }),
    ),
  );

  test.prop([withShuffle, fc.boolean()], RUNS)("identity: a configuration against itself, or reordered, reports nothing", ([config, reordered], strict) => {
    expect(diffDispatch(config, config, { strict })).toEqual({ changes: [], classes: 0 });
    expect(diffDispatch(config, structuredClone(config), { strict })).toEqual({ changes: [], classes: 0 });
    expect(diffDispatch(config, reordered, { strict }).changes).toEqual([]);
  });
});
