import { describe, expect, it } from "vitest";
import { diffDispatch } from "../../src/diff/diff.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";
import type { DispatchConfig } from "../../src/model/resolution.js";
import type { SIPDispatchRuleInfo } from "../../src/model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../../src/model/inbound-trunk.js";
import { callee, direct, individual, rule, trunk } from "../fixtures.js";

// Worked examples (docs/diff.md): a configuration, one edit, and exactly what diffDispatch says.

const main = trunk({ sipTrunkId: "ST_main", numbers: ["+15550100"] });
const open = rule({ sipDispatchRuleId: "SDR_open", trunkIds: ["ST_main"], rule: individual("call-") });
const base: DispatchConfig = { trunks: [main], rules: [open] };
const config = (trunks: SIPInboundTrunkInfo[], rules: SIPDispatchRuleInfo[]): DispatchConfig => ({ trunks, rules });
const sales = rule({ sipDispatchRuleId: "SDR_sales", trunkIds: ["ST_main"], rule: direct("sales") });

const EXAMPLES: { name: string; before: DispatchConfig; after: DispatchConfig; strict?: boolean; messages: string[] }[] = [
  {
    name: "a pin rule on the same trunk outranks the open rule",
    before: base,
    after: config([main], [open, rule({ sipDispatchRuleId: "SDR_board", trunkIds: ["ST_main"], rule: direct("board", "1234") })]),
    messages: [
      "calls from any number to +15550100 through ST_main now need a pin: rule SDR_board",
      "calls from any number to +15550100 entering the pin of SDR_board through ST_main now join room \"board\": rule SDR_board",
    ],
  },
  {
    name: "a renamed room",
    before: config([main], [sales]),
    after: config([main], [{ ...sales, rule: direct("support") }]),
    messages: [
      "calls from any number to +15550100 through ST_main now join room \"support\" instead of \"sales\": rule SDR_sales",
    ],
  },
  {
    name: "a rule for one caller",
    before: base,
    after: config([main], [open, rule({ sipDispatchRuleId: "SDR_vip", trunkIds: ["ST_main"], inboundNumbers: ["+15550111"], rule: direct("vip") })]),
    messages: [
      "calls from +15550111 to +15550100 through ST_main now join room \"vip\" instead of \"call-_+15550111_{random}\": rule SDR_vip instead of SDR_open",
    ],
  },
  {
    name: "the only rule removed",
    before: base,
    after: config([main], []),
    messages: [
      "calls from any number to +15550100 through ST_main are now dropped without an answer: no rule matches",
      "calls from any number to +15550100 pressing # without a pin through ST_main now hear \"wrong pin\" and are hung up: no rule matches",
    ],
  },
  {
    name: "a second open rule for the same trunk: every call through it, and every call no trunk takes, fails",
    before: base,
    after: config([main], [open, rule({ sipDispatchRuleId: "SDR_dup", trunkIds: ["ST_main"], rule: direct("dup") })]),
    messages: [
      "calls from any number to +15550100 through ST_main now fail with 503 rule_conflict: Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule \"SDR_dup\" \"<blank name>\"",
      "calls from any number to +15550100 entering a wrong pin through ST_main now fail with 503 rule_conflict: Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule \"SDR_dup\" \"<blank name>\"",
      "calls from any number to any other number matching no trunk now fail with 503 rule_conflict: Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule \"SDR_dup\" \"<blank name>\"",
      "calls from any number to any other number pressing # without a pin matching no trunk now fail with 503 rule_conflict: Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule \"SDR_dup\" \"<blank name>\"",
    ],
  },
  {
    name: "an address allowlist (LiveKit-exact: a call without a source address bypasses it)",
    before: base,
    after: config([{ ...main, allowedAddresses: ["10.0.0.0/8"] }], [open]),
    messages: [
      "calls from any number to +15550100 from address 11.0.0.0 through ST_main are now dropped without an answer: no rule matches (now matching no trunk)",
      "calls from any number to +15550100 from address 11.0.0.0 pressing # without a pin through ST_main now hear \"wrong pin\" and are hung up: no rule matches (now matching no trunk)",
      "calls from any number to +15550100 from address 11.0.0.0 entering a wrong pin through ST_main now match no trunk",
    ],
  },
  {
    name: "an address allowlist, strict: no source address is refused too",
    before: base,
    after: config([{ ...main, allowedAddresses: ["10.0.0.0/8"] }], [open]),
    strict: true,
    messages: [
      "calls from any number to +15550100 with no source address through ST_main are now dropped without an answer: no rule matches (now matching no trunk)",
      "calls from any number to +15550100 with no source address pressing # without a pin through ST_main now hear \"wrong pin\" and are hung up: no rule matches (now matching no trunk)",
      "calls from any number to +15550100 with no source address entering a wrong pin through ST_main now match no trunk",
      "calls from any number to +15550100 with From host 10.0.0.0/8 from address 11.0.0.0 through ST_main are now dropped without an answer: no rule matches (now matching no trunk)",
      "calls from any number to +15550100 with From host 10.0.0.0/8 from address 11.0.0.0 pressing # without a pin through ST_main now hear \"wrong pin\" and are hung up: no rule matches (now matching no trunk)",
    ],
  },
  {
    name: "hidePhoneNumber turned on",
    before: base,
    after: config([main], [{ ...open, hidePhoneNumber: true }]),
    messages: [
      "calls from any number to +15550100 through ST_main now join room \"call-_0100_{random}\" instead of \"call-_+19995550100_{random}\": rule SDR_open",
    ],
  },
  {
    name: "participant metadata",
    before: base,
    after: config([main], [{ ...open, metadata: "x" }]),
    messages: [
      "calls from any number to +15550100 through ST_main now get a different metadata: rule SDR_open",
    ],
  },
  {
    name: "krisp on the trunk",
    before: base,
    after: config([{ ...main, krispEnabled: true }], [open]),
    messages: [
      "calls from any number to +15550100 through ST_main now get a different krispEnabled: rule SDR_open",
    ],
  },
  {
    name: "a rule number filter rewritten from 15550100 to +15550100 (rules compare numbers exactly)",
    before: config([main], [rule({ sipDispatchRuleId: "SDR_n", numbers: ["15550100"], rule: direct("n") })]),
    after: config([main], [rule({ sipDispatchRuleId: "SDR_n", numbers: ["+15550100"], rule: direct("n") })]),
    messages: [
      "calls from any number to +15550100 through ST_main now join room \"n\": rule SDR_n",
      "calls from any number to +15550100 pressing # without a pin through ST_main now join room \"n\": rule SDR_n",
      "calls from any number to 15550100 through ST_main are now dropped without an answer: no rule matches",
      "calls from any number to 15550100 pressing # without a pin through ST_main now hear \"wrong pin\" and are hung up: no rule matches",
    ],
  },
  {
    name: "the same rewrite, strict: numbers compare normalised, nothing changes",
    before: config([main], [rule({ sipDispatchRuleId: "SDR_n", numbers: ["15550100"], rule: direct("n") })]),
    after: config([main], [rule({ sipDispatchRuleId: "SDR_n", numbers: ["+15550100"], rule: direct("n") })]),
    strict: true,
    messages: [],
  },
  {
    name: "a new default trunk with its own rule",
    before: base,
    after: config([main, trunk({ sipTrunkId: "ST_any", allowedNumbers: ["+15550111"] })], [open, rule({ sipDispatchRuleId: "SDR_x", trunkIds: ["ST_any"], rule: callee("ext") })]),
    messages: [
      "calls from +15550111 to +15550100 naming trunk ST_any through ST_main now join room \"ext_+15550100\" instead of \"call-_+15550111_{random}\": rule SDR_x instead of SDR_open",
      "calls from +15550111 to +15550100 naming trunk ST_any entering a wrong pin through ST_main now go through ST_any",
      "calls from +15550111 to any other number matching no trunk now join room \"ext_+19995550199\": rule SDR_x (now through ST_any)",
      "calls from +15550111 to any other number pressing # without a pin matching no trunk now join room \"ext_+19995550199\": rule SDR_x (now through ST_any)",
      "calls from +15550111 to any other number entering a wrong pin matching no trunk now go through ST_any",
    ],
  },
  { name: "a rule renamed (names decide nothing here)", before: base, after: config([main], [{ ...open, name: "renamed" }]), messages: [] },
  {
    name: "entries reordered",
    before: config([main, trunk({ sipTrunkId: "ST_b" })], [open, sales]),
    after: config([trunk({ sipTrunkId: "ST_b" }), main], [sales, open]),
    messages: [],
  },
];

