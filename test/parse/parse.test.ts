import {
  CreateSIPDispatchRuleRequest as ProtoCreateSIPDispatchRuleRequest,
  SIPDispatchRuleInfo as ProtoDispatchRuleInfo,
  SIPInboundTrunkInfo as ProtoInboundTrunkInfo,
  SIPTrunkInfo as ProtoSIPTrunkInfo,
} from "@livekit/protocol";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { SIPDispatchRuleInfoSchema } from "../../src/model/dispatch-rule.js";
import { SIPInboundTrunkInfoSchema } from "../../src/model/inbound-trunk.js";
import { parseDispatchRule, parseDispatchRuleUpdate, parseInboundTrunk, parseInboundTrunkUpdate, parseWith } from "../../src/parse/parse.js";
import { canonicalDuration, canonicalTimestamp } from "../../src/parse/durations-timestamps.js";
import { protoFieldName } from "../../src/parse/field-names.js";
import { decodeProtoJson } from "../../src/parse/protojson.js";
import type { Issue, Result } from "../../src/model/result.js";
import { RoomConfigurationSchema } from "../../src/model/room-config.js";
import { dispatchRuleToJson, dispatchRuleUpdateToJson, inboundTrunkToJson, inboundTrunkUpdateToJson } from "../../src/parse/to-json.js";
import { SIPDispatchRuleUpdateSchema, SIPInboundTrunkUpdateSchema } from "../../src/model/updates.js";
import { arbDispatchRule, arbDispatchRuleUpdate, arbInboundTrunk, arbInboundTrunkUpdate, modelArbitraries } from "../arbitraries-models.js";

const RUNS = { numRuns: 150 };

/** The default rule: what `{}` parses to. */
const EMPTY_RULE = {
  sipDispatchRuleId: "",
  trunkIds: [],
  hidePhoneNumber: false,
  inboundNumbers: [],
  numbers: [],
  name: "",
  metadata: "",
  attributes: {},
  roomPreset: "",
  krispEnabled: false,
  mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
};

