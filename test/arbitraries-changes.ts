// fast-check arbitraries of configurations and of DispatchChanges against them (issue 10's laws),
// and the configuration a sequence of changes leads to, written out independently of the engine.
import fc from "fast-check";
import type { DispatchChanges } from "../src/model/resolution.js";
import { ruleArb, trunkArb, TRUNK_IDS, type Config } from "./arbitraries.js";

// Ids drawn from small pools, with duplicates and the empty id, so that upserts replace, collapse
// duplicates and delete entries that other entries still name.
const TRUNK_ID_POOL = [...TRUNK_IDS, "ST_gone", ""];
const RULE_ID_POOL = ["SDR_1", "SDR_2", "SDR_3", "SDR_4", "SDR_5", "SDR_6", ""];

/** A rule that sometimes also names the trunk id "" (its keys then share the default rules' space). */
const anyRuleArb = fc
  .tuple(fc.constantFrom(...RULE_ID_POOL), fc.integer({ min: 0, max: 5 }))
  .chain(([id, roll]) => ruleArb(id).map((rule) => (roll === 0 ? { ...rule, trunkIds: [...rule.trunkIds, ""] } : rule)));
const anyTrunkArb = fc.constantFrom(...TRUNK_ID_POOL).chain((id) => trunkArb(id));

/** Small configurations over the id pools above. */
export const changingConfigArb: fc.Arbitrary<Config> = fc.record({
  trunks: fc.array(anyTrunkArb, { maxLength: 6 }),
  rules: fc.array(anyRuleArb, { maxLength: 12 }),
});

export const changesArb: fc.Arbitrary<DispatchChanges> = fc.record(
  {
    upsertTrunks: fc.array(anyTrunkArb, { maxLength: 2 }),
    deleteTrunkIds: fc.array(fc.constantFrom(...TRUNK_ID_POOL), { maxLength: 2 }),
    upsertRules: fc.array(anyRuleArb, { maxLength: 4 }),
    deleteRuleIds: fc.array(fc.constantFrom(...RULE_ID_POOL), { maxLength: 3 }),
  },
  { requiredKeys: [] },
);

/** The law's configuration, written out independently of the implementation. */
export function applied(config: Config, changes: DispatchChanges): Config {
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
