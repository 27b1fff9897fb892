// fast-check arbitraries of dispatch configurations and calls built to collide: small pools of
// ids, numbers in several spellings of the same few numbers, a few pins, default and specific
// trunks, allowlists mixing IPs, CIDRs, hosts and junk, conflicting and kind-less rules.
import fc from "fast-check";
import type { SIPDispatchRule, SIPDispatchRuleInfo } from "../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../src/model/inbound-trunk.js";
import type { SIPMediaConfig, SIPMediaEncryption } from "../src/model/media.js";
import type { InboundCall, ResolveOptions } from "../src/model/resolution.js";
import type { RoomConfiguration } from "../src/model/room-config.js";
import { TRUNK_DEFAULTS } from "./fixtures.js";

export const TRUNK_IDS = ["ST_a", "ST_b", "ST_c", "ST_d"] as const;
/** Trunk ids rules and calls may name: the pool plus one no trunk has. */
const NAMED_TRUNK_IDS = [...TRUNK_IDS, "ST_gone"];
export const RULE_IDS = ["SDR_1", "SDR_2", "SDR_3", "SDR_4", "SDR_5", "SDR_6", "SDR_7"] as const;

/** Two numbers, each in several spellings that normalise alike, plus non-numbers. */
export const NUMBERS = [
  "+15550100",
  "15550100",
  "1 555 0100",
  "+1 (555) 0100",
  "1-555-0100",
  "+15550200",
  "15550200",
  "+1 555 0200",
  "alice",
  "anonymous",
  "",
];

/** Pins distinctive enough that finding one in a JSON text means it leaked. */
export const PINS = ["*731*", "D8D8C", "B*B*"];

export const ADDRESSES = [
  "10.0.0.0/8",
  "10.1.2.3",
  "203.0.113.7",
  "203.0.113.0/24",
  "0.0.0.0/0",
  "2001:db8::/32",
  "::ffff:10.1.2.3",
  "pbx.example.com",
  "[::1]",
  "1.2.3.4,5.6.7.8",
  "sip://10.1.2.3",
  "1.2.3.4/033",
  "",
];

const HOSTS = ["", "pbx.example.com", "10.1.2.3", "[::1]", "evil.example.com"];
export const SOURCE_IPS = ["10.1.2.3", "10.9.9.9", "203.0.113.7", "198.51.100.1", "2001:db8::5", "::ffff:10.1.2.3", ""];
/** Source addresses LiveKit rejects (invalid_source_ip). */
export const BAD_SOURCE_IPS = ["not-an-ip", "1.2.3.999", "10.1.2.3:5060"];
const ROOMS = ["", "a", "b", "call-", "lobby"];
const NAMES = ["", "Main", 'say "hi"'];
const ENCRYPTIONS: SIPMediaEncryption[] = ["SIP_MEDIA_ENCRYPT_DISABLE", "SIP_MEDIA_ENCRYPT_ALLOW", "SIP_MEDIA_ENCRYPT_REQUIRE"];

/** A list of 0..max values from a pool, duplicates allowed (LiveKit allows them too). */
const listOf = <T>(pool: readonly T[], maxLength: number, depthBias = 2): fc.Arbitrary<T[]> =>
  fc.oneof({ arbitrary: fc.constant([] as T[]), weight: depthBias }, { arbitrary: fc.array(fc.constantFrom(...pool), { minLength: 1, maxLength }), weight: 2 });

const stringMap = (keys: readonly string[], values: readonly string[]): fc.Arbitrary<Record<string, string>> =>
  fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 2 });

const mediaArb: fc.Arbitrary<SIPMediaConfig | undefined> = fc.option(
  fc.record(
    {
      onlyListedCodecs: fc.boolean(),
      codecs: fc.array(fc.constantFrom({ name: "PCMU", rate: 8000 }, { name: "opus", rate: 48000 }), { maxLength: 2 }),
      encryption: fc.constantFrom(...ENCRYPTIONS),
      mediaTimeout: fc.constantFrom("0s", "10s", "1.500s"),
    },
    { requiredKeys: ["onlyListedCodecs", "codecs"] },
  ),
  { nil: undefined },
);

