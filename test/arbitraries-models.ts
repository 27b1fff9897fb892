// fast-check arbitraries of canonical models (what the parsers return). Values mix the proto3
// defaults that protojson leaves out ("" / false / 0 / [] / {} / first enum value) with awkward
// ones: map keys such as "__proto__", unicode and empty strings, uint32 and Duration/Timestamp
// extremes, phone numbers in several spellings. Reused by the engine's tests.
import fc from "fast-check";
import type { SIPDispatchRule, SIPDispatchRuleInfo } from "../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../src/model/inbound-trunk.js";
import type { SIPCodec, SIPMediaConfig } from "../src/model/media.js";
import type { RoomAgentDispatch, RoomConfiguration } from "../src/model/room-config.js";
import type { ListUpdate, SIPDispatchRuleUpdate, SIPInboundTrunkUpdate } from "../src/model/updates.js";

export interface ModelArbitraryOptions {
  /**
   * Map keys that collide with Object.prototype (`__proto__`, `constructor`, ...). Default true.
   * protobuf-es v1 drops a `__proto__` map key, so comparisons against it turn this off.
   */
  awkwardMapKeys?: boolean;
}

export interface ModelArbitraries {
  dispatchRule: fc.Arbitrary<SIPDispatchRuleInfo>;
  inboundTrunk: fc.Arbitrary<SIPInboundTrunkInfo>;
  dispatchRuleUpdate: fc.Arbitrary<SIPDispatchRuleUpdate>;
  inboundTrunkUpdate: fc.Arbitrary<SIPInboundTrunkUpdate>;
  rule: fc.Arbitrary<SIPDispatchRule>;
  mediaConfig: fc.Arbitrary<SIPMediaConfig>;
  roomConfiguration: fc.Arbitrary<RoomConfiguration>;
  listUpdate: fc.Arbitrary<ListUpdate>;
}

const BASE57 = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
const MAX_DURATION_SECONDS = 315_576_000_000;
const MIN_TIMESTAMP_SECONDS = -62_135_596_800; // 0001-01-01T00:00:00Z
const MAX_TIMESTAMP_SECONDS = 253_402_300_799; // 9999-12-31T23:59:59Z

/** Sets `key` as an own data property, so `__proto__` is data, not the prototype. */
function withOwnEntries(entries: readonly (readonly [string, string])[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** protobuf's nanos text: "", ".500", ".000001", ".000000001". */
function nanosText(nanos: number): string {
  if (nanos === 0) return "";
  const nine = String(nanos).padStart(9, "0");
  if (nine.endsWith("000000")) return `.${nine.slice(0, 3)}`;
  if (nine.endsWith("000")) return `.${nine.slice(0, 6)}`;
  return `.${nine}`;
}

const arbNanos = fc.oneof(
  fc.constantFrom(0, 0, 1, 1000, 1_000_000, 500_000_000, 999_999_999),
  fc.integer({ min: 0, max: 999_999_999 }),
);

/** A canonical protojson Duration, built independently of the decoder's formatter. */
export const arbDuration: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.constantFrom(0, 1, 3, 10, 180, 600, 86_400, MAX_DURATION_SECONDS), fc.integer({ min: 0, max: MAX_DURATION_SECONDS })),
    arbNanos,
    fc.boolean(),
  )
  .map(([seconds, nanos, negative]) => {
    const sign = negative && (seconds > 0 || nanos > 0) ? "-" : "";
    return `${sign}${seconds}${nanosText(nanos)}s`;
  });

/** A canonical protojson Timestamp (UTC, Z, 0/3/6/9 fractional digits), 0001-01-01 to 9999-12-31. */
export const arbTimestamp: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(MIN_TIMESTAMP_SECONDS, 0, 951_782_400 /* 2000-02-29 */, 1_700_000_000, MAX_TIMESTAMP_SECONDS),
      fc.integer({ min: MIN_TIMESTAMP_SECONDS, max: MAX_TIMESTAMP_SECONDS }),
    ),
    arbNanos,
  )
  .map(([seconds, nanos]) => new Date(seconds * 1000).toISOString().replace(".000Z", `${nanosText(nanos)}Z`));

const arbUint32 = fc.oneof(fc.constantFrom(0, 0, 1, 60, 0x7fffffff, 0xffffffff), fc.integer({ min: 0, max: 0xffffffff }));

/** Any text, with the empty string (the proto3 default) and unicode well represented. */
export const arbText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constant("") },
  { weight: 2, arbitrary: fc.constantFrom("main", "Support line", "{\"team\":\"sales\"}", "ünïcødé ☎", "a b", "0") },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 8 }) },
);

/** Phone numbers as users write them: E.164, without "+", with punctuation, short, or odd. */
export const arbPhoneNumber: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("+15550100", "15550100", "+1 (555) 010-0199", "5550100", "+442071838750", "911", "1234", "sip-user", "+"),
  fc.stringMatching(/^\+?[1-9][0-9]{2,14}$/),
);

