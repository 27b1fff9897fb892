import { describe, expect, it } from "vitest";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import type { InboundCall } from "../../src/model/resolution.js";
import { direct, expectResult, resolve, rule, trunk } from "../fixtures.js";

// One default rule so that every matched (or unmatched) trunk leads to an accept.
const lobby = rule({ sipDispatchRuleId: "SDR_lobby", rule: direct("lobby") });
const rules = [lobby];

const call = (to: string, from = "+15557777", extra: Partial<InboundCall> = {}): InboundCall => ({ from, to, ...extra });
const trunkIdOf = (c: InboundCall, trunks: SIPInboundTrunkInfo[], strict = false) => resolve(c, trunks, rules, { strict }).trunkId;

describe("trunk matching: specific, default, conflicts", () => {
  const def = trunk({ sipTrunkId: "ST_default" });
  const def2 = trunk({ sipTrunkId: "ST_default2" });
  const main = trunk({ sipTrunkId: "ST_main", numbers: ["+15550100"] });
  const main2 = trunk({ sipTrunkId: "ST_main2", numbers: ["+15550100", "+15550200"] });
  const other = trunk({ sipTrunkId: "ST_other", numbers: ["+15550300"] });

  it.each<[string, SIPInboundTrunkInfo[], string, string]>([
    // [case, trunks, to, trunkId]
    ["a specific trunk alone", [main], "+15550100", "ST_main"],
    ["specific beats default", [def, main], "+15550100", "ST_main"],
    ["specific beats two defaults (no default conflict)", [def, def2, main], "+15550100", "ST_main"],
    ["a default trunk alone serves any number", [def], "+19999999", "ST_default"],
    ["default when the specific trunk is for another number", [def, other], "+15550100", "ST_default"],
    ["no trunk for the number", [other], "+15550100", ""],
    ["no trunks at all", [], "+15550100", ""],
    ["one trunk listing the number twice (after normalisation) counts once", [trunk({ sipTrunkId: "ST_twice", numbers: ["+15550100", "1 555 0100"] })], "+15550100", "ST_twice"],
  ])("%s", (_name, trunks, to, expected) => {
    expect(trunkIdOf(call(to), trunks)).toBe(expected);
  });

  it("two specific trunks: trunk_conflict with LiveKit's text and trunkId \"\"", () => {
    const result = expectResult(resolve(call("+15550100"), [main, main2, def], rules, { trace: true }), "error");
    expect(result).toEqual({
      result: "error",
      trunkId: "",
      error: { code: "trunk_conflict", message: 'Multiple SIP Trunks matched for "+15550100"' },
      sipStatus: 503,
      sipOutcome: "reject",
      trace: [
        { stage: "trunk", id: "ST_default", verdict: "outranked", reason: "default_outranked_by_specific" },
        { stage: "trunk", id: "ST_main", verdict: "selected", reason: "selected_specific", detail: 'Multiple SIP Trunks matched for "+15550100"' },
        { stage: "trunk", id: "ST_main2", verdict: "selected", reason: "selected_specific", detail: 'Multiple SIP Trunks matched for "+15550100"' },
      ],
    });
  });

  it("the conflict message quotes the raw called user, Go-style", () => {
    const result = expectResult(resolve(call("1 (555) 0100"), [main, main2], rules), "error");
    expect(result.error).toEqual({ code: "trunk_conflict", message: 'Multiple SIP Trunks matched for "1 (555) 0100"' });
    const quoted = expectResult(resolve(call('a"b\\c'), [trunk({ sipTrunkId: "ST_q1", numbers: ['a"b\\c'] }), trunk({ sipTrunkId: "ST_q2", numbers: ['a"b\\c'] })], rules), "error");
    expect(quoted.error.message).toBe('Multiple SIP Trunks matched for "a\\"b\\\\c"');
  });

  it("two default trunks and no specific one: default_trunk_conflict", () => {
    const result = expectResult(resolve(call("+15550100"), [def, def2, other], rules), "error");
    expect(result).toEqual({
      result: "error",
      trunkId: "",
      error: { code: "default_trunk_conflict", message: 'Multiple default SIP Trunks matched for "+15550100"' },
      sipStatus: 503,
      sipOutcome: "reject",
    });
  });

  it("trunk conflicts are errors in strict mode too", () => {
    expect(resolve(call("+15550100"), [main, main2], rules, { strict: true }).result).toBe("error");
    expect(resolve(call("+15550100"), [def, def2], rules, { strict: true }).result).toBe("error");
  });
});