const EMPTY_TRUNK = {
  sipTrunkId: "",
  name: "",
  metadata: "",
  numbers: [],
  allowedAddresses: [],
  allowedNumbers: [],
  authUsername: "",
  authPassword: "",
  authRealm: "",
  headers: {},
  headersToAttributes: {},
  attributesToHeaders: {},
  includeHeaders: "SIP_NO_HEADERS",
  krispEnabled: false,
  mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
};

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got: ${result.error.message}`);
  return result.value;
}

function issues<T>(result: Result<T>): Issue[] {
  if (result.ok) throw new Error(`expected failure, got ${JSON.stringify(result.value)}`);
  expect(result.error.code).toBe("invalid_input");
  return result.error.issues ?? [];
}

/** The only issue of a failed result, as [path, code]. */
function onlyIssue<T>(result: Result<T>): [Issue["path"], string] {
  const found = issues(result);
  expect(found).toHaveLength(1);
  const [issue] = found;
  return [issue?.path ?? [], issue?.code ?? ""];
}

describe("parseDispatchRule: spellings and scalars", () => {
  const camel = {
    sipDispatchRuleId: "SDR_1",
    rule: { dispatchRuleIndividual: { roomPrefix: "call", pin: "12", noRandomness: true } },
    trunkIds: ["ST_a"],
    hidePhoneNumber: true,
    inboundNumbers: ["+1555"],
    numbers: ["+1666"],
    name: "n",
    metadata: "m",
    attributes: { a: "b" },
    roomPreset: "p",
    roomConfig: { emptyTimeout: 10, maxParticipants: 2, agents: [{ agentName: "bot", restartPolicy: "JRP_NEVER" }] },
    krispEnabled: true,
    mediaEncryption: "SIP_MEDIA_ENCRYPT_ALLOW",
    media: { onlyListedCodecs: true, codecs: [{ name: "PCMU", rate: 8000 }], mediaTimeout: "10s" },
    createdAt: "2024-05-01T12:00:00Z",
  };
  const snake = {
    sip_dispatch_rule_id: "SDR_1",
    rule: { dispatch_rule_individual: { room_prefix: "call", pin: "12", no_randomness: true } },
    trunk_ids: ["ST_a"],
    hide_phone_number: true,
    inbound_numbers: ["+1555"],
    numbers: ["+1666"],
    name: "n",
    metadata: "m",
    attributes: { a: "b" },
    room_preset: "p",
    room_config: { empty_timeout: 10, max_participants: 2, agents: [{ agent_name: "bot", restart_policy: 1 }] },
    krisp_enabled: true,
    media_encryption: 1,
    media: { only_listed_codecs: true, codecs: [{ name: "PCMU", rate: "8000" }], media_timeout: "10.000s" },
    created_at: "2024-05-01T14:00:00+02:00",
  };

  test("snake_case proto names and camelCase JSON names give the same model", () => {
    expect(value(parseDispatchRule(snake))).toEqual(value(parseDispatchRule(camel)));
  });

  test("the model has every scalar, list and map, in schema order", () => {
    const rule = value(parseDispatchRule(camel));
    expect(rule).toEqual({
      ...EMPTY_RULE,
      ...camel,
      roomConfig: {
        name: "",
        emptyTimeout: 10,
        departureTimeout: 0,
        maxParticipants: 2,
        metadata: "",
        minPlayoutDelay: 0,
        maxPlayoutDelay: 0,
        syncStreams: false,
        agents: [{ agentName: "bot", metadata: "", restartPolicy: "JRP_NEVER", deployment: "", attributes: {} }],
        tags: {},
      },
      media: { onlyListedCodecs: true, codecs: [{ name: "PCMU", rate: 8000 }], mediaTimeout: "10s" },
    });
    expect(Object.keys(rule)).toEqual(Object.keys(SIPDispatchRuleInfoSchema.shape).filter((key) => key !== "updatedAt"));
    expect(SIPDispatchRuleInfoSchema.safeParse(rule).success).toBe(true);
  });

  test.each([
    ["name", 0, "SIP_MEDIA_ENCRYPT_DISABLE"],
    ["number 1", 1, "SIP_MEDIA_ENCRYPT_ALLOW"],
    ["number 2", 2, "SIP_MEDIA_ENCRYPT_REQUIRE"],
    ["name REQUIRE", "SIP_MEDIA_ENCRYPT_REQUIRE", "SIP_MEDIA_ENCRYPT_REQUIRE"],
  ])("enum as %s", (_label, input, expected) => {
    expect(value(parseDispatchRule({ mediaEncryption: input })).mediaEncryption).toBe(expected);
  });

  test.each([[3], [-1], [1.5], ["ALLOW"], ["sip_media_encrypt_allow"], [true], ["1"]])("enum value %j is rejected", (input) => {
    const [path, code] = onlyIssue(parseDispatchRule({ media_encryption: input }));
    expect(path).toEqual(["media_encryption"]);
    expect(code).toBe("invalid_enum_value");
  });

  test.each([
    ["10s", "10s"],
    ["1.5s", "1.500s"],
    ["1.000s", "1s"],
    ["0.000001s", "0.000001s"],
    ["0.0000001s", "0.000000100s"],
    ["1.123456789s", "1.123456789s"],
    ["-0.5s", "-0.500s"],
    ["-0s", "0s"],
    ["-1.25s", "-1.250s"],
    ["600s", "600s"],
    ["0010s", "10s"],
    ["315576000000s", "315576000000s"],
    ["-315576000000.999999999s", "-315576000000.999999999s"],
  ])("Duration %j → %j", (input, expected) => {
    expect(value(parseDispatchRule({ media: { mediaTimeout: input } })).media?.mediaTimeout).toBe(expected);
    expect(canonicalDuration(input)).toBe(expected);
  });

  test.each([["10"], ["1.5 s"], [" 1s"], ["1.s"], [".5s"], ["1.1234567891s"], ["315576000001s"], ["1m"], ["1e3s"], ["+1s"], [""]])(
    "Duration %j is rejected",
    (input) => {
      const [path, code] = onlyIssue(parseDispatchRule({ media: { media_timeout: input } }));
      expect(path).toEqual(["media", "media_timeout"]);
      expect(code).toBe("invalid_value");
    },
  );

  test("a Duration that is not a string is a type error", () => {
    const [path, code] = onlyIssue(parseInboundTrunk({ ringingTimeout: 10 }));
    expect([path, code]).toEqual([["ringingTimeout"], "invalid_type"]);
  });

  test.each([
    ["2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z"],
    ["2024-05-01T12:00:00.5Z", "2024-05-01T12:00:00.500Z"],
    ["2024-05-01T12:00:00.000Z", "2024-05-01T12:00:00Z"],
    ["2024-05-01T12:00:00.1234Z", "2024-05-01T12:00:00.123400Z"],
    ["2024-05-01T12:00:00.123456789+05:30", "2024-05-01T06:30:00.123456789Z"],
    ["2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z"],
    ["1970-01-01T00:00:00-00:00", "1970-01-01T00:00:00Z"],
    ["0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"],
    ["0000-12-31T23:00:00-01:00", "0001-01-01T00:00:00Z"],
    ["9999-12-31T23:59:59.999999999Z", "9999-12-31T23:59:59.999999999Z"],
    ["2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z"],
  ])("Timestamp %j → %j", (input, expected) => {
    expect(value(parseDispatchRule({ created_at: input })).createdAt).toBe(expected);
    expect(canonicalTimestamp(input)).toBe(expected);
  });

  test.each([
    ["2024-05-01"],
    ["2024-05-01 12:00:00Z"],
    ["2024-05-01t12:00:00z"],
    ["2024-05-01T12:00:00"],
    ["2024-13-01T00:00:00Z"],
    ["2023-02-29T00:00:00Z"],
    ["1900-02-29T00:00:00Z"],
    ["2024-05-01T24:00:00Z"],
    ["2024-05-01T12:00:60Z"],
    ["2024-05-01T12:00:00.1234567890Z"],
    ["0001-01-01T00:00:00+00:01"],
    ["9999-12-31T23:59:59-00:01"],
    ["2024-05-01T12:00:00+24:00"],
  ])("Timestamp %j is rejected", (input) => {
    const [path, code] = onlyIssue(parseDispatchRule({ updatedAt: input }));
    expect([path, code]).toEqual([["updatedAt"], "invalid_value"]);
  });

  test.each([
    [10, 10],
    ["10", 10],
    [0, 0],
    ["0", 0],
    [4294967295, 4294967295],
    ["4294967295", 4294967295],
    [1e3, 1000],
  ])("uint32 %j → %j", (input, expected) => {
    expect(value(parseDispatchRule({ roomConfig: { emptyTimeout: input } })).roomConfig?.emptyTimeout).toBe(expected);
  });

  test("uint32 -0 becomes 0", () => {
    expect(Object.is(value(parseDispatchRule({ roomConfig: { emptyTimeout: -0 } })).roomConfig?.emptyTimeout, 0)).toBe(true);
  });

  test.each([[4294967296], [-1], [1.5], ["1e2"], ["-1"], ["010"], [" 1"], ["4294967296"], [Number.NaN], [Number.POSITIVE_INFINITY]])(
    "uint32 %j is rejected",
    (input) => {
      const [path, code] = onlyIssue(parseDispatchRule({ room_config: { max_participants: input } }));
      expect(path).toEqual(["room_config", "max_participants"]);
      expect(code).toBe("invalid_value");
    },
  );

  test("null means absent, for scalars, lists, maps and messages", () => {
    expect(
      value(parseDispatchRule({ name: null, trunkIds: null, attributes: null, rule: null, media: null, mediaEncryption: null })),
    ).toEqual(EMPTY_RULE);
  });

  test("a rule with `rule` missing or empty parses", () => {
    expect(value(parseDispatchRule({}))).toEqual(EMPTY_RULE);
    expect(value(parseDispatchRule({ rule: {} }))).toEqual({ ...EMPTY_RULE, rule: {} });
    expect(value(parseDispatchRule({ rule: { dispatchRuleDirect: null } }))).toEqual({ ...EMPTY_RULE, rule: {} });
  });

  test("optional fields stay absent; proto3 optional scalars keep an explicit default", () => {
    const rule = value(parseDispatchRule({ media: { encryption: 0 } }));
    expect(rule.media).toEqual({ onlyListedCodecs: false, codecs: [], encryption: "SIP_MEDIA_ENCRYPT_DISABLE" });
    expect("mediaTimeout" in (rule.media ?? {})).toBe(false);
    expect("roomConfig" in rule).toBe(false);
    expect("createdAt" in rule).toBe(false);
  });

  test("map keys that collide with Object.prototype are kept as own data", () => {
    const rule = value(parseDispatchRule(JSON.parse('{"attributes":{"__proto__":"a","constructor":"b","prototype":"c","toString":"d"}}')));
    expect(Object.keys(rule.attributes)).toEqual(["__proto__", "constructor", "prototype", "toString"]);
    expect(Object.getOwnPropertyDescriptor(rule.attributes, "__proto__")?.value).toBe("a");
    expect(Object.getPrototypeOf(rule.attributes)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).a).toBeUndefined();
  });

  test("egress is carried as an opaque object with JSON-name keys", () => {
    const rule = value(
      parseDispatchRule({
        room_config: { egress: { room: { room_name: "r", file_outputs: [{ filepath: "x", disable_manifest: true }], layout: null } } },
      }),
    );
    expect(rule.roomConfig?.egress).toEqual({ room: { roomName: "r", fileOutputs: [{ filepath: "x", disableManifest: true }] } });
  });

  test("egress keys given twice after conversion, or not JSON, are issues", () => {
    expect(onlyIssue(parseDispatchRule({ roomConfig: { egress: { room_name: "a", roomName: "b" } } }))).toEqual([
      ["roomConfig", "egress", "roomName"],
      "duplicate_field",
    ]);
    expect(onlyIssue(parseDispatchRule({ roomConfig: { egress: { room: Number.NaN } } }))).toEqual([
      ["roomConfig", "egress", "room"],
      "invalid_type",
    ]);
    expect(onlyIssue(parseDispatchRule({ roomConfig: { egress: [] } }))).toEqual([["roomConfig", "egress"], "invalid_type"]);
  });
});

describe("parseDispatchRule: errors", () => {
  test("an unknown field: path ends at the key, message names the message type", () => {
    const found = issues(parseDispatchRule({ trunk_idz: ["a"] }));
    expect(found).toEqual([
      { path: ["trunk_idz"], code: "unrecognized_key", message: 'unknown field "trunk_idz" in SIPDispatchRuleInfo (did you mean "trunk_ids"?)' },
    ]);
  });

  test.each([
    [{ rule: { dispatchRuleIndividual: { roomPrefx: "a" } } }, ["rule", "dispatchRuleIndividual", "roomPrefx"]],
    [{ rule: { dispatch_rule_callee: { randomise: true } } }, ["rule", "dispatch_rule_callee", "randomise"]],
    [{ rule: { dispatchRuleDirekt: {} } }, ["rule", "dispatchRuleDirekt"]],
    [{ roomConfig: { agents: [{}, { agentNme: "x" }] } }, ["roomConfig", "agents", 1, "agentNme"]],
    [{ media: { codecs: [{ name: "PCMU", clock: 8000 }] } }, ["media", "codecs", 0, "clock"]],
    [{ sipTrunkId: "ST_x" }, ["sipTrunkId"]],
    [{ __proto__: null, constructor: "x" }, ["constructor"]],
  ])("unknown field in %j", (input, path) => {
    expect(onlyIssue(parseDispatchRule(input))).toEqual([path, "unrecognized_key"]);
  });

  test("a __proto__ key from JSON text is an unknown field, not a prototype", () => {
    expect(onlyIssue(parseDispatchRule(JSON.parse('{"__proto__":{"name":"x"}}')))).toEqual([["__proto__"], "unrecognized_key"]);
  });

  test.each([
    [{ trunkIds: "ST_a" }, ["trunkIds"]],
    [{ trunkIds: ["ST_a", 1] }, ["trunkIds", 1]],
    [{ trunkIds: [null] }, ["trunkIds", 0]],
    [{ attributes: { a: 1 } }, ["attributes", "a"]],
    [{ attributes: { a: null } }, ["attributes", "a"]],
    [{ attributes: ["a"] }, ["attributes"]],
    [{ hide_phone_number: "true" }, ["hide_phone_number"]],
    [{ name: 5 }, ["name"]],
    [{ rule: [] }, ["rule"]],
    [{ rule: { dispatchRuleDirect: "room" } }, ["rule", "dispatchRuleDirect"]],
    [{ media: "x" }, ["media"]],
    [{ media: { codecs: [null] } }, ["media", "codecs", 0]],
    [{ media: { onlyListedCodecs: 1 } }, ["media", "onlyListedCodecs"]],
    [{ roomConfig: { tags: { a: true } } }, ["roomConfig", "tags", "a"]],
    [{ roomConfig: new Map() }, ["roomConfig"]],
    [{ createdAt: 1714564800 }, ["createdAt"]],
  ])("wrong type in %j", (input, path) => {
    expect(onlyIssue(parseDispatchRule(input))).toEqual([path, "invalid_type"]);
  });

  test("messages say where and what", () => {
    expect(issues(parseDispatchRule({ trunkIds: ["ST_a", 1] }))[0]?.message).toBe(
      "SIPDispatchRuleInfo.trunkIds[1]: expected a string, got the number 1",
    );
    expect(issues(parseDispatchRule({ rule: { dispatch_rule_direct: { pin: 1234 } } }))[0]?.message).toBe(
      "SIPDispatchRuleDirect.pin: expected a string, got a number", // a pin is never quoted
    );
    expect(issues(parseDispatchRule({ media: { encryption: "ON" } }))[0]?.message).toBe(
      'SIPMediaConfig.encryption: "ON" is not a SIPMediaEncryption value; expected one of SIP_MEDIA_ENCRYPT_DISABLE, SIP_MEDIA_ENCRYPT_ALLOW, SIP_MEDIA_ENCRYPT_REQUIRE (or 0 to 2)',
    );
    expect(issues(parseDispatchRule("rule"))[0]?.message).toBe("expected a SIPDispatchRuleInfo object, got a string");
  });

  test("two oneof members are one oneof_conflict at the rule path", () => {
    const found = issues(parseDispatchRule({ rule: { dispatchRuleDirect: { roomName: "a" }, dispatch_rule_callee: {} } }));
    expect(found).toEqual([
      {
        path: ["rule"],
        code: "oneof_conflict",
        message: 'SIPDispatchRule sets dispatchRuleDirect and dispatch_rule_callee, but only one member of its oneof "rule" may be set',
      },
    ]);
    expect(onlyIssue(parseDispatchRuleUpdate({ rule: { dispatchRuleDirect: {}, dispatchRuleIndividual: {}, dispatchRuleCallee: {} } }))).toEqual([
      ["rule"],
      "oneof_conflict",
    ]);
  });

  test("both spellings of one field are a duplicate_field", () => {
    expect(onlyIssue(parseDispatchRule({ trunkIds: ["a"], trunk_ids: ["b"] }))).toEqual([["trunk_ids"], "duplicate_field"]);
    expect(onlyIssue(parseDispatchRule({ trunkIds: null, trunk_ids: ["b"] }))).toEqual([["trunk_ids"], "duplicate_field"]);
  });

  test("one issue per problem; the message summarises", () => {
    const result = parseDispatchRule({ nme: "x", trunkIds: [1, 2], rule: { dispatchRuleDirect: { room: "r" } } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.issues?.map((issue) => issue.path)).toEqual([["nme"], ["trunkIds", 0], ["trunkIds", 1], ["rule", "dispatchRuleDirect", "room"]]);
    expect(result.error.message).toBe(
      'invalid SIPDispatchRuleInfo: unknown field "nme" in SIPDispatchRuleInfo (did you mean "name"?) (at nme) (and 3 more issues)',
    );
  });

  test("deep nesting stops with too_deep, cycles do not hang", () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 200; i++) deep = { a: deep };
    const found = issues(parseDispatchRule({ roomConfig: { egress: deep } }));
    expect(found.map((issue) => issue.code)).toEqual(["too_deep"]);

    const cycle: Record<string, unknown> = { name: "x" };
    cycle.self = cycle;
    cycle.other = cycle;
    expect(issues(parseDispatchRule({ roomConfig: { egress: cycle } }))).toEqual([
      { path: ["roomConfig", "egress", "self"], code: "cyclic", message: "RoomConfiguration.egress.self: refers back to an object that contains it" },
      { path: ["roomConfig", "egress", "other"], code: "cyclic", message: "RoomConfiguration.egress.other: refers back to an object that contains it" },
    ]);

    // Shared (not cyclic) sub-objects: 2^40 paths, stopped by the size budget.
    let shared: Record<string, unknown> = { leaf: "x" };
    for (let i = 0; i < 40; i++) shared = { a: shared, b: shared };
    expect(issues(parseDispatchRule({ roomConfig: { egress: shared } })).map((issue) => issue.code)).toEqual(["too_large"]);
  });

  test("an input that throws while being read is an issue", () => {
    const input = Object.defineProperty({}, "name", {
      enumerable: true,
      get() {
        throw new Error("boom");
      },
    });
    expect(onlyIssue(parseDispatchRule(input))).toEqual([[], "unreadable_input"]);
  });
});

describe("parseDispatchRule: request forms", () => {
  const inner = { name: "current", rule: { dispatchRuleDirect: { roomName: "r" } }, numbers: ["+1"] };

  test.each([["dispatch_rule"], ["dispatchRule"]])("CreateSIPDispatchRuleRequest with %s", (key) => {
    expect(value(parseDispatchRule({ [key]: inner }))).toEqual(value(parseDispatchRule(inner)));
  });

  test("a set dispatchRule wins; the deprecated fields are ignored but must be known and well-typed", () => {
    expect(value(parseDispatchRule({ dispatchRule: inner, name: "legacy", trunk_ids: ["ST_x"] })).name).toBe("current");
    expect(onlyIssue(parseDispatchRule({ dispatchRule: inner, nmae: "legacy" }))).toEqual([["nmae"], "unrecognized_key"]);
    expect(onlyIssue(parseDispatchRule({ dispatchRule: inner, trunk_ids: "ST_x" }))).toEqual([["trunk_ids"], "invalid_type"]);
    expect(issues(parseDispatchRule({ dispatchRule: inner, trunk_idz: [] }))[0]?.message).toContain("in CreateSIPDispatchRuleRequest");
  });

  test("fields of SIPDispatchRuleInfo that the request lacks are unknown next to dispatchRule", () => {
    expect(onlyIssue(parseDispatchRule({ dispatchRule: inner, numbers: ["+1"] }))).toEqual([["numbers"], "unrecognized_key"]);
  });

  test("errors inside dispatchRule have the wrapper in their path", () => {
    expect(onlyIssue(parseDispatchRule({ dispatch_rule: { rule: { dispatchRuleDirect: { roomNam: "r" } } } }))).toEqual([
      ["dispatch_rule", "rule", "dispatchRuleDirect", "roomNam"],
      "unrecognized_key",
    ]);
  });

  const legacy = {
    rule: { dispatch_rule_individual: { room_prefix: "call-" } },
    trunk_ids: ["ST_a"],
    hide_phone_number: true,
    name: "n",
    metadata: "m",
    inbound_numbers: ["+1555"],
    attributes: { k: "v" },
    room_preset: "preset",
    room_config: { name: "room" },
  };
  const legacyModel = {
    ...EMPTY_RULE,
    rule: { dispatchRuleIndividual: { roomPrefix: "call-", pin: "", noRandomness: false } },
    trunkIds: ["ST_a"],
    hidePhoneNumber: true,
    name: "n",
    metadata: "m",
    inboundNumbers: ["+1555"],
    attributes: { k: "v" },
    roomPreset: "preset",
    roomConfig: value(parseWith(RoomConfigurationSchema, { name: "room" })),
  };

  test("the deprecated top-level form is the same as a SIPDispatchRuleInfo with those fields", () => {
    expect(value(parseDispatchRule(legacy))).toEqual(legacyModel);
  });

  test("dispatchRule: null falls back to the deprecated fields, as LiveKit does", () => {
    const rule = value(parseDispatchRule({ ...legacy, dispatchRule: null }));
    expect(rule).toEqual(legacyModel);
    expect(Object.keys(rule)).toEqual(Object.keys(SIPDispatchRuleInfoSchema.shape).filter((key) => key in legacyModel));
    expect(value(parseDispatchRule({ dispatch_rule: null }))).toEqual(EMPTY_RULE);
  });

  test("protobuf-es messages parse to the same model as their JSON", () => {
    const json = { ...inner, trunkIds: ["ST_a"], media: { mediaTimeout: "1.5s", encryption: "SIP_MEDIA_ENCRYPT_DISABLE" } };
    expect(value(parseDispatchRule(ProtoDispatchRuleInfo.fromJson(json)))).toEqual(value(parseDispatchRule(json)));
    const request = ProtoCreateSIPDispatchRuleRequest.fromJson({ dispatchRule: json });
    expect(value(parseDispatchRule(request))).toEqual(value(parseDispatchRule(json)));
    const legacyRequest = ProtoCreateSIPDispatchRuleRequest.fromJson(legacy);
    expect(value(parseDispatchRule(legacyRequest))).toEqual(legacyModel);
  });

  test("a nested protobuf-es message is converted too", () => {
    const media = ProtoDispatchRuleInfo.fromJson({ media: { mediaTimeout: "2s" } }).media;
    expect(value(parseDispatchRule({ media })).media).toEqual({ onlyListedCodecs: false, codecs: [], mediaTimeout: "2s" });
  });

  test("a toJson that throws is an issue", () => {
    const input = {
      toJson() {
        throw new Error("nope");
      },
    };
    const found = issues(parseDispatchRule(input));
    expect(found).toEqual([{ path: [], code: "to_json_failed", message: "toJson() failed: nope" }]);
    expect(onlyIssue(parseDispatchRule({ roomConfig: input }))).toEqual([["roomConfig"], "to_json_failed"]);
  });
});

describe("parseInboundTrunk", () => {
  const trunk = {
    sip_trunk_id: "ST_a",
    numbers: ["+15550100"],
    allowed_addresses: ["203.0.113.0/24"],
    auth_username: "u",
    auth_password: "p",
    headers_to_attributes: { "X-Tier": "tier" },
    include_headers: "SIP_X_HEADERS",
    ringing_timeout: "30s",
    max_call_duration: "3600.5s",
  };

  test("snake and camel, with defaults filled", () => {
    const parsed = value(parseInboundTrunk(trunk));
    expect(parsed).toEqual({
      ...EMPTY_TRUNK,
      sipTrunkId: "ST_a",
      numbers: ["+15550100"],
      allowedAddresses: ["203.0.113.0/24"],
      authUsername: "u",
      authPassword: "p",
      headersToAttributes: { "X-Tier": "tier" },
      includeHeaders: "SIP_X_HEADERS",
      ringingTimeout: "30s",
      maxCallDuration: "3600.500s",
    });
    expect(value(parseInboundTrunk(inboundTrunkToJson(parsed)))).toEqual(parsed);
    expect(SIPInboundTrunkInfoSchema.safeParse(parsed).success).toBe(true);
  });

  test("CreateSIPInboundTrunkRequest {trunk}", () => {
    expect(value(parseInboundTrunk({ trunk }))).toEqual(value(parseInboundTrunk(trunk)));
    expect(onlyIssue(parseInboundTrunk({ trunk: null }))).toEqual([["trunk"], "missing_field"]);
    expect(onlyIssue(parseInboundTrunk({ trunk, numbers: [] }))).toEqual([["numbers"], "unrecognized_key"]);
    expect(onlyIssue(parseInboundTrunk({ trunk: { ...trunk, inbound_addresses: [] } }))).toEqual([["trunk", "inbound_addresses"], "unrecognized_key"]);
  });

  const legacy = {
    sip_trunk_id: "ST_legacy",
    kind: "TRUNK_INBOUND",
    inbound_addresses: ["10.0.0.1"],
    outbound_address: "sip.example.com",
    outbound_number: "+15550100",
    transport: "SIP_TRANSPORT_TCP",
    inbound_numbers: ["+15550199"],
    inbound_username: "user",
    inbound_password: "pass",
    outbound_username: "ou",
    outbound_password: "op",
    name: "legacy",
    metadata: "meta",
  };

  test("a legacy SIPTrunkInfo is converted as AsInbound does", () => {
    expect(value(parseInboundTrunk(legacy))).toEqual({
      ...EMPTY_TRUNK,
      sipTrunkId: "ST_legacy",
      name: "legacy",
      metadata: "meta",
      numbers: ["+15550100"],
      allowedAddresses: ["10.0.0.1"],
      allowedNumbers: ["+15550199"],
      authUsername: "user",
      authPassword: "pass",
    });
  });

  test.each([
    [{ outboundNumber: "" }, { ...EMPTY_TRUNK }],
    [{ kind: 0, inboundNumbers: ["+1"] }, { ...EMPTY_TRUNK, allowedNumbers: ["+1"] }],
    [{ inboundAddresses: [], inboundNumbersRegex: [] }, { ...EMPTY_TRUNK }],
    [{ transport: 3, name: "n" }, { ...EMPTY_TRUNK, name: "n" }],
  ])("legacy detected by its own keys: %j", (input, expected) => {
    expect(value(parseInboundTrunk(input))).toEqual(expected);
  });

  test("an outbound legacy trunk is an error", () => {
    const found = issues(parseInboundTrunk({ ...legacy, kind: "TRUNK_OUTBOUND" }));
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toEqual(["kind"]);
    expect(found[0]?.code).toBe("outbound_trunk");
    expect(onlyIssue(parseInboundTrunk({ kind: 2 }))).toEqual([["kind"], "outbound_trunk"]);
  });

  test("a legacy trunk with inboundNumbersRegex is refused, and the message says why", () => {
    const found = issues(parseInboundTrunk({ ...legacy, inbound_numbers_regex: ["^\\+1"] }));
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toEqual(["inbound_numbers_regex"]);
    expect(found[0]?.code).toBe("unsupported_field");
    expect(found[0]?.message).toMatch(/ignores it/);
    expect(found[0]?.message).toMatch(/every caller/);
  });

  test("a legacy trunk with fields of the new trunk is told so against SIPTrunkInfo", () => {
    const found = issues(parseInboundTrunk({ inboundAddresses: ["10.0.0.1"], allowedNumbers: ["+1"] }));
    expect(found).toEqual([{ path: ["allowedNumbers"], code: "unrecognized_key", message: 'unknown field "allowedNumbers" in SIPTrunkInfo' }]);
  });

  test("protobuf-es messages: SIPInboundTrunkInfo and legacy SIPTrunkInfo", () => {
    expect(value(parseInboundTrunk(ProtoInboundTrunkInfo.fromJson(trunk)))).toEqual(value(parseInboundTrunk(trunk)));
    expect(value(parseInboundTrunk(ProtoSIPTrunkInfo.fromJson(legacy)))).toEqual(value(parseInboundTrunk(legacy)));
    expect(onlyIssue(parseInboundTrunk(ProtoSIPTrunkInfo.fromJson({ kind: "TRUNK_OUTBOUND" })))).toEqual([["kind"], "outbound_trunk"]);
  });
});

describe("update parsers", () => {
  test("SIPDispatchRuleUpdate: optional strings keep an explicit empty value; attributes default {}", () => {
    expect(value(parseDispatchRuleUpdate({ name: "", trunk_ids: { set: ["a"] }, media_encryption: 0 }))).toEqual({
      trunkIds: { set: ["a"], add: [], remove: [], clear: false },
      name: "",
      attributes: {},
      mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
    });
    expect(value(parseDispatchRuleUpdate({}))).toEqual({ attributes: {} });
    expect(onlyIssue(parseDispatchRuleUpdate({ hidePhoneNumber: true }))).toEqual([["hidePhoneNumber"], "unrecognized_key"]);
    expect(issues(parseDispatchRuleUpdate({ trunkIds: { sett: [] } }))[0]?.message).toBe(
      'unknown field "sett" in ListUpdate (did you mean "set"?)',
    );
  });

  test("SIPInboundTrunkUpdate", () => {
    expect(value(parseInboundTrunkUpdate({ allowed_addresses: { clear: true }, auth_realm: "", media: {} }))).toEqual({
      allowedAddresses: { set: [], add: [], remove: [], clear: true },
      authRealm: "",
      media: { onlyListedCodecs: false, codecs: [] },
    });
    expect(onlyIssue(parseInboundTrunkUpdate({ headers: {} }))).toEqual([["headers"], "unrecognized_key"]);
    expect(onlyIssue(parseInboundTrunkUpdate([]))).toEqual([[], "invalid_type"]);
  });
});

describe("decodeProtoJson", () => {
  test("without schema info, messages are called 'message' and issues still have paths", () => {
    const decoded = decodeProtoJson(SIPDispatchRuleInfoSchema, { nme: 1 });
    expect(decoded.value).toBeUndefined();
    expect(decoded.issues).toEqual([{ path: ["nme"], code: "unrecognized_key", message: 'unknown field "nme" in message (did you mean "name"?)' }]);
  });

  test("maxDepth is respected", () => {
    const decoded = decodeProtoJson(SIPDispatchRuleInfoSchema, { rule: { dispatchRuleDirect: {} } }, { maxDepth: 1 });
    expect(decoded.issues.map((issue) => issue.code)).toEqual(["too_deep"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** JSON with protojson's snake_case proto names; map keys left alone. */
function toProtoNames(json: unknown, isMap = false): unknown {
  if (Array.isArray(json)) return json.map((item) => toProtoNames(item));
  if (typeof json !== "object" || json === null) return json;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(json)) {
    const name = isMap ? key : protoFieldName(key);
    Object.defineProperty(out, name, { value: toProtoNames(item, MAP_FIELDS.has(key) && !isMap), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
const MAP_FIELDS = new Set(["attributes", "headers", "headersToAttributes", "attributesToHeaders", "tags"]);

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

const parsers = [parseDispatchRule, parseInboundTrunk, parseDispatchRuleUpdate, parseInboundTrunkUpdate] as const;

const objectPrototypeKeys = Reflect.ownKeys(Object.prototype);
function expectNoPollution(): void {
  expect(Reflect.ownKeys(Object.prototype)).toEqual(objectPrototypeKeys);
  expect(Object.getPrototypeOf({})).toBe(Object.prototype);
}

/** Result is a well-formed Result, and failures have one issue per problem with a path. */
function expectWellFormed(result: Result<unknown>): void {
  if (result.ok) return;
  expect(result.error.code).toBe("invalid_input");
  expect(typeof result.error.message).toBe("string");
  expect(result.error.issues?.length).toBeGreaterThan(0);
  for (const issue of result.error.issues ?? []) {
    expect(Array.isArray(issue.path)).toBe(true);
    expect(typeof issue.code).toBe("string");
    expect(typeof issue.message).toBe("string");
  }
}

const FIELD_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "rule",
  "dispatchRule",
  "dispatch_rule",
  "dispatchRuleDirect",
  "dispatch_rule_individual",
  "roomPrefix",
  "trunkIds",
  "trunk",
  "kind",
  "inboundAddresses",
  "outbound_number",
  "attributes",
  "headers",
  "media",
  "codecs",
  "mediaTimeout",
  "roomConfig",
  "egress",
  "agents",
  "tags",
  "set",
  "name",
  "toJson",
];

/** JSON text with keys likely to matter, "__proto__" among them, so JSON.parse makes own __proto__ keys. */
const arbJsonText = fc.letrec<{ value: string; object: string; array: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("null", "true", "false", "0", "-0", "4294967296", "1.5", '""', '"x"', '"10s"', '"SIP_MEDIA_ENCRYPT_ALLOW"', '"2024-01-01T00:00:00Z"'),
    tie("object"),
    tie("array"),
  ),
  object: fc
    .array(fc.tuple(fc.oneof(fc.constantFrom(...FIELD_KEYS), fc.string({ maxLength: 4 })), tie("value")), { maxLength: 5 })
    .map((entries) => `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${item}`).join(",")}}`),
  array: fc.array(tie("value"), { maxLength: 3 }).map((items) => `[${items.join(",")}]`),
})).object;

