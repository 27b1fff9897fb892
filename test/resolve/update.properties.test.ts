// Laws of Dispatcher.update (issue 10): an updated dispatcher answers every call, trace included,
// exactly as a fresh compileDispatch of the configuration the changes lead to; no input is
// mutated; and every dispatcher along a chain of updates keeps its own answers.
// FC_UPDATE_RUNS=2000 npx vitest run test/resolve/update.properties.test.ts runs many more.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileDispatch } from "../../src/resolve/compile.js";
import type { DispatchChanges, Dispatcher, InboundCall, ResolveOptions } from "../../src/model/resolution.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { callArb, collidingPools, optionsArb } from "../arbitraries.js";
import { applied, changesArb, changingConfigArb as configArb } from "../arbitraries-changes.js";
import { deepFreeze } from "../fixtures.js";

const RUNS = { numRuns: Number(process.env.FC_UPDATE_RUNS ?? 150) };

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
