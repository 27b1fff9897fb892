import { readFileSync } from "node:fs";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import { LINT_CODES, lintDispatch, type Finding, type LintCode } from "../../src/lint/lint.js";
import { normalizeNumber } from "../../src/match/number.js";
import { parseDispatchRule, parseInboundTrunk } from "../../src/parse/parse.js";
import type { DispatchResolution, InboundCall } from "../../src/model/resolution.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { PINS, callArb, collidingPools, configArb, wildPools, type Config } from "../arbitraries.js";
import { callee, deepFreeze, direct, individual, media, rule, trunk } from "../fixtures.js";

// ---------------------------------------------------------------------------------------------
// Helpers.

interface Cfg {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
}

const lint = (trunks: SIPInboundTrunkInfo[], rules: SIPDispatchRuleInfo[]): Finding[] => lintDispatch({ trunks, rules });
const withCode = (findings: Finding[], code: LintCode): Finding[] => findings.filter((f) => f.code === code);

/** The one finding with this code; fails with every finding when there is not exactly one. */
function one(findings: Finding[], code: LintCode): Finding {
  const found = withCode(findings, code);
  if (found.length !== 1) throw new Error(`expected one ${code}, got ${JSON.stringify(findings, null, 2)}`);
  return found[0]!;
}

const fromUser = (call: InboundCall): string => (typeof call.from === "string" ? call.from : call.from.user);
const fromHost = (call: InboundCall): string => (typeof call.from === "string" ? "" : (call.from.host ?? ""));
const toUser = (call: InboundCall): string => (typeof call.to === "string" ? call.to : call.to.user);
const selected = (r: DispatchResolution): string | undefined => (r.result === "accept" || r.result === "request_pin" ? r.ruleId : undefined);
const selectedTrunks = (r: DispatchResolution): string[] =>
  (r.trace ?? []).filter((e) => e.stage === "trunk" && e.verdict === "selected").map((e) => e.id);

/** Callers that mask like `caller` (same last 4 characters), from the configuration and made up. */
function sameMaskCallers(caller: string, config: Cfg): string[] {
  const listed = [...config.rules.flatMap((r) => r.inboundNumbers), ...config.trunks.flatMap((t) => t.allowedNumbers)];
  const made = ["+1999", "+4420", "1", "+33"].map((head) => head + caller.slice(-4));
  return [...listed, ...made].filter((o) => o.slice(-4) === caller.slice(-4) && caller.length > 4 && normalizeNumber(o) !== normalizeNumber(caller));
}

/**
 * Whether resolving the finding's witness against the configuration shows the problem the code
 * names. This is the test's own reading of each code, independent of how lint searched.
 */
function witnessShows(f: Finding, config: Cfg): boolean {
  const w = f.witness!;
  const r = resolveDispatch(w, config.trunks, config.rules, { trace: true });
  const trunkId = f.trunkIds?.[0];
  const ruleId = f.ruleIds?.[0];
  switch (f.code) {
    case "rule-conflict":
    case "self-conflict":
      return r.result === "error" && r.error.code === "rule_conflict" && (trunkId === undefined || r.trunkId === trunkId);
    case "kindless-rule":
      return r.result === "error" && r.error.code === "invalid_rule";
    case "trunk-conflict":
    case "runtime-trunk-conflict":
      return (
        r.result === "error" &&
        (r.error.code === "trunk_conflict" || r.error.code === "default_trunk_conflict") &&
        f.trunkIds!.every((id) => selectedTrunks(r).includes(id))
      );
    case "invalid-address": {
      // The trunk does not take the call from the address the entry meant.
      return r.trunkId !== trunkId && !(r.result === "error" && r.error.code === "invalid_source_ip");
    }
    case "allowlist-bypassed": {
      if (r.result === "error" || r.trunkId !== trunkId) return false;
      if (fromHost(w) === "") return true; // every entry dropped: an address nobody listed gets in
      const withoutHost = resolveDispatch({ ...w, from: fromUser(w) }, config.trunks, config.rules);
      return withoutHost.trunkId !== trunkId; // only the caller-written From host let it in
    }
    case "number-format-mismatch": {
      if (r.result === "error" || !f.trunkIds!.includes(r.trunkId) || selected(r) === ruleId) return false;
      const rule = config.rules.find((x) => x.sipDispatchRuleId === ruleId)!;
      const spelled = (list: string[], value: string): boolean =>
        !list.includes(value) && list.some((n) => normalizeNumber(n) === normalizeNumber(value));
      return spelled(rule.numbers, toUser(w)) || spelled(rule.inboundNumbers, fromUser(w));
    }
    case "unreachable-pin":
      return r.result === "request_pin" && r.ruleId === ruleId;
    case "pin-prompts-open-callers": {
      // The first INVITE is asked for the pin rule's pin; # alone joins the open rule's room.
      if (r.result !== "request_pin" || r.ruleId !== ruleId) return false;
      const hash = resolveDispatch({ ...w, noPin: true }, config.trunks, config.rules);
      return hash.result === "accept" && hash.ruleId === f.ruleIds![1] && hash.roomName !== "";
    }
    case "empty-room-name":
      return selected(r) === ruleId && (r.result === "request_pin" || (r.result === "accept" && r.roomName === ""));
    case "shared-masked-room": {
      if (r.result !== "accept" || r.ruleId !== ruleId) return false;
      return sameMaskCallers(fromUser(w), config).some((other) => {
        const again = resolveDispatch({ ...w, from: typeof w.from === "string" ? other : { ...w.from, user: other } }, config.trunks, config.rules);
        return again.result === "accept" && again.ruleId === ruleId && again.roomName === r.roomName;
      });
    }
    case "open-catch-all":
      return r.result === "accept" && r.trunkId === "" && r.ruleId === ruleId;
    default:
      return false; // codes that never carry a witness
  }
}