const roomConfigArb: fc.Arbitrary<RoomConfiguration> = fc.record({
  name: fc.constantFrom("", "r"),
  emptyTimeout: fc.nat(600),
  departureTimeout: fc.nat(600),
  maxParticipants: fc.nat(10),
  metadata: fc.constantFrom("", "m"),
  minPlayoutDelay: fc.constant(0),
  maxPlayoutDelay: fc.constant(0),
  syncStreams: fc.boolean(),
  agents: fc.array(
    fc.record({
      agentName: fc.constantFrom("agent", ""),
      metadata: fc.constant(""),
      restartPolicy: fc.constantFrom("JRP_ON_FAILURE" as const, "JRP_NEVER" as const),
      deployment: fc.constant(""),
      attributes: stringMap(["k"], ["v"]),
    }),
    { maxLength: 1 },
  ),
  tags: stringMap(["t"], ["1"]),
});

/** Strings for every free-text position: the colliding pool, or anything at all. */
export interface Pools {
  numbers: fc.Arbitrary<string>;
  addresses: fc.Arbitrary<string>;
  hosts: fc.Arbitrary<string>;
  sourceIps: fc.Arbitrary<string>;
  rooms: fc.Arbitrary<string>;
  pins: fc.Arbitrary<string>;
  names: fc.Arbitrary<string>;
  headerNames: fc.Arbitrary<string>;
}

export const collidingPools: Pools = {
  numbers: fc.constantFrom(...NUMBERS),
  addresses: fc.constantFrom(...ADDRESSES),
  hosts: fc.constantFrom(...HOSTS),
  sourceIps: fc.oneof({ arbitrary: fc.constantFrom(...SOURCE_IPS), weight: 6 }, { arbitrary: fc.constantFrom(...BAD_SOURCE_IPS), weight: 1 }),
  rooms: fc.constantFrom(...ROOMS),
  pins: fc.oneof({ arbitrary: fc.constant(""), weight: 3 }, { arbitrary: fc.constantFrom(...PINS), weight: 2 }),
  names: fc.constantFrom(...NAMES),
  headerNames: fc.constantFrom("X-Customer", "x-customer", "X-Twilio-AccountSid", "From", "X-Other"),
};

/** The colliding pools, each mixed with arbitrary (well-typed) strings. */
export const wildPools: Pools = Object.fromEntries(
  Object.entries(collidingPools).map(([key, pool]) => [key, fc.oneof(pool, fc.string({ maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 6 }))]),
) as unknown as Pools;

const poolList = (pool: fc.Arbitrary<string>, maxLength: number): fc.Arbitrary<string[]> =>
  fc.oneof({ arbitrary: fc.constant([] as string[]), weight: 2 }, { arbitrary: fc.array(pool, { minLength: 1, maxLength }), weight: 2 });

export function trunkArb(id: string, pools: Pools = collidingPools): fc.Arbitrary<SIPInboundTrunkInfo> {
  return fc
    .record({
      name: pools.names,
      numbers: poolList(pools.numbers, 2),
      allowedNumbers: fc.oneof({ arbitrary: fc.constant([] as string[]), weight: 3 }, { arbitrary: fc.array(pools.numbers, { minLength: 1, maxLength: 2 }), weight: 1 }),
      allowedAddresses: fc.oneof({ arbitrary: fc.constant([] as string[]), weight: 2 }, { arbitrary: fc.array(pools.addresses, { minLength: 1, maxLength: 2 }), weight: 1 }),
      headers: stringMap(["X-Out"], ["1"]),
      headersToAttributes: fc.dictionary(pools.headerNames, fc.constantFrom("customer", "sip.phoneNumber", "sip.twilio.accountSid", "sip.callIDFull"), { maxKeys: 2 }),
      attributesToHeaders: stringMap(["customer"], ["X-Customer"]),
      includeHeaders: fc.constantFrom("SIP_NO_HEADERS" as const, "SIP_X_HEADERS" as const, "SIP_ALL_HEADERS" as const),
      ringingTimeout: fc.option(fc.constantFrom("0s", "30s"), { nil: undefined }),
      maxCallDuration: fc.option(fc.constantFrom("3600s"), { nil: undefined }),
      krispEnabled: fc.boolean(),
      mediaEncryption: fc.constantFrom(...ENCRYPTIONS),
      media: mediaArb,
    })
    .map((t) => {
      const trunk: SIPInboundTrunkInfo = {
        sipTrunkId: id,
        name: t.name,
        metadata: "",
        numbers: t.numbers,
        allowedAddresses: t.allowedAddresses,
        allowedNumbers: t.allowedNumbers,
        authUsername: "",
        authPassword: "",
        authRealm: "",
        headers: t.headers,
        headersToAttributes: t.headersToAttributes,
        attributesToHeaders: t.attributesToHeaders,
        includeHeaders: t.includeHeaders,
        krispEnabled: t.krispEnabled,
        mediaEncryption: t.mediaEncryption,
      };
      if (t.ringingTimeout !== undefined) trunk.ringingTimeout = t.ringingTimeout;
      if (t.maxCallDuration !== undefined) trunk.maxCallDuration = t.maxCallDuration;
      if (t.media !== undefined) trunk.media = t.media;
      return trunk;
    });
}

