import { fc, test as fcTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { parseDispatchConfig } from "../../src/parse/config.js";
import {
  parseDispatchRule,
  parseDispatchRuleUpdate,
  parseInboundTrunk,
  parseInboundTrunkUpdate,
  type ParseOptions,
} from "../../src/parse/parse.js";

// ParseOptions.unknownFields: "reject" (default) keeps LiveKit's protojson strictness; "ignore"
// skips fields the models do not have (LiveKit adds fields over time) and names each in `warnings`.
const ignore: ParseOptions = { unknownFields: "ignore" };
const ruleJson = {
  sipDispatchRuleId: "SDR_a",
  trunkIds: ["ST_a"],
  rule: { dispatchRuleIndividual: { roomPrefix: "call" } },
  roomConfig: { agents: [{ agentName: "billing-agent" }] },
};
const trunkJson = { sipTrunkId: "ST_a", numbers: ["+15550100"], media: { encryption: "SIP_MEDIA_ENCRYPT_ALLOW" } };

describe("unknownFields: reject (the default)", () => {
  it("an unknown top-level field is an error whose path ends at the key, with or without the option", () => {
    for (const options of [undefined, {}, { unknownFields: "reject" } as const]) {
      const parsed = parseDispatchRule({ ...ruleJson, futureField: 1 }, options);
      expect(parsed).toMatchObject({ ok: false, error: { code: "invalid_input", issues: [{ path: ["futureField"], code: "unrecognized_key" }] } });
    }
  });

  it("a typo of a known field is still an error, so trunkIDs cannot turn a rule into a default rule", () => {
    expect(parseDispatchRule({ ...ruleJson, trunkIds: undefined, trunkIDs: ["ST_a"] })).toMatchObject({
      ok: false,
      error: { issues: [{ path: ["trunkIDs"], message: 'unknown field "trunkIDs" in SIPDispatchRuleInfo (did you mean "trunkIds"?)' }] },
    });
  });
});

describe('unknownFields: "ignore"', () => {
  it("skips an unknown top-level field and names it in warnings; the rule is the same as without it", () => {
    const parsed = parseDispatchRule({ ...ruleJson, futureField: { x: 1 } }, ignore);
    expect(parsed).toEqual({
      ok: true,
      value: (parseDispatchRule(ruleJson) as { value: unknown }).value,
      warnings: [{ path: ["futureField"], code: "ignored_field", message: 'unknown field "futureField" in SIPDispatchRuleInfo: ignored' }],
    });
  });

  it("skips nested unknown fields (roomConfig, its agents, a trunk's media) with their full paths", () => {
    const rule = parseDispatchRule({ ...ruleJson, roomConfig: { agents: [{ agentName: "billing-agent", fresh: true }], newKnob: 3 } }, ignore);
    expect(rule.ok && rule.value.roomConfig).toEqual((parseDispatchRule(ruleJson) as { value: { roomConfig: unknown } }).value.roomConfig);
    expect(rule.ok && rule.warnings?.map((w) => [w.path, w.message])).toEqual([
      [["roomConfig", "agents", 0, "fresh"], 'unknown field "fresh" in RoomAgentDispatch: ignored'],
      [["roomConfig", "newKnob"], 'unknown field "newKnob" in RoomConfiguration: ignored'],
    ]);
    const trunk = parseInboundTrunk({ ...trunkJson, media: { encryption: "SIP_MEDIA_ENCRYPT_ALLOW", dtls: "on" } }, ignore);
    expect(trunk.ok && trunk.value.media).toEqual((parseInboundTrunk(trunkJson) as { value: { media: unknown } }).value.media);
    expect(trunk.ok && trunk.warnings?.map((w) => w.path)).toEqual([["media", "dtls"]]);
  });

  it("inside request wrappers and the legacy trunk the path starts at the input", () => {
    const request = parseDispatchRule({ dispatchRule: { ...ruleJson, extra: "" } }, ignore);
    expect(request.ok && request.warnings?.map((w) => w.path)).toEqual([["dispatchRule", "extra"]]);
    const wrapped = parseInboundTrunk({ trunk: { ...trunkJson, extra: "" } }, ignore);
    expect(wrapped.ok && wrapped.warnings?.map((w) => w.path)).toEqual([["trunk", "extra"]]);
    const legacy = parseInboundTrunk({ sip_trunk_id: "ST_old", inbound_addresses: ["192.0.2.1"], extra: 1 }, ignore);
    expect(legacy.ok && [legacy.value.allowedAddresses, legacy.warnings?.map((w) => w.path)]).toEqual([["192.0.2.1"], [["extra"]]]);
  });

  it("known fields still validate: a wrong type or enum value is an error, not skipped", () => {
    expect(parseDispatchRule({ ...ruleJson, trunkIds: "ST_a", futureField: 1 }, ignore)).toMatchObject({
      ok: false,
      error: { issues: [{ path: ["trunkIds"], code: "invalid_type" }] },
    });
    expect(parseInboundTrunk({ ...trunkJson, mediaEncryption: "SIP_MEDIA_ENCRYPT_MAYBE" }, ignore)).toMatchObject({ ok: false });
    expect(parseDispatchRule({ rule: { dispatchRuleDirect: { roomName: "a" }, dispatchRuleCallee: { roomPrefix: "b" } } }, ignore)).toMatchObject({
      ok: false,
      error: { issues: [{ code: "oneof_conflict" }] },
    });
  });

  it("without unknown fields the result has no warnings at all", () => {
    expect(parseDispatchRule(ruleJson, ignore)).not.toHaveProperty("warnings");
    expect(parseInboundTrunk(trunkJson, ignore)).not.toHaveProperty("warnings");
  });

  it("the update parsers take the option too", () => {
    const rule = parseDispatchRuleUpdate({ name: "n", later: 1 }, ignore);
    expect(rule.ok && [rule.value.name, rule.warnings?.map((w) => w.path)]).toEqual(["n", [["later"]]]);
    const trunk = parseInboundTrunkUpdate({ numbers: { add: ["+1"], later: 1 } }, ignore);
    expect(trunk.ok && trunk.warnings?.map((w) => w.path)).toEqual([["numbers", "later"]]);
    expect(parseInboundTrunkUpdate({ numbers: { add: ["+1"], later: 1 } }).ok).toBe(false);
  });

  fcTest.prop([fc.dictionary(fc.string({ minLength: 1 }).filter((k) => !/^[a-z_]/i.test(k) || k.startsWith("zz")), fc.jsonValue(), { maxKeys: 4 })])(
    "law: unknown fields added anywhere at the top never change the parsed rule, and each is warned about once",
    (extra) => {
      const parsed = parseDispatchRule({ ...extra, ...ruleJson }, ignore);
      const keys = Object.keys(extra).filter((k) => !(k in ruleJson));
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) return;
      expect(parsed.value).toEqual((parseDispatchRule(ruleJson) as { value: unknown }).value);
      expect((parsed.warnings ?? []).map((w) => w.path[0]).sort()).toEqual(keys.sort());
    },
  );
});

