import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { validateRuleSet } from "../../src/match/rule-conflicts.js";
import { byRuleId, prepareRule, type PreparedRule } from "../../src/match/rule-match.js";
import { RULE_IDS, ruleArb } from "../arbitraries.js";
import { direct, rule } from "../fixtures.js";
import { runs } from "../runs.js";

/** Prepared in id order, each with its position, as a configuration is prepared. */
const prepared = (models: Parameters<typeof prepareRule>[0][]): PreparedRule[] => {
  const rules = models.map(prepareRule).sort(byRuleId);
  rules.forEach((r, i) => (r.order = i));
  return rules;
};

// Rules that sort after every generated id, each on its own trunk: they share no key with anything.
const padding = prepared(Array.from({ length: 17 }, (_, i) => rule({ sipDispatchRuleId: `SDR_zz${i}`, trunkIds: [`ST_pad${i}`], rule: direct("pad") })));

describe("validateRuleSet", () => {
  // Small sets whose rules have one key each are compared pair by pair; others through the key
  // map. Padding a set past the small size sends it through the key map: the verdict must not move.
  test.prop([fc.array(fc.constantFrom(...RULE_IDS).chain((id) => ruleArb(id)), { maxLength: 12 })], runs(400))(
    "a set's verdict is unchanged by later rules that share no key with it",
    (models) => {
      const rules = prepared(models);
      const padded = rules.concat(padding.map((r, i) => ({ ...r, order: rules.length + i })));
      expect(validateRuleSet(padded)).toEqual(validateRuleSet(rules));
    },
  );

  // LiveKit's key part for an empty filter is "", so a filter listing "" alone is the same key as
  // no filter: the pair conflicts, on the pairwise path as on the key map.
  test.each([
    ["numbers", { numbers: [""] }],
    ["inboundNumbers", { inboundNumbers: [""] }],
  ])("a rule whose %s list only \"\" conflicts with one that has no such filter", (_field, filter) => {
    const pair = prepared([
      rule({ sipDispatchRuleId: "SDR_1", trunkIds: ["ST_t"], rule: direct("a") }),
      rule({ sipDispatchRuleId: "SDR_2", trunkIds: ["ST_t"], rule: direct("b"), ...filter }),
    ]);
    expect(validateRuleSet(pair)).toMatchObject({ code: "rule_conflict", ruleId: "SDR_2", otherRuleId: "SDR_1" });
    expect(validateRuleSet(pair.concat(padding.map((r, i) => ({ ...r, order: 2 + i }))))).toEqual(validateRuleSet(pair));
  });
});
