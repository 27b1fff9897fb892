// `sip-dispatch resolve` explains every outcome in words: the headline (accept, request_pin, drop
// with or without a trunk, each error code), every trunk and rule with its verdict and the values
// that decided it, and the participant. Run in process through runCli, against small configs.
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

let dir: string;
let count = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sip-dispatch-explain-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const direct = (roomName: string, pin = "") => ({ dispatchRuleDirect: { roomName, pin } });
const individual = (roomPrefix: string, pin = "") => ({ dispatchRuleIndividual: { roomPrefix, pin } });

/**
 * `sip-dispatch resolve --config <file> --all …args` on a plain terminal (every trunk and rule
 * listed, to show the words of each verdict); the file's path reads CONFIG.
 */
function explain(config: { trunks: unknown[]; rules: unknown[] }, args: string[], tty = false, all = true): string {
  const file = join(dir, `config-${count++}.json`);
  writeFileSync(file, JSON.stringify(config));
  const result = runCli(["resolve", "--config", file, ...(all ? ["--all"] : []), ...args], { isTTY: tty, env: {}, columns: 100 });
  expect(result).toMatchObject({ exitCode: 0, stderr: "" });
  return result.stdout.replaceAll(file, "CONFIG");
}

const section = (out: string, title: string): string[] => {
  const lines = out.split("\n");
  const start = lines.findIndex((line) => line.startsWith(title));
  expect(start, `no ${title} section`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((line, i) => i > start && line === "");
  return lines.slice(start, end);
};

describe("accept", () => {
  it("explains every trunk verdict, the winning rule's priority and the participant", () => {
    const trunks = [
      { sipTrunkId: "ST_allow", numbers: ["+15550100"], allowedAddresses: ["192.0.2.0/24", "sip.example.com"] },
      { sipTrunkId: "ST_callers", numbers: ["+15550100"], allowedNumbers: ["+15550001", "+15550002"] },
      { sipTrunkId: "ST_fmt", name: "Formatted", numbers: ["+1 555 0100"] },
      { sipTrunkId: "ST_default", name: "Default" },
      { sipTrunkId: "ST_other", numbers: ["+15550999"] },
    ];
    const out = explain({ trunks, rules: [{ sipDispatchRuleId: "SDR_a", rule: direct("a") }] }, [
      ...["--from", "+15550111", "--from-host", "evil.example.net", "--to", "+15550100", "--ip", "198.51.100.1", "--random-id", "R"],
    ]);
    expect(out).toBe(`Call    from +15550111@evil.example.net to +15550100, source IP 198.51.100.1
Config  CONFIG (5 trunks, 1 rule)

ACCEPT  room "a", rule SDR_a on trunk ST_fmt

Trunks
  skipped   ST_allow               source IP 198.51.100.1 and From host "evil.example.net" not in allowedAddresses [192.0.2.0/24, sip.example.com] (address_not_allowed)
  skipped   ST_callers             the calling number "+15550111" is not in allowedNumbers [+15550001, +15550002] (caller_not_allowed)
  outranked ST_default  Default    a default trunk (no numbers); a trunk that lists the called number wins (default_outranked_by_specific)
  selected  ST_fmt      Formatted  its numbers list the called number "+15550100" (trunk numbers match after normalisation) (selected_specific)
  skipped   ST_other               the called number "+15550100" is not in numbers [+15550999] (number_mismatch)

Rules (candidates: rules naming ST_fmt, then rules with no trunkIds; lowest priority number wins)
  selected  SDR_a  matched, priority 2100: direct rule, no pin (100) + no inboundNumbers filter (+1000) + no numbers filter (+1000)

Participant
  room        a
  identity    sip_+15550111
  name        Phone +15550111
  krisp       off
  attributes  sip.callID            SCL_R
              sip.trunkID           ST_fmt
              sip.phoneNumber       +15550111
              sip.hostname          evil.example.net
              sip.trunkPhoneNumber  +15550100
              sip.ruleID            SDR_a
`);
  });

  it("shows every participant setting a rule can add, and warns about an empty room name", () => {
    const rule = {
      sipDispatchRuleId: "",
      metadata: '{"m":1}',
      roomPreset: "preset1",
      roomConfig: { agents: [{ agentName: "bot" }] },
      krispEnabled: true,
      media: { codecs: [{ name: "PCMU", rate: 8000 }] },
      mediaEncryption: "SIP_MEDIA_ENCRYPT_ALLOW",
      hidePhoneNumber: true,
      attributes: { empty: "" },
      rule: direct(""),
    };
    const out = explain({ trunks: [], rules: [rule] }, ["--from", "+15550111", "--to", "+15550100", "--to-host", "pbx.example.com", "--call-id", "SCL_x"]);
    expect(out.split("\n").slice(0, 5)).toEqual([
      "Call    from +15550111 to +15550100@pbx.example.com, no source IP",
      "Config  CONFIG (0 trunks, 1 rule)",
      "",
      'ACCEPT  room "", rule rules[0] (no trunk matched)',
      '        the room name is empty: LiveKit joins the caller to a room named "" (a caller who entered a pin would hear "wrong pin")',
    ]);
    expect(section(out, "Rules")).toEqual([
      "Rules (no trunk matched: only rules with no trunkIds can be selected; lowest priority number wins)",
      "  selected  rules[0]  matched, priority 2100: direct rule, no pin (100) + no inboundNumbers filter (+1000) + no numbers filter (+1000)",
    ]);
    expect(section(out, "Participant")).toEqual([
      "Participant",
      "  room         ",
      "  identity     sip_6bf3ce0130bd4a6c",
      "  name         Phone 0111",
      '  metadata     {"m":1}',
      "  room preset  preset1",
      "  agent        bot",
      "  codecs       PCMU/8000",
      "  encryption   SIP_MEDIA_ENCRYPT_ALLOW",
      "  krisp        on",
      '  attributes   empty        ""',
      "               sip.callID   SCL_x",
      '               sip.trunkID  ""',
      '               sip.ruleID   ""',
    ]);
  });

  it("notes a random room suffix, unless --random-id fixes it", () => {
    const config = { trunks: [], rules: [{ sipDispatchRuleId: "SDR_i", rule: individual("call") }] };
    const random = explain(config, ["--from", "+15550111", "--to", "+15550100"]);
    expect(random).toMatch(/^ACCEPT {2}room "call_\+15550111_[2-9A-HJ-NP-Za-km-z]{12}", rule SDR_i \(no trunk matched\)$/m);
    expect(random).toContain("\nnote: the room name ends in a random suffix that changes on every call (--random-id fixes it)\n");
    const fixed = explain(config, ["--from", "+15550111", "--to", "+15550100", "--random-id", "ABCDEFGHJKLM"]);
    expect(fixed).toContain('ACCEPT  room "call_+15550111_ABCDEFGHJKLM", rule SDR_i (no trunk matched)\n');
    expect(fixed).not.toContain("note:");
  });

  it("says when an allowlist was skipped for lack of --ip, and what strict mode makes of it", () => {
    const config = {
      trunks: [{ sipTrunkId: "ST_allow", numbers: ["+15550100"], allowedAddresses: ["192.0.2.0/24"] }, { sipTrunkId: "ST_open" }],
      rules: [{ sipDispatchRuleId: "SDR_a", rule: direct("a") }],
    };
    const lax = explain(config, ["--from", "+15550111", "--to", "+15550100"]);
    expect(lax).toContain("ACCEPT  room \"a\", rule SDR_a on trunk ST_allow\n\nnote: no --ip given: LiveKit then skips the allowedAddresses of [ST_allow] (pass --ip to check them)\n");
    const strict = explain(config, ["--from", "+15550111", "--to", "+15550100", "--strict"]);
    expect(strict).toContain("Config  CONFIG (2 trunks, 1 rule), strict mode\n");
    expect(strict).toContain("ACCEPT  room \"a\", rule SDR_a on trunk ST_open\n\nnote: no --ip given: in strict mode the allowedAddresses of [ST_allow] admit nothing\n");
    expect(section(strict, "Trunks")).toEqual([
      "Trunks",
      "  skipped   ST_allow  no source IP not in allowedAddresses [192.0.2.0/24] (address_not_allowed)",
      "  selected  ST_open   a default trunk (no numbers), and no trunk lists the called number (selected_default)",
    ]);
    expect(explain(config, ["--from", "+15550111", "--to", "+15550100", "--ip", "192.0.2.1"])).not.toContain("note:");
  });

  it("describes the fast path and everything given about the call", () => {
    const config = {
      trunks: [{ sipTrunkId: "ST_main", numbers: ["+15550100"] }, { sipTrunkId: "ST_auth" }],
      rules: [{ sipDispatchRuleId: "SDR_a", rule: direct("a") }],
    };
    const out = explain(config, [
      ...["--from", "+15550111", "--to", "+15550100", "--ip", "192.0.2.1", "--trunk-id", "ST_auth", "--no-pin"],
      ...["--header", "X-A: 1", "--header", "X-B:2", "--random-id", "R"],
    ]);
    expect(out.split("\n")[0]).toBe("Call    from +15550111 to +15550100, source IP 192.0.2.1, caller pressed # without a pin, auth trunk ST_auth, headers X-A, X-B");
    expect(section(out, "Trunks")).toEqual([
      "Trunks",
      "  selected  ST_auth  named by --trunk-id and passed its filters; no other trunk was examined (fast_path)",
    ]);
  });
});

describe("rules: every verdict in words", () => {
  const trunks = [
    { sipTrunkId: "ST_a", numbers: ["+15550100"] },
    { sipTrunkId: "ST_b", numbers: ["+15550200"] },
  ];
  const rules = [
    { sipDispatchRuleId: "SDR_caller", inboundNumbers: ["15550111"], rule: direct("c") },
    { sipDispatchRuleId: "SDR_number", numbers: ["1 555 0100"], rule: direct("n") },
    { sipDispatchRuleId: "SDR_pin", trunkIds: ["ST_a"], rule: direct("p", "9999") },
    { sipDispatchRuleId: "SDR_b", trunkIds: ["ST_b"], rule: direct("b") },
    { sipDispatchRuleId: "SDR_open", rule: individual("open") },
    { sipDispatchRuleId: "SDR_spec", name: "a name that is much longer than thirty-two characters", trunkIds: ["ST_a"], rule: individual("spec") },
  ];
  const call = ["--from", "+15550111", "--to", "+15550100", "--random-id", "X"];

  it("request_pin: the pin rule wins; number filters that only differ in format get a hint; long names are cut", () => {
    const out = explain({ trunks, rules }, call);
    expect(out).toBe(`Call    from +15550111 to +15550100, no source IP
Config  CONFIG (2 trunks, 6 rules)

REQUEST_PIN  rule SDR_pin on trunk ST_a needs a pin
        LiveKit answers the call (200 OK), plays "enter pin", reads DTMF digits ending in #, then decides again
        with the digits: resolve again with --pin DIGITS, or --no-pin for # alone.

Trunks
  selected  ST_a  its numbers list the called number "+15550100" (selected_specific)
  skipped   ST_b  the called number "+15550100" is not in numbers [+15550200] (number_mismatch)

Rules (candidates: rules naming ST_a, then rules with no trunkIds; lowest priority number wins)
  skipped   SDR_b                                         names other trunks [ST_b] (trunk_mismatch)
  skipped   SDR_caller                                    the calling number "+15550111" is not in inboundNumbers [15550111]; "15550111" is the same number, but LiveKit compares rule filters exactly (--strict normalises) (caller_mismatch)
  skipped   SDR_number                                    the called number "+15550100" is not in numbers [1 555 0100]; "1 555 0100" is the same number, but LiveKit compares rule filters exactly (--strict normalises) (number_mismatch)
  outranked SDR_open                                      trunk-specific rule SDR_pin wins over default rules (specific_rule_won)
  selected  SDR_pin                                       matched, priority 2000: direct rule, with a pin (0) + no inboundNumbers filter (+1000) + no numbers filter (+1000)
  outranked SDR_spec    a name that is much longer than…  matched, priority 2101; SDR_pin has 2000 (lower_priority)
`);
  });

  it("strict mode normalises rule filters, so there is no hint and those rules match", () => {
    const mismatch = { sipDispatchRuleId: "SDR_far", numbers: ["+1 555 0999"], rule: direct("e") };
    const rows = section(explain({ trunks, rules: [...rules, mismatch] }, [...call, "--strict"]), "Rules");
    expect(rows).toContain('  skipped   SDR_far                                       the called number "+15550100" is not in numbers [+1 555 0999] (number_mismatch)');
    expect(rows).toContain("  outranked SDR_caller                                    trunk-specific rule SDR_pin wins over default rules (specific_rule_won)");
    expect(rows).toContain("  outranked SDR_number                                    trunk-specific rule SDR_pin wins over default rules (specific_rule_won)");
    expect(rows.join("\n")).not.toContain("is the same number");
  });

  it("# without digits: pin rules are skipped", () => {
    const out = explain({ trunks, rules }, [...call, "--no-pin"]);
    expect(out).toContain('ACCEPT  room "spec_+15550111_X", rule SDR_spec on trunk ST_a\n');
    expect(section(out, "Rules")).toContain("  skipped   SDR_pin                                       needs a pin, and the caller pressed # without digits (pin_required_but_no_pin_mode)");
  });

  it("a wrong pin: open rules and other pins are skipped, the call dropped on its trunk, the pin never shown", () => {
    const out = explain({ trunks, rules }, [...call, "--pin", "1111"]);
    expect(out.split("\n").slice(0, 7)).toEqual([
      "Call    from +15550111 to +15550100, no source IP, pin entered (****)",
      "Config  CONFIG (2 trunks, 6 rules)",
      "",
      "DROP  no dispatch rule matched this call on trunk ST_a",
      '        The caller entered a pin that no rule accepts: LiveKit plays "wrong pin" and hangs up the answered call (wrong_pin_hangup).',
      "        Trunk ST_a took the call, but no rule for it (or with no trunkIds) passed its filters (see Rules).",
      "",
    ]);
    const rows = section(out, "Rules");
    expect(rows).toContain("  skipped   SDR_open                                      has no pin; once digits are entered only pin rules can match (open_rule_after_pin)");
    expect(rows).toContain("  skipped   SDR_pin                                       the entered pin is not this rule's pin (pin_mismatch)");
    expect(out).not.toContain("1111");
    expect(out).not.toContain("9999");
  });

  it("a tie in priority is broken by the room string, then the id", () => {
    const tie = [
      { sipDispatchRuleId: "SDR_t1", inboundNumbers: ["+15550111"], rule: direct("room-b") },
      { sipDispatchRuleId: "SDR_t2", numbers: ["+15550100"], rule: direct("room-a") },
      { sipDispatchRuleId: "SDR_lo", rule: direct("room-c") },
    ];
    expect(section(explain({ trunks, rules: tie }, call), "Rules")).toEqual([
      "Rules (candidates: rules naming ST_a, then rules with no trunkIds; lowest priority number wins)",
      "  outranked SDR_lo  matched, priority 2100; SDR_t2 has 1100 (lower_priority)",
      "  outranked SDR_t1  matched, priority 1100; tied with SDR_t2, which comes first (room string, then id) (lower_priority)",
      "  selected  SDR_t2  matched, priority 1100: direct rule, no pin (100) + no inboundNumbers filter (+1000)",
    ]);
  });
});

describe("drop", () => {
  it("with no trunks configured, and every rule naming a trunk", () => {
    const out = explain({ trunks: [], rules: [{ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_x"], rule: direct("a") }] }, ["--from", "+1", "--to", "+2"]);
    expect(out).toBe(`Call    from +1 to +2, no source IP
Config  CONFIG (0 trunks, 1 rule)

DROP  no dispatch rule matched this call (no trunk matched)
        LiveKit ignores the INVITE: no final SIP response after 180 Ringing (ignore).
        No trunks are configured, and every rule names trunks, so no rule can take it.

Trunks
  (none configured: every call arrives with no trunk)

Rules (no trunk matched: only rules with no trunkIds can be selected; lowest priority number wins)
  skipped   SDR_a  names trunks [ST_x], and no trunk matched (trunk_mismatch)
`);
  });

  it("when no trunk took the call, and the rules with no trunkIds did not match", () => {
    const config = {
      trunks: [{ sipTrunkId: "ST_a", numbers: ["+3"] }],
      rules: [
        { sipDispatchRuleId: "SDR_open", numbers: ["+9"], rule: direct("o") },
        { sipDispatchRuleId: "SDR_open2", inboundNumbers: ["+8"], rule: direct("o") },
        { sipDispatchRuleId: "SDR_t", trunkIds: ["ST_a"], rule: direct("t") },
      ],
    };
    const out = explain(config, ["--from", "+1", "--to", "+2"]);
    expect(out).toContain(
      "DROP  no dispatch rule matched this call (no trunk matched)\n" +
        "        LiveKit ignores the INVITE: no final SIP response after 180 Ringing (ignore).\n" +
        "        No trunk took the call (see Trunks), so only the 2 rules with no trunkIds could take it, and none matched (see Rules).\n",
    );
    expect(section(out, "Trunks")).toEqual(["Trunks", '  skipped   ST_a  the called number "+2" is not in numbers [+3] (number_mismatch)']);
    const single = explain({ trunks: [], rules: [config.rules[0]] }, ["--from", "+1", "--to", "+2"]);
    expect(single).toContain("        No trunks are configured, so only the 1 rule with no trunkIds could take it, and none matched (see Rules).\n");
  });

  it("when no rules are configured; long lists are cut, and odd numbers quoted", () => {
    const config = { trunks: [{ sipTrunkId: "ST_m", numbers: ["+1", "+2", "+3", "+4", "+5", "+6", "+7", "+8"] }], rules: [] };
    expect(explain(config, ["--from", "", "--to", "+15550100 x"])).toBe(`Call    from "" to "+15550100 x", no source IP
Config  CONFIG (1 trunk, 0 rules)

DROP  no dispatch rule matched this call (no trunk matched)
        LiveKit ignores the INVITE: no final SIP response after 180 Ringing (ignore).
        No trunk took the call (see Trunks), and no rules are configured.

Trunks
  skipped   ST_m  the called number "+15550100 x" is not in numbers [+1, +2, +3, +4, +5, +6, … 2 more] (number_mismatch)

Rules
  (none configured)
`);
    const onTrunk = explain({ trunks: [{ sipTrunkId: "ST_a", numbers: ["+2"] }], rules: [] }, ["--from", "+1", "--to", "+2"]);
    expect(onTrunk).toContain("        Trunk ST_a took the call, but no rule for it (or with no trunkIds) passed its filters (see Rules).\n");
    expect(section(onTrunk, "Trunks")).toEqual(["Trunks", '  selected  ST_a  its numbers list the called number "+2" (selected_specific)']);
  });
});

describe("errors: SIP 503, LiveKit's message, and advice per code", () => {
  const call = ["--from", "+1", "--to", "+2"];

  it("trunk_conflict: the conflicting trunks are marked, the default one outranked", () => {
    const config = {
      trunks: [{ sipTrunkId: "ST_a", numbers: ["+2"] }, { sipTrunkId: "ST_b", numbers: ["+2"] }, { sipTrunkId: "ST_c" }],
      rules: [{ sipDispatchRuleId: "SDR_a", rule: direct("a") }],
    };
    expect(explain(config, call)).toBe(`Call    from +1 to +2, no source IP
Config  CONFIG (3 trunks, 1 rule)

ERROR  SIP 503 "Try again later" (trunk_conflict)
        LiveKit: Multiple SIP Trunks matched for "+2"
        Several trunks admit this call equally; give them distinct numbers, allowedNumbers or allowedAddresses (try \`sip-dispatch lint\`).

Trunks
  selected  ST_a  Multiple SIP Trunks matched for "+2" (selected_specific)
  selected  ST_b  Multiple SIP Trunks matched for "+2" (selected_specific)
  outranked ST_c  a default trunk (no numbers); a trunk that lists the called number wins (default_outranked_by_specific)

Rules
  (not examined: the call failed before rule selection)
`);
  });

  it("default_trunk_conflict", () => {
    const config = { trunks: [{ sipTrunkId: "ST_a" }, { sipTrunkId: "ST_b" }], rules: [{ sipDispatchRuleId: "SDR_a", rule: direct("a") }] };
    const out = explain(config, call);
    expect(out).toContain(
      'ERROR  SIP 503 "Try again later" (default_trunk_conflict)\n' +
        '        LiveKit: Multiple default SIP Trunks matched for "+2"\n' +
        "        Several trunks admit this call equally; give them distinct numbers, allowedNumbers or allowedAddresses (try `sip-dispatch lint`).\n",
    );
    expect(section(out, "Trunks")).toEqual([
      "Trunks",
      '  selected  ST_a  Multiple default SIP Trunks matched for "+2" (selected_default)',
      '  selected  ST_b  Multiple default SIP Trunks matched for "+2" (selected_default)',
    ]);
  });

  it("rule_conflict: the conflicting pair and the would-be winner point at the error instead of repeating it", () => {
    const config = {
      trunks: [{ sipTrunkId: "ST_a", numbers: ["+2"] }],
      rules: [
        { sipDispatchRuleId: "SDR_1", trunkIds: ["ST_a"], rule: direct("a") },
        { sipDispatchRuleId: "SDR_2", name: "second", trunkIds: ["ST_a"], rule: direct("b") },
        { sipDispatchRuleId: "SDR_3", trunkIds: ["ST_a"], numbers: ["+2"], rule: direct("c", "1234") },
      ],
    };
    const out = explain(config, call);
    expect(out.split("\n").slice(3, 6)).toEqual([
      'ERROR  SIP 503 "Try again later" (rule_conflict on trunk ST_a)',
      '        LiveKit: Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "SDR_1" "<blank name>"',
      "        Two candidate rules share trunk, numbers and pin; LiveKit fails every call on this trunk (try `sip-dispatch lint`).",
    ]);
    expect(section(out, "Rules")).toEqual([
      "Rules (candidates: rules naming ST_a, then rules with no trunkIds; lowest priority number wins)",
      "  outranked SDR_1          matched; one of the conflicting pair (the error above) (lower_priority)",
      "  outranked SDR_2  second  matched; one of the conflicting pair (the error above) (lower_priority)",
      "  selected  SDR_3          would be selected, but LiveKit refuses the candidate set (the error above)",
    ]);
    expect(out).not.toContain("1234");
  });

  it("rule_conflict between a default rule and a trunk-specific winner", () => {
    const config = {
      trunks: [{ sipTrunkId: "ST_a", numbers: ["+2"] }],
      rules: [
        { sipDispatchRuleId: "SDR_d1", rule: direct("a") },
        { sipDispatchRuleId: "SDR_d2", rule: direct("b") },
        { sipDispatchRuleId: "SDR_s", trunkIds: ["ST_a"], rule: direct("c") },
      ],
    };
    expect(section(explain(config, call), "Rules")).toEqual([
      "Rules (candidates: rules naming ST_a, then rules with no trunkIds; lowest priority number wins)",
      "  outranked SDR_d1  matched; one of the conflicting pair (the error above) (specific_rule_won)",
      "  outranked SDR_d2  matched; one of the conflicting pair (the error above) (specific_rule_won)",
      "  selected  SDR_s   would be selected, but LiveKit refuses the candidate set (the error above)",
    ]);
  });

  it("invalid_rule on a trunk names the candidate rules without a kind", () => {
    const config = {
      trunks: [{ sipTrunkId: "ST_a", numbers: ["+2"] }],
      rules: [
        { sipDispatchRuleId: "SDR_nokind", trunkIds: ["ST_a"] },
        { sipDispatchRuleId: "SDR_nokind_open" },
        { sipDispatchRuleId: "SDR_nokind_elsewhere", trunkIds: ["ST_b"] },
        { sipDispatchRuleId: "SDR_ok", rule: direct("x") },
      ],
    };
    const out = explain(config, call);
    expect(out).toContain(
      'ERROR  SIP 503 "Try again later" (invalid_rule on trunk ST_a)\n' +
        "        LiveKit: unsupported SIP Dispatch Rule: <nil>\n" +
        "        A candidate rule has no kind (no dispatchRuleDirect / Individual / Callee); LiveKit fails every call on this trunk. Rules without a kind: [SDR_nokind, SDR_nokind_open].\n",
    );
    expect(section(out, "Rules")).toEqual(["Rules", "  (not examined: the call failed before rule selection)"]);
  });

  it("invalid_rule with no trunk: every rule is a candidate", () => {
    const config = { trunks: [], rules: [{ sipDispatchRuleId: "SDR_x", trunkIds: ["ST_b"] }, { sipDispatchRuleId: "SDR_ok", rule: direct("x") }] };
    expect(explain(config, call)).toContain(
      'ERROR  SIP 503 "Try again later" (invalid_rule)\n' +
        "        LiveKit: unsupported SIP Dispatch Rule: <nil>\n" +
        "        A candidate rule has no kind (no dispatchRuleDirect / Individual / Callee); LiveKit fails every call on this trunk. Rules without a kind: [SDR_x].\n",
    );
  });

  it("invalid_source_ip: nothing is examined", () => {
    const config = { trunks: [{ sipTrunkId: "ST_a" }], rules: [{ sipDispatchRuleId: "SDR_ok", rule: direct("x") }] };
    expect(explain(config, [...call, "--ip", "203.0.113.7:5060"])).toBe(`Call    from +1 to +2, source IP 203.0.113.7:5060
Config  CONFIG (1 trunk, 1 rule)

ERROR  SIP 503 "Try again later" (invalid_source_ip)
        LiveKit: invalid source IP address: "203.0.113.7:5060"
        The --ip value is not an IPv4 or IPv6 address (no port).

Trunks
  (not examined: the call was rejected before trunk matching)

Rules
  (not examined: the call failed before rule selection)
`);
  });
});

describe("colour on a terminal", () => {
  it("colours the outcome and each verdict", () => {
    const config = {
      trunks: [{ sipTrunkId: "ST_a", numbers: ["+2"] }, { sipTrunkId: "ST_d" }, { sipTrunkId: "ST_x", numbers: ["+3"] }],
      rules: [{ sipDispatchRuleId: "SDR_a", rule: direct("a") }],
    };
    const out = explain(config, ["--from", "+1", "--to", "+2", "--random-id", "R"], true);
    expect(out).toContain('\u001b[32m\u001b[1mACCEPT\u001b[22m\u001b[39m  room \u001b[1m"a"\u001b[22m, rule SDR_a on trunk ST_a\n');
    expect(out).toContain("  \u001b[32mselected \u001b[39m \u001b[1mST_a\u001b[22m  its numbers");
    expect(out).toContain("  \u001b[33moutranked\u001b[39m ST_d  a default trunk");
    expect(out).toContain("  \u001b[2mskipped  \u001b[22m ST_x  the called number");
    const drop = explain({ trunks: [], rules: [] }, ["--from", "+1", "--to", "+2"], true);
    expect(drop).toContain("\u001b[31m\u001b[1mDROP\u001b[22m\u001b[39m  no dispatch rule matched this call (no trunk matched)\n");
  });
});
