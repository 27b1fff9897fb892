// resolveDispatch, compileDispatch and lintDispatch take @livekit/protocol messages as
// livekit-server-sdk's SipClient returns them (listSipDispatchRule, listSipInboundTrunk: protobuf-es
// v1 class instances), converted as the parse functions convert them. LiveKit JSON handed over as a
// model is a TypeError naming the parse function, never a silently wrong decision.
import {
  SIPDispatchRuleInfo as ProtoRule,
  SIPInboundTrunkInfo as ProtoTrunk,
  SIPOutboundTrunkInfo as ProtoOutboundTrunk,
} from "@livekit/protocol";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { lintDispatch } from "../../src/lint/lint.js";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import { parseDispatchRule, parseInboundTrunk } from "../../src/parse/parse.js";
import { dispatchRuleToJson, inboundTrunkToJson } from "../../src/parse/to-json.js";
import { compileDispatch } from "../../src/resolve/compile.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { callArb, configArb, optionsArb, RANDOM_ID } from "../arbitraries.js";

type ProtoJson = Parameters<typeof ProtoRule.fromJson>[0];
const ruleMessage = (rule: SIPDispatchRuleInfo): ProtoRule => ProtoRule.fromJson(dispatchRuleToJson(rule) as ProtoJson);
const trunkMessage = (trunk: SIPInboundTrunkInfo): ProtoTrunk => ProtoTrunk.fromJson(inboundTrunkToJson(trunk) as ProtoJson);
const valueOf = <T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};
const randomId = () => RANDOM_ID;

// What `lk sip inbound list` / `lk sip dispatch list` show for a small project, as SipClient returns it.
const trunkJson = { sipTrunkId: "ST_main", numbers: ["+15550100"], allowedAddresses: ["203.0.113.0/24"], mediaEncryption: "SIP_MEDIA_ENCRYPT_ALLOW" };
const ruleJsons = [
  { sipDispatchRuleId: "SDR_vip", trunkIds: ["ST_main"], inboundNumbers: ["+15550001"], numbers: ["+15550100"], rule: { dispatchRuleDirect: { roomName: "vip" } }, attributes: { tier: "vip" } },
  { sipDispatchRuleId: "SDR_board", trunkIds: ["ST_main"], numbers: ["+15550100"], rule: { dispatchRuleDirect: { roomName: "board", pin: "4321" } } },
  {
    sipDispatchRuleId: "SDR_all",
    rule: { dispatchRuleIndividual: { roomPrefix: "call-" } },
    hidePhoneNumber: true,
    roomConfig: { agents: [{ agentName: "billing-agent", metadata: "{}" }], emptyTimeout: 600 },
    krispEnabled: true,
  },
];
const trunkMessages = [ProtoTrunk.fromJson(trunkJson)];
const ruleMessages = ruleJsons.map((json) => ProtoRule.fromJson(json as unknown as ProtoJson));
const trunkModels = [valueOf(parseInboundTrunk(trunkJson))];
const ruleModels = ruleJsons.map((json) => valueOf(parseDispatchRule(json)));

describe("@livekit/protocol messages as SipClient returns them", () => {
  it.each([
    ["a VIP caller", { from: "+15550001", to: "+15550100", sourceIp: "203.0.113.7" }, { result: "accept", ruleId: "SDR_vip", roomName: "vip" }],
    ["another caller of the pin number", { from: "+15550002", to: "+15550100", sourceIp: "203.0.113.7" }, { result: "request_pin", ruleId: "SDR_board" }],
    ["with the pin", { from: "+15550002", to: "+15550100", sourceIp: "203.0.113.7", pin: "4321" }, { result: "accept", roomName: "board" }],
    ["a call no trunk takes", { from: "+15550002", to: "+15559999", sourceIp: "198.51.100.1" }, { result: "accept", ruleId: "SDR_all", krispEnabled: true }],
  ])("%s: the same decision as from the parsed models, linear and compiled", (_name, call, expected) => {
    const fromModels = resolveDispatch(call, trunkModels, ruleModels, { randomId, trace: true });
    expect(fromModels).toMatchObject(expected);
    expect(resolveDispatch(call, trunkMessages, ruleMessages, { randomId, trace: true })).toEqual(fromModels);
    expect(compileDispatch(trunkMessages, ruleMessages).resolve(call, { randomId, trace: true })).toEqual(fromModels);
  });

  it("enums, durations and the room configuration arrive as models (names, not numbers)", () => {
    const decision = resolveDispatch({ from: "+15550002", to: "+15559999", sourceIp: "198.51.100.1" }, trunkMessages, ruleMessages, { randomId });
    expect(decision.result === "accept" && decision.roomConfig?.agents).toEqual([
      { agentName: "billing-agent", metadata: "{}", restartPolicy: "JRP_ON_FAILURE", deployment: "", attributes: {} },
    ]);
    const viaTrunk = resolveDispatch({ from: "+15550001", to: "+15550100", sourceIp: "203.0.113.7" }, trunkMessages, ruleMessages, { randomId });
    expect(viaTrunk.result === "accept" && viaTrunk.participant.attributes.tier).toBe("vip");
  });

  it("a dispatcher lists the converted models, and messages and models may be mixed", () => {
    const dispatcher = compileDispatch(trunkMessages, [ruleMessages[0]!, ruleModels[1]!, ruleMessages[2]!]);
    expect(dispatcher.rules).toEqual([...ruleModels].sort((a, b) => (a.sipDispatchRuleId < b.sipDispatchRuleId ? -1 : 1)));
    expect(dispatcher.trunks).toEqual(trunkModels);
  });

  it("lintDispatch gives the same findings for messages as for the parsed models", () => {
    const fromModels = lintDispatch({ trunks: trunkModels, rules: ruleModels });
    expect(fromModels.length).toBeGreaterThan(0);
    expect(lintDispatch({ trunks: trunkMessages, rules: ruleMessages })).toEqual(fromModels);
  });

  it("the messages are not changed", () => {
    const before = [...trunkMessages, ...ruleMessages].map((m) => m.toBinary());
    resolveDispatch({ from: "+15550002", to: "+15550100", sourceIp: "203.0.113.7" }, trunkMessages, ruleMessages);
    compileDispatch(trunkMessages, ruleMessages);
    lintDispatch({ trunks: trunkMessages, rules: ruleMessages });
    expect([...trunkMessages, ...ruleMessages].map((m) => m.toBinary())).toEqual(before);
  });

  test.prop([configArb(), callArb(), optionsArb], { numRuns: 150 })(
    "law: messages and models resolve identically (linear and compiled), and neither input is mutated",
    (config, call, options) => {
      const trunks = config.trunks.map(trunkMessage);
      const rules = config.rules.map(ruleMessage);
      const models = { trunks: trunks.map((m) => valueOf(parseInboundTrunk(m))), rules: rules.map((m) => valueOf(parseDispatchRule(m))) };
      const before = [...trunks, ...rules].map((m) => m.toJsonString());
      const expected = resolveDispatch(call, models.trunks, models.rules, options);
      expect(resolveDispatch(call, trunks, rules, options)).toEqual(expected);
      expect(compileDispatch(trunks, rules).resolve(call, options)).toEqual(expected);
      expect([...trunks, ...rules].map((m) => m.toJsonString())).toEqual(before);
    },
  );
});

