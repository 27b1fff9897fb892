// Small engine behaviours the other suites leave out: each test states the behaviour it pins.
import { describe, expect, it } from "vitest";
import { compileDispatch } from "../src/resolve/compile.js";
import { findInboundTrunkConflicts } from "../src/lifecycle/conflicts.js";
import type { SIPDispatchRuleInfo } from "../src/model/dispatch-rule.js";
import { maskNumber } from "../src/resolve/evaluate.js";
import { lintDispatch } from "../src/lint/lint.js";
import { parseDispatchRule } from "../src/parse/parse.js";
import type { InboundCall } from "../src/model/resolution.js";
import { resolveDispatch } from "../src/resolve/resolve.js";
import { createDispatchStore } from "../src/lifecycle/store.js";
import { dispatchRuleToJson } from "../src/parse/to-json.js";
import { direct, rule, trunk } from "./fixtures.js";

const randomId = () => "RANDOM123456";

describe("duplicate trunk ids (lint's duplicate-id): the compiled dispatcher resolves as resolveDispatch does", () => {
  // With call.trunkId, LiveKit's fast path looks the trunk up by id; here two trunks share it.
  const a = trunk({ sipTrunkId: "ST_dup", numbers: ["+15550001"] });
  const b = trunk({ sipTrunkId: "ST_dup", numbers: ["+15550002"], allowedNumbers: ["+15559999"] });
  const c = trunk({ sipTrunkId: "ST_dup", numbers: ["+15550003"] });
  const rules = [rule({ sipDispatchRuleId: "SDR_open", rule: direct("room") })];

  it.each(["+15550001", "+15550002", "+15550003"])("to %s, trunks in either order", (to) => {
    for (const trunks of [[a, b, c], [c, b, a]]) {
      const call: InboundCall = { from: "+15550100", to, trunkId: "ST_dup" };
      const linear = resolveDispatch(call, trunks, rules, { trace: true, randomId });
      expect(compileDispatch(trunks, rules).resolve(call, { trace: true, randomId })).toEqual(linear);
      // b never admits this caller: the call to its number has no trunk.
      expect(linear.trunkId).toBe(to === "+15550002" ? "" : "ST_dup");
    }
  });
});

describe("trunk settings are shared, frozen copies", () => {
  it("a __proto__ key in a trunk's headers stays a plain header", () => {
    const headers = JSON.parse('{"__proto__": "x", "X-Plain": "y"}') as Record<string, string>;
    const t = trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"], headers });
    const result = resolveDispatch({ from: "+1", to: "+15550100" }, [t], [rule()], { randomId });
    expect(result.result).toBe("accept");
    const copied = result.result === "accept" ? result.trunk?.headers : undefined;
    expect(Object.getOwnPropertyDescriptor(copied, "__proto__")?.value).toBe("x");
    expect(Object.getPrototypeOf(copied)).toBe(Object.prototype);
    expect(copied?.["X-Plain"]).toBe("y");
    expect(Object.isFrozen(copied)).toBe(true);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });
});

describe("a traced resolution's trace is an ordinary property", () => {
  it("can be replaced before or after it is first read", () => {
    const call: InboundCall = { from: "+1", to: "+2" };
    const before = resolveDispatch(call, [], [rule()], { trace: true, randomId });
    before.trace = [];
    expect(before.trace).toEqual([]);
    expect(JSON.parse(JSON.stringify(before)).trace).toEqual([]);
    const after = resolveDispatch(call, [], [rule()], { trace: true, randomId });
    expect(after.trace).toHaveLength(1);
    after.trace = undefined;
    expect("trace" in JSON.parse(JSON.stringify(after))).toBe(false);
    expect(Object.getOwnPropertyDescriptor(after, "trace")).toMatchObject({ writable: true, enumerable: true });
  });
});

describe("source addresses with an embedded IPv4 part, as Go's net.ParseIP reads them", () => {
  it.each([
    ["1:2:3:4:5:6:1.2.3.4", "accept"],
    ["::2:3:4:5:6:1.2.3.4", "accept"],
    ["::ffff:192.0.2.1", "accept"],
    // Seven groups and an IPv4 part are more than 128 bits, with or without "::".
    ["1:2:3:4:5:6:7:1.2.3.4", "error"],
    ["1::2:3:4:5:6:7:1.2.3.4", "error"],
  ])("%s: %s", (sourceIp, result) => {
    const resolution = resolveDispatch({ from: "+1", to: "+2", sourceIp }, [], [rule()], { randomId });
    expect(resolution.result).toBe(result);
    if (resolution.result === "error") expect(resolution.error).toEqual({ code: "invalid_source_ip", message: `invalid source IP address: "${sourceIp}"` });
  });
});

describe("hidden numbers slice UTF-8 bytes, as LiveKit does", () => {
  it("keeps the last byte of a caller of 4 bytes or fewer, decoding a split character as U+FFFD", () => {
    expect(maskNumber("é")).toBe("\ufffd");
    expect(maskNumber("日")).toBe("\ufffd");
    expect(maskNumber("éé")).toBe("\ufffd");
    expect(maskNumber("日本")).toBe("\ufffd本");
    const hidden = resolveDispatch({ from: "é", to: "+2" }, [], [rule({ hidePhoneNumber: true })], { randomId });
    expect(hidden.result === "accept" && hidden.participant.name).toBe("Phone \ufffd");
  });
});

