// `sip-dispatch test`: what voice-AI teams check (sipOutcome, agents, metadata, name, krisp,
// encryption), configurations in several files, machine-readable results (--json, --junit),
// coverage, and policy-file errors as one line with a path and a "did you mean".
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { xml } from "../../src/cli/policy-report.js";

let dir: string;
let count = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sip-dispatch-policy-more-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (value: unknown, name = `file-${count++}.json`): string => {
  const path = join(dir, name);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};
const cli = (...argv: string[]) => runCli(argv, { isTTY: false, env: {}, columns: 100 });

const trunks = [{ sipTrunkId: "ST_main", numbers: ["+15550199", "+15550123"], krispEnabled: true }];
const rules = [
  {
    sipDispatchRuleId: "SDR_billing",
    trunkIds: ["ST_main"],
    name: "Billing",
    metadata: '{"team":"billing"}',
    mediaEncryption: "SIP_MEDIA_ENCRYPT_ALLOW",
    rule: { dispatchRuleIndividual: { roomPrefix: "billing" } },
    roomConfig: { agents: [{ agentName: "billing-agent", metadata: '{"queue":"b"}' }], maxParticipants: 3, tags: { team: "billing" } },
  },
  { sipDispatchRuleId: "SDR_vault", trunkIds: ["ST_main"], numbers: ["+15550123"], rule: { dispatchRuleDirect: { roomName: "vault", pin: "4321" } } },
  { sipDispatchRuleId: "SDR_unused", numbers: ["+19999"], rule: { dispatchRuleDirect: { roomName: "never" } } },
];
const call = { from: "+15550100", to: "+15550199" };

describe("what a case can expect", () => {
  it("checks sipOutcome, agents, room settings, metadata, name, krisp and encryption", () => {
    const passing = {
      result: "accept",
      sipOutcome: "join_room",
      name: "Phone +15550100",
      metadata: '{"team":"billing"}',
      krispEnabled: true,
      mediaEncryption: "SIP_MEDIA_ENCRYPT_ALLOW",
      roomConfig: { agents: [{ agentName: "billing-agent" }], maxParticipants: 3, tags: { team: "billing" } },
    };
    const failing = {
      result: "accept",
      sipOutcome: "ignore",
      name: "x",
      metadata: "",
      krispEnabled: false,
      mediaEncryption: "SIP_MEDIA_ENCRYPT_REQUIRE",
      roomConfig: { agents: [{ agentName: "support-agent" }, { agentName: "billing-agent", metadata: "{}" }], maxParticipants: 4, tags: { team: "x" } },
    };
    const policy = file({ config: { trunks, rules }, cases: [{ call, expect: passing }, { name: "wrong", call, expect: failing }] });
    const result = cli("test", policy);
    expect(result.exitCode).toBe(1);
    const line = result.stdout.split("\n")[0] as string;
    for (const part of [
      'sipOutcome: expected "ignore", got "join_room"',
      'name: expected "x", got "Phone +15550100"',
      'metadata: expected "", got "{\\"team\\":\\"billing\\"}"',
      "krispEnabled: expected false, got true",
      'mediaEncryption: expected "SIP_MEDIA_ENCRYPT_REQUIRE", got "SIP_MEDIA_ENCRYPT_ALLOW"',
      "roomConfig.maxParticipants: expected 4, got 3",
      'roomConfig.tags["team"]: expected "x", got "billing"',
      'roomConfig.agents: expected an agent {"agentName":"support-agent"}, got agents "billing-agent"',
      'roomConfig.agents: expected an agent {"agentName":"billing-agent","metadata":"{}"}, got agents "billing-agent"',
    ])
      expect(line).toContain(part);
    expect(result.stdout.split("\n")[1]).toBe("1 passed, 1 failed");
  });

  it("a wrong pin is wrong_pin_hangup; a rule with no roomConfig fails a roomConfig check", () => {
    const cases = [
      { call: { ...call, to: "+15550123", pin: "0000" }, expect: { result: "drop", sipOutcome: "wrong_pin_hangup" } },
      { call: { ...call, to: "+15550123" }, expect: { result: "request_pin", sipOutcome: "prompt_pin" } },
      { name: "vault agents", call: { ...call, to: "+15550123", pin: "4321" }, expect: { result: "accept", roomConfig: { agents: [{ agentName: "a" }] } } },
    ];
    const result = cli("test", file({ config: { trunks, rules }, cases }));
    expect(result.stdout).toBe(`FAIL ${dir}/file-${count - 1}.json: "vault agents": roomConfig: expected one, got none (the rule sets no roomConfig)\n2 passed, 1 failed\n`);
  });
});

describe("configuration files", () => {
  it("takes an array of paths, relative to the policy file; their files add up", () => {
    file({ trunks, rules: [] }, "trunks-only.json");
    file({ rules }, "rules-only.json");
    const policy = file({ config: ["trunks-only.json", "rules-only.json"], cases: [{ call, expect: { result: "accept", ruleId: "SDR_billing" } }] });
    expect(cli("test", policy)).toMatchObject({ exitCode: 0, stdout: "1 passed, 0 failed\n" });
  });
});

