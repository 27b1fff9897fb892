import { readFileSync } from "node:fs";
import { SIPDispatchRuleInfo as ProtoRule, SIPInboundTrunkInfo as ProtoTrunk } from "@livekit/protocol";
import { describe, expect, it } from "vitest";
import { parseDispatchConfig, readDispatchConfig } from "../../src/parse/config.js";
import { parseDispatchRule, parseInboundTrunk } from "../../src/parse/parse.js";

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/cli/${name}`, import.meta.url), "utf8"));
const ruleJson = { sipDispatchRuleId: "SDR_a", trunkIds: ["ST_a"], rule: { dispatchRuleDirect: { roomName: "lobby" } } };
const trunkJson = { sipTrunkId: "ST_a", numbers: ["+15550100"], allowedAddresses: ["192.0.2.0/24"] };
const rule = (json: unknown) => {
  const r = parseDispatchRule(json);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const trunk = (json: unknown) => {
  const r = parseInboundTrunk(json);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe("parseDispatchConfig reads every shape users have", () => {
  it.each<[string, unknown, number, number]>([
    ["{trunks, rules}", { trunks: [trunkJson], rules: [ruleJson] }, 1, 1],
    ["{trunks, rules} with $schema and snake_case elements", { $schema: "x", trunks: [{ sip_trunk_id: "ST_a" }], rules: [{ trunk_ids: ["ST_a"], rule: {} }] }, 1, 1],
    ["only rules", { rules: [ruleJson] }, 0, 1],
    ["lk sip dispatch list --json", fixture("lk-rules.json"), 0, 1],
    ["lk sip inbound list --json", fixture("lk-trunks.json"), 1, 0],
    ["a bare array of both", [trunkJson, ruleJson], 1, 1],
    ["one rule", ruleJson, 0, 1],
    ["one trunk", trunkJson, 1, 0],
    ["a CreateSIPDispatchRuleRequest", fixture("rule-request.json"), 0, 1],
    ["a CreateSIPInboundTrunkRequest", { trunk: trunkJson }, 1, 0],
    ["an empty list", { items: [] }, 0, 0],
    ["an empty object", {}, 0, 0],
  ])("%s", (_name, value, trunks, rules) => {
    const result = parseDispatchConfig(value);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    expect([result.value.trunks.length, result.value.rules.length]).toEqual([trunks, rules]);
  });

  it("each element is exactly what its parser returns", () => {
    const result = parseDispatchConfig({ trunks: [trunkJson], rules: [ruleJson] });
    expect(result).toEqual({ ok: true, value: { trunks: [trunk(trunkJson)], rules: [rule(ruleJson)] } });
  });

  it("@livekit/protocol messages, as SipClient returns them, in a list", () => {
    const messages = [ProtoTrunk.fromJson(trunkJson), ProtoRule.fromJson(ruleJson)];
    expect(parseDispatchConfig(messages)).toEqual({ ok: true, value: { trunks: [trunk(trunkJson)], rules: [rule(ruleJson)] } });
  });

  it("`only` says what a list holds, so an element with only shared fields is read as that", () => {
    expect(parseDispatchConfig([{ name: "x" }])).toMatchObject({ ok: false, error: { issues: [{ path: [0], code: "unknown_element" }] } });
    const asTrunks = parseDispatchConfig({ items: [{ name: "x", numbers: ["+1"] }] }, { only: "trunks" });
    expect(asTrunks.ok && asTrunks.value.trunks.map((t) => t.numbers)).toEqual([["+1"]]);
    const asRule = parseDispatchConfig({ name: "x" }, { only: "rules" });
    expect(asRule.ok && asRule.value.rules.length).toBe(1);
  });

  it("reports every issue, with its path from the top", () => {
    const result = parseDispatchConfig({
      trunks: [trunkJson, { sipTrunkId: "ST_b", numbrs: [] }],
      rules: [ruleJson, { trunkIDs: ["ST_a"], rule: { dispatchRuleDirect: { roomName: "x" } } }, { rule: { dispatchRuleDirect: { roomName: 3 } } }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("invalid_input");
    expect(result.error.issues!.map((i) => i.path)).toEqual([
      ["trunks", 1, "numbrs"],
      ["rules", 1, "trunkIDs"],
      ["rules", 2, "rule", "dispatchRuleDirect", "roomName"],
    ]);
    expect(result.error.message).toMatch(/^invalid configuration: trunks\[1\]\.numbrs: /);
  });

  it("a list that is not an array is an issue at its key", () => {
    expect(parseDispatchConfig({ trunks: {}, rules: "x" })).toMatchObject({
      ok: false,
      error: { issues: [{ path: ["trunks"], code: "invalid_type" }, { path: ["rules"], code: "invalid_type" }] },
    });
  });

  it("readDispatchConfig says where each element sat", () => {
    const read = readDispatchConfig({ items: [ruleJson, trunkJson, ruleJson] });
    expect(read.ok && [read.value.rulePaths, read.value.trunkPaths]).toEqual([
      [
        ["items", 0],
        ["items", 2],
      ],
      [["items", 1]],
    ]);
  });

  it("never throws on hostile values", () => {
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    for (const value of [null, 42, "x", [null], { trunks: [revoked.proxy] }, revoked.proxy, { items: [1, [2]] }])
      expect(() => parseDispatchConfig(value)).not.toThrow();
    expect(parseDispatchConfig(42).ok).toBe(false);
  });
});