function kindArb(pools: Pools): fc.Arbitrary<SIPDispatchRule | undefined> {
  return fc.oneof(
    { arbitrary: fc.record({ roomName: pools.rooms, pin: pools.pins }).map((d) => ({ dispatchRuleDirect: d })), weight: 12 },
    {
      arbitrary: fc.record({ roomPrefix: pools.rooms, pin: pools.pins, noRandomness: fc.boolean() }).map((d) => ({ dispatchRuleIndividual: d })),
      weight: 12,
    },
    {
      arbitrary: fc.record({ roomPrefix: pools.rooms, pin: pools.pins, randomize: fc.boolean() }).map((d) => ({ dispatchRuleCallee: d })),
      weight: 12,
    },
    { arbitrary: fc.constantFrom<SIPDispatchRule | undefined>(undefined, {}), weight: 1 }, // kind-less: rare, it fails whole candidate sets
  );
}

export function ruleArb(id: string, pools: Pools = collidingPools): fc.Arbitrary<SIPDispatchRuleInfo> {
  return fc
    .record({
      rule: kindArb(pools),
      trunkIds: listOf(NAMED_TRUNK_IDS, 2, 1),
      hidePhoneNumber: fc.boolean(),
      inboundNumbers: fc.oneof({ arbitrary: fc.constant([] as string[]), weight: 3 }, { arbitrary: fc.array(pools.numbers, { minLength: 1, maxLength: 2 }), weight: 1 }),
      numbers: fc.oneof({ arbitrary: fc.constant([] as string[]), weight: 3 }, { arbitrary: fc.array(pools.numbers, { minLength: 1, maxLength: 2 }), weight: 1 }),
      name: pools.names,
      metadata: fc.constantFrom("", "md"),
      attributes: stringMap(["tier", "sip.phoneNumber", "sip.trunkID"], ["gold", "x"]),
      roomPreset: fc.constantFrom("", "preset"),
      roomConfig: fc.option(roomConfigArb, { nil: undefined, freq: 4 }),
      krispEnabled: fc.boolean(),
      mediaEncryption: fc.constantFrom(...ENCRYPTIONS),
      media: mediaArb,
    })
    .map((r) => {
      const rule: SIPDispatchRuleInfo = {
        sipDispatchRuleId: id,
        trunkIds: r.trunkIds,
        hidePhoneNumber: r.hidePhoneNumber,
        inboundNumbers: r.inboundNumbers,
        numbers: r.numbers,
        name: r.name,
        metadata: r.metadata,
        attributes: r.attributes,
        roomPreset: r.roomPreset,
        krispEnabled: r.krispEnabled,
        mediaEncryption: r.mediaEncryption,
      };
      if (r.rule !== undefined) rule.rule = r.rule;
      if (r.roomConfig !== undefined) rule.roomConfig = r.roomConfig;
      if (r.media !== undefined) rule.media = r.media;
      return rule;
    });
}

export interface Config {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
}

/** A configuration with unique ids (as LiveKit stores them) drawn from small pools. */
export function configArb(pools: Pools = collidingPools): fc.Arbitrary<Config> {
  const trunks = fc
    .uniqueArray(fc.constantFrom(...TRUNK_IDS), { maxLength: TRUNK_IDS.length })
    .chain((ids): fc.Arbitrary<SIPInboundTrunkInfo[]> => (ids.length === 0 ? fc.constant([]) : fc.tuple(...ids.map((id) => trunkArb(id, pools)))));
  const rules = fc
    .uniqueArray(fc.constantFrom(...RULE_IDS), { maxLength: 5 })
    .chain((ids): fc.Arbitrary<SIPDispatchRuleInfo[]> => (ids.length === 0 ? fc.constant([]) : fc.tuple(...ids.map((id) => ruleArb(id, pools)))));
  return fc.record({ trunks, rules });
}

/** `undefined` (the key left out) with weight `absent`, else a value. */
const sometimes = <T>(arb: fc.Arbitrary<T>, absent = 1, present = 1): fc.Arbitrary<T | undefined> =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: arb, weight: present });