function expectWitness(f: Finding, config: Cfg): void {
  expect(f.witness, JSON.stringify(f)).toBeDefined();
  expect(witnessShows(f, config), JSON.stringify({ f, resolution: resolveDispatch(f.witness!, config.trunks, config.rules) })).toBe(true);
}

/** Every finding of a configuration is well formed: a known code, a message with a fix, a shown witness. */
function expectWellFormed(findings: Finding[], config: Cfg): void {
  for (const f of findings) {
    expect(LINT_CODES).toContain(f.code);
    expect(f.message).toMatch(/Fix: /);
    if (f.witness !== undefined) expect(witnessShows(f, config), JSON.stringify(f)).toBe(true);
    // Names are never empty, and every index points at a trunk or rule the finding names.
    expect([...(f.ruleIds ?? []), ...(f.trunkIds ?? [])]).not.toContain("");
    for (const i of f.ruleIndexes ?? []) expect(f.ruleIds).toContain(config.rules[i]!.sipDispatchRuleId || config.rules[i]!.name || `rules[${i}]`);
    for (const i of f.trunkIndexes ?? []) expect(f.trunkIds).toContain(config.trunks[i]!.sipTrunkId || config.trunks[i]!.name || `trunks[${i}]`);
  }
}

const main = (overrides: Partial<SIPInboundTrunkInfo> = {}): SIPInboundTrunkInfo =>
  trunk({ sipTrunkId: "ST_main", numbers: ["+15550100"], allowedAddresses: ["203.0.113.0/24"], ...overrides });

function check(trunks: SIPInboundTrunkInfo[], rules: SIPDispatchRuleInfo[]): { findings: Finding[]; config: Cfg } {
  const config = { trunks, rules };
  const findings = lint(trunks, rules);
  expectWellFormed(findings, config);
  return { findings, config };
}

// ---------------------------------------------------------------------------------------------
// Each code on a configuration built to trigger it.