describe("parseDispatchConfig with unknownFields", () => {
  const config = { trunks: [{ ...trunkJson, newTrunkField: 1 }], rules: [ruleJson, { ...ruleJson, sipDispatchRuleId: "SDR_b", roomConfig: { later: {} } }] };

  it("rejects by default, with the path from the top", () => {
    expect(parseDispatchConfig(config)).toMatchObject({
      ok: false,
      error: { issues: [{ path: ["trunks", 0, "newTrunkField"] }, { path: ["rules", 1, "roomConfig", "later"] }] },
    });
  });

  it("ignores with warnings whose paths start at the top, in any shape (lk list output too)", () => {
    const parsed = parseDispatchConfig(config, ignore);
    expect(parsed.ok && parsed.warnings?.map((w) => w.path)).toEqual([
      ["trunks", 0, "newTrunkField"],
      ["rules", 1, "roomConfig", "later"],
    ]);
    expect(parsed.ok && parsed.value.rules.map((r) => r.sipDispatchRuleId)).toEqual(["SDR_a", "SDR_b"]);
    const listed = parseDispatchConfig({ items: [{ ...ruleJson, projectRegion: "eu" }] }, { ...ignore, only: "rules" });
    expect(listed.ok && listed.warnings?.map((w) => w.path)).toEqual([["items", 0, "projectRegion"]]);
    expect(parseDispatchConfig({ trunks: [trunkJson], rules: [ruleJson] }, ignore)).not.toHaveProperty("warnings");
  });

  it("an element's wrong-typed known field is still an error, and nothing is reported as a warning then", () => {
    const parsed = parseDispatchConfig({ rules: [{ ...ruleJson, numbers: 5, later: 1 }] }, ignore);
    expect(parsed).toMatchObject({ ok: false, error: { issues: [{ path: ["rules", 0, "numbers"], code: "invalid_type" }] } });
    expect(parsed).not.toHaveProperty("warnings");
  });
});