describe("filters run before conflict detection", () => {
  const vip = trunk({ sipTrunkId: "ST_vip", numbers: ["+15550100"], allowedNumbers: ["+15551111"] });
  const open = trunk({ sipTrunkId: "ST_open", numbers: ["+15550100"] });
  const vipDefault = trunk({ sipTrunkId: "ST_vipdef", allowedNumbers: ["+15551111"] });
  const openDefault = trunk({ sipTrunkId: "ST_opendef" });
  const office = trunk({ sipTrunkId: "ST_office", numbers: ["+15550100"], allowedAddresses: ["10.0.0.0/8"] });

  it.each<[string, SIPInboundTrunkInfo[], InboundCall, string | { code: string }]>([
    ["a caller only the open trunk admits", [vip, open], call("+15550100", "+15552222"), "ST_open"],
    ["a caller both trunks admit", [vip, open], call("+15550100", "+15551111"), { code: "trunk_conflict" }],
    ["allowedNumbers normalised: caller 1 555 111 1", [vip], call("+15550100", "1 555 111 1"), "ST_vip"],
    ["allowedNumbers: caller not listed", [vip], call("+15550100", "+15552222"), ""],
    ["default trunks: only one admits the caller", [vipDefault, openDefault], call("+15550100", "+15552222"), "ST_opendef"],
    ["default trunks: both admit the caller", [vipDefault, openDefault], call("+15550100", "+15551111"), { code: "default_trunk_conflict" }],
    ["address filter removes one of two specific trunks", [office, open], call("+15550100", "+15551111", { sourceIp: "203.0.113.7" }), "ST_open"],
    ["address filter keeps both", [office, open], call("+15550100", "+15551111", { sourceIp: "10.1.2.3" }), { code: "trunk_conflict" }],
  ])("%s", (_name, trunks, c, expected) => {
    const result = resolve(c, trunks, rules);
    if (typeof expected === "string") {
      expect(result.result).toBe("accept");
      expect(result.trunkId).toBe(expected);
    } else {
      expect(expectResult(result, "error").error.code).toBe(expected.code);
      expect(result.trunkId).toBe("");
    }
  });
});

describe("number normalisation on both sides", () => {
  it.each<[string, string[], string, boolean]>([
    // [case, trunk numbers, called user, matches]
    ["same spelling", ["+15550100"], "+15550100", true],
    ["call without +", ["+15550100"], "15550100", true],
    ["trunk without +", ["15550100"], "+15550100", true],
    ["trunk formatted", ["+1 (555) 0100"], "+15550100", true],
    ["call formatted", ["+15550100"], "1-555-0100", true],
    ["both formatted differently", ["(555) 0100"], "555-0100", true],
    ["different number", ["+15550100"], "+15550101", false],
    ["a SIP user name, exact", ["alice"], "alice", true],
    ["a SIP user name is case-sensitive", ["alice"], "Alice", false],
    ["dots are not formatting", ["555.0100"], "5550100", false],
    ["no country-code logic", ["+4420"], "004420", false],
    ["00 prefix kept", ["004420"], "+004420", true],
  ])("%s", (_name, numbers, to, matches) => {
    const t = trunk({ sipTrunkId: "ST_n", numbers });
    expect(trunkIdOf(call(to), [t])).toBe(matches ? "ST_n" : "");
  });
});

