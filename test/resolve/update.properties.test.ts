// Laws of Dispatcher.update (issue 10): an updated dispatcher answers every call, trace included,
// exactly as a fresh compileDispatch of the configuration the changes lead to; no input is
// mutated; and every dispatcher along a chain of updates keeps its own answers.
// FC_UPDATE_RUNS=2000 npx vitest run test/resolve/update.properties.test.ts runs many more.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileDispatch } from "../../src/resolve/compile.js";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import type { DispatchChanges, Dispatcher, InboundCall, ResolveOptions } from "../../src/model/resolution.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { callArb, collidingPools, optionsArb, ruleArb, trunkArb, TRUNK_IDS } from "../arbitraries.js";
import { deepFreeze } from "../fixtures.js";

const RUNS = { numRuns: Number(process.env.FC_UPDATE_RUNS ?? 150) };

// Ids drawn from small pools, with duplicates and the empty id, so that upserts replace, collapse
// duplicates and delete entries that other entries still name.
const TRUNK_ID_POOL = [...TRUNK_IDS, "ST_gone", ""];
const RULE_ID_POOL = ["SDR_1", "SDR_2", "SDR_3", "SDR_4", "SDR_5", "SDR_6", ""];

/** A rule that sometimes also names the trunk id "" (its keys then share the default rules' space). */
const anyRuleArb = fc
  .tuple(fc.constantFrom(...RULE_ID_POOL), fc.integer({ min: 0, max: 5 }))
  .chain(([id, roll]) => ruleArb(id).map((rule) => (roll === 0 ? { ...rule, trunkIds: [...rule.trunkIds, ""] } : rule)));
const anyTrunkArb = fc.constantFrom(...TRUNK_ID_POOL).chain((id) => trunkArb(id));

interface Config {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
}

const configArb: fc.Arbitrary<Config> = fc.record({
  trunks: fc.array(anyTrunkArb, { maxLength: 6 }),
  rules: fc.array(anyRuleArb, { maxLength: 12 }),
});

const changesArb: fc.Arbitrary<DispatchChanges> = fc.record(
  {
    upsertTrunks: fc.array(anyTrunkArb, { maxLength: 2 }),
    deleteTrunkIds: fc.array(fc.constantFrom(...TRUNK_ID_POOL), { maxLength: 2 }),
    upsertRules: fc.array(anyRuleArb, { maxLength: 4 }),
    deleteRuleIds: fc.array(fc.constantFrom(...RULE_ID_POOL), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** The law's configuration, written out independently of the implementation. */
function applied(config: Config, changes: DispatchChanges): Config {
  const apply = <T>(list: readonly T[], upserts: readonly T[] | undefined, deletes: readonly string[] | undefined, idOf: (x: T) => string): T[] => {
    let next = list.filter((x) => !(deletes ?? []).includes(idOf(x)));
    for (const upsert of upserts ?? []) next = [...next.filter((x) => idOf(x) !== idOf(upsert)), upsert];
    return next;
  };
  return {
    trunks: apply(config.trunks, changes.upsertTrunks, changes.deleteTrunkIds, (t) => t.sipTrunkId),
    rules: apply(config.rules, changes.upsertRules, changes.deleteRuleIds, (r) => r.sipDispatchRuleId),
  };
}

const callsArb = fc.array(fc.tuple(callArb(collidingPools), optionsArb), { minLength: 1, maxLength: 6 });

/** Reads every answer in full, trace included, so that comparisons see the whole resolution. */
function answers(dispatcher: Dispatcher, calls: readonly [InboundCall, ResolveOptions][]): unknown[] {
  return calls.map(([call, options]) => structuredClone(dispatcher.resolve(call, { ...options, trace: true })));
}

describe("Dispatcher.update", () => {
  it("answers every call, trace included, exactly as compileDispatch of the changed configuration", () => {
    fc.assert(
      fc.property(configArb, fc.array(changesArb, { minLength: 1, maxLength: 4 }), callsArb, (config, changes, calls) => {
        let dispatcher = compileDispatch(config.trunks, config.rules);
        let expected = config;
        for (const change of changes) {
          dispatcher = dispatcher.update(change);
          expected = applied(expected, change);
          const fresh = compileDispatch(expected.trunks, expected.rules);
          expect(dispatcher.trunks).toEqual(fresh.trunks);
          expect(dispatcher.rules).toEqual(fresh.rules);
          expect(answers(dispatcher, calls)).toEqual(answers(fresh, calls));
        }
        // And as the linear resolver, which shares no index with either.
        for (const [call, options] of calls)
          expect(dispatcher.resolve(call, options)).toEqual(resolveDispatch(call, expected.trunks, expected.rules, options));
      }),
      RUNS,
    );
  });

  it("lists what it answers for in id order, and an empty change answers as before", () => {
    fc.assert(
      fc.property(configArb, callsArb, (config, calls) => {
        const dispatcher = compileDispatch(config.trunks, config.rules);
        const ids = (list: readonly { sipTrunkId?: string; sipDispatchRuleId?: string }[]) => list.map((x) => x.sipTrunkId ?? x.sipDispatchRuleId!);
        const sorted = (xs: string[]) => [...xs].sort((a, b) => (Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.from(a) > Buffer.from(b) ? 1 : 0));
        expect(ids(dispatcher.trunks)).toEqual(sorted(ids(config.trunks)));
        expect(ids(dispatcher.rules)).toEqual(sorted(ids(config.rules)));
        expect(answers(dispatcher.update({}), calls)).toEqual(answers(dispatcher, calls));
      }),
      RUNS,
    );
  });

  it("mutates no input, and every dispatcher along the chain keeps its own answers", () => {
    fc.assert(
      fc.property(configArb, fc.array(changesArb, { minLength: 1, maxLength: 4 }), callsArb, (config, changes, calls) => {
        const before = structuredClone({ config, changes });
        const frozen = deepFreeze(structuredClone({ config, changes }));
        const chain = [compileDispatch(frozen.config.trunks, frozen.config.rules)];
        const expected = [chain[0]!].map((d) => answers(d, calls));
        for (const change of frozen.changes) {
          chain.push(chain.at(-1)!.update(change));
          expected.push(answers(chain.at(-1)!, calls));
        }
        // A branch off the first dispatcher must not disturb the others either.
        chain[0]!.update(frozen.changes.at(-1)!);
        chain.forEach((dispatcher, i) => expect(answers(dispatcher, calls)).toEqual(expected[i]));
        expect(frozen).toEqual(before);
      }),
      RUNS,
    );
  });

  it("throws a TypeError for changes that are not DispatchChanges", () => {
    const dispatcher = compileDispatch([], []);
    for (const bad of [null, 42, { upsertRules: {} }, { deleteRuleIds: [1] }, { upsertTrunks: [null] }, { deleteTrunkIds: "ST_a" }])
      expect(() => dispatcher.update(bad as unknown as DispatchChanges)).toThrow(TypeError);
  });
});