describe("dispatchRuleToJson copies opaque room-config values", () => {
  it("numbers inside egress are kept, with -0 written as 0", () => {
    const parsed = parseDispatchRule({ rule: { dispatchRuleDirect: { roomName: "r" } }, roomConfig: {} });
    if (!parsed.ok) throw new Error(parsed.error.message);
    const roomConfig = { ...parsed.value.roomConfig, egress: { n: 5, z: -0, list: [-0, 1.5, "s", null, true] } } as SIPDispatchRuleInfo["roomConfig"];
    const withEgress = rule({ roomConfig });
    const json = dispatchRuleToJson(withEgress) as { roomConfig: { egress: { n: number; z: number; list: unknown[] } } };
    expect(json.roomConfig.egress).toEqual({ n: 5, z: 0, list: [0, 1.5, "s", null, true] });
    expect(Object.is(json.roomConfig.egress.z, 0)).toBe(true);
    expect(Object.is(json.roomConfig.egress.list[0], 0)).toBe(true);
  });
});

describe("lintDispatch reads a hand-built rule kind member by member", () => {
  // lint takes models, but a mistyped member of a rule kind reads as its proto3 default instead of
  // discarding the kind: the rest of the rule is still checked.
  const handBuilt = (kind: unknown, overrides: Record<string, unknown> = {}) => ({ ...rule({ sipDispatchRuleId: "SDR_x", trunkIds: ["ST_a"], numbers: ["+15550100"] }), rule: kind, ...overrides }) as SIPDispatchRuleInfo;
  const t = trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"] });
  const codes = (r: SIPDispatchRuleInfo) => lintDispatch({ trunks: [t], rules: [r] }).map((f) => f.code);

  it("an Individual kind with a mistyped roomPrefix keeps its pin", () => {
    expect(codes(handBuilt({ dispatchRuleIndividual: { roomPrefix: 5, pin: "12a4" } }))).toEqual(["unreachable-pin"]);
  });

  it("a Callee kind with a mistyped pin reads as having none", () => {
    const open = handBuilt({ dispatchRuleCallee: { roomPrefix: "x", pin: 1234, randomize: "yes" } }, { trunkIds: [], numbers: [] });
    expect(codes(open)).toEqual(["open-catch-all"]);
    const withPin = handBuilt({ dispatchRuleCallee: { roomPrefix: "x", pin: "1234", randomize: true } }, { trunkIds: [], numbers: [] });
    expect(codes(withPin)).toEqual([]);
  });
});

describe("the store: remaining request checks", () => {
  const t = trunk({ sipTrunkId: "", numbers: ["+15550100"] });

  it("replacing needs an id that exists, for trunks and rules", () => {
    const store = createDispatchStore();
    expect(store.replaceInboundTrunk("", t)).toEqual({ ok: false, error: { code: "id_required", message: "trunk id must be set" } });
    expect(store.replaceInboundTrunk("ST_missing", t)).toEqual({ ok: false, error: { code: "not_found", message: "requested sip trunk does not exist" } });
    expect(store.replaceDispatchRule("", rule({ sipDispatchRuleId: "" }))).toEqual({ ok: false, error: { code: "id_required", message: "rule id must be set" } });
  });

  it("a generator that repeats itself makes trunk creation fail with id_collision", () => {
    const first = createDispatchStore({ randomId: () => "same" }).createInboundTrunk(t);
    expect(first.ok && first.value.value.sipTrunkId).toBe("ST_same");
    const again = first.ok ? first.value.store.createInboundTrunk(trunk({ sipTrunkId: "", numbers: ["+15550200"] })) : undefined;
    expect(again).toEqual({ ok: false, error: { code: "id_collision", message: "the id generator returned only ids already in use (100 attempts with prefix ST_)" } });
  });

  it("throws a TypeError for arguments of the wrong type", () => {
    expect(() => createDispatchStore(null as never)).toThrow(new TypeError("createDispatchStore: options must be an object"));
    expect(() => createDispatchStore().deleteInboundTrunk(5 as never)).toThrow(new TypeError("deleteInboundTrunk: id must be a string"));
    expect(() => createDispatchStore().updateDispatchRule(undefined as never, { attributes: {} } as never)).toThrow(new TypeError("updateDispatchRule: id must be a string"));
  });
});

describe("findInboundTrunkConflicts from plain JavaScript", () => {
  it("throws a TypeError naming what was expected", () => {
    expect(() => findInboundTrunkConflicts(5 as never)).toThrow(new TypeError("findInboundTrunkConflicts: trunks must be an array of SIPInboundTrunkInfo"));
    expect(() => findInboundTrunkConflicts([trunk(), null] as never)).toThrow(new TypeError("findInboundTrunkConflicts: trunks[1] must be a SIPInboundTrunkInfo object"));
  });
});