export function callArb(pools: Pools = collidingPools): fc.Arbitrary<InboundCall> {
  const party = fc.oneof(pools.numbers, fc.record({ user: pools.numbers, host: pools.hosts }, { requiredKeys: ["user"] }));
  return fc
    .record({
      from: party,
      to: party,
      sourceIp: sometimes(pools.sourceIps),
      callId: sometimes(fc.constantFrom("SCL_call", "")),
      sipCallId: sometimes(fc.constantFrom("abc@pbx")),
      headers: sometimes(fc.dictionary(pools.headerNames, fc.constantFrom("v1", "+15550100"), { maxKeys: 3 })),
      trunkId: sometimes(fc.constantFrom(...NAMED_TRUNK_IDS, ""), 2, 1),
      pin: sometimes(pools.pins, 3, 1),
      noPin: sometimes(fc.boolean(), 4, 1),
      extraAttributes: sometimes(stringMap(["extra", "sip.callID"], ["e"]), 3, 1),
    })
    .map((fields) => {
      const call: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(fields)) if (value !== undefined) call[key] = value;
      return call as unknown as InboundCall;
    });
}

export const RANDOM_ID = "RANDOM123456";
const fixedRandomId = (): string => RANDOM_ID;

export const optionsArb: fc.Arbitrary<ResolveOptions> = fc.record({
  trace: fc.boolean(),
  strict: fc.boolean(),
  randomId: fc.constant(fixedRandomId),
});

// ---------------------------------------------------------------------------------------------
// Crowded configurations: many rules on the same one or two called numbers, so that the compiled
// index's buckets hold several rules each and the tie-breaks decide. Rules are conflict-free (a
// conflict fails the whole candidate set, which hides which rule would have won), trunks admit
// every caller, and calls dial the crowded numbers.

/** Each crowded number in its E.164 form first, then spellings that normalise alike. */
const CROWDED_NUMBERS = [
  ["+15550100", "1 555 0100", "15550100"],
  ["+15550200", "+1 (555) 0200"],
] as const;
const CROWDED_CALLERS = [
  ["+15551111", "1 555 1111"],
  ["+15552222", "15552222"],
] as const;
const CROWDED_PINS = ["", "", "1234", "5678"];

/** A number filter: the logical numbers it lists (indexes into the pool), and how it spells them. */
interface Filter {
  logicals: number[];
  spellings: string[];
}

/**
 * No filter, or one number as E.164 or another spelling, or both numbers with one spelled
 * otherwise (strict mode must normalise a list that mixes forms). Never one number twice: LiveKit
 * counts that as the rule conflicting with itself.
 */
const filterArb = (pool: readonly (readonly string[])[]): fc.Arbitrary<Filter> =>
  fc.oneof(
    { arbitrary: fc.constant<Filter>({ logicals: [], spellings: [] }), weight: 2 },
    {
      arbitrary: fc.tuple(fc.nat(pool.length - 1), fc.boolean()).map(([n, e164]): Filter => ({ logicals: [n], spellings: [pool[n]![e164 ? 0 : 1]!] })),
      weight: 3,
    },
    {
      arbitrary: fc.nat(pool.length - 1).map((other): Filter => ({
        logicals: pool.map((_, i) => i),
        spellings: pool.map((spellings, i) => spellings[i === other ? 1 : 0]!),
      })),
      weight: 1,
    },
  );

interface CrowdedRuleSpec {
  kind: "direct" | "individual";
  room: string;
  pin: string;
  trunk: number | undefined;
  numbers: Filter;
  callers: Filter;
}

const crowdedRuleSpecArb: fc.Arbitrary<CrowdedRuleSpec> = fc.record({
  // Mostly one kind, so that priorities tie often.
  kind: fc.constantFrom<"direct" | "individual">("direct", "direct", "direct", "individual"),
  room: fc.constantFrom("a", "b"),
  pin: fc.constantFrom(...CROWDED_PINS),
  trunk: fc.option(fc.nat(2), { nil: undefined, freq: 3 }),
  numbers: filterArb(CROWDED_NUMBERS),
  callers: filterArb(CROWDED_CALLERS),
});

