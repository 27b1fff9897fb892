import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { compileDispatch } from "../../src/resolve/compile.js";
import { findDispatchRuleConflicts, findInboundTrunkConflicts } from "../../src/lifecycle/conflicts.js";
import { ruleTarget, type SIPDispatchRule, type SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import type { SIPMediaConfig } from "../../src/model/media.js";
import { LIVEKIT_ID_ALPHABET } from "../../src/resolve/random-id.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import type { Result } from "../../src/model/result.js";
import { createDispatchStore, type DispatchStore, type StoreChange } from "../../src/lifecycle/store.js";
import type { ListUpdate, SIPDispatchRuleUpdate, SIPInboundTrunkUpdate } from "../../src/model/updates.js";
import { RULE_DEFAULTS, TRUNK_DEFAULTS } from "../fixtures.js";
import { runs } from "../runs.js";

const direct = (pin = "", roomName = "room"): SIPDispatchRule => ({ dispatchRuleDirect: { roomName, pin } });

const rule = (over: Partial<SIPDispatchRuleInfo> = {}): SIPDispatchRuleInfo => ({
  ...RULE_DEFAULTS,
  sipDispatchRuleId: "",
  rule: direct(),
  ...over,
});

const trunk = (over: Partial<SIPInboundTrunkInfo> = {}): SIPInboundTrunkInfo => ({
  sipTrunkId: "",
  name: "",
  metadata: "",
  numbers: [],
  allowedAddresses: [],
  allowedNumbers: [],
  authUsername: "user",
  authPassword: "pass",
  authRealm: "",
  headers: {},
  headersToAttributes: {},
  attributesToHeaders: {},
  includeHeaders: "SIP_NO_HEADERS",
  krispEnabled: false,
  mediaEncryption: "SIP_MEDIA_ENCRYPT_DISABLE",
  ...over,
});

const lu = (over: Partial<ListUpdate>): ListUpdate => ({ set: [], add: [], remove: [], clear: false, ...over });
const media = (over: Partial<SIPMediaConfig> = {}): SIPMediaConfig => ({ onlyListedCodecs: false, codecs: [], ...over });

/** Ids in LiveKit's alphabet that sort in creation order: "222222222222", "222222222223", ... */
function counterIds(): () => string {
  let n = 0;
  return () => {
    let x = n++;
    let s = "";
    for (let i = 0; i < 12; i++) {
      s = LIVEKIT_ID_ALPHABET[x % LIVEKIT_ID_ALPHABET.length] + s;
      x = Math.floor(x / LIVEKIT_ID_ALPHABET.length);
    }
    return s;
  };
}

const fresh = () => createDispatchStore({ randomId: counterIds() });

function valueOf<T>(result: Result<StoreChange<T>>): StoreChange<T> {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

function errorOf(result: Result<unknown>) {
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

/** Applies operations in turn, each on the store the previous one returned. */
function build(store: DispatchStore, ...ops: ((s: DispatchStore) => Result<StoreChange<unknown>>)[]): DispatchStore {
  return ops.reduce((s, op) => valueOf(op(s)).store, store);
}

const ruleMessage = (id: string, name: string) =>
  `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "${id}" "${name}"`;

describe("create", () => {
  test("ids are ST_ / SDR_ and 12 characters of LiveKit's alphabet by default", () => {
    const s0 = createDispatchStore();
    const t = valueOf(s0.createInboundTrunk(trunk({ numbers: ["+1"] })));
    const r = valueOf(t.store.createDispatchRule(rule()));
    const chars = `[${LIVEKIT_ID_ALPHABET}]{12}`;
    expect(t.value.sipTrunkId).toMatch(new RegExp(`^ST_${chars}$`));
    expect(r.value.sipDispatchRuleId).toMatch(new RegExp(`^SDR_${chars}$`));
  });

  test("an injected generator decides the suffix", () => {
    const s = createDispatchStore({ randomId: () => "abcdefghijkm" });
    expect(valueOf(s.createDispatchRule(rule())).value.sipDispatchRuleId).toBe("SDR_abcdefghijkm");
  });

  test("a generator that repeats itself is retried, then id_collision", () => {
    const s = build(createDispatchStore({ randomId: () => "same" }), (x) => x.createDispatchRule(rule({ rule: direct("1") })));
    expect(errorOf(s.createDispatchRule(rule({ rule: direct("2") }))).code).toBe("id_collision");
    // a trunk may share the suffix: the prefixes differ
    expect(valueOf(s.createInboundTrunk(trunk())).value.sipTrunkId).toBe("ST_same");
  });

  test("a rule's media is upgraded as LiveKit's create does (no downgrade)", () => {
    const s = fresh();
    expect(valueOf(s.createDispatchRule(rule())).value.media).toEqual(media());
    const legacy = valueOf(s.createDispatchRule(rule({ mediaEncryption: "SIP_MEDIA_ENCRYPT_REQUIRE" }))).value;
    expect([legacy.media, legacy.mediaEncryption]).toEqual([media({ encryption: "SIP_MEDIA_ENCRYPT_REQUIRE" }), "SIP_MEDIA_ENCRYPT_REQUIRE"]);
    const modern = valueOf(s.createDispatchRule(rule({ media: media({ encryption: "SIP_MEDIA_ENCRYPT_ALLOW" }) }))).value;
    expect(modern.mediaEncryption).toBe("SIP_MEDIA_ENCRYPT_DISABLE");
  });

  test("a trunk is stored as given (LiveKit's trunk create does not upgrade)", () => {
    const given = trunk({ numbers: ["+1"], name: "Main" });
    const stored = valueOf(fresh().createInboundTrunk(given)).value;
    expect(stored).toEqual({ ...given, sipTrunkId: "ST_222222222222" });
    expect(stored.media).toBeUndefined();
  });

  test.each<{ name: string; op: (s: DispatchStore) => Result<unknown>; code: string; message: string }>([
    { name: "a rule with an id", op: (s: DispatchStore) => s.createDispatchRule(rule({ sipDispatchRuleId: "SDR_mine" })), code: "id_must_be_empty", message: "rule id must not be set" },
    { name: "a rule without a kind", op: (s: DispatchStore) => s.createDispatchRule(rule({ rule: undefined })), code: "missing_rule", message: "missing rule" },
    { name: "a rule with an empty oneof", op: (s: DispatchStore) => s.createDispatchRule(rule({ rule: {} })), code: "missing_rule", message: "unsupported SIP Dispatch Rule: <nil>" },
    { name: "a trunk with an id", op: (s: DispatchStore) => s.createInboundTrunk(trunk({ sipTrunkId: "ST_mine" })), code: "id_must_be_empty", message: "trunk id must not be set" },
    {
      name: "an open trunk",
      op: (s: DispatchStore) => s.createInboundTrunk(trunk({ authUsername: "", authPassword: "" })),
      code: "security",
      message: "for security, one of the fields must be set: AuthUsername+AuthPassword, AllowedAddresses or Numbers",
    },
  ])("create-time validation: $name", ({ op, code, message }) => {
    const s = fresh();
    const e = errorOf(op(s));
    expect([e.code, e.message]).toEqual([code, message]);
    expect(s.rules).toEqual([]);
    expect(s.trunks).toEqual([]);
  });

  test("a conflict with the first listed rule names it", () => {
    const s = build(fresh(), (x) => x.createDispatchRule(rule({ trunkIds: ["ST_x"], name: "First" })), (x) => x.createDispatchRule(rule({ trunkIds: ["ST_y"], name: "Second" })));
    const [first] = s.rules;
    const e = errorOf(s.createDispatchRule(rule({ trunkIds: ["ST_x"], name: "Third" })));
    expect(e).toEqual({
      code: "rule_conflict",
      message: ruleMessage(first!.sipDispatchRuleId, "First"),
      issues: [{ path: [], code: "rule_conflict", message: ruleMessage(first!.sipDispatchRuleId, "First") }],
    });
  });

  test("LiveKit validates a new rule second in its listing: a later rule's conflict names <new>", () => {
    const s = build(fresh(), (x) => x.createDispatchRule(rule({ trunkIds: ["ST_x"], name: "First" })), (x) => x.createDispatchRule(rule({ trunkIds: ["ST_y"], name: "Second" })));
    const second = s.rules[1]!;
    const e = errorOf(s.createDispatchRule(rule({ trunkIds: ["ST_y"], name: "Third" })));
    expect(e.message).toBe(ruleMessage("<new>", "Third"));
    expect(e.issues).toEqual([{ path: [], code: "rule_conflict", message: ruleMessage(second.sipDispatchRuleId, "Second") }]);
  });

  test("a new rule that conflicts with itself", () => {
    const e = errorOf(fresh().createDispatchRule(rule({ trunkIds: ["ST_x", "ST_x"] })));
    expect([e.code, e.message]).toEqual(["rule_conflict", ruleMessage("<new>", "<blank name>")]);
  });

  test("every stored rule in the way is an issue", () => {
    const s = build(
      fresh(),
      (x) => x.createDispatchRule(rule({ trunkIds: ["ST_x"], name: "A" })),
      (x) => x.createDispatchRule(rule({ trunkIds: ["ST_y"], name: "B" })),
      (x) => x.createDispatchRule(rule({ trunkIds: ["ST_z"], name: "C" })),
    );
    const e = errorOf(s.createDispatchRule(rule({ trunkIds: ["ST_z", "ST_x", "ST_x"] })));
    expect(e.issues?.map((i) => i.message)).toEqual([
      ruleMessage("<new>", "<blank name>"),
      ruleMessage(s.rules[0]!.sipDispatchRuleId, "A"),
      ruleMessage(s.rules[2]!.sipDispatchRuleId, "C"),
    ]);
  });

  test("a trunk conflict, with LiveKit's text", () => {
    const s = build(fresh(), (x) => x.createInboundTrunk(trunk({ numbers: ["+15550100"] })));
    const e = errorOf(s.createInboundTrunk(trunk({ numbers: ["1 555 0100"] })));
    const message = `Conflicting inbound SIP Trunks: "<new>" and "${s.trunks[0]!.sipTrunkId}", using the same number(s) ["1 555 0100"] without AllowedNumbers set`;
    expect(e).toEqual({ code: "trunk_conflict", message, issues: [{ path: [], code: "trunk_conflict", message }] });
  });

  test("trunks that differ in allowed numbers do not conflict", () => {
    const s = build(fresh(), (x) => x.createInboundTrunk(trunk({ numbers: ["+1"], allowedNumbers: ["+2"] })));
    expect(s.createInboundTrunk(trunk({ numbers: ["+1"], allowedNumbers: ["+3"] })).ok).toBe(true);
  });
});

describe("update and replace", () => {
  const twoRules = () =>
    build(fresh(), (x) => x.createDispatchRule(rule({ trunkIds: ["ST_x"], name: "A" })), (x) => x.createDispatchRule(rule({ trunkIds: ["ST_y"], name: "B" })));

  test("an update applies the field mask and stores the result", () => {
    const s0 = twoRules();
    const b = s0.rules[1]!;
    const { store, value } = valueOf(s0.updateDispatchRule(b.sipDispatchRuleId, { attributes: { k: "v" }, name: "B2", trunkIds: lu({ add: ["ST_z"] }) }));
    expect(value).toMatchObject({ name: "B2", trunkIds: ["ST_y", "ST_z"], attributes: { k: "v" } });
    expect(store.getDispatchRule(b.sipDispatchRuleId)).toEqual(value);
    expect(s0.getDispatchRule(b.sipDispatchRuleId)).toEqual(b);
  });

  test("where LiveKit skips validation (old and new trunk sets disjoint), the store still rejects the conflict", () => {
    const s = twoRules();
    const [a, b] = s.rules;
    // LiveKit lists rules by the new trunk ids (ST_x): B's stored version (ST_y) is not in the
    // listing, the swap never happens, and LiveKit would store two conflicting rules.
    const listed = s.listDispatchRules({ trunkIds: ["ST_x"] });
    expect(listed.map((r) => r.sipDispatchRuleId)).toEqual([a!.sipDispatchRuleId]);
    const e = errorOf(s.updateDispatchRule(b!.sipDispatchRuleId, { attributes: {}, trunkIds: lu({ set: ["ST_x"] }) }));
    expect([e.code, e.message]).toEqual(["rule_conflict", ruleMessage(a!.sipDispatchRuleId, "A")]);
  });

  test("the same for replace", () => {
    const s = twoRules();
    const [a, b] = s.rules;
    const e = errorOf(s.replaceDispatchRule(b!.sipDispatchRuleId, rule({ trunkIds: ["ST_x"] })));
    expect([e.code, e.message]).toEqual(["rule_conflict", ruleMessage(a!.sipDispatchRuleId, "A")]);
  });

  test("where LiveKit skips validation of a trunk update, the store still rejects the conflict", () => {
    const s = build(fresh(), (x) => x.createInboundTrunk(trunk({ numbers: ["+1"] })), (x) => x.createInboundTrunk(trunk({ numbers: ["+2"] })));
    const [t1, t2] = s.trunks;
    expect(s.listInboundTrunks({ numbers: ["+1"] }).map((t) => t.sipTrunkId)).toEqual([t1!.sipTrunkId]);
    const e = errorOf(s.updateInboundTrunk(t2!.sipTrunkId, { numbers: lu({ set: ["1"] }) }));
    expect([e.code, e.message]).toEqual([
      "trunk_conflict",
      `Conflicting inbound SIP Trunks: "${t2!.sipTrunkId}" and "${t1!.sipTrunkId}", using the same number(s) ["1"] without AllowedNumbers set`,
    ]);
    expect(errorOf(s.replaceInboundTrunk(t2!.sipTrunkId, trunk({ numbers: ["+1"] }))).code).toBe("trunk_conflict");
  });

  test("an update may keep its own keys: a rule never conflicts with its stored version", () => {
    const s = twoRules();
    const a = s.rules[0]!;
    expect(s.updateDispatchRule(a.sipDispatchRuleId, { attributes: {}, name: "A2" }).ok).toBe(true);
    const t = build(fresh(), (x) => x.createInboundTrunk(trunk({ numbers: ["+1"] })));
    expect(t.updateInboundTrunk(t.trunks[0]!.sipTrunkId, { name: "x" }).ok).toBe(true);
  });

  test("request checks come before the lookup, as in LiveKit", () => {
    const s = twoRules();
    expect(errorOf(s.updateDispatchRule("", { attributes: {} }))).toEqual({ code: "id_required", message: "rule id must be set" });
    expect(errorOf(s.updateDispatchRule("SDR_missing", { attributes: {}, trunkIds: lu({}) })).code).toBe("invalid_list_update");
    expect(errorOf(s.updateDispatchRule("SDR_missing", { attributes: {} }))).toEqual({ code: "not_found", message: "requested sip dispatch rule does not exist" });
    expect(errorOf(s.replaceDispatchRule("SDR_missing", rule({ sipDispatchRuleId: "SDR_other" }))).code).toBe("id_mismatch");
    expect(errorOf(s.replaceDispatchRule("SDR_missing", rule())).code).toBe("not_found");
    expect(errorOf(s.updateInboundTrunk("", {}))).toEqual({ code: "id_required", message: "trunk id must be set" });
    expect(errorOf(s.updateInboundTrunk("ST_missing", { numbers: lu({ add: [""] }) })).code).toBe("invalid_list_update");
    expect(errorOf(s.updateInboundTrunk("ST_missing", {}))).toEqual({ code: "not_found", message: "requested sip trunk does not exist" });
    expect(errorOf(s.replaceInboundTrunk("ST_missing", trunk({ sipTrunkId: "ST_other" }))).code).toBe("id_mismatch");
  });

  test("update errors of the applied result come through: missing_rule, security, invalid_media", () => {
    const s = build(twoRules(), (x) => x.createInboundTrunk(trunk({ numbers: ["+1"], authUsername: "", authPassword: "" })));
    const r = s.rules[0]!.sipDispatchRuleId;
    expect(errorOf(s.updateDispatchRule(r, { attributes: {}, rule: {} })).code).toBe("missing_rule");
    expect(errorOf(s.updateDispatchRule(r, { attributes: {}, media: media({ mediaTimeout: "3600s" }) })).code).toBe("invalid_media");
    expect(errorOf(s.updateInboundTrunk(s.trunks[0]!.sipTrunkId, { numbers: lu({ clear: true }) })).code).toBe("security");
  });

  test("replace keeps the id, skips the media upgrade, and rejects another id", () => {
    const s = twoRules();
    const a = s.rules[0]!;
    const { value } = valueOf(s.replaceDispatchRule(a.sipDispatchRuleId, rule({ name: "Z", trunkIds: ["ST_q"] })));
    expect(value).toEqual(rule({ sipDispatchRuleId: a.sipDispatchRuleId, name: "Z", trunkIds: ["ST_q"] }));
    expect(value.media).toBeUndefined();
    expect(errorOf(s.replaceDispatchRule(a.sipDispatchRuleId, rule({ sipDispatchRuleId: "SDR_other" })))).toMatchObject({
      code: "id_mismatch",
      message: "rule id in the info must be empty or match the id in the update",
    });
  });
});

describe("delete", () => {
  test("removes and returns the item; the old store keeps it", () => {
    const s = build(fresh(), (x) => x.createInboundTrunk(trunk({ numbers: ["+1"] })), (x) => x.createDispatchRule(rule()));
    const r = s.rules[0]!;
    const t = s.trunks[0]!;
    const d1 = valueOf(s.deleteDispatchRule(r.sipDispatchRuleId));
    expect(d1.value).toBe(r);
    expect(d1.store.rules).toEqual([]);
    const d2 = valueOf(d1.store.deleteInboundTrunk(t.sipTrunkId));
    expect(d2.value).toBe(t);
    expect(d2.store.trunks).toEqual([]);
    expect([s.rules.length, s.trunks.length]).toEqual([1, 1]);
  });

  test("unknown and empty ids", () => {
    const s = fresh();
    expect(errorOf(s.deleteDispatchRule("SDR_x"))).toEqual({ code: "not_found", message: "requested sip dispatch rule does not exist" });
    expect(errorOf(s.deleteDispatchRule(""))).toEqual({ code: "id_required", message: "dispatch rule ID is required" });
    expect(errorOf(s.deleteInboundTrunk("ST_x"))).toEqual({ code: "not_found", message: "requested sip trunk does not exist" });
    expect(errorOf(s.deleteInboundTrunk(""))).toEqual({ code: "id_required", message: "trunk ID is required" });
  });

  test("deleting a trunk leaves the rules that name it (LiveKit does not check)", () => {
    const s = build(fresh(), (x) => x.createInboundTrunk(trunk({ numbers: ["+1"] })));
    const id = s.trunks[0]!.sipTrunkId;
    const s2 = build(s, (x) => x.createDispatchRule(rule({ trunkIds: [id] })), (x) => x.deleteInboundTrunk(id));
    expect(s2.rules[0]!.trunkIds).toEqual([id]);
  });
});

describe("list and get", () => {
  const store = () =>
    build(
      fresh(),
      (x) => x.createDispatchRule(rule({ name: "default" })),
      (x) => x.createDispatchRule(rule({ trunkIds: ["ST_a"], name: "a" })),
      (x) => x.createDispatchRule(rule({ trunkIds: ["ST_b", "ST_c"], name: "bc" })),
      (x) => x.createInboundTrunk(trunk({ name: "default" })),
      (x) => x.createInboundTrunk(trunk({ numbers: ["+1 555 0100"], name: "main" })),
      (x) => x.createInboundTrunk(trunk({ numbers: ["+1999"], name: "other" })),
    );

  test("rules by trunk ids include default rules", () => {
    const names = (rs: readonly SIPDispatchRuleInfo[]) => rs.map((r) => r.name);
    const s = store();
    expect(names(s.listDispatchRules())).toEqual(["default", "a", "bc"]);
    expect(names(s.listDispatchRules({ trunkIds: ["ST_c"] }))).toEqual(["default", "bc"]);
    expect(names(s.listDispatchRules({ trunkIds: ["ST_none"] }))).toEqual(["default"]);
    expect(names(s.listDispatchRules({ trunkIds: [] }))).toEqual(["default", "a", "bc"]);
  });

  test("rules by ids, in id order whatever the order asked", () => {
    const s = store();
    const [d, a] = s.rules;
    expect(s.listDispatchRules({ ids: [a!.sipDispatchRuleId, d!.sipDispatchRuleId, "SDR_none"] })).toEqual([d, a]);
    expect(s.listDispatchRules({ ids: [a!.sipDispatchRuleId], trunkIds: ["ST_b"] })).toEqual([]);
  });

  test("trunks by number (raw or normalised) include trunks without numbers; by ids", () => {
    const s = store();
    expect(s.listInboundTrunks({ numbers: ["15550100"] }).map((t) => t.name)).toEqual(["default", "main"]);
    expect(s.listInboundTrunks({ ids: [s.trunks[2]!.sipTrunkId] }).map((t) => t.name)).toEqual(["other"]);
    expect(s.listInboundTrunks().length).toBe(3);
  });

  test("get", () => {
    const s = store();
    expect(s.getDispatchRule(s.rules[1]!.sipDispatchRuleId)?.name).toBe("a");
    expect(s.getInboundTrunk(s.trunks[1]!.sipTrunkId)?.name).toBe("main");
    expect(s.getDispatchRule("SDR_none")).toBeUndefined();
  });
});

describe("immutability and use with the engine", () => {
  test("the store, its arrays and its items are frozen; inputs are copied, not kept", () => {
    const input = rule({ attributes: { a: "1" } });
    const { store, value } = valueOf(fresh().createDispatchRule(input));
    expect(Object.isFrozen(store)).toBe(true);
    expect(Object.isFrozen(store.rules)).toBe(true);
    expect(Object.isFrozen(value.attributes)).toBe(true);
    expect(() => (store.rules as SIPDispatchRuleInfo[]).push(input)).toThrow(TypeError);
    input.attributes.a = "changed";
    expect(value.attributes.a).toBe("1");
    expect(input.sipDispatchRuleId).toBe("");
  });

  test("trunks and rules feed resolveDispatch and compileDispatch", () => {
    const s = build(
      fresh(),
      (x) => x.createInboundTrunk(trunk({ numbers: ["+15550199"] })),
      (x) => x.createDispatchRule(rule({ rule: { dispatchRuleIndividual: { roomPrefix: "call", pin: "", noRandomness: true } } })),
    );
    const call = { from: "+15550100", to: "+15550199" };
    const resolved = resolveDispatch(call, s.trunks, s.rules);
    expect(resolved).toMatchObject({ result: "accept", trunkId: s.trunks[0]!.sipTrunkId, ruleId: s.rules[0]!.sipDispatchRuleId, roomName: "call_+15550100" });
    expect(compileDispatch(s.trunks, s.rules).resolve(call, { randomId: () => "x" })).toEqual(resolveDispatch(call, s.trunks, s.rules, { randomId: () => "x" }));
  });

  test("programmer errors throw TypeError", () => {
    expect(() => createDispatchStore({ randomId: 42 as unknown as () => string })).toThrow(TypeError);
    expect(() => fresh().createDispatchRule(null as unknown as SIPDispatchRuleInfo)).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Law: whatever succeeds, the store never holds a conflict.

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length === 0 ? undefined : list[n % list.length]);
const arbList = <T>(values: readonly T[], max = 2) => fc.array(fc.constantFrom(...values), { maxLength: max });
const arbListUpdate = (values: readonly string[]) =>
  fc.oneof(
    arbList(values).map((set) => lu({ set })),
    fc.record({ add: arbList(values), remove: arbList(values) }).map(lu),
    fc.constant(lu({ clear: true })),
  );

const trunkIdPool = ["ST_A", "ST_B", "ST_C"];
const numberPool = ["+1", "1", "+1 (0)", "+2", "3"];
const pinPool = ["", "", "12"];

/** A rule kind, or now and then none (no `rule`, or an empty oneof): the store must refuse those. */
const arbKind = (pin: string) => fc.constantFrom<SIPDispatchRuleInfo["rule"]>(direct(pin), direct(pin), direct(pin), direct(pin), undefined, {});
const arbRuleSpec = fc
  .record({ pin: fc.constantFrom(...pinPool), trunkIds: arbList(trunkIdPool), inboundNumbers: arbList(numberPool), numbers: arbList(numberPool) })
  .chain(({ pin, ...r }) => arbKind(pin).map((kind) => rule({ ...r, rule: kind })));
const arbTrunkSpec = fc
  .record({ numbers: arbList(numberPool), allowedNumbers: arbList(numberPool), open: fc.boolean() })
  .map(({ open, ...t }) => trunk({ ...t, authUsername: open ? "" : "u" }));

type Op = (s: DispatchStore) => Result<StoreChange<unknown>> | undefined;
const arbOp: fc.Arbitrary<Op> = fc.oneof(
  arbRuleSpec.map((r): Op => (s) => s.createDispatchRule(r)),
  arbTrunkSpec.map((t): Op => (s) => s.createInboundTrunk(t)),
  fc.record({
    which: fc.nat(),
    trunkIds: fc.option(arbListUpdate(trunkIdPool), { nil: undefined }),
    kind: fc.option(fc.constantFrom(...pinPool).chain(arbKind), { nil: undefined }),
  }).map(
    ({ which, trunkIds, kind }): Op =>
      (s) => {
        const r = pick(s.rules, which);
        if (r === undefined) return undefined;
        const update: SIPDispatchRuleUpdate = { attributes: {}, trunkIds, rule: kind };
        return s.updateDispatchRule(r.sipDispatchRuleId, update);
      },
  ),
  fc.record({ which: fc.nat(), spec: arbRuleSpec }).map(
    ({ which, spec }): Op =>
      (s) => {
        const r = pick(s.rules, which);
        return r === undefined ? undefined : s.replaceDispatchRule(r.sipDispatchRuleId, spec);
      },
  ),
  fc.nat().map(
    (which): Op =>
      (s) => {
        const r = pick(s.rules, which);
        return r === undefined ? undefined : s.deleteDispatchRule(r.sipDispatchRuleId);
      },
  ),
  fc.record({ which: fc.nat(), numbers: fc.option(arbListUpdate(numberPool), { nil: undefined }), allowedNumbers: fc.option(arbListUpdate(numberPool), { nil: undefined }) }).map(
    ({ which, numbers, allowedNumbers }): Op =>
      (s) => {
        const t = pick(s.trunks, which);
        const update: SIPInboundTrunkUpdate = { numbers, allowedNumbers };
        return t === undefined ? undefined : s.updateInboundTrunk(t.sipTrunkId, update);
      },
  ),
  fc.record({ which: fc.nat(), spec: arbTrunkSpec }).map(
    ({ which, spec }): Op =>
      (s) => {
        const t = pick(s.trunks, which);
        return t === undefined ? undefined : s.replaceInboundTrunk(t.sipTrunkId, spec);
      },
  ),
  fc.nat().map(
    (which): Op =>
      (s) => {
        const t = pick(s.trunks, which);
        return t === undefined ? undefined : s.deleteInboundTrunk(t.sipTrunkId);
      },
  ),
);

describe("store laws", () => {
  test.prop([fc.array(arbOp, { maxLength: 25 })], runs(300))(
    "a store built by any sequence of successful operations never holds a conflict",
    (ops) => {
      let store = fresh();
      for (const op of ops) {
        const before = store;
        const result = op(store);
        if (result === undefined) continue;
        if (!result.ok) {
          expect(before.rules).toBe(store.rules); // a failure changes nothing
          continue;
        }
        store = result.value.store;
        expect(findDispatchRuleConflicts(store.rules)).toEqual([]);
        expect(findInboundTrunkConflicts(store.trunks)).toEqual([]);
        // Nor a rule without a kind: so its conflict check never meets LiveKit's invalid_rule.
        expect(store.rules.filter((r) => ruleTarget(r) === undefined)).toEqual([]);
      }
    },
  );

  test.prop([fc.array(arbOp, { maxLength: 15 })])("stored items are sorted by id and ids are unique", (ops) => {
    let store = fresh();
    for (const op of ops) {
      const result = op(store);
      if (result?.ok) store = result.value.store;
    }
    const ruleIds = store.rules.map((r) => r.sipDispatchRuleId);
    const trunkIds = store.trunks.map((t) => t.sipTrunkId);
    expect(ruleIds).toEqual([...new Set(ruleIds)].sort());
    expect(trunkIds).toEqual([...new Set(trunkIds)].sort());
  });
});