describe("diffDispatch examples", () => {
  for (const example of EXAMPLES)
    it(example.name, () => {
      const diff = diffDispatch(example.before, example.after, { strict: example.strict ?? false });
      expect(diff.changes.map((change) => change.message)).toEqual(example.messages);
    });

  it("reports the witness, both summaries and the fields that differ", () => {
    const after = config([main], [open, rule({ sipDispatchRuleId: "SDR_board", trunkIds: ["ST_main"], rule: direct("board", "1234") })]);
    const [change] = diffDispatch(base, after).changes;
    expect(change!.call).toEqual({ from: "+19995550100", to: "+15550100" });
    expect(change!.before).toMatchObject({ result: "accept", ruleId: "SDR_open", roomName: "call-_+19995550100_{random}" });
    expect(change!.before.result === "accept" && change!.before.participant.attributes["sip.callID"]).toBe("SCL_{random}");
    expect(change!.before).not.toHaveProperty("trace");
    expect(change!.after).toMatchObject({ result: "request_pin", ruleId: "SDR_board", trunkId: "ST_main" });
    expect(change!.fields).toEqual(["result", "sipOutcome", "ruleId", "roomName", "identity", "name", "metadata", "attributes", "krispEnabled", "trunk"]);
    const resolved = resolveDispatch(change!.call, after.trunks, after.rules);
    expect(resolved.result).toBe("request_pin");
  });

  it("counts the classes it compared, and compares none when nothing changed", () => {
    expect(diffDispatch(base, base)).toEqual({ changes: [], classes: 0 });
    expect(diffDispatch(base, config([main], [{ ...open, metadata: "x" }])).classes).toBeGreaterThan(0);
  });

  it("throws a TypeError for arguments that are not configurations", () => {
    expect(() => diffDispatch(null as unknown as DispatchConfig, base)).toThrow(TypeError);
    expect(() => diffDispatch(base, { trunks: [] } as unknown as DispatchConfig)).toThrow(/after: rules must be an array/);
  });
});