const arbIdSuffix = fc.string({ unit: fc.constantFrom(...BASE57), minLength: 12, maxLength: 12 });
export const arbTrunkId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("ST_main", "ST_backup", "ST_aaaaaaaaaaaa"),
  arbIdSuffix.map((s) => `ST_${s}`),
);
export const arbRuleId: fc.Arbitrary<string> = fc.oneof(
  fc.constant(""),
  fc.constantFrom("SDR_vip", "SDR_default"),
  arbIdSuffix.map((s) => `SDR_${s}`),
);

const arbPin = fc.oneof(fc.constant(""), fc.constantFrom("1234", "0000", "98765"), fc.stringMatching(/^[0-9]{1,8}$/));
const arbRoomString = fc.oneof(fc.constant(""), fc.constantFrom("call", "call-", "support_room", "room with space"), fc.string({ maxLength: 10 }));

/**
 * A RoomConfiguration.egress value that protobuf-es can read back (`RoomEgress`), already in
 * JSON-name form and without default fields, as the decoder returns it.
 */
const arbEgress: fc.Arbitrary<Record<string, unknown>> = fc
  .constantFrom<Record<string, unknown>>(
    {},
    { room: { roomName: "r1", layout: "speaker", audioOnly: true } },
    { tracks: { filepath: "{room_name}/{track_id}" } },
    { participant: { fileOutputs: [{ filepath: "p.mp4" }] } },
  )
  .map((egress) => structuredClone(egress));