describe("properties", () => {
  test("rule: parse(toJson(m)) is m, also through JSON text and snake_case names", () => {
    fc.assert(
      fc.property(arbDispatchRule, (rule) => {
        const json = dispatchRuleToJson(rule);
        expect(value(parseDispatchRule(json))).toEqual(rule);
        expect(value(parseDispatchRule(JSON.parse(JSON.stringify(json))))).toEqual(rule);
        expect(value(parseDispatchRule(toProtoNames(json)))).toEqual(rule);
        expect(value(parseDispatchRule({ dispatch_rule: json }))).toEqual(rule);
      }),
      RUNS,
    );
  });

  test("trunk: parse(toJson(m)) is m, also through JSON text and snake_case names", () => {
    fc.assert(
      fc.property(arbInboundTrunk, (trunk) => {
        const json = inboundTrunkToJson(trunk);
        expect(value(parseInboundTrunk(json))).toEqual(trunk);
        expect(value(parseInboundTrunk(JSON.parse(JSON.stringify(json))))).toEqual(trunk);
        expect(value(parseInboundTrunk(toProtoNames(json)))).toEqual(trunk);
        expect(value(parseInboundTrunk({ trunk: json }))).toEqual(trunk);
      }),
      RUNS,
    );
  });

  test("updates: parse(toJson(m)) is m", () => {
    fc.assert(
      fc.property(arbDispatchRuleUpdate, arbInboundTrunkUpdate, (ruleUpdate, trunkUpdate) => {
        expect(value(parseDispatchRuleUpdate(dispatchRuleUpdateToJson(ruleUpdate)))).toEqual(ruleUpdate);
        expect(value(parseInboundTrunkUpdate(inboundTrunkUpdateToJson(trunkUpdate)))).toEqual(trunkUpdate);
        expect(value(parseDispatchRuleUpdate(toProtoNames(dispatchRuleUpdateToJson(ruleUpdate))))).toEqual(ruleUpdate);
      }),
      RUNS,
    );
  });

  test("parsed models satisfy the zod schemas, and keys keep schema order", () => {
    fc.assert(
      fc.property(arbDispatchRule, arbInboundTrunk, (rule, trunk) => {
        const parsedRule = value(parseDispatchRule(dispatchRuleToJson(rule)));
        const parsedTrunk = value(parseInboundTrunk(inboundTrunkToJson(trunk)));
        expect(SIPDispatchRuleInfoSchema.safeParse(parsedRule).success).toBe(true);
        expect(SIPInboundTrunkInfoSchema.safeParse(parsedTrunk).success).toBe(true);
        const order = Object.keys(SIPDispatchRuleInfoSchema.shape);
        expect(Object.keys(parsedRule)).toEqual(order.filter((key) => key in parsedRule));
      }),
      RUNS,
    );
  });

  test("parsed updates satisfy the zod schemas", () => {
    fc.assert(
      fc.property(arbDispatchRuleUpdate, arbInboundTrunkUpdate, (ruleUpdate, trunkUpdate) => {
        expect(SIPDispatchRuleUpdateSchema.safeParse(value(parseDispatchRuleUpdate(dispatchRuleUpdateToJson(ruleUpdate)))).success).toBe(true);
        expect(SIPInboundTrunkUpdateSchema.safeParse(value(parseInboundTrunkUpdate(inboundTrunkUpdateToJson(trunkUpdate)))).success).toBe(true);
      }),
      RUNS,
    );
  });

  test("deep-frozen inputs are accepted and left as they were", () => {
    fc.assert(
      fc.property(arbDispatchRule, arbInboundTrunk, (rule, trunk) => {
        const ruleJson = deepFreeze(dispatchRuleToJson(rule));
        const trunkJson = deepFreeze(inboundTrunkToJson(trunk));
        const before = JSON.stringify([ruleJson, trunkJson]);
        expect(value(parseDispatchRule(ruleJson))).toEqual(rule);
        expect(value(parseInboundTrunk(trunkJson))).toEqual(trunk);
        expect(value(parseDispatchRule(deepFreeze({ dispatchRule: ruleJson })))).toEqual(rule);
        expect(JSON.stringify([ruleJson, trunkJson])).toBe(before);
        // A frozen model is valid input too: it is protojson already.
        expect(value(parseDispatchRule(deepFreeze(rule)))).toEqual(rule);
      }),
      RUNS,
    );
  });

  // protobuf-es v1 keeps maps in plain objects and loses a "__proto__" key: compare without one.
  const plain = modelArbitraries({ awkwardMapKeys: false });
  test("protobuf-es messages parse to the same model as their JSON", () => {
    fc.assert(
      fc.property(plain.dispatchRule, plain.inboundTrunk, (rule, trunk) => {
        // protobuf-es types JSON arrays as mutable, type-fest as readonly: same JSON, so cast.
        const ruleJson = dispatchRuleToJson(rule) as Parameters<typeof ProtoDispatchRuleInfo.fromJson>[0];
        const trunkJson = inboundTrunkToJson(trunk) as Parameters<typeof ProtoInboundTrunkInfo.fromJson>[0];
        expect(value(parseDispatchRule(ProtoDispatchRuleInfo.fromJson(ruleJson)))).toEqual(rule);
        expect(value(parseInboundTrunk(ProtoInboundTrunkInfo.fromJson(trunkJson)))).toEqual(trunk);
      }),
      RUNS,
    );
  });

  test("fc.anything() never throws and never pollutes", () => {
    const anything = fc.anything({
      key: fc.oneof(fc.constantFrom(...FIELD_KEYS), fc.string()),
      withNullPrototype: true,
      withMap: true,
      withSet: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withBoxedValues: true,
    });
    fc.assert(
      fc.property(anything, (input) => {
        for (const parse of parsers) expectWellFormed(parse(input));
        expectWellFormed(parseDispatchRule({ roomConfig: { egress: input } }));
        expectWellFormed(parseDispatchRule({ attributes: input }));
        expectNoPollution();
      }),
      { numRuns: 200 },
    );
  });

  test("fc.jsonValue() never throws", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        for (const parse of parsers) expectWellFormed(parse(input));
        expectWellFormed(parseDispatchRule({ rule: input }));
        expectWellFormed(parseInboundTrunk({ trunk: input }));
        expectNoPollution();
      }),
      { numRuns: 200 },
    );
  });

  test("JSON text with __proto__ keys never throws and never pollutes", () => {
    fc.assert(
      fc.property(arbJsonText, (text) => {
        const input: unknown = JSON.parse(text);
        for (const parse of parsers) expectWellFormed(parse(input));
        expectWellFormed(parseDispatchRule({ attributes: input, roomConfig: { egress: input, tags: input } }));
        expectWellFormed(parseInboundTrunk({ headers: input }));
        expectNoPollution();
      }),
      { numRuns: 200 },
    );
  });

  test("a valid rule with one field replaced by anything never throws; failures point into the input", () => {
    fc.assert(
      fc.property(arbDispatchRule, fc.constantFrom(...FIELD_KEYS), fc.jsonValue(), (rule, key, replacement) => {
        const input = { ...dispatchRuleToJson(rule), [key]: replacement };
        const result = parseDispatchRule(input);
        expectWellFormed(result);
        if (!result.ok) {
          for (const issue of result.error.issues ?? []) {
            if (issue.path.length > 0) expect(Object.keys(input)).toContain(issue.path[0]);
          }
        }
      }),
      RUNS,
    );
  });
});
