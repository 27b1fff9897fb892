import {
  SIPDispatchRuleInfo as ProtoDispatchRuleInfo,
  SIPDispatchRuleUpdate as ProtoDispatchRuleUpdate,
  SIPInboundTrunkInfo as ProtoInboundTrunkInfo,
  SIPInboundTrunkUpdate as ProtoInboundTrunkUpdate,
} from "@livekit/protocol";
import fc from "fast-check";
import type { JsonObject } from "type-fest";
import { describe, expect, test } from "vitest";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import { parseDispatchRule, parseDispatchRuleUpdate, parseInboundTrunk, parseInboundTrunkUpdate } from "../../src/parse/parse.js";
import { dispatchRuleToJson, dispatchRuleUpdateToJson, inboundTrunkToJson, inboundTrunkUpdateToJson } from "../../src/parse/to-json.js";
import { arbDispatchRule, arbDispatchRuleUpdate, arbInboundTrunk, arbInboundTrunkUpdate, modelArbitraries } from "../arbitraries-models.js";

const RUNS = { numRuns: 150 };

function mustParseRule(input: unknown): SIPDispatchRuleInfo {
  const result = parseDispatchRule(input);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe("dispatchRuleToJson examples", () => {
  test("an empty rule is {}", () => {
    expect(dispatchRuleToJson(mustParseRule({}))).toEqual({});
  });

  test("defaults are left out; enums are names; durations strings; order follows the schema", () => {
    const rule = mustParseRule({
      media_encryption: 0,
      krisp_enabled: true,
      trunk_ids: ["ST_a"],
      hide_phone_number: false,
      rule: { dispatch_rule_callee: { room_prefix: "call-", randomize: false, pin: "" } },
      sip_dispatch_rule_id: "SDR_x",
      media: { media_timeout: "1.5s" },
    });
    const json = dispatchRuleToJson(rule);
    expect(json).toEqual({
      sipDispatchRuleId: "SDR_x",
      rule: { dispatchRuleCallee: { roomPrefix: "call-" } },
      trunkIds: ["ST_a"],
      media: { mediaTimeout: "1.500s" },
      krispEnabled: true,
    });
    // Proto declaration order, as LiveKit's Go and protobuf-es write it: media (16) before krisp (11).
    expect(Object.keys(json)).toEqual(["sipDispatchRuleId", "rule", "trunkIds", "media", "krispEnabled"]);
  });

  test("present messages are written even when empty; proto3 optional scalars even at their default", () => {
    const rule = mustParseRule({ rule: {}, roomConfig: {}, media: { encryption: "SIP_MEDIA_ENCRYPT_DISABLE" } });
    expect(dispatchRuleToJson(rule)).toEqual({
      rule: {},
      roomConfig: {},
      media: { encryption: "SIP_MEDIA_ENCRYPT_DISABLE" },
    });
    expect(dispatchRuleToJson(mustParseRule({ media: {} }))).toEqual({ media: {} });
  });

  test("a legacy mediaEncryption at DISABLE is left out, ALLOW written by name", () => {
    expect(dispatchRuleToJson(mustParseRule({ mediaEncryption: 1 }))).toEqual({ mediaEncryption: "SIP_MEDIA_ENCRYPT_ALLOW" });
  });

  test("map keys such as __proto__ are written as own keys", () => {
    const rule = mustParseRule(JSON.parse('{"attributes":{"__proto__":"x","constructor":"y","":"z"}}'));
    const json = dispatchRuleToJson(rule);
    const attributes = json.attributes as Record<string, string>;
    expect(Object.keys(attributes)).toEqual(["__proto__", "constructor", ""]);
    expect(Object.getPrototypeOf(attributes)).toBe(Object.prototype);
    expect(JSON.stringify(json)).toBe('{"attributes":{"__proto__":"x","constructor":"y","":"z"}}');
  });

  test("uint32 and opaque egress are written as parsed", () => {
    const rule = mustParseRule({ room_config: { empty_timeout: "4294967295", egress: { room: { room_name: "r" } } } });
    expect(dispatchRuleToJson(rule)).toEqual({ roomConfig: { emptyTimeout: 4294967295, egress: { room: { roomName: "r" } } } });
  });

  test("inbound trunk: durations, maps and enums", () => {
    const trunk = parseInboundTrunk({
      numbers: ["+15550100"],
      include_headers: 2,
      ringing_timeout: "10s",
      max_call_duration: "0s",
      headers_to_attributes: { "X-Tier": "tier" },
    });
    expect(trunk.ok).toBe(true);
    if (!trunk.ok) return;
    expect(inboundTrunkToJson(trunk.value)).toEqual({
      numbers: ["+15550100"],
      headersToAttributes: { "X-Tier": "tier" },
      includeHeaders: "SIP_ALL_HEADERS",
      ringingTimeout: "10s",
      maxCallDuration: "0s",
    });
  });

  test("updates: optional strings are written even when empty", () => {
    const update = parseDispatchRuleUpdate({ name: "", trunk_ids: { clear: true }, media_encryption: 0 });
    expect(update.ok).toBe(true);
    if (update.ok) {
      expect(dispatchRuleUpdateToJson(update.value)).toEqual({
        trunkIds: { clear: true },
        name: "",
        mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
      });
    }
    const trunkUpdate = parseInboundTrunkUpdate({ auth_realm: "", numbers: { add: ["+1"] } });
    expect(trunkUpdate.ok).toBe(true);
    if (trunkUpdate.ok) expect(inboundTrunkUpdateToJson(trunkUpdate.value)).toEqual({ numbers: { add: ["+1"] }, authRealm: "" });
  });

  test("a non-object is a programmer error: TypeError", () => {
    expect(() => dispatchRuleToJson(42 as unknown as SIPDispatchRuleInfo)).toThrow(TypeError);
    expect(() => inboundTrunkToJson(null as never)).toThrow(/expects a SIPInboundTrunkInfo object/);
  });

  test("the output does not share arrays or maps with the model", () => {
    const rule = mustParseRule({ trunkIds: ["a"], attributes: { k: "v" } });
    const json = dispatchRuleToJson(rule);
    expect(json.trunkIds).not.toBe(rule.trunkIds);
    expect(json.attributes).not.toBe(rule.attributes);
  });
});

// protobuf-es v1 stores maps in plain objects, so a "__proto__" map key is lost there: compare
// against it with models that do not have one.
const plain = modelArbitraries({ awkwardMapKeys: false });

/**
 * protobuf-es's JsonValue has mutable arrays, type-fest's has readonly ones: the same JSON, a
 * different type. (Users passing our output to `fromJson` need this cast too.)
 */
type ProtoJson = Parameters<typeof ProtoDispatchRuleInfo.fromJson>[0];
const asProtoJson = (json: JsonObject): ProtoJson => json as ProtoJson;

describe("@livekit/protocol reads our output back unchanged", () => {
  test("SIPDispatchRuleInfo", () => {
    fc.assert(
      fc.property(plain.dispatchRule, (rule) => {
        const json = dispatchRuleToJson(rule);
        expect(ProtoDispatchRuleInfo.fromJson(asProtoJson(json)).toJson()).toEqual(json);
      }),
      RUNS,
    );
  });

  test("SIPInboundTrunkInfo", () => {
    fc.assert(
      fc.property(plain.inboundTrunk, (trunk) => {
        const json = inboundTrunkToJson(trunk);
        expect(ProtoInboundTrunkInfo.fromJson(asProtoJson(json)).toJson()).toEqual(json);
      }),
      RUNS,
    );
  });

  test("SIPDispatchRuleUpdate", () => {
    fc.assert(
      fc.property(plain.dispatchRuleUpdate, (update) => {
        const json = dispatchRuleUpdateToJson(update);
        expect(ProtoDispatchRuleUpdate.fromJson(asProtoJson(json)).toJson()).toEqual(json);
      }),
      RUNS,
    );
  });

  test("SIPInboundTrunkUpdate", () => {
    fc.assert(
      fc.property(plain.inboundTrunkUpdate, (update) => {
        const json = inboundTrunkUpdateToJson(update);
        expect(ProtoInboundTrunkUpdate.fromJson(asProtoJson(json)).toJson()).toEqual(json);
      }),
      RUNS,
    );
  });

  test("a __proto__ map key is where protobuf-es v1 and we differ (it drops the key)", () => {
    const json = dispatchRuleToJson(mustParseRule(JSON.parse('{"attributes":{"__proto__":"x","a":"b"}}')));
    expect(ProtoDispatchRuleInfo.fromJson(asProtoJson(json)).toJson()).toEqual({ attributes: { a: "b" } });
  });
});

describe("toJson properties", () => {
  test("toJson(parse(toJson(rule))) equals toJson(rule), through JSON text", () => {
    fc.assert(
      fc.property(arbDispatchRule, (rule) => {
        const json = dispatchRuleToJson(rule);
        const again = parseDispatchRule(JSON.parse(JSON.stringify(json)));
        expect(again.ok && dispatchRuleToJson(again.value)).toEqual(json);
      }),
      RUNS,
    );
  });

  test("toJson(parse(toJson(trunk))) equals toJson(trunk), through JSON text", () => {
    fc.assert(
      fc.property(arbInboundTrunk, (trunk) => {
        const json = inboundTrunkToJson(trunk);
        const again = parseInboundTrunk(JSON.parse(JSON.stringify(json)));
        expect(again.ok && inboundTrunkToJson(again.value)).toEqual(json);
      }),
      RUNS,
    );
  });

  test("updates round-trip through JSON text", () => {
    fc.assert(
      fc.property(arbDispatchRuleUpdate, arbInboundTrunkUpdate, (ruleUpdate, trunkUpdate) => {
        const ruleJson = dispatchRuleUpdateToJson(ruleUpdate);
        const trunkJson = inboundTrunkUpdateToJson(trunkUpdate);
        const ruleAgain = parseDispatchRuleUpdate(JSON.parse(JSON.stringify(ruleJson)));
        const trunkAgain = parseInboundTrunkUpdate(JSON.parse(JSON.stringify(trunkJson)));
        expect(ruleAgain.ok && dispatchRuleUpdateToJson(ruleAgain.value)).toEqual(ruleJson);
        expect(trunkAgain.ok && inboundTrunkUpdateToJson(trunkAgain.value)).toEqual(trunkJson);
      }),
      RUNS,
    );
  });

  test("toJson of a deep-frozen rule works and leaves no default behind", () => {
    fc.assert(
      fc.property(arbDispatchRule, (rule) => {
        const json = dispatchRuleToJson(deepFreeze(rule));
        for (const key of ["sipDispatchRuleId", "name", "metadata", "roomPreset"] as const) {
          if (key in json) expect(json[key]).not.toBe("");
        }
        for (const key of ["trunkIds", "inboundNumbers", "numbers"] as const) {
          if (key in json) expect(json[key]).not.toEqual([]);
        }
        if ("attributes" in json) expect(json.attributes).not.toEqual({});
        if ("hidePhoneNumber" in json) expect(json.hidePhoneNumber).toBe(true);
        if ("mediaEncryption" in json) expect(json.mediaEncryption).not.toBe("SIP_MEDIA_ENCRYPT_DISABLE");
      }),
      RUNS,
    );
  });
});

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