describe("lintDispatch: conflicts", () => {
  it("rule-conflict: two rules with the same scope; the witness gets 503", () => {
    const { findings, config } = check(
      [main()],
      [
        rule({ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_main"], numbers: ["+15550100"], rule: direct("sales") }),
        rule({ sipDispatchRuleId: "SDR_b", trunkIds: ["ST_main"], numbers: ["+15550100"], rule: individual("support") }),
      ],
    );
    const f = one(findings, "rule-conflict");
    expect(f).toMatchObject({ severity: "error", ruleIds: ["SDR_a", "SDR_b"], trunkIds: ["ST_main"] });
    expect(f.message).toContain("503");
    expectWitness(f, config);
  });

  it("rule-conflict between default rules breaks calls on every trunk", () => {
    const { findings, config } = check(
      [main()],
      [rule({ sipDispatchRuleId: "SDR_a", rule: direct("a") }), rule({ sipDispatchRuleId: "SDR_b", rule: callee("b") })],
    );
    const f = one(findings, "rule-conflict");
    expect(f.ruleIds).toEqual(["SDR_a", "SDR_b"]);
    expect(f.trunkIds).toBeUndefined();
    expectWitness(f, config);
  });

  it("rule-conflict on a trunk that does not exist has no witness", () => {
    const { findings } = check(
      [main()],
      [
        rule({ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_gone"] }),
        rule({ sipDispatchRuleId: "SDR_b", trunkIds: ["ST_gone"] }),
      ],
    );
    const f = one(findings, "rule-conflict");
    expect(f.witness).toBeUndefined();
    expect(f.message).toContain("no call fails today");
  });

  it("self-conflict: a trunk named twice, and numbers that normalise alike", () => {
    const { findings, config } = check(
      [main()],
      [
        rule({ sipDispatchRuleId: "SDR_twice", trunkIds: ["ST_main", "ST_main"], numbers: ["+15550100"] }),
        rule({ sipDispatchRuleId: "SDR_forms", trunkIds: ["ST_other"], inboundNumbers: ["+1 555 0111", "+15550111"] }),
      ],
    );
    const found = withCode(findings, "self-conflict");
    expect(found.map((f) => f.ruleIds)).toEqual([["SDR_forms"], ["SDR_twice"]]);
    expect(found[0]!.message).toContain(`"+1 555 0111" and "+15550111" are the same number once normalised`);
    expect(found[1]!.message).toContain(`its trunkIds list "ST_main" twice`);
    expect(found[1]!.severity).toBe("error");
    expectWitness(found[1]!, config);
  });

  it("trunk-conflict: the same number on two trunks without allowedNumbers", () => {
    const { findings, config } = check(
      [main(), trunk({ sipTrunkId: "ST_backup", numbers: ["1 555 0100"] })],
      [rule({ sipDispatchRuleId: "SDR_main", trunkIds: ["ST_main"] })],
    );
    const f = one(findings, "trunk-conflict");
    expect(f).toMatchObject({ severity: "error", trunkIds: ["ST_backup", "ST_main"] });
    expectWitness(f, config);
  });

  it("trunk-conflict between two default trunks; the witness gets default_trunk_conflict", () => {
    const { findings, config } = check(
      [
        trunk({ sipTrunkId: "ST_auth", authUsername: "user", authPassword: "secret" }),
        trunk({ sipTrunkId: "ST_pbx", allowedAddresses: ["10.0.0.0/8"] }),
      ],
      [],
    );
    const f = one(findings, "trunk-conflict");
    expectWitness(f, config);
    const r = resolveDispatch(f.witness!, config.trunks, config.rules);
    expect(r.result === "error" && r.error.code).toBe("default_trunk_conflict");
  });

  it("runtime-trunk-conflict: allowedNumbers on one trunk only, for the same number", () => {
    const trunks = [
      trunk({ sipTrunkId: "ST_vip", numbers: ["+15550100"], allowedNumbers: ["+15550111"] }),
      trunk({ sipTrunkId: "ST_all", numbers: ["+1 555 0100"] }),
    ];
    const { findings, config } = check(trunks, []);
    expect(withCode(findings, "trunk-conflict")).toEqual([]); // LiveKit's create-time check accepts them
    const f = one(findings, "runtime-trunk-conflict");
    expect(f).toMatchObject({ severity: "error", trunkIds: ["ST_all", "ST_vip"] });
    expect(fromUser(f.witness!)).toBe("+15550111");
    expectWitness(f, config);
  });

  it("runtime-trunk-conflict: two default trunks, one with allowedNumbers", () => {
    const trunks = [
      trunk({ sipTrunkId: "ST_a", allowedNumbers: ["+15550111"], allowedAddresses: ["10.0.0.0/8"] }),
      trunk({ sipTrunkId: "ST_b", allowedAddresses: ["10.0.0.0/8"] }),
    ];
    const { findings, config } = check(trunks, []);
    const f = one(findings, "runtime-trunk-conflict");
    expectWitness(f, config);
    const r = resolveDispatch(f.witness!, config.trunks, config.rules);
    expect(r.result === "error" && r.error.code).toBe("default_trunk_conflict");
  });

  it("kindless-rule: every call on its trunk fails", () => {
    const { findings, config } = check([main()], [rule({ sipDispatchRuleId: "SDR_empty", trunkIds: ["ST_main"], rule: {} })]);
    const f = one(findings, "kindless-rule");
    expect(f).toMatchObject({ severity: "error", ruleIds: ["SDR_empty"], trunkIds: ["ST_main"] });
    expectWitness(f, config);
  });

  it("duplicate-id: two trunks or two rules with one id", () => {
    const { findings } = check(
      [main(), main({ numbers: ["+15550200"] })],
      [rule({ sipDispatchRuleId: "SDR_x", trunkIds: ["ST_main"], numbers: ["+15550100"] }), rule({ sipDispatchRuleId: "SDR_x", trunkIds: ["ST_main"], numbers: ["+15550200"] })],
    );
    const found = withCode(findings, "duplicate-id");
    expect(found.map((f) => [f.ruleIds, f.trunkIds])).toEqual([
      [undefined, ["ST_main"]],
      [["SDR_x"], undefined],
    ]);
  });

  it("invalid-trunk and invalid-rule: what LiveKit's create-time validation rejects", () => {
    const { findings } = check(
      [trunk({ sipTrunkId: "ST_open", headers: { Contact: "x" } })],
      [rule({ sipDispatchRuleId: "SDR_media", media: media({ codecs: [{ name: "PCMU/8000", rate: 8000 }] }) })],
    );
    const t = one(findings, "invalid-trunk");
    expect(t.trunkIds).toEqual(["ST_open"]);
    expect(t.message).toContain("for security, one of the fields must be set");
    expect(t.message).toContain("headers.Contact");
    const r = one(findings, "invalid-rule");
    expect(r.message).toContain("codec name must not contain '/'");
  });
});

describe("lintDispatch: addresses and numbers", () => {
  const sales = rule({ sipDispatchRuleId: "SDR_sales", trunkIds: ["ST_main"], rule: direct("sales") });

  it("invalid-address: a comma-joined entry is dropped; the witness comes from an address it meant", () => {
    const { findings, config } = check([main({ allowedAddresses: ["203.0.113.0/24", "198.51.100.7, 198.51.100.8"] })], [sales]);
    const f = one(findings, "invalid-address");
    expect(f).toMatchObject({ severity: "warning", trunkIds: ["ST_main"] });
    expect(f.message).toContain(`"198.51.100.7" and "198.51.100.8"`);
    expect(f.witness!.sourceIp).toBe("198.51.100.7");
    expectWitness(f, config);
  });

  it.each([
    ["10.0.0.0/33", "not a valid CIDR prefix"],
    ["1.2.3.4/033", "not a valid CIDR prefix"],
    ["[2001:db8::1]", "in brackets"],
    ["198.51.100.7:5060", "carries a port"],
    ["", "is empty"],
    ["1.2.3.999", "neither an IP address"],
    ["sip://198.51.100.7", "silently drops"],
  ])("invalid-address: %j", (entry, text) => {
    const { findings } = check([main({ allowedAddresses: ["203.0.113.0/24", entry] })], [sales]);
    expect(one(findings, "invalid-address").message).toContain(text);
  });

  it("allowlist-bypassed: every entry dropped, so LiveKit admits every address", () => {
    const { findings, config } = check([main({ allowedAddresses: ["203.0.113.7, 203.0.113.8"] })], [sales]);
    const f = one(findings, "allowlist-bypassed");
    expect(f).toMatchObject({ severity: "error", trunkIds: ["ST_main"] });
    expect(withCode(findings, "invalid-address")).toEqual([]);
    expectWitness(f, config);
    expect(["203.0.113.7", "203.0.113.8"]).not.toContain(f.witness!.sourceIp);
  });

  it("allowlist-bypassed: a host name matches the caller-written From host from any address", () => {
    const { findings, config } = check([main({ allowedAddresses: ["203.0.113.0/24", "pbx.example.com"] })], [sales]);
    const f = one(findings, "allowlist-bypassed");
    expect(f.severity).toBe("warning");
    expect(fromHost(f.witness!)).toBe("pbx.example.com");
    expectWitness(f, config);
  });

  it("number-format-mismatch: the rule lists 15550100, the trunk +15550100", () => {
    const { findings, config } = check(
      [main()],
      [rule({ sipDispatchRuleId: "SDR_sales", trunkIds: ["ST_main"], numbers: ["15550100"], rule: direct("sales") })],
    );
    const f = one(findings, "number-format-mismatch");
    expect(f).toMatchObject({ severity: "warning", ruleIds: ["SDR_sales"], trunkIds: ["ST_main"] });
    expect(toUser(f.witness!)).toBe("+15550100");
    expectWitness(f, config);
    expect(resolveDispatch(f.witness!, config.trunks, config.rules).result).toBe("drop");
    // Spelled as the rule spells it, the same call reaches the rule.
    expect(selected(resolveDispatch({ ...f.witness!, to: "15550100" }, config.trunks, config.rules))).toBe("SDR_sales");
  });

  it("number-format-mismatch on calling numbers: a default rule goes elsewhere", () => {
    const { findings, config } = check(
      [main({ allowedNumbers: ["+15550111", "+15550122"] })],
      [
        rule({ sipDispatchRuleId: "SDR_vip", inboundNumbers: ["15550111"], rule: direct("vip") }),
        rule({ sipDispatchRuleId: "SDR_rest", trunkIds: ["ST_main"], rule: individual("call") }),
      ],
    );
    const f = one(findings, "number-format-mismatch");
    expect(f).toMatchObject({ ruleIds: ["SDR_vip"], trunkIds: ["ST_main"] });
    expect(fromUser(f.witness!)).toBe("+15550111");
    expectWitness(f, config);
    expect(selected(resolveDispatch(f.witness!, config.trunks, config.rules))).toBe("SDR_rest");
  });
});

describe("lintDispatch: rules that cannot work", () => {
  it.each([
    ["12#4", "cannot send"],
    ["abcd", "cannot send"],
    ["12345678901234567", "longer than 16"],
  ])("unreachable-pin: %j", (pin, text) => {
    const { findings, config } = check([main()], [rule({ sipDispatchRuleId: "SDR_pin", trunkIds: ["ST_main"], rule: direct("board", pin) })]);
    const f = one(findings, "unreachable-pin");
    expect(f).toMatchObject({ severity: "error", ruleIds: ["SDR_pin"] });
    expect(f.message).toContain(text);
    expect(JSON.stringify(f)).not.toContain(pin);
    expectWitness(f, config);
  });

  it("empty-room-name: a Direct rule with roomName \"\"", () => {
    const { findings, config } = check([main()], [rule({ sipDispatchRuleId: "SDR_blank", trunkIds: ["ST_main"], rule: direct("") })]);
    const f = one(findings, "empty-room-name");
    expect(f).toMatchObject({ severity: "error", ruleIds: ["SDR_blank"] });
    expectWitness(f, config);
  });

  it("shadowed-rule: a rule for a number its trunk does not serve", () => {
    const { findings } = check([main()], [rule({ sipDispatchRuleId: "SDR_other", trunkIds: ["ST_main"], numbers: ["+15550199"] })]);
    const f = one(findings, "shadowed-rule");
    expect(f).toMatchObject({ severity: "warning", ruleIds: ["SDR_other"], trunkIds: ["ST_main"] });
  });

  it("shadowed-rule: a default rule behind a trunk-specific one on a trunk that takes every call", () => {
    const trunks = [trunk({ sipTrunkId: "ST_any", authUsername: "user", authPassword: "secret" })];
    const rules = [
      rule({ sipDispatchRuleId: "SDR_default", rule: individual("fallback") }),
      rule({ sipDispatchRuleId: "SDR_any", trunkIds: ["ST_any"], rule: direct("lobby") }),
    ];
    const { findings } = check(trunks, rules);
    const f = one(findings, "shadowed-rule");
    expect(f).toMatchObject({ ruleIds: ["SDR_default", "SDR_any"], trunkIds: ["ST_any"] });
    expect(withCode(findings, "open-catch-all")).toEqual([]);
  });

  it("no shadowed-rule when calls can arrive without a trunk (the default rule takes them)", () => {
    const trunks = [trunk({ sipTrunkId: "ST_any", allowedAddresses: ["10.0.0.0/8"] })];
    const rules = [
      rule({ sipDispatchRuleId: "SDR_default", rule: individual("fallback") }),
      rule({ sipDispatchRuleId: "SDR_any", trunkIds: ["ST_any"], rule: direct("lobby") }),
    ];
    const { findings } = check(trunks, rules);
    expect(withCode(findings, "shadowed-rule")).toEqual([]);
    const r = resolveDispatch({ from: "+15550111", to: "+15550100", sourceIp: "192.0.2.1" }, trunks, rules);
    expect(selected(r)).toBe("SDR_default");
  });

  it("no shadowed-rule for a default rule with another pin (the pin flow can reach it)", () => {
    const trunks = [trunk({ sipTrunkId: "ST_any", authUsername: "user", authPassword: "secret" })];
    const rules = [
      rule({ sipDispatchRuleId: "SDR_default", rule: direct("private", "1234") }),
      rule({ sipDispatchRuleId: "SDR_any", trunkIds: ["ST_any"], rule: direct("lobby") }),
    ];
    expect(withCode(check(trunks, rules).findings, "shadowed-rule")).toEqual([]);
  });

  it("unknown-trunk: every trunk unknown, or one of several", () => {
    const { findings } = check(
      [main()],
      [
        rule({ sipDispatchRuleId: "SDR_gone", trunkIds: ["ST_gone"] }),
        rule({ sipDispatchRuleId: "SDR_half", trunkIds: ["ST_main", "ST_old"], rule: callee("c") }),
      ],
    );
    const found = withCode(findings, "unknown-trunk");
    expect(found.map((f) => [f.severity, f.ruleIds, f.trunkIds])).toEqual([
      ["warning", ["SDR_gone"], ["ST_gone"]],
      ["warning", ["SDR_half"], ["ST_old"]],
    ]);
    expect(found[0]!.message).toContain("no call can reach it");
    expect(found[1]!.message).toContain("calls through its other trunks still reach it");
  });
});

describe("lintDispatch: pin-prompts-open-callers", () => {
  // LiveKit's first evaluation keeps pin and open rules and takes the lowest priority: with the
  // same filters a pin rule (0-2) ranks before an open one (100-102).
  const board = rule({ sipDispatchRuleId: "SDR_board", trunkIds: ["ST_main"], numbers: ["+15550100"], rule: direct("board", "4321") });
  const lobby = rule({ sipDispatchRuleId: "SDR_lobby", trunkIds: ["ST_main"], numbers: ["+15550100"], rule: direct("lobby") });

  it("a pin rule and an open rule on the same number: every caller is asked for the pin", () => {
    const { findings, config } = check([main()], [board, lobby]);
    const f = one(findings, "pin-prompts-open-callers");
    expect(f).toEqual({
      code: "pin-prompts-open-callers",
      severity: "warning",
      message:
        'Pin rule "SDR_board" and open rule "SDR_lobby" take the same calls (to "+15550100" through trunk "ST_main"). LiveKit ranks a ' +
        'pin rule before an open rule with the same filters, so every caller of "+15550100" is answered and asked for the pin, and ' +
        'reaches "SDR_lobby" only by pressing # without digits. Fix: give the pin rule a called number of its own, or, if known ' +
        "callers should get in directly, list them in the open rule's inboundNumbers (a rule with a calling-number filter ranks " +
        "before one without).",
      ruleIds: ["SDR_board", "SDR_lobby"],
      ruleIndexes: [0, 1],
      witness: { from: "+18885550000", to: "+15550100", sourceIp: "203.0.113.1" },
    });
    expectWitness(f, config);
    expect(resolveDispatch(f.witness!, config.trunks, config.rules)).toMatchObject({ result: "request_pin", ruleId: "SDR_board" });
    expect(resolveDispatch({ ...f.witness!, noPin: true }, config.trunks, config.rules)).toMatchObject({ result: "accept", ruleId: "SDR_lobby" });
  });

  it("also for two default rules with no filters (the pin rule ranks 2000, the open one 2100)", () => {
    const pinAll = rule({ sipDispatchRuleId: "SDR_a", rule: individual("pin", { pin: "1234" }) });
    const openAll = rule({ sipDispatchRuleId: "SDR_b", rule: individual("open") });
    const f = one(check([main()], [pinAll, openAll]).findings, "pin-prompts-open-callers");
    expect(f.ruleIds).toEqual(["SDR_a", "SDR_b"]);
  });

  it.each([
    // Known callers get in directly (the open rule's caller filter outranks the pin rule), the rest are prompted: intended.
    ["the open rule lists its callers", [board, { ...lobby, inboundNumbers: ["+15550001"] }]],
    // The pin rule claims the number; the open rule takes the other numbers.
    ["the open rule has no number filter and the pin rule has one", [board, { ...lobby, numbers: [] }]],
    // A trunk-specific open rule always beats a default pin rule.
    ["the pin rule is a default rule and the open rule is trunk-specific", [{ ...board, trunkIds: [] }, lobby]],
    // The pin rule is for listed callers only.
    ["the pin rule lists its callers", [{ ...board, inboundNumbers: ["+15550001"] }, lobby]],
    ["the numbers differ", [board, { ...lobby, numbers: ["+15550101"] }]],
  ])("not when it does not bite: %s", (_name, rules) => {
    const findings = lint([main({ numbers: ["+15550100", "+15550101"] })], rules);
    expect(withCode(findings, "pin-prompts-open-callers")).toEqual([]);
  });

  it("names id-less rules by name or position, and never prints the pin", () => {
    const findings = lint([main()], [{ ...board, sipDispatchRuleId: "", name: "Board" }, { ...lobby, sipDispatchRuleId: "" }]);
    const f = one(findings, "pin-prompts-open-callers");
    expect(f.ruleIds).toEqual(["Board", "rules[1]"]);
    expect(f.message).toMatch(/^Pin rule "Board" and open rule rules\[1\] take the same calls/);
    expect(JSON.stringify(f)).not.toContain("4321");
  });
});

describe("lintDispatch: privacy and exposure", () => {
  it("shared-masked-room: two callers with the same last 4 digits join one room", () => {
    const masked = rule({ sipDispatchRuleId: "SDR_masked", trunkIds: ["ST_main"], hidePhoneNumber: true, rule: individual("call", { noRandomness: true }) });
    const { findings, config } = check([main()], [masked]);
    const f = one(findings, "shared-masked-room");
    expect(f).toMatchObject({ severity: "warning", ruleIds: ["SDR_masked"] });
    expectWitness(f, config);
  });

  it("shared-masked-room: callers listed in inboundNumbers that end alike", () => {
    const masked = rule({
      sipDispatchRuleId: "SDR_masked",
      trunkIds: ["ST_main"],
      inboundNumbers: ["+15550111", "+15560111"],
      hidePhoneNumber: true,
      rule: individual("", { noRandomness: true }),
    });
    const { findings, config } = check([main()], [masked]);
    const f = one(findings, "shared-masked-room");
    expect(f.message).toContain(`"+15550111" and "+15560111"`);
    expectWitness(f, config);
  });

  it("shared-masked-room on a pin rule has no witness (it would need the pin)", () => {
    const masked = rule({ sipDispatchRuleId: "SDR_masked", trunkIds: ["ST_main"], hidePhoneNumber: true, rule: individual("call", { pin: "1234", noRandomness: true }) });
    const f = one(check([main()], [masked]).findings, "shared-masked-room");
    expect(f.witness).toBeUndefined();
  });

  it("open-catch-all: a default rule with no filter and no pin accepts calls no trunk takes", () => {
    const { findings, config } = check(
      [main()],
      [rule({ sipDispatchRuleId: "SDR_sales", trunkIds: ["ST_main"] }), rule({ sipDispatchRuleId: "SDR_all", rule: individual("call") })],
    );
    const f = one(findings, "open-catch-all");
    expect(f).toMatchObject({ severity: "warning", ruleIds: ["SDR_all"] });
    expectWitness(f, config);
  });

  it.each([
    [{ authUsername: "carrier" }, "authUsername but no authPassword"],
    [{ authPassword: "hunter2-secret" }, "authPassword but no authUsername"],
  ])("auth-half-configured: %j", (auth, text) => {
    const { findings } = check([main(auth)], [rule({ trunkIds: ["ST_main"] })]);
    const f = one(findings, "auth-half-configured");
    expect(f).toMatchObject({ severity: "error", trunkIds: ["ST_main"] });
    expect(f.message).toContain(text);
    expect(f.message).not.toContain("hunter2-secret");
    expect(f.message).not.toContain('"carrier"');
  });
});

// ---------------------------------------------------------------------------------------------
// No false alarms.

function loadExample(): Cfg {
  const json = JSON.parse(readFileSync(new URL("../../examples/dispatch.json", import.meta.url), "utf8")) as { trunks: unknown[]; rules: unknown[] };
  const trunks = json.trunks.map((t) => {
    const r = parseInboundTrunk(t);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
  const rules = json.rules.map((x) => {
    const r = parseDispatchRule(x);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  });
  return { trunks, rules };
}

describe("lintDispatch: clean configurations", () => {
  it("the bundled examples/dispatch.json lints clean", () => {
    const { trunks, rules } = loadExample();
    expect(lint(trunks, rules)).toEqual([]);
  });

  const clean: [string, SIPInboundTrunkInfo[], SIPDispatchRuleInfo[]][] = [
    [
      "personal room: a known caller goes straight in, everyone else is asked for a pin",
      [main()],
      [
        rule({ sipDispatchRuleId: "SDR_me", trunkIds: ["ST_main"], inboundNumbers: ["+15550111"], rule: direct("me") }),
        rule({ sipDispatchRuleId: "SDR_guests", trunkIds: ["ST_main"], rule: direct("me", "1234") }),
      ],
    ],
    [
      "one rule per number on a shared trunk, spelled as the trunk spells them",
      [main({ numbers: ["+15550100", "+15550200"], allowedAddresses: ["203.0.113.7", "2001:db8::/32", "198.51.100.0/24"] })],
      [
        rule({ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_main"], numbers: ["+15550100"], rule: callee("a") }),
        rule({ sipDispatchRuleId: "SDR_b", trunkIds: ["ST_main"], numbers: ["+15550200"], rule: callee("b", { randomize: true }) }),
      ],
    ],
    [
      "the same number on two trunks with disjoint allowedNumbers",
      [
        trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"], allowedNumbers: ["+15550111"] }),
        trunk({ sipTrunkId: "ST_b", numbers: ["+15550100"], allowedNumbers: ["+15550122"] }),
      ],
      [rule({ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_a", "ST_b"], rule: individual("call") })],
    ],
    [
      "hidden numbers with random rooms, and hidden numbers in per-number rooms",
      [main({ authUsername: "user", authPassword: "secret" })],
      [
        rule({ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_main"], hidePhoneNumber: true, numbers: ["+15550100"], rule: individual("call") }),
        rule({ sipDispatchRuleId: "SDR_b", trunkIds: ["ST_main"], hidePhoneNumber: true, rule: callee("line") }),
      ],
    ],
    [
      "a default rule with a pin, and one with a number filter",
      [main()],
      [
        rule({ sipDispatchRuleId: "SDR_pin", rule: direct("conf", "0123456789*ABCD0") }),
        rule({ sipDispatchRuleId: "SDR_num", numbers: ["+15550100"], rule: direct("main") }),
      ],
    ],
    [
      "masked rooms without randomness for callers whose last digits differ",
      [main({ allowedNumbers: ["+15550111", "+15550122"] })],
      [rule({ sipDispatchRuleId: "SDR_m", trunkIds: ["ST_main"], hidePhoneNumber: true, rule: individual("c", { noRandomness: true }) })],
    ],
    ["no trunks and no rules", [], []],
  ];

  it.each(clean)("%s", (_name, trunks, rules) => {
    expect(lint(trunks, rules)).toEqual([]);
  });
});

describe("docs/lint.md", () => {
  const doc = readFileSync(new URL("../../docs/lint.md", import.meta.url), "utf8");
  const sections = [...doc.matchAll(/^### `([a-z-]+)`\n([\s\S]*?)(?=^###? |(?![\s\S]))/gm)].map(([, code, body]) => ({ code: code!, body: body! }));

  it("documents every code, with its severity, an example and the fix", () => {
    expect(sections.map((s) => s.code).sort()).toEqual([...LINT_CODES].sort());
    for (const { body } of sections) {
      expect(body).toMatch(/\*\*(Error|Warning)[.:]\*\*|\*\*(Error|Warning):\*\*/);
      expect(body).toContain("```json");
      expect(body).toContain("**Fix:**");
    }
  });

  it.each(LINT_CODES.map((code) => [code]))("the example for %s triggers it", (code) => {
    const body = sections.find((s) => s.code === code)!.body;
    const json = JSON.parse(/```json\n([\s\S]*?)```/.exec(body)![1]!) as { trunks: unknown[]; rules: unknown[] };
    const parse = <T,>(items: unknown[], parser: (x: unknown) => { ok: true; value: T } | { ok: false; error: { message: string } }): T[] =>
      items.map((x) => {
        const r = parser(x);
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      });
    const config = { trunks: parse(json.trunks, parseInboundTrunk), rules: parse(json.rules, parseDispatchRule) };
    const findings = lint(config.trunks, config.rules);
    expect(withCode(findings, code).length, JSON.stringify(findings, null, 2)).toBeGreaterThan(0);
    expectWellFormed(findings, config);
  });
});

// ---------------------------------------------------------------------------------------------
// Robustness and properties.

describe("lintDispatch: robustness", () => {
  it("never throws on malformed input, and reads what it can", () => {
    const bad = {
      trunks: [null, 42, "x", { sipTrunkId: "ST_bad", numbers: "+15550100", allowedAddresses: [1, "1.2.3.4, 5.6.7.8"] }],
      rules: [{ sipDispatchRuleId: "SDR_bad", trunkIds: ["ST_bad", 7], rule: { dispatchRuleDirect: { roomName: 5 } } }, [], undefined],
    } as unknown as Cfg;
    const findings = lintDispatch(bad);
    expect(withCode(findings, "allowlist-bypassed")[0]?.trunkIds).toEqual(["ST_bad"]);
    expect(withCode(findings, "empty-room-name")[0]?.ruleIds).toEqual(["SDR_bad"]); // roomName 5 read as ""
    expect(lintDispatch(undefined as unknown as Cfg)).toEqual([]);
    expect(lintDispatch({} as unknown as Cfg)).toEqual([]);
  });

  it("orders findings by severity, then code", () => {
    const findings = lint(
      [main({ authUsername: "u" })],
      [rule({ sipDispatchRuleId: "SDR_gone", trunkIds: ["ST_gone"] }), rule({ sipDispatchRuleId: "SDR_blank", trunkIds: ["ST_main"], rule: direct("") })],
    );
    expect(findings.map((f) => `${f.severity}:${f.code}`)).toEqual(["error:auth-half-configured", "error:empty-room-name", "warning:unknown-trunk"]);
  });
});

const RUNS = { numRuns: 120 };

/** Findings with their indexes replaced by the trunks and rules they point at (as sorted JSON). */
const placed = (findings: readonly Finding[], config: Config): unknown[] =>
  findings.map(({ ruleIndexes, trunkIndexes, ...rest }) => ({
    ...rest,
    rules: (ruleIndexes ?? []).map((i) => JSON.stringify(config.rules[i])).sort(),
    trunks: (trunkIndexes ?? []).map((i) => JSON.stringify(config.trunks[i])).sort(),
  }));

const shuffled = (config: Config): fc.Arbitrary<Config> =>
  fc.record({
    trunks: fc.shuffledSubarray(config.trunks, { minLength: config.trunks.length, maxLength: config.trunks.length }),
    rules: fc.shuffledSubarray(config.rules, { minLength: config.rules.length, maxLength: config.rules.length }),
  });

describe("lintDispatch properties", () => {
  test.prop([fc.oneof(configArb(collidingPools), configArb(wildPools)).chain((c) => fc.tuple(fc.constant(c), shuffled(c)))], RUNS)(
    "never throws, never mutates, and does not depend on input order (indexes point at the same trunks and rules)",
    ([config, other]) => {
      const before = structuredClone(config);
      const a = lintDispatch(deepFreeze(structuredClone(config)));
      expect(placed(lintDispatch(other), other)).toEqual(placed(a, config));
      expect(lintDispatch(config)).toEqual(a);
      expect(config).toEqual(before);
    },
  );

  test.prop([configArb(collidingPools)], RUNS)("every witness reproduces its finding, and no finding names a pin", (config) => {
    const findings = lintDispatch(config);
    expectWellFormed(findings, config);
    const text = JSON.stringify(findings);
    for (const pin of PINS) expect(text).not.toContain(pin);
  });

  test.prop([configArb(collidingPools), fc.array(callArb(collidingPools), { minLength: 20, maxLength: 40 })], RUNS)(
    "shadowed-rule is sound: no call selects a rule it reports, with or without strict",
    (config, calls) => {
      const shadowed = new Set(withCode(lintDispatch(config), "shadowed-rule").map((f) => f.ruleIds![0]));
      if (shadowed.size === 0) return;
      for (const call of calls)
        for (const strict of [false, true]) {
          const r = resolveDispatch(call, config.trunks, config.rules, { strict });
          expect(shadowed.has(selected(r) ?? "")).toBe(false);
        }
    },
  );
});