describe("fast path (call.trunkId from the auth step)", () => {
  const a = trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"] });
  const b = trunk({ sipTrunkId: "ST_b", numbers: ["+15550100"] });
  const def = trunk({ sipTrunkId: "ST_def" });
  const picky = trunk({ sipTrunkId: "ST_picky", numbers: ["+15550100"], allowedNumbers: ["+15551111"] });

  it("uses the named trunk when it passes, skipping the conflict check; the trace lists only it", () => {
    const result = expectResult(resolve(call("+15550100", "+15557777", { trunkId: "ST_b" }), [a, b, def], rules, { trace: true }), "accept");
    expect(result.trunkId).toBe("ST_b");
    expect(result.participant.attributes["sip.trunkID"]).toBe("ST_b");
    expect(result.trace!.filter((e) => e.stage === "trunk")).toEqual([
      { stage: "trunk", id: "ST_b", verdict: "selected", reason: "fast_path", detail: expect.any(String) },
    ]);
  });

  it("a named default trunk is used even though a specific trunk exists", () => {
    const result = resolve(call("+15550100", "+15557777", { trunkId: "ST_def" }), [a, def], rules, { trace: true });
    expect(result.trunkId).toBe("ST_def");
    expect(result.trace!.filter((e) => e.stage === "trunk").map((e) => [e.id, e.reason])).toEqual([["ST_def", "fast_path"]]);
  });

  it.each<[string, string, InboundCall, SIPInboundTrunkInfo[], string | { code: string }]>([
    ["named trunk serves another number", "ST_a", call("+15550199", "+15557777", { trunkId: "ST_a" }), [a, def], "ST_def"],
    ["named trunk rejects the caller", "ST_picky", call("+15550100", "+15552222", { trunkId: "ST_picky" }), [picky, a], "ST_a"],
    ["named trunk unknown", "ST_gone", call("+15550100", "+15557777", { trunkId: "ST_gone" }), [a], "ST_a"],
    ["named trunk unknown, full matching conflicts", "ST_gone", call("+15550100", "+15557777", { trunkId: "ST_gone" }), [a, b], { code: "trunk_conflict" }],
    ["named trunk fails, full matching conflicts", "ST_picky", call("+15550100", "+15552222", { trunkId: "ST_picky" }), [picky, a, b], { code: "trunk_conflict" }],
  ])("falls back to full matching: %s", (_name, _id, c, trunks, expected) => {
    const result = resolve(c, trunks, rules, { trace: true });
    const trunkEntries = result.trace!.filter((e) => e.stage === "trunk");
    expect(trunkEntries.map((e) => e.id)).toEqual(trunks.map((t) => t.sipTrunkId).sort());
    expect(trunkEntries.some((e) => e.reason === "fast_path")).toBe(false);
    if (typeof expected === "string") expect(result.trunkId).toBe(expected);
    else expect(expectResult(result, "error").error.code).toBe(expected.code);
  });

  it("an empty call.trunkId is no fast path", () => {
    const result = resolve(call("+15550100", "+15557777", { trunkId: "" }), [a, b], rules);
    expect(expectResult(result, "error").error.code).toBe("trunk_conflict");
  });

  it("with no trunk matched, sip.trunkID still carries call.trunkId while trunkId is \"\"", () => {
    const result = expectResult(resolve(call("+15550199", "+15557777", { trunkId: "ST_a" }), [a], rules), "accept");
    expect(result.trunkId).toBe("");
    expect(result.participant.attributes["sip.trunkID"]).toBe("ST_a");
    expect(result.trunk).toBeUndefined();
    const none = expectResult(resolve(call("+15550199"), [a], rules), "accept");
    expect(none.participant.attributes["sip.trunkID"]).toBe("");
  });
});

describe("source address", () => {
  it.each(["1.2.3.999", "203.0.113.7:5060", "pbx.example.com", "[::1]", "01.2.3.4", " 1.2.3.4", "fe80::1%"])(
    "a non-IP sourceIp %j is invalid_source_ip before any trunk, in both modes",
    (sourceIp) => {
      const trunks = [trunk({ sipTrunkId: "ST_a", numbers: ["+15550100"] }), trunk({ sipTrunkId: "ST_b", numbers: ["+15550100"] })];
      for (const strict of [false, true]) {
        const result = resolve(call("+15550100", "+15557777", { sourceIp, trunkId: "ST_a" }), trunks, rules, { strict, trace: true });
        expect(result).toEqual({
          result: "error",
          trunkId: "",
          error: { code: "invalid_source_ip", message: `invalid source IP address: ${JSON.stringify(sourceIp)}` },
          sipStatus: 503,
          sipOutcome: "reject",
          trace: [],
        });
      }
    },
  );

  it.each(["203.0.113.7", "2001:db8::1", "::ffff:203.0.113.7", "fe80::1%eth0", ""])("%j is accepted", (sourceIp) => {
    expect(resolve(call("+15550100", "+15557777", { sourceIp }), [], rules).result).toBe("accept");
  });
});

