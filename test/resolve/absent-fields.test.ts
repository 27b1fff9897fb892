// Hand-built models from plain JavaScript often leave out what protojson would fill in with its
// default. The engine reads an absent field as that default: no filter, no metadata, no preset.
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileDispatch } from "../../src/resolve/compile.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { callArb, configArb, optionsArb, type Config } from "../arbitraries.js";
import { runs } from "../runs.js";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import { direct, randomId, rule, trunk } from "../fixtures.js";

/** Every top-level field at its proto3 default ("", [], {}, false) left out. */
function withoutDefaults<T extends object>(model: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(model)) {
    const isDefault =
      value === "" || value === false || (Array.isArray(value) && value.length === 0) || (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
    if (!isDefault) out[key] = value;
  }
  return out as T;
}

const stripped = (config: Config): Config => ({ trunks: config.trunks.map(withoutDefaults), rules: config.rules.map(withoutDefaults) });

describe("absent fields read as their defaults", () => {
  test.prop([configArb(), callArb(), optionsArb], runs(200))("a configuration without its default fields resolves every call the same", (config, call, options) => {
    const bare = stripped(config);
    const expected = resolveDispatch(call, config.trunks, config.rules, { ...options, trace: true });
    expect(resolveDispatch(call, bare.trunks, bare.rules, { ...options, trace: true })).toEqual(expected);
    expect(compileDispatch(bare.trunks, bare.rules).resolve(call, { ...options, trace: true })).toEqual(expected);
  });
});

describe("hand-built models that leave fields out (not empty), field by field", () => {
  // Only the id and the kind: no numbers, allowedNumbers, allowedAddresses, inboundNumbers,
  // metadata, roomPreset, name, attributes or media keys at all.
  const bareTrunk = { sipTrunkId: "ST_bare" } as SIPInboundTrunkInfo;
  const bareRule = { sipDispatchRuleId: "SDR_b", rule: { dispatchRuleDirect: { roomName: "b", pin: "" } } } as SIPDispatchRuleInfo;
  const call = { from: "+15551111", to: "+15550100", sourceIp: "192.0.2.1" };
  const dispatchers = [
    ["resolveDispatch", (trunks: SIPInboundTrunkInfo[], rules: SIPDispatchRuleInfo[]) => resolveDispatch(call, trunks, rules, { randomId })],
    ["compileDispatch", (trunks: SIPInboundTrunkInfo[], rules: SIPDispatchRuleInfo[]) => compileDispatch(trunks, rules).resolve(call, { randomId })],
  ] as const;

  it.each(dispatchers)("%s: a trunk without numbers is a default trunk admitting every caller and address", (_name, dispatch) => {
    const result = dispatch([bareTrunk], [bareRule]);
    // Exactly: no roomPreset or ringingTimeout key, metadata "", no attributes from the rule.
    expect(result).toStrictEqual({
      result: "accept",
      trunkId: "ST_bare",
      ruleId: "SDR_b",
      roomName: "b",
      participant: {
        identity: "sip_+15551111",
        name: "Phone +15551111",
        metadata: "",
        attributes: {
          "sip.callID": "SCL_RANDOM123456",
          "sip.trunkID": "ST_bare",
          "sip.phoneNumber": "+15551111",
          "sip.hostname": "",
          "sip.trunkPhoneNumber": "+15550100",
          "sip.ruleID": "SDR_b",
        },
      },
      media: { onlyListedCodecs: false, codecs: [] },
      mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
      krispEnabled: false,
      trunk: { headers: {}, headersToAttributes: {}, attributesToHeaders: {}, includeHeaders: "SIP_NO_HEADERS" },
      sipOutcome: "join_room",
    });
    // The same as the trunk and rule with every field at its default (no key set to undefined either).
    expect(result).toStrictEqual(dispatch([trunk({ sipTrunkId: "ST_bare" })], [rule({ sipDispatchRuleId: "SDR_b", rule: direct("b") })]));
  });

  it.each(dispatchers)("%s: a trunk and a rule without ids read as id \"\"", (_name, dispatch) => {
    const idless = { rule: { dispatchRuleDirect: { roomName: "b", pin: "" } } } as SIPDispatchRuleInfo;
    const result = dispatch([{} as SIPInboundTrunkInfo], [idless]);
    expect(result).toMatchObject({ result: "accept", trunkId: "", ruleId: "", roomName: "b" });
    expect(result.result === "accept" && result.participant.attributes["sip.ruleID"]).toBe("");
  });

  it.each(dispatchers)("%s: a rule without its rule member has no kind, and fails the candidate set", (_name, dispatch) => {
    const kindless = { sipDispatchRuleId: "SDR_k" } as SIPDispatchRuleInfo;
    expect(dispatch([bareTrunk], [kindless])).toMatchObject({ result: "error", error: { code: "invalid_rule", message: "unsupported SIP Dispatch Rule: <nil>" } });
  });

  it.each(dispatchers)("%s: a rule without inboundNumbers or numbers pays both 1000 penalties", (_name, dispatch) => {
    // 2100 against 1100: the rule filtering on the caller wins, though its room sorts after "b".
    const filtered = rule({ sipDispatchRuleId: "SDR_a", rule: direct("z"), inboundNumbers: ["+15551111"] });
    expect(dispatch([bareTrunk], [bareRule, filtered])).toMatchObject({ result: "accept", ruleId: "SDR_a" });
    const byNumber = rule({ sipDispatchRuleId: "SDR_a", rule: direct("z"), numbers: ["+15550100"] });
    expect(dispatch([bareTrunk], [bareRule, byNumber])).toMatchObject({ result: "accept", ruleId: "SDR_a" });
  });
});