describe("machine-readable results and coverage", () => {
  const cases = [
    { name: "billing <&> \"quotes\"", call, expect: { result: "accept", ruleId: "SDR_billing" } },
    { name: "wrong rule", call, expect: { result: "accept", ruleId: "SDR_vault" } },
  ];

  it("--json prints every case with whether it passed and why not", () => {
    const policy = file({ config: { trunks, rules }, cases });
    const result = cli("test", policy, "--json");
    expect(result.exitCode).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      passed: 1,
      failed: 1,
      cases: [
        { file: policy, name: cases[0]!.name, passed: true, differences: [] },
        { file: policy, name: "wrong rule", passed: false, differences: ['ruleId: expected "SDR_vault", got "SDR_billing"'] },
      ],
    });
  });

  it("--junit FILE writes JUnit XML with a testcase per case and a failure per failing one", () => {
    const policy = file({ config: { trunks, rules }, cases });
    const report = join(dir, "junit.xml");
    const result = cli("test", policy, "--junit", report);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain("1 passed, 1 failed");
    expect(readFileSync(report, "utf8")).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<testsuites name="sip-dispatch test" tests="2" failures="1">\n' +
        `  <testsuite name="${policy}" tests="2" failures="1" errors="0" skipped="0">\n` +
        `    <testcase name="billing &lt;&amp;&gt; &quot;quotes&quot;" classname="${policy}"/>\n` +
        `    <testcase name="wrong rule" classname="${policy}">\n` +
        '      <failure message="ruleId: expected &quot;SDR_vault&quot;, got &quot;SDR_billing&quot;" type="policy">ruleId: expected &quot;SDR_vault&quot;, got &quot;SDR_billing&quot;</failure>\n' +
        "    </testcase>\n" +
        "  </testsuite>\n" +
        "</testsuites>\n",
    );
    expect(cli("test", policy, "--junit", join(dir, "no-such-dir", "x.xml"))).toMatchObject({ exitCode: 2, stderr: expect.stringContaining("cannot write the JUnit report (ENOENT)") });
  });

  it("xml() escapes markup and replaces characters XML cannot hold", () => {
    expect(xml(`a<b>&"c'\u0001\ud800`)).toBe("a&lt;b&gt;&amp;&quot;c&apos;\ufffd\ufffd");
    expect(xml("😀\t\n")).toBe("😀\t\n");
  });

  it("--coverage lists the trunks and rules no case reached", () => {
    const policy = file({ config: { trunks, rules }, cases });
    const result = cli("test", policy, "--coverage");
    expect(result.stdout).toContain(`coverage ${policy}: rules no case reached: SDR_vault, SDR_unused\n`);
    expect(result.stdout).not.toContain("trunks no case reached");
    const json = JSON.parse(cli("test", policy, "--coverage", "--json").stdout);
    expect(json.notReached).toEqual([{ config: policy, trunks: [], rules: ["SDR_vault", "SDR_unused"] }]);
    const none = file({ config: { trunks: [{ trunk: { name: "Main", numbers: ["+1"] } }], rules: [] }, cases: [{ call: { from: "+2", to: "+3" }, expect: { result: "drop" } }] });
    expect(cli("test", none, "--coverage").stdout).toContain(`coverage ${none}: trunks no case reached: Main\n`);
    const all = file({ config: { trunks, rules: [rules[0]] }, cases: [cases[0]] });
    expect(cli("test", all, "--coverage").stdout).toContain(`coverage ${all}: every trunk and rule was reached\n`);
  });
});

describe("policy-file errors: one line, a path, a did-you-mean", () => {
  const error = (value: unknown): string => {
    const policy = file(value);
    const result = cli("test", policy);
    expect(result.exitCode).toBe(2);
    return result.stderr.replace(policy, "POLICY");
  };

  it("names a misspelt key and suggests the right one", () => {
    expect(error({ config: { trunks, rules }, case: [] })).toBe('sip-dispatch: POLICY: case: unknown field "case" (did you mean "cases"?)\n');
    expect(error({ config: { trunks, rules }, cases: [{ call, expect: { result: "accept", roomNmae: "x" } }] })).toBe(
      'sip-dispatch: POLICY: cases[0].expect.roomNmae: unknown field "roomNmae" (did you mean "roomName"?)\n',
    );
    expect(error({ config: { trunks, rules }, cases: [{ cal: call, expect: { result: "drop" } }] })).toBe(
      'sip-dispatch: POLICY: cases[0].cal: unknown field "cal" (did you mean "call"?)\n',
    );
  });

  it("says what is missing and what a wrong value should be", () => {
    expect(error({ cases: [] })).toBe('sip-dispatch: POLICY: config: missing field "config" (a configuration file, an array of them, or an inline {"trunks": [...], "rules": [...]})\n');
    expect(error({ config: { trunks, rules }, cases: [{ call, expect: { result: "acept" } }] })).toBe(
      'sip-dispatch: POLICY: cases[0].expect.result: expected one of "accept", "request_pin", "drop", "error", got "acept" (did you mean "accept"?)\n',
    );
    expect(error({ config: { trunks, rules }, cases: [{ call: { ...call, pin: 4321 }, expect: { result: "drop" } }] })).toBe(
      "sip-dispatch: POLICY: cases[0].call.pin: expected a string, got another value (not shown)\n",
    );
    expect(error({ config: { trunks, rules }, cases: [{ call: { from: "+1" }, expect: { result: "drop" } }] })).toBe('sip-dispatch: POLICY: cases[0].call.to: missing field "to"\n');
    expect(error({ config: { trunks, rules }, cases: "x" })).toBe('sip-dispatch: POLICY: cases: expected an array, got "x"\n');
  });
});