/** LiveKit's conflict keys of a spec, on logical numbers: (pin, trunk, caller, number). */
function specKeys(spec: CrowdedRuleSpec, trunkIds: readonly string[]): string[] {
  const trunk = spec.trunk === undefined ? "" : trunkIds[spec.trunk];
  const callers = spec.callers.logicals.length === 0 ? [""] : spec.callers.logicals;
  const numbers = spec.numbers.logicals.length === 0 ? [""] : spec.numbers.logicals;
  return callers.flatMap((caller) => numbers.map((number) => `${spec.pin}|${trunk}|${caller}|${number}`));
}

function crowdedTrunk(id: string, numbers: string[]): SIPInboundTrunkInfo {
  return { ...TRUNK_DEFAULTS, sipTrunkId: id, numbers };
}

function crowdedRule(id: string, spec: CrowdedRuleSpec, trunkIds: readonly string[]): SIPDispatchRuleInfo {
  const rule: SIPDispatchRule =
    spec.kind === "direct"
      ? { dispatchRuleDirect: { roomName: spec.room, pin: spec.pin } }
      : { dispatchRuleIndividual: { roomPrefix: spec.room, pin: spec.pin, noRandomness: true } };
  return {
    sipDispatchRuleId: id,
    rule,
    trunkIds: spec.trunk === undefined ? [] : [trunkIds[spec.trunk]!],
    hidePhoneNumber: false,
    inboundNumbers: spec.callers.spellings,
    numbers: spec.numbers.spellings,
    name: "",
    metadata: "",
    attributes: {},
    roomPreset: "",
    krispEnabled: false,
    mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
  };
}

/**
 * Three trunks on the crowded numbers (the third sometimes a default trunk with no numbers) and
 * 2 to 10 conflict-free rules on those numbers: shared numbers, trunk-specific rules that filter
 * on the called number, several default rules per number with and without pins, equal
 * priorities with equal or different rooms. Rule ids are assigned in shuffled order, so that
 * neither the room nor the id order follows the order the compiled index buckets rules in.
 */
export function crowdedConfigArb(): fc.Arbitrary<Config> {
  const trunkIds = ["ST_a", "ST_b", "ST_c"];
  const trunks = fc
    .tuple(
      // Now and then two trunks serve +15550200: a trunk conflict for calls to it.
      fc.constantFrom<string[]>(["+15550100"], ["+15550100"], ["+15550100"], ["+15550100", "+15550200"]),
      fc.constantFrom<string[]>(["+15550200"], ["1 555 0200"]),
      // A default trunk (no numbers) takes calls to numbers no trunk serves.
      fc.constantFrom<string[]>([], ["+15559999"]),
    )
    .map(([a, b, c]) => [crowdedTrunk("ST_a", a), crowdedTrunk("ST_b", b), crowdedTrunk("ST_c", c)]);
  const rules = fc.array(crowdedRuleSpecArb, { minLength: 2, maxLength: 10 }).chain((specs) => {
    const seen = new Set<string>();
    const kept = specs.filter((spec) => {
      const keys = specKeys(spec, trunkIds);
      if (keys.some((key) => seen.has(key))) return false;
      for (const key of keys) seen.add(key);
      return true;
    });
    const ids = kept.map((_, i) => `SDR_${String(i).padStart(2, "0")}`);
    return fc.shuffledSubarray(ids, { minLength: ids.length, maxLength: ids.length }).map((order) => kept.map((spec, i) => crowdedRule(order[i]!, spec, trunkIds)));
  });
  return fc.record({ trunks, rules });
}

/** Calls to the crowded numbers, in any of their spellings, with and without pins and trunk ids. */
export function crowdedCallArb(): fc.Arbitrary<InboundCall> {
  const spelled = (pool: readonly (readonly string[])[]) =>
    fc.oneof({ arbitrary: fc.constantFrom(...pool.map((spellings) => spellings[0]!)), weight: 3 }, { arbitrary: fc.constantFrom(...pool.flat()), weight: 1 });
  return fc
    .record({
      from: fc.oneof({ arbitrary: spelled(CROWDED_CALLERS), weight: 4 }, { arbitrary: fc.constant("+15553333"), weight: 1 }),
      to: spelled(CROWDED_NUMBERS),
      pin: sometimes(fc.constantFrom("1234", "5678", "0000"), 2, 1),
      noPin: sometimes(fc.constant(true), 4, 1),
      trunkId: sometimes(fc.constantFrom("ST_a", "ST_b", "ST_c"), 4, 1),
    })
    .map((fields) => {
      const call: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(fields)) if (value !== undefined) call[key] = value;
      return call as unknown as InboundCall;
    });
}