describe("what is neither a model nor such a message is a TypeError naming the parse function", () => {
  const rule = ruleModels[1]!;
  it.each<[string, unknown, RegExp]>([
    ["snake_case JSON", { sip_dispatch_rule_id: "SDR_x", trunk_ids: ["ST_main"] }, /rules\[0\] must be a SIPDispatchRuleInfo model \(what parseDispatchRule returns\) or a @livekit\/protocol message: "sip_dispatch_rule_id" is LiveKit's JSON spelling of "sipDispatchRuleId"\. Read LiveKit's JSON with parseDispatchRule/],
    ["a rule kind in snake_case", { ...rule, rule: { dispatch_rule_direct: { room_name: "r" } } }, /"rule\.dispatch_rule_direct" is LiveKit's JSON spelling of "rule\.dispatchRuleDirect"/],
    ["a CreateSIPDispatchRuleRequest", { dispatchRule: rule }, /its field "dispatchRule" makes it a CreateSIPDispatchRuleRequest.*parseDispatchRule/],
    ["a typo that would make it a default rule", { ...rule, trunkIds: undefined, trunkIDs: ["ST_main"] }, /unknown field "trunkIDs" \(did you mean "trunkIds"\?\)/],
  ])("a rule: %s", (_name, bad, message) => {
    const call = { from: "+15550002", to: "+15550100" };
    expect(() => resolveDispatch(call, trunkModels, [bad as SIPDispatchRuleInfo])).toThrow(TypeError);
    expect(() => resolveDispatch(call, trunkModels, [bad as SIPDispatchRuleInfo])).toThrow(message);
    expect(() => compileDispatch(trunkModels, [bad as SIPDispatchRuleInfo])).toThrow(message);
    expect(() => compileDispatch(trunkModels, [bad as SIPDispatchRuleInfo])).toThrow(/^compileDispatch: /);
    expect(() => lintDispatch({ trunks: trunkModels, rules: [bad as SIPDispatchRuleInfo] })).toThrow(message);
  });

  it.each<[string, unknown, RegExp]>([
    ["snake_case JSON", { sip_trunk_id: "ST_x", numbers: ["+1"] }, /trunks\[0\] must be a SIPInboundTrunkInfo model \(what parseInboundTrunk returns\) or a @livekit\/protocol message: "sip_trunk_id" is LiveKit's JSON spelling.*parseInboundTrunk/],
    ["a CreateSIPInboundTrunkRequest", { trunk: trunkModels[0] }, /a CreateSIPInboundTrunkRequest/],
    ["a legacy SIPTrunkInfo", { sipTrunkId: "ST_old", inboundAddresses: ["203.0.113.7"] }, /a legacy SIPTrunkInfo.*parseInboundTrunk/],
    ["an outbound trunk message", ProtoOutboundTrunk.fromJson({ sipTrunkId: "ST_out", address: "sip.example.com" }), /trunks\[0\] is a @livekit\/protocol message that parseInboundTrunk cannot read: .*unknown field "address"/],
  ])("a trunk: %s", (_name, bad, message) => {
    expect(() => resolveDispatch({ from: "1", to: "2" }, [bad as SIPInboundTrunkInfo], ruleModels)).toThrow(message);
    expect(() => compileDispatch([bad as SIPInboundTrunkInfo], ruleModels)).toThrow(message);
    expect(() => lintDispatch({ trunks: [bad as SIPInboundTrunkInfo], rules: ruleModels })).toThrow(message);
  });

  it("fields of the caller's own beyond the model are left alone", () => {
    const tagged = { ...rule, ownerTeam: "sales" } as SIPDispatchRuleInfo;
    const call = { from: "+15550002", to: "+15550100", pin: "4321" };
    expect(resolveDispatch(call, trunkModels, [tagged], { randomId })).toEqual(resolveDispatch(call, trunkModels, [rule], { randomId }));
  });
});
