import { describe, expect, it } from "vitest";
import { SIPDispatchRuleInfoSchema, SIPInboundTrunkInfoSchema } from "../../src/index.js";
import { parseDispatchRule, parseInboundTrunk } from "../../src/parse/parse.js";

// The exported zod schemas describe parsed models. A zod user who validates LiveKit's JSON with
// them directly gets failures; parse first, then the schema holds.
describe("zod schemas validate parsed models, not LiveKit JSON", () => {
  const liveKitRule = { sip_dispatch_rule_id: "SDR_a", trunk_ids: ["ST_a"], rule: { dispatch_rule_direct: { room_name: "lobby" } } };
  const liveKitTrunk = { sip_trunk_id: "ST_a", numbers: ["+15550100"] };

  it("LiveKit JSON fails the schema", () => {
    expect(SIPDispatchRuleInfoSchema.safeParse(liveKitRule).success).toBe(false);
    expect(SIPInboundTrunkInfoSchema.safeParse(liveKitTrunk).success).toBe(false);
  });

  it("parse, then the schema accepts the model", () => {
    const rule = parseDispatchRule(liveKitRule);
    const trunk = parseInboundTrunk(liveKitTrunk);
    expect(rule.ok && SIPDispatchRuleInfoSchema.safeParse(rule.value).success).toBe(true);
    expect(trunk.ok && SIPInboundTrunkInfoSchema.safeParse(trunk.value).success).toBe(true);
  });
});
