import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import type { InboundCall, SIPOutcome } from "../../src/model/resolution.js";
import { compileDispatch } from "../../src/resolve/compile.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import { callArb, configArb } from "../arbitraries.js";
import { direct, randomId, resolve, rule, trunk } from "../fixtures.js";

// What LiveKit's SIP service does with each decision (livekit/sip pkg/sip/inbound.go, handleInvite
// and pinPrompt; see docs/semantics.md).
const main = trunk({ sipTrunkId: "ST_main", numbers: ["+15550100"] });
const known = "+15551111";
const stranger = "+15552222";
const rules = [
  rule({ sipDispatchRuleId: "SDR_known", inboundNumbers: [known], rule: direct("lobby") }),
  rule({ sipDispatchRuleId: "SDR_pin", rule: direct("secret", "4321") }),
  rule({ sipDispatchRuleId: "SDR_nowhere", rule: direct("", "9999") }),
];
const call = (from: string, extra: Partial<InboundCall> = {}): InboundCall => ({ from, to: "+15550100", ...extra });

describe("sipOutcome", () => {
  it.each<[string, InboundCall, string, SIPOutcome]>([
    ["first INVITE, accepted: the caller joins", call(known), "accept", "join_room"],
    ["first INVITE, a pin rule wins: answer and prompt", call(stranger), "request_pin", "prompt_pin"],
    ["the right pin: the caller joins", call(stranger, { pin: "4321" }), "accept", "join_room"],
    ["a wrong pin: no rule, wrong-pin prompt, hang up (not a silent drop)", call(stranger, { pin: "0000" }), "drop", "wrong_pin_hangup"],
    ["# alone with no open rule for this caller: hang up", call(stranger, { noPin: true }), "drop", "wrong_pin_hangup"],
    ["# alone reaching an open rule: the caller joins", call(known, { noPin: true }), "accept", "join_room"],
    ["a pin that reaches an empty room name: hang up", call(stranger, { pin: "9999" }), "accept", "wrong_pin_hangup"],
  ])("%s", (_name, c, result, outcome) => {
    const resolution = resolve(c, [main], rules);
    expect([resolution.result, resolution.sipOutcome]).toEqual([result, outcome]);
    expect(compileDispatch([main], rules).resolve(c, { randomId }).sipOutcome).toBe(outcome);
  });

  it("a first INVITE that no rule takes is ignored: no final response", () => {
    const resolution = resolve(call(stranger), [main], [rules[0]!]);
    expect([resolution.result, resolution.sipOutcome]).toEqual(["drop", "ignore"]);
  });

  it("a first INVITE accepted into an empty room name still joins (LiveKit makes no check there)", () => {
    const resolution = resolve(call(stranger), [main], [rule({ sipDispatchRuleId: "SDR_empty", rule: direct("") })]);
    expect(resolution).toMatchObject({ result: "accept", roomName: "", sipOutcome: "join_room" });
  });

  it.each<[string, InboundCall]>([
    ["invalid source address", call(known, { sourceIp: "not-an-ip" })],
    ["rule conflict on a first INVITE", call(known)],
    ["rule conflict after a pin", call(known, { pin: "4321" })],
  ])("errors are rejected: %s", (_name, c) => {
    const conflicting = [rule({ sipDispatchRuleId: "SDR_1" }), rule({ sipDispatchRuleId: "SDR_2" })];
    const resolution = resolve(c, [main], conflicting);
    expect([resolution.result, resolution.sipOutcome]).toEqual(["error", "reject"]);
  });

  test.prop([configArb(), callArb()], { numRuns: 200 })(
    "law: a caller who entered a pin is never ignored or prompted again; one who did not is never told the pin was wrong",
    (config, c) => {
      const resolution = resolveDispatch(c, config.trunks, config.rules, { randomId });
      const entered = c.noPin === true || (c.pin ?? "") !== "";
      const possible: Record<string, SIPOutcome[]> = entered
        ? { accept: ["join_room", "wrong_pin_hangup"], drop: ["wrong_pin_hangup"], error: ["reject"] }
        : { accept: ["join_room"], request_pin: ["prompt_pin"], drop: ["ignore"], error: ["reject"] };
      expect(possible[resolution.result]).toContain(resolution.sipOutcome);
    },
  );
});