describe("trunk trace", () => {
  it("each trunk appears once, in id order, with its first failing filter", () => {
    const trunks = [
      trunk({ sipTrunkId: "ST_e_number", numbers: ["+15550199"] }),
      trunk({ sipTrunkId: "ST_a_caller", numbers: ["+15550199"], allowedNumbers: ["+15551111"], allowedAddresses: ["10.0.0.1"] }),
      trunk({ sipTrunkId: "ST_d_default" }),
      trunk({ sipTrunkId: "ST_b_address", numbers: ["+15550100"], allowedAddresses: ["10.0.0.1"] }),
      trunk({ sipTrunkId: "ST_c_main", numbers: ["+15550100"] }),
    ];
    const result = expectResult(resolve(call("+15550100", "+15557777", { sourceIp: "203.0.113.7" }), trunks, rules, { trace: true }), "accept");
    expect(result.trace!.filter((e) => e.stage === "trunk").map(({ id, verdict, reason }) => ({ id, verdict, reason }))).toEqual([
      { id: "ST_a_caller", verdict: "skipped", reason: "caller_not_allowed" },
      { id: "ST_b_address", verdict: "skipped", reason: "address_not_allowed" },
      { id: "ST_c_main", verdict: "selected", reason: "selected_specific" },
      { id: "ST_d_default", verdict: "outranked", reason: "default_outranked_by_specific" },
      { id: "ST_e_number", verdict: "skipped", reason: "number_mismatch" },
    ]);
  });

  it("a lone default trunk is selected_default", () => {
    const result = resolve(call("+15550100"), [trunk({ sipTrunkId: "ST_d" })], rules, { trace: true });
    expect(result.trace![0]).toMatchObject({ stage: "trunk", id: "ST_d", verdict: "selected", reason: "selected_default" });
  });

  it("a default-trunk conflict marks both defaults", () => {
    const trunks = [trunk({ sipTrunkId: "ST_d1" }), trunk({ sipTrunkId: "ST_d2" }), trunk({ sipTrunkId: "ST_x", numbers: ["+1999"] })];
    const result = resolve(call("+15550100"), trunks, rules, { trace: true });
    expect(result.trace!.map(({ id, verdict, reason }) => ({ id, verdict, reason }))).toEqual([
      { id: "ST_d1", verdict: "selected", reason: "selected_default" },
      { id: "ST_d2", verdict: "selected", reason: "selected_default" },
      { id: "ST_x", verdict: "skipped", reason: "number_mismatch" },
    ]);
  });
});

describe("the trunk stage of the trace, entry for entry", () => {
  it("names each rejected trunk's failing filter in words, and the trunk that took the call", () => {
    const trunks = [
      trunk({ sipTrunkId: "ST_1_callers", numbers: ["+15550100"], allowedNumbers: ["+15559999"] }),
      trunk({ sipTrunkId: "ST_2_addresses", numbers: ["+15550100"], allowedAddresses: ["203.0.113.0/24"] }),
      trunk({ sipTrunkId: "ST_3_numbers", numbers: ["+15550300"] }),
      trunk({ sipTrunkId: "ST_4_default" }),
      trunk({ sipTrunkId: "ST_5_main", numbers: ["+15550100"] }),
    ];
    const result = resolve(call("+15550100", "+15557777", { sourceIp: "10.1.2.3" }), trunks, rules, { trace: true });
    expect(result.trace!.filter((e) => e.stage === "trunk")).toEqual([
      { stage: "trunk", id: "ST_1_callers", verdict: "skipped", reason: "caller_not_allowed", detail: "the calling number is not in allowedNumbers" },
      {
        stage: "trunk",
        id: "ST_2_addresses",
        verdict: "skipped",
        reason: "address_not_allowed",
        detail: "the source address and From host are not in allowedAddresses",
      },
      { stage: "trunk", id: "ST_3_numbers", verdict: "skipped", reason: "number_mismatch", detail: "the called number is not in numbers" },
      { stage: "trunk", id: "ST_4_default", verdict: "outranked", reason: "default_outranked_by_specific" },
      { stage: "trunk", id: "ST_5_main", verdict: "selected", reason: "selected_specific" },
    ]);
  });
});

describe("a hand-built trunk without allowedAddresses", () => {
  // Absent is an empty list: no address filter, in strict mode too (where a list with no valid
  // entry would admit nobody).
  const { allowedAddresses: _, ...bare } = trunk({ sipTrunkId: "ST_bare", numbers: ["+15550100"] });
  it.each([false, true])("admits a call with a source address (strict %s)", (strict) => {
    const result = resolve(call("+15550100", "+15557777", { sourceIp: "203.0.113.7" }), [bare as SIPInboundTrunkInfo], rules, { strict });
    expect(result).toMatchObject({ result: "accept", trunkId: "ST_bare", ruleId: "SDR_lobby" });
  });
});