export function modelArbitraries(options: ModelArbitraryOptions = {}): ModelArbitraries {
  const awkward = options.awkwardMapKeys ?? true;
  const arbMapKey = awkward
    ? fc.oneof(
        { weight: 2, arbitrary: fc.constantFrom("__proto__", "constructor", "prototype", "toString", "hasOwnProperty", "") },
        { weight: 3, arbitrary: fc.constantFrom("tier", "sip.phoneNumber", "X-Custom-Header", "lk.region", "a b") },
        { weight: 3, arbitrary: fc.string({ maxLength: 8 }) },
      )
    : fc.oneof(fc.constantFrom("tier", "sip.phoneNumber", "X-Custom-Header", "lk.region", "a b", ""), fc.string({ maxLength: 8 }).filter((k) => k !== "__proto__"));
  const arbMap = fc
    .uniqueArray(fc.tuple(arbMapKey, arbText), { selector: ([key]) => key, maxLength: 4 })
    .map((entries) => withOwnEntries(entries));

  const arbStrings = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 3 });
  const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }, requiredKeys: (keyof T)[]) =>
    fc.record(model, { requiredKeys, noNullPrototype: true }) as unknown as fc.Arbitrary<T>;

  const arbEncryption = fc.constantFrom("SIP_MEDIA_ENCRYPT_DISABLE", "SIP_MEDIA_ENCRYPT_ALLOW", "SIP_MEDIA_ENCRYPT_REQUIRE") satisfies fc.Arbitrary<
    SIPMediaConfig["encryption"]
  >;

  const codec = record<SIPCodec>({ name: fc.constantFrom("PCMU", "PCMA", "G722", "opus", ""), rate: arbUint32 }, ["name", "rate"]);
  const mediaConfig = record<SIPMediaConfig>(
    { onlyListedCodecs: fc.boolean(), codecs: fc.array(codec, { maxLength: 2 }), encryption: arbEncryption, mediaTimeout: arbDuration },
    ["onlyListedCodecs", "codecs"],
  );

  const agent = record<RoomAgentDispatch>(
    {
      agentName: arbText,
      metadata: arbText,
      restartPolicy: fc.constantFrom("JRP_ON_FAILURE", "JRP_NEVER"),
      deployment: arbText,
      attributes: arbMap,
    },
    ["agentName", "metadata", "restartPolicy", "deployment", "attributes"],
  );
  const roomConfiguration = record<RoomConfiguration>(
    {
      name: arbText,
      emptyTimeout: arbUint32,
      departureTimeout: arbUint32,
      maxParticipants: arbUint32,
      metadata: arbText,
      egress: arbEgress,
      minPlayoutDelay: arbUint32,
      maxPlayoutDelay: arbUint32,
      syncStreams: fc.boolean(),
      agents: fc.array(agent, { maxLength: 2 }),
      tags: arbMap,
    },
    ["name", "emptyTimeout", "departureTimeout", "maxParticipants", "metadata", "minPlayoutDelay", "maxPlayoutDelay", "syncStreams", "agents", "tags"],
  );

  const rule: fc.Arbitrary<SIPDispatchRule> = fc.oneof(
    { weight: 1, arbitrary: fc.constant({}).map(() => ({})) },
    { weight: 3, arbitrary: fc.record({ roomName: arbRoomString, pin: arbPin }, { noNullPrototype: true }).map((dispatchRuleDirect) => ({ dispatchRuleDirect })) },
    {
      weight: 3,
      arbitrary: fc
        .record({ roomPrefix: arbRoomString, pin: arbPin, noRandomness: fc.boolean() }, { noNullPrototype: true })
        .map((dispatchRuleIndividual) => ({ dispatchRuleIndividual })),
    },
    {
      weight: 3,
      arbitrary: fc
        .record({ roomPrefix: arbRoomString, pin: arbPin, randomize: fc.boolean() }, { noNullPrototype: true })
        .map((dispatchRuleCallee) => ({ dispatchRuleCallee })),
    },
  );

  const dispatchRule = record<SIPDispatchRuleInfo>(
    {
      sipDispatchRuleId: arbRuleId,
      rule,
      trunkIds: arbStrings(arbTrunkId),
      hidePhoneNumber: fc.boolean(),
      inboundNumbers: arbStrings(arbPhoneNumber),
      numbers: arbStrings(arbPhoneNumber),
      name: arbText,
      metadata: arbText,
      attributes: arbMap,
      roomPreset: arbText,
      roomConfig: roomConfiguration,
      krispEnabled: fc.boolean(),
      mediaEncryption: arbEncryption,
      media: mediaConfig,
      createdAt: arbTimestamp,
      updatedAt: arbTimestamp,
    },
    [
      "sipDispatchRuleId",
      "trunkIds",
      "hidePhoneNumber",
      "inboundNumbers",
      "numbers",
      "name",
      "metadata",
      "attributes",
      "roomPreset",
      "krispEnabled",
      "mediaEncryption",
    ],
  );

  const inboundTrunk = record<SIPInboundTrunkInfo>(
    {
      sipTrunkId: fc.oneof(fc.constant(""), arbTrunkId),
      name: arbText,
      metadata: arbText,
      numbers: arbStrings(arbPhoneNumber),
      allowedAddresses: arbStrings(fc.constantFrom("203.0.113.7", "198.51.100.0/24", "2001:db8::/32", "sip.example.com", "10.0.0.1,10.0.0.2", "")),
      allowedNumbers: arbStrings(arbPhoneNumber),
      authUsername: arbText,
      authPassword: arbText,
      authRealm: arbText,
      headers: arbMap,
      headersToAttributes: arbMap,
      attributesToHeaders: arbMap,
      includeHeaders: fc.constantFrom("SIP_NO_HEADERS", "SIP_X_HEADERS", "SIP_ALL_HEADERS"),
      ringingTimeout: arbDuration,
      maxCallDuration: arbDuration,
      krispEnabled: fc.boolean(),
      mediaEncryption: arbEncryption,
      media: mediaConfig,
      createdAt: arbTimestamp,
      updatedAt: arbTimestamp,
    },
    [
      "sipTrunkId",
      "name",
      "metadata",
      "numbers",
      "allowedAddresses",
      "allowedNumbers",
      "authUsername",
      "authPassword",
      "authRealm",
      "headers",
      "headersToAttributes",
      "attributesToHeaders",
      "includeHeaders",
      "krispEnabled",
      "mediaEncryption",
    ],
  );

  const listUpdate = record<ListUpdate>(
    { set: arbStrings(arbText), add: arbStrings(arbText), remove: arbStrings(arbText), clear: fc.boolean() },
    ["set", "add", "remove", "clear"],
  );

  const dispatchRuleUpdate = record<SIPDispatchRuleUpdate>(
    {
      trunkIds: listUpdate,
      rule,
      name: arbText,
      metadata: arbText,
      attributes: arbMap,
      mediaEncryption: arbEncryption,
      media: mediaConfig,
    },
    ["attributes"],
  );

  const inboundTrunkUpdate = record<SIPInboundTrunkUpdate>(
    {
      numbers: listUpdate,
      allowedAddresses: listUpdate,
      allowedNumbers: listUpdate,
      authUsername: arbText,
      authPassword: arbText,
      authRealm: arbText,
      name: arbText,
      metadata: arbText,
      mediaEncryption: arbEncryption,
      media: mediaConfig,
    },
    [],
  );

  return { dispatchRule, inboundTrunk, dispatchRuleUpdate, inboundTrunkUpdate, rule, mediaConfig, roomConfiguration, listUpdate };
}

const defaults = modelArbitraries();

/** Valid canonical dispatch rules, awkward map keys included. */
export const arbDispatchRule: fc.Arbitrary<SIPDispatchRuleInfo> = defaults.dispatchRule;
/** Valid canonical inbound trunks, awkward map keys included. */
export const arbInboundTrunk: fc.Arbitrary<SIPInboundTrunkInfo> = defaults.inboundTrunk;
export const arbDispatchRuleUpdate: fc.Arbitrary<SIPDispatchRuleUpdate> = defaults.dispatchRuleUpdate;
export const arbInboundTrunkUpdate: fc.Arbitrary<SIPInboundTrunkUpdate> = defaults.inboundTrunkUpdate;
export const arbMediaConfig: fc.Arbitrary<SIPMediaConfig> = defaults.mediaConfig;
export const arbRoomConfiguration: fc.Arbitrary<RoomConfiguration> = defaults.roomConfiguration;
