import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import type { SIPDispatchRule, SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import { upgradeMedia, type SIPMediaConfig, type SIPMediaEncryption } from "../../src/model/media.js";
import type { Result } from "../../src/model/result.js";
import { applyDispatchRuleUpdate, applyInboundTrunkUpdate, replaceDispatchRule, replaceInboundTrunk } from "../../src/lifecycle/update.js";
import type { ListUpdate, SIPDispatchRuleUpdate, SIPInboundTrunkUpdate } from "../../src/model/updates.js";

const DISABLE = "SIP_MEDIA_ENCRYPT_DISABLE";
const ALLOW = "SIP_MEDIA_ENCRYPT_ALLOW";
const REQUIRE = "SIP_MEDIA_ENCRYPT_REQUIRE";

const direct = (pin = "", roomName = "room"): SIPDispatchRule => ({ dispatchRuleDirect: { roomName, pin } });

const rule = (over: Partial<SIPDispatchRuleInfo> = {}): SIPDispatchRuleInfo => ({
  sipDispatchRuleId: "SDR_stored",
  rule: direct("1234"),
  trunkIds: ["ST_1"],
  hidePhoneNumber: true,
  inboundNumbers: ["+1"],
  numbers: ["+2"],
  name: "Main",
  metadata: "meta",
  attributes: { keep: "k", change: "old", drop: "d" },
  roomPreset: "preset",
  roomConfig: { name: "", emptyTimeout: 5, departureTimeout: 0, maxParticipants: 0, metadata: "", minPlayoutDelay: 0, maxPlayoutDelay: 0, syncStreams: false, agents: [], tags: {} },
  krispEnabled: true,
  mediaEncryption: DISABLE,
  ...over,
});

const trunk = (over: Partial<SIPInboundTrunkInfo> = {}): SIPInboundTrunkInfo => ({
  sipTrunkId: "ST_stored",
  name: "Trunk",
  metadata: "",
  numbers: ["+15550100"],
  allowedAddresses: [],
  allowedNumbers: [],
  authUsername: "",
  authPassword: "",
  authRealm: "",
  headers: { "X-Org": "acme" },
  headersToAttributes: { "X-Tenant": "tenant" },
  attributesToHeaders: {},
  includeHeaders: "SIP_X_HEADERS",
  ringingTimeout: "30s",
  krispEnabled: true,
  mediaEncryption: DISABLE,
  ...over,
});

const ruleUpdate = (over: Partial<SIPDispatchRuleUpdate> = {}): SIPDispatchRuleUpdate => ({ attributes: {}, ...over });
const lu = (over: Partial<ListUpdate>): ListUpdate => ({ set: [], add: [], remove: [], clear: false, ...over });
const media = (over: Partial<SIPMediaConfig> = {}): SIPMediaConfig => ({ onlyListedCodecs: false, codecs: [], ...over });

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function errorOf<T>(result: Result<T>) {
  if (result.ok) throw new Error("expected a failure");
  return { code: result.error.code, message: result.error.message, paths: (result.error.issues ?? []).map((i) => i.path) };
}

/** Applies to deep-frozen inputs, so any mutation throws. */
const apply = (r: SIPDispatchRuleInfo, u: SIPDispatchRuleUpdate) => applyDispatchRuleUpdate(deepFreeze(r), deepFreeze(u));

describe("applyDispatchRuleUpdate: the fields of SIPDispatchRuleUpdate", () => {
  test("trunkIds: a ListUpdate, remove then add", () => {
    const out = valueOf(apply(rule({ trunkIds: ["a", "b", "c"] }), ruleUpdate({ trunkIds: lu({ add: ["b", "d"], remove: ["c", "e"] }) })));
    expect(out.trunkIds).toEqual(["a", "b", "d"]);
  });

  test("trunkIds: clear makes a default rule", () => {
    expect(valueOf(apply(rule(), ruleUpdate({ trunkIds: lu({ clear: true }) }))).trunkIds).toEqual([]);
  });

  test("trunkIds: set is verbatim (a duplicate is the conflict checker's business)", () => {
    expect(valueOf(apply(rule(), ruleUpdate({ trunkIds: lu({ set: ["a", "a"] }) }))).trunkIds).toEqual(["a", "a"]);
  });

  test.each([
    { name: "an empty ListUpdate (what lk --trunks \"\" sends)", u: lu({}), message: "unsupported list update operation", paths: [["trunkIds"]] },
    { name: "clear with add", u: lu({ clear: true, add: ["a"] }), message: "cannot clear and change the list at the same time", paths: [["trunkIds", "clear"]] },
    { name: "set with remove", u: lu({ set: ["a"], remove: ["b"] }), message: "cannot set and change the list at the same time", paths: [["trunkIds", "set"]] },
    { name: "an empty element", u: lu({ add: ["a", ""] }), message: "empty element in the list", paths: [["trunkIds", "add", 1]] },
  ])("trunkIds: $name is invalid_list_update", ({ u, message, paths }) => {
    expect(errorOf(apply(rule(), ruleUpdate({ trunkIds: u })))).toEqual({ code: "invalid_list_update", message, paths });
  });

  test("rule: replaced whole; the pin and flags of the old kind are gone", () => {
    const out = valueOf(apply(rule(), ruleUpdate({ rule: { dispatchRuleIndividual: { roomPrefix: "call", pin: "", noRandomness: true } } })));
    expect(out.rule).toEqual({ dispatchRuleIndividual: { roomPrefix: "call", pin: "", noRandomness: true } });
  });

  test("rule: replacing only the room still drops the pin (no partial merge)", () => {
    const out = valueOf(apply(rule(), ruleUpdate({ rule: { dispatchRuleDirect: { roomName: "other", pin: "" } } })));
    expect(out.rule).toEqual({ dispatchRuleDirect: { roomName: "other", pin: "" } });
  });

  test("rule: an empty wrapper is rejected with LiveKit's later text", () => {
    expect(errorOf(apply(rule(), ruleUpdate({ rule: {} })))).toEqual({
      code: "missing_rule",
      message: "unsupported SIP Dispatch Rule: <nil>",
      paths: [["rule"]],
    });
  });

  test("a stored rule without a kind cannot be updated without giving one", () => {
    expect(errorOf(apply(rule({ rule: undefined }), ruleUpdate({ name: "x" })))).toEqual({ code: "missing_rule", message: "missing rule", paths: [["rule"]] });
    expect(valueOf(apply(rule({ rule: undefined }), ruleUpdate({ rule: direct() }))).rule).toEqual(direct());
  });

  test.each([
    { field: "name" as const, value: "New", expected: "New" },
    { field: "name" as const, value: "", expected: "" },
    { field: "metadata" as const, value: '{"a":1}', expected: '{"a":1}' },
    { field: "metadata" as const, value: "", expected: "" },
  ])("$field set to $value (\"\" clears)", ({ field, value, expected }) => {
    expect(valueOf(apply(rule(), ruleUpdate({ [field]: value })))[field]).toBe(expected);
  });

  test("name and metadata absent: unchanged", () => {
    const out = valueOf(apply(rule(), ruleUpdate()));
    expect([out.name, out.metadata]).toEqual(["Main", "meta"]);
  });

  test("attributes: a diff; an empty value deletes; keys not mentioned stay", () => {
    const out = valueOf(apply(rule(), ruleUpdate({ attributes: { change: "new", drop: "", add: "a", absent: "" } })));
    expect(out.attributes).toEqual({ keep: "k", change: "new", add: "a" });
  });

  test("attributes: __proto__ stays a data key, in the stored rule and in the diff", () => {
    const stored = rule({ attributes: JSON.parse('{"__proto__":"stored","x":"1"}') as Record<string, string> });
    const out = valueOf(apply(stored, ruleUpdate({ attributes: JSON.parse('{"__proto__":"set","polluted":"yes"}') as Record<string, string> })));
    expect(Object.getPrototypeOf(out.attributes)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out.attributes, "__proto__")?.value).toBe("set");
    expect(Object.keys(out.attributes)).toEqual(["__proto__", "x", "polluted"]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const deleted = valueOf(apply(stored, ruleUpdate({ attributes: JSON.parse('{"__proto__":""}') as Record<string, string> })));
    expect(Object.keys(deleted.attributes)).toEqual(["x"]);
    expect(Object.getPrototypeOf(deleted.attributes)).toBe(Object.prototype);
  });

  test("there is no field for hidePhoneNumber, inboundNumbers, numbers, roomPreset, roomConfig or krispEnabled", () => {
    const stored = rule();
    const out = valueOf(apply(stored, ruleUpdate({ name: "x", rule: direct() })));
    for (const field of ["hidePhoneNumber", "inboundNumbers", "numbers", "roomPreset", "roomConfig", "krispEnabled", "sipDispatchRuleId"] as const)
      expect(out[field]).toEqual(stored[field]);
  });

  test("an invalid media config is invalid_media, with its path", () => {
    expect(errorOf(apply(rule(), ruleUpdate({ media: media({ codecs: [{ name: "PCMU/8000", rate: 8000 }] }) })))).toEqual({
      code: "invalid_media",
      message: "codec name must not contain '/'",
      paths: [["media", "codecs", 0, "name"]],
    });
  });

  test("the update is validated before anything: a bad ListUpdate wins over a missing kind", () => {
    expect(errorOf(apply(rule({ rule: undefined }), ruleUpdate({ trunkIds: lu({}) }))).code).toBe("invalid_list_update");
  });
});

describe("applyDispatchRuleUpdate: media and the legacy mediaEncryption", () => {
  const cases: {
    name: string;
    stored: { media?: SIPMediaConfig; mediaEncryption: SIPMediaEncryption };
    update: Partial<SIPDispatchRuleUpdate>;
    media: SIPMediaConfig;
    legacy: SIPMediaEncryption;
  }[] = [
    { name: "every update adds media: {}", stored: { mediaEncryption: DISABLE }, update: {}, media: media(), legacy: DISABLE },
    { name: "a legacy-only rule is upgraded", stored: { mediaEncryption: REQUIRE }, update: {}, media: media({ encryption: REQUIRE }), legacy: REQUIRE },
    {
      name: "media replaced whole: codecs go, timeout set",
      stored: { media: media({ codecs: [{ name: "PCMU", rate: 8000 }], onlyListedCodecs: true }), mediaEncryption: DISABLE },
      update: { media: media({ mediaTimeout: "10s" }) },
      media: media({ mediaTimeout: "10s" }),
      legacy: DISABLE,
    },
    {
      name: "encryption is sticky across media: {}",
      stored: { media: media({ encryption: REQUIRE }), mediaEncryption: REQUIRE },
      update: { media: media() },
      media: media({ encryption: REQUIRE }),
      legacy: REQUIRE,
    },
    {
      name: "encryption is sticky across media: {mediaTimeout}",
      stored: { media: media({ encryption: ALLOW }), mediaEncryption: ALLOW },
      update: { media: media({ mediaTimeout: "10s" }) },
      media: media({ encryption: ALLOW, mediaTimeout: "10s" }),
      legacy: ALLOW,
    },
    {
      name: "an explicit DISABLE turns it off",
      stored: { media: media({ encryption: REQUIRE }), mediaEncryption: REQUIRE },
      update: { media: media({ encryption: DISABLE }) },
      media: media({ encryption: DISABLE }),
      legacy: DISABLE,
    },
    {
      name: "a legacy-only update is reverted when media.encryption is set",
      stored: { media: media({ encryption: ALLOW }), mediaEncryption: ALLOW },
      update: { mediaEncryption: REQUIRE },
      media: media({ encryption: ALLOW }),
      legacy: ALLOW,
    },
    {
      name: "a legacy-only update applies when media.encryption is unset",
      stored: { mediaEncryption: DISABLE },
      update: { mediaEncryption: REQUIRE },
      media: media({ encryption: REQUIRE }),
      legacy: REQUIRE,
    },
    {
      name: "a legacy DISABLE does not set media.encryption",
      stored: { mediaEncryption: DISABLE },
      update: { mediaEncryption: DISABLE },
      media: media(),
      legacy: DISABLE,
    },
    {
      name: "media.encryption downgrades the legacy field",
      stored: { media: media({ encryption: REQUIRE }), mediaEncryption: DISABLE },
      update: {},
      media: media({ encryption: REQUIRE }),
      legacy: REQUIRE,
    },
    {
      name: "media and legacy together: media wins when it sets encryption",
      stored: { mediaEncryption: DISABLE },
      update: { media: media({ encryption: ALLOW }), mediaEncryption: REQUIRE },
      media: media({ encryption: ALLOW }),
      legacy: ALLOW,
    },
    {
      name: "media and legacy together: the legacy value fills an unset encryption",
      stored: { mediaEncryption: DISABLE },
      update: { media: media(), mediaEncryption: REQUIRE },
      media: media({ encryption: REQUIRE }),
      legacy: REQUIRE,
    },
  ];
  test.each(cases)("$name", ({ stored, update, media: expectedMedia, legacy }) => {
    const out = valueOf(apply(rule({ ...stored }), ruleUpdate(update)));
    expect(out.media).toEqual(expectedMedia);
    expect(out.mediaEncryption).toBe(legacy);
  });
});

describe("applyDispatchRuleUpdate: never mutates, never shares", () => {
  test("the result shares no object with either input", () => {
    const stored = rule({ media: media({ codecs: [{ name: "PCMU", rate: 8000 }] }) });
    const update = ruleUpdate({ rule: direct("9"), media: media({ codecs: [{ name: "G722", rate: 16000 }] }) });
    const before = structuredClone({ stored, update });
    const out = valueOf(applyDispatchRuleUpdate(stored, update));
    out.rule!.dispatchRuleDirect!.pin = "changed";
    out.media!.codecs[0]!.name = "changed";
    out.attributes.keep = "changed";
    out.trunkIds.push("changed");
    (out.roomConfig as { emptyTimeout: number }).emptyTimeout = 99;
    expect({ stored, update }).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------

const encryption = fc.constantFrom<SIPMediaEncryption>(DISABLE, ALLOW, REQUIRE);
const arbMedia = fc.record(
  {
    onlyListedCodecs: fc.boolean(),
    codecs: fc.array(fc.record({ name: fc.constantFrom("PCMU", "G722", "opus"), rate: fc.constantFrom(0, 8000) }), { maxLength: 2 }),
    encryption,
    mediaTimeout: fc.constantFrom("0s", "10s", "600s"),
  },
  { requiredKeys: ["onlyListedCodecs", "codecs"] },
);
const arbRule = fc
  .record({
    rule: fc.oneof(
      fc.record({ dispatchRuleDirect: fc.record({ roomName: fc.string(), pin: fc.constantFrom("", "12") }) }),
      fc.record({ dispatchRuleIndividual: fc.record({ roomPrefix: fc.string(), pin: fc.constantFrom("", "12"), noRandomness: fc.boolean() }) }),
      fc.record({ dispatchRuleCallee: fc.record({ roomPrefix: fc.string(), pin: fc.constantFrom("", "12"), randomize: fc.boolean() }) }),
    ),
    trunkIds: fc.array(fc.constantFrom("ST_1", "ST_2")),
    name: fc.string(),
    metadata: fc.string(),
    attributes: fc.dictionary(fc.constantFrom("a", "b", "__proto__", "constructor"), fc.string({ minLength: 1 })),
    mediaEncryption: encryption,
    media: fc.option(arbMedia, { nil: undefined }),
    hidePhoneNumber: fc.boolean(),
    krispEnabled: fc.boolean(),
  })
  .map((r) => rule(r));

describe("applyDispatchRuleUpdate: laws", () => {
  test.prop([arbRule])("an empty update only upgrades media (and downgrades the legacy field)", (stored) => {
    const out = valueOf(apply(stored, ruleUpdate()));
    const upgraded = upgradeMedia(stored.media, stored.mediaEncryption);
    expect(out).toEqual({ ...stored, media: upgraded, mediaEncryption: upgraded.encryption ?? DISABLE });
  });

  test.prop([arbRule, fc.dictionary(fc.constantFrom("a", "b", "c", "__proto__"), fc.constantFrom("", "x"))])(
    "attributes: every key of the diff is set or deleted, every other key kept",
    (stored, diff) => {
      const out = valueOf(apply(stored, ruleUpdate({ attributes: diff })));
      const entries = new Map(Object.entries(out.attributes));
      for (const [k, v] of Object.entries(diff)) expect(entries.get(k)).toBe(v === "" ? undefined : v);
      for (const [k, v] of Object.entries(stored.attributes)) if (!Object.hasOwn(diff, k)) expect(entries.get(k)).toBe(v);
      expect(Object.getPrototypeOf(out.attributes)).toBe(Object.prototype);
    },
  );

  test.prop([arbRule, fc.option(arbMedia, { nil: undefined }), fc.option(encryption, { nil: undefined })])(
    "media: the result always has media, and the legacy field mirrors its encryption",
    (stored, m, legacy) => {
      const out = valueOf(apply(stored, ruleUpdate({ media: m, mediaEncryption: legacy })));
      expect(out.media).toBeDefined();
      expect(out.mediaEncryption).toBe(out.media!.encryption ?? DISABLE);
    },
  );
});

// ---------------------------------------------------------------------------------------------

const trunkUpdate = (over: Partial<SIPInboundTrunkUpdate> = {}): SIPInboundTrunkUpdate => over;
const applyTrunk = (t: SIPInboundTrunkInfo, u: SIPInboundTrunkUpdate) => applyInboundTrunkUpdate(deepFreeze(t), deepFreeze(u));
const SECURITY = "for security, one of the fields must be set: AuthUsername+AuthPassword, AllowedAddresses or Numbers";

describe("applyInboundTrunkUpdate", () => {
  test("lists are ListUpdates, scalars set when present", () => {
    const out = valueOf(
      applyTrunk(
        trunk({ allowedNumbers: ["+1", "+2"] }),
        trunkUpdate({
          numbers: lu({ add: ["+15550101"] }),
          allowedAddresses: lu({ set: ["10.0.0.0/8"] }),
          allowedNumbers: lu({ remove: ["+1"] }),
          authUsername: "u",
          authPassword: "p",
          authRealm: "sip.example.com",
          name: "",
          metadata: "m",
        }),
      ),
    );
    expect(out).toMatchObject({
      numbers: ["+15550100", "+15550101"],
      allowedAddresses: ["10.0.0.0/8"],
      allowedNumbers: ["+2"],
      authUsername: "u",
      authPassword: "p",
      authRealm: "sip.example.com",
      name: "",
      metadata: "m",
    });
  });

  test("headers, mappings, timeouts and krisp are untouched; media is upgraded", () => {
    const stored = trunk({ mediaEncryption: ALLOW });
    const out = valueOf(applyTrunk(stored, trunkUpdate({ name: "x" })));
    for (const field of ["headers", "headersToAttributes", "attributesToHeaders", "includeHeaders", "ringingTimeout", "krispEnabled", "sipTrunkId"] as const)
      expect(out[field]).toEqual(stored[field]);
    expect(out.media).toEqual(media({ encryption: ALLOW }));
    expect(out.mediaEncryption).toBe(ALLOW);
  });

  test("encryption is sticky across a media replacement, as for rules", () => {
    const out = valueOf(applyTrunk(trunk({ media: media({ encryption: REQUIRE }), mediaEncryption: REQUIRE }), trunkUpdate({ media: media() })));
    expect(out.media).toEqual(media({ encryption: REQUIRE }));
  });

  test.each([
    { field: "numbers" as const, u: lu({}), message: "unsupported list update operation", path: ["numbers"] },
    { field: "allowedAddresses" as const, u: lu({ set: [""] }), message: "empty element in the list", path: ["allowedAddresses", "set", 0] },
    { field: "allowedNumbers" as const, u: lu({ clear: true, remove: ["x"] }), message: "cannot clear and change the list at the same time", path: ["allowedNumbers", "clear"] },
  ])("$field: invalid_list_update", ({ field, u, message, path }) => {
    expect(errorOf(applyTrunk(trunk(), trunkUpdate({ [field]: u })))).toEqual({ code: "invalid_list_update", message, paths: [path] });
  });

  test("the update's lists are checked in LiveKit's order: numbers, allowedAddresses, allowedNumbers, media", () => {
    const e = errorOf(
      applyTrunk(
        trunk(),
        trunkUpdate({ allowedNumbers: lu({}), numbers: lu({ add: [""] }), media: media({ codecs: [{ name: "", rate: 0 }] }) }),
      ),
    );
    expect(e.paths).toEqual([["numbers", "add", 0], ["allowedNumbers"], ["media", "codecs", 0, "name"]]);
    expect(e.code).toBe("invalid_list_update");
  });

  test("clearing the last of numbers, addresses and auth fails the security rule", () => {
    expect(errorOf(applyTrunk(trunk(), trunkUpdate({ numbers: lu({ clear: true }) })))).toEqual({ code: "security", message: SECURITY, paths: [[]] });
    expect(valueOf(applyTrunk(trunk(), trunkUpdate({ numbers: lu({ clear: true }), authPassword: "p" }))).numbers).toEqual([]);
  });

  test("stored headers that are invalid make any update fail (LiveKit validates the result)", () => {
    expect(errorOf(applyTrunk(trunk({ headers: { "Call-ID": "x" } }), trunkUpdate({ name: "x" }))).code).toBe("invalid_header");
  });

  test.prop([fc.constantFrom<SIPMediaEncryption>(DISABLE, ALLOW, REQUIRE), fc.option(fc.constantFrom<SIPMediaEncryption>(DISABLE, ALLOW, REQUIRE), { nil: undefined })])(
    "an empty update only upgrades media",
    (legacy, enc) => {
      const stored = trunk({ mediaEncryption: legacy, media: enc === undefined ? undefined : media({ encryption: enc }) });
      const upgraded = upgradeMedia(stored.media, stored.mediaEncryption);
      expect(valueOf(applyTrunk(stored, trunkUpdate()))).toEqual({ ...stored, media: upgraded, mediaEncryption: upgraded.encryption ?? DISABLE });
    },
  );
});

describe("replaceDispatchRule", () => {
  test("a copy of the replacement with the stored id; no media upgrade", () => {
    const replacement = rule({ sipDispatchRuleId: "", name: "New", mediaEncryption: REQUIRE, media: undefined });
    const out = valueOf(replaceDispatchRule(deepFreeze(rule()), deepFreeze(replacement)));
    expect(out).toEqual({ ...replacement, sipDispatchRuleId: "SDR_stored" });
    expect(out.media).toBeUndefined();
    expect(out).not.toBe(replacement);
  });

  test("the same id is fine", () => {
    expect(valueOf(replaceDispatchRule(rule(), rule({ name: "x" }))).name).toBe("x");
  });

  test("another id is id_mismatch", () => {
    expect(errorOf(replaceDispatchRule(rule(), rule({ sipDispatchRuleId: "SDR_other" })))).toEqual({
      code: "id_mismatch",
      message: "rule id in the info must be empty or match the id in the update",
      paths: [["sipDispatchRuleId"]],
    });
  });

  test("the replacement is validated: a kind and valid media", () => {
    expect(errorOf(replaceDispatchRule(rule(), rule({ rule: undefined })))).toEqual({ code: "missing_rule", message: "missing rule", paths: [["rule"]] });
    expect(errorOf(replaceDispatchRule(rule(), rule({ media: media({ mediaTimeout: "-1s" }) }))).code).toBe("invalid_media");
  });

  test("a stored rule without an id (never stored) keeps the replacement's id", () => {
    expect(valueOf(replaceDispatchRule(rule({ sipDispatchRuleId: "" }), rule({ sipDispatchRuleId: "" }))).sipDispatchRuleId).toBe("");
  });
});

describe("replaceInboundTrunk", () => {
  test("a copy of the replacement with the stored id, validated in full", () => {
    const out = valueOf(replaceInboundTrunk(deepFreeze(trunk()), deepFreeze(trunk({ sipTrunkId: "", numbers: ["+2"] }))));
    expect(out).toEqual(trunk({ numbers: ["+2"] }));
    expect(errorOf(replaceInboundTrunk(trunk(), trunk({ sipTrunkId: "ST_x" })))).toEqual({
      code: "id_mismatch",
      message: "trunk id in the info must be empty or match the id in the update",
      paths: [["sipTrunkId"]],
    });
    expect(errorOf(replaceInboundTrunk(trunk(), trunk({ sipTrunkId: "", numbers: [] }))).code).toBe("security");
  });

  test("programmer errors throw TypeError", () => {
    expect(() => replaceInboundTrunk(trunk(), null as unknown as SIPInboundTrunkInfo)).toThrow(TypeError);
    expect(() => applyDispatchRuleUpdate(rule(), undefined as unknown as SIPDispatchRuleUpdate)).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------

/** The message of the TypeError `f` throws; anything else is reported as such. */
function typeErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    return error instanceof TypeError ? error.message : `not a TypeError: ${String(error)}`;
  }
  return "no error";
}

describe("programmer errors: a TypeError that names the function, the argument and the field, word for word", () => {
  type Argument = { name: string; type: string; valid: object };
  const functions: { fn: string; call: (first: unknown, second: unknown) => unknown; first: Argument; second: Argument }[] = [
    {
      fn: "applyDispatchRuleUpdate",
      call: (a, b) => applyDispatchRuleUpdate(a as SIPDispatchRuleInfo, b as SIPDispatchRuleUpdate),
      first: { name: "rule", type: "SIPDispatchRuleInfo", valid: rule() },
      second: { name: "update", type: "SIPDispatchRuleUpdate", valid: ruleUpdate() },
    },
    {
      fn: "applyInboundTrunkUpdate",
      call: (a, b) => applyInboundTrunkUpdate(a as SIPInboundTrunkInfo, b as SIPInboundTrunkUpdate),
      first: { name: "trunk", type: "SIPInboundTrunkInfo", valid: trunk() },
      second: { name: "update", type: "SIPInboundTrunkUpdate", valid: trunkUpdate() },
    },
    {
      fn: "replaceDispatchRule",
      call: (a, b) => replaceDispatchRule(a as SIPDispatchRuleInfo, b as SIPDispatchRuleInfo),
      first: { name: "stored", type: "SIPDispatchRuleInfo", valid: rule() },
      second: { name: "replacement", type: "SIPDispatchRuleInfo", valid: rule() },
    },
    {
      fn: "replaceInboundTrunk",
      call: (a, b) => replaceInboundTrunk(a as SIPInboundTrunkInfo, b as SIPInboundTrunkInfo),
      first: { name: "stored", type: "SIPInboundTrunkInfo", valid: trunk() },
      second: { name: "replacement", type: "SIPInboundTrunkInfo", valid: trunk() },
    },
  ];

  test.each(functions)("$fn", ({ fn, call, first, second }) => {
    for (const [position, { name, type, valid }] of [first, second].entries()) {
      const callWith = (value: unknown) => () => (position === 0 ? call(value, second.valid) : call(first.valid, value));
      for (const value of [null, undefined, 42, "x"]) expect(typeErrorOf(callWith(value))).toBe(`${fn}: ${name} must be a ${type} object`);
      expect(typeErrorOf(callWith({ ...valid, name: 5 }))).toBe(`${fn}: ${name} must be a ${type} object: ${type}.name: expected a string, got the number 5`);
    }
  });
});

describe("hand-built models without some fields (plain JS): an absent field reads as its default", () => {
  const { attributes: _attributes, trunkIds: _trunkIds, ...bareRule } = rule();
  const { allowedAddresses: _addresses, allowedNumbers: _numbers, ...bareTrunk } = trunk();

  test("an update without attributes changes none", () => {
    const out = valueOf(apply(rule(), { name: "New" } as SIPDispatchRuleUpdate));
    expect(out).toStrictEqual(valueOf(apply(rule(), ruleUpdate({ name: "New" }))));
    expect(out.attributes).toStrictEqual({ keep: "k", change: "old", drop: "d" });
  });

  test("a rule without attributes or trunkIds: an empty update adds neither, only media", () => {
    const out = valueOf(apply(bareRule as SIPDispatchRuleInfo, ruleUpdate()));
    expect(out).toStrictEqual({ ...bareRule, media: media(), mediaEncryption: DISABLE });
  });

  test("a rule without trunkIds: a ListUpdate applies to []", () => {
    expect(valueOf(apply(bareRule as SIPDispatchRuleInfo, ruleUpdate({ trunkIds: lu({ add: ["ST_1"] }) }))).trunkIds).toStrictEqual(["ST_1"]);
  });

  test("a rule without attributes: a diff applies to {}", () => {
    expect(valueOf(apply(bareRule as SIPDispatchRuleInfo, ruleUpdate({ attributes: { a: "1", b: "" } }))).attributes).toStrictEqual({ a: "1" });
  });

  test("a trunk without allowedAddresses or allowedNumbers: their ListUpdates apply to []", () => {
    const out = valueOf(
      applyTrunk(bareTrunk as SIPInboundTrunkInfo, trunkUpdate({ allowedAddresses: lu({ add: ["10.0.0.1"] }), allowedNumbers: lu({ remove: ["+1"], add: ["+2"] }) })),
    );
    expect([out.allowedAddresses, out.allowedNumbers]).toStrictEqual([["10.0.0.1"], ["+2"]]);
  });

  test("a trunk update without the scalar fields leaves the stored ones", () => {
    const stored = trunk({ authUsername: "user", authPassword: "secret", authRealm: "realm", name: "Trunk", metadata: "meta" });
    const out = valueOf(applyTrunk(stored, trunkUpdate({ numbers: lu({ add: ["+15550101"] }) })));
    expect([out.authUsername, out.authPassword, out.authRealm, out.name, out.metadata]).toStrictEqual(["user", "secret", "realm", "Trunk", "meta"]);
  });

  test("replace without ids on either side: the replacement as it is, with no id added", () => {
    const { sipDispatchRuleId: _ruleId, ...idlessRule } = rule({ name: "New" });
    expect(valueOf(replaceDispatchRule({ ...idlessRule, name: "Old" } as SIPDispatchRuleInfo, idlessRule as SIPDispatchRuleInfo))).toStrictEqual(idlessRule);
    const { sipTrunkId: _trunkId, ...idlessTrunk } = trunk({ name: "New" });
    expect(valueOf(replaceInboundTrunk({ ...idlessTrunk, name: "Old" } as SIPInboundTrunkInfo, idlessTrunk as SIPInboundTrunkInfo))).toStrictEqual(idlessTrunk);
  });
});

describe("replaceInboundTrunk: ids", () => {
  test("the same id is fine", () => {
    expect(valueOf(replaceInboundTrunk(trunk(), trunk({ name: "x" })))).toStrictEqual(trunk({ name: "x" }));
  });

  test("a replacement without an id takes the stored one (rules too)", () => {
    const { sipTrunkId: _trunkId, ...idless } = trunk({ name: "x" });
    expect(valueOf(replaceInboundTrunk(trunk(), idless as SIPInboundTrunkInfo))).toStrictEqual(trunk({ name: "x" }));
    const { sipDispatchRuleId: _ruleId, ...idlessRule } = rule({ name: "x" });
    expect(valueOf(replaceDispatchRule(rule(), idlessRule as SIPDispatchRuleInfo))).toStrictEqual(rule({ name: "x" }));
  });
});

describe("null is not absent in a model: the updates' null checks are never reached", () => {
  // The functions guard every update field with `!== null` as well as `!== undefined`; those
  // guards are defensive only, since checkModelArgument rejects a null field first (a model's
  // types have no null; only protojson input reads null as absent).
  const ruleFields = ["trunkIds", "rule", "name", "metadata", "attributes", "mediaEncryption", "media"] as const;
  const trunkFields = ["numbers", "allowedAddresses", "allowedNumbers", "authUsername", "authPassword", "authRealm", "name", "metadata", "mediaEncryption", "media"] as const;

  test.each(ruleFields)("applyDispatchRuleUpdate: update.%s = null", (field) => {
    const message = typeErrorOf(() => applyDispatchRuleUpdate(rule(), { ...ruleUpdate(), [field]: null } as never));
    expect(message).toMatch(new RegExp(`^applyDispatchRuleUpdate: update must be a SIPDispatchRuleUpdate object: SIPDispatchRuleUpdate\\.${field}: expected .+, got null$`));
  });

  test.each(trunkFields)("applyInboundTrunkUpdate: update.%s = null", (field) => {
    const message = typeErrorOf(() => applyInboundTrunkUpdate(trunk(), { [field]: null } as never));
    expect(message).toMatch(new RegExp(`^applyInboundTrunkUpdate: update must be a SIPInboundTrunkUpdate object: SIPInboundTrunkUpdate\\.${field}: expected .+, got null$`));
  });

  test.each(["trunkIds", "attributes"] as const)("applyDispatchRuleUpdate: rule.%s = null", (field) => {
    const message = typeErrorOf(() => applyDispatchRuleUpdate({ ...rule(), [field]: null } as never, ruleUpdate()));
    expect(message).toMatch(new RegExp(`^applyDispatchRuleUpdate: rule must be a SIPDispatchRuleInfo object: SIPDispatchRuleInfo\\.${field}: expected .+, got null$`));
  });
});
