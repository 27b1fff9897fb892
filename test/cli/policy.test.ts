// `sip-dispatch test`: routing-policy files. Each failing case prints one line saying what differed
// (with the actual outcome in words when the result itself differs); `roomName` takes `*` wildcards.
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { wildcardMatch } from "../../src/cli/policy.js";

describe("wildcardMatch: roomName patterns", () => {
  it.each([
    // [pattern, text, matches]
    ["vip-lounge", "vip-lounge", true],
    ["vip-lounge", "vip-lounge2", false],
    ["", "", true],
    ["", "x", false],
    ["*", "", true],
    ["*", "anything at all", true],
    ["**", "", true],
    ["call-*", "call-", true],
    ["call-*", "call-_+15550100_AbC", true],
    ["call-*", "call", false],
    ["*_AbC", "call-_+15550100_AbC", true],
    ["*_AbC", "call-_+15550100_AbD", false],
    ["call-_+15550100_*", "call-_+15550100_x7Yz", true],
    ["a*b*c", "abc", true],
    ["a*b*c", "a-b-b-c", true],
    ["a*b*c", "acb", false],
    // The fixed parts may not overlap: "aa*aa" needs four characters.
    ["aa*aa", "aaa", false],
    ["aa*aa", "aaaa", true],
    ["a*a", "a", false],
    // A middle part found only inside the fixed end does not count.
    ["a*bc*c", "abc", false],
    ["a*bc*c", "abcc", true],
    ["x*y*z", "x-z", false],
    // Regular-expression characters are literal.
    ["room.+?", "room.+?", true],
    ["room.+?", "roomX+?", false],
    ["(a|b)*", "(a|b)-1", true],
  ])("%j against %j: %s", (pattern, text, matches) => {
    expect(wildcardMatch(pattern, text)).toBe(matches);
  });

  const reference = (pattern: string, text: string): boolean =>
    new RegExp(`^${pattern.split("*").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[\\s\\S]*")}$`).test(text);
  const small = fc.string({ unit: fc.constantFrom("a", "b", "*"), maxLength: 8 });
  test.prop([small, fc.string({ unit: fc.constantFrom("a", "b"), maxLength: 10 })])("agrees with a regular expression where * is .*", (pattern, text) => {
    expect(wildcardMatch(pattern, text)).toBe(reference(pattern, text));
  });

  it("is linear on inputs that make backtracking matchers explode", () => {
    const text = "a".repeat(200_000);
    const started = performance.now();
    expect(wildcardMatch(`${"a*".repeat(1000)}b`, text)).toBe(false);
    expect(wildcardMatch(`*${"a*".repeat(1000)}`, text)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("sip-dispatch test", () => {
  let dir: string;
  let count = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sip-dispatch-policy-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const direct = (roomName: string, pin = "") => ({ dispatchRuleDirect: { roomName, pin } });
  const CONFIG = {
    trunks: [{ sipTrunkId: "ST_a", numbers: ["+2", "+3"] }, { sipTrunkId: "ST_c1", numbers: ["+5"] }, { sipTrunkId: "ST_c2", numbers: ["+5"] }],
    rules: [
      { sipDispatchRuleId: "SDR_a", trunkIds: ["ST_a"], numbers: ["+2"], rule: direct("room-a"), attributes: { team: "a" } },
      { sipDispatchRuleId: "SDR_pin", trunkIds: ["ST_a"], numbers: ["+3"], rule: direct("vault", "73519") },
      { sipDispatchRuleId: "SDR_fmt", numbers: ["15550100"], rule: direct("formatted") },
    ],
  };

  /** Writes a policy file (an object as JSON, a string as it is) and returns its path. */
  const policyFile = (policy: unknown, name = `policy-${count++}.json`): string => {
    const file = join(dir, name);
    writeFileSync(file, typeof policy === "string" ? policy : JSON.stringify(policy));
    return file;
  };
  const run = (files: string[], tty = false) => runCli(["test", ...files], { isTTY: tty, env: {}, columns: 100 });
  /** The FAIL line of a one-case policy, with the file's path left out. */
  const failure = (testCase: unknown, extra: Record<string, unknown> = {}): string => {
    const file = policyFile({ config: CONFIG, cases: [testCase], ...extra });
    const result = run([file]);
    expect(result).toMatchObject({ exitCode: 1, stderr: "" });
    const [line, summary] = result.stdout.split("\n");
    expect(summary).toBe("0 passed, 1 failed");
    expect(line?.startsWith(`FAIL ${file}: `)).toBe(true);
    return (line as string).slice(`FAIL ${file}: `.length);
  };

  describe("a different result is explained with what happened instead", () => {
    it.each([
      [{ from: "+1", to: "+2" }, "drop", 'result: expected drop, got accept (room "room-a" by rule SDR_a on trunk ST_a)'],
      [{ from: "+1", to: "+3" }, "accept", "result: expected accept, got request_pin (rule SDR_pin on trunk ST_a asks for a pin)"],
      [{ from: "+1", to: "+9" }, "accept", "result: expected accept, got drop (no rule matched with no trunk matched)"],
      [{ from: "+1", to: "+3", pin: "1111" }, "accept", "result: expected accept, got drop (no rule matched on trunk ST_a)"],
      [{ from: "+1", to: "+5" }, "drop", 'result: expected drop, got error (trunk_conflict: Multiple SIP Trunks matched for "+5")'],
      [{ from: "+1", to: "+2", sourceIp: "10.0.0.1:5060" }, "accept", 'result: expected accept, got error (invalid_source_ip: invalid source IP address: "10.0.0.1:5060")'],
    ])("%j, expected %s", (call, result, words) => {
      expect(failure({ name: "n", call, expect: { result } })).toBe(`"n": ${words}`);
    });

    it("accept with no trunk", () => {
      expect(failure({ name: "n", call: { from: "+1", to: "15550100" }, expect: { result: "drop" } })).toBe(
        '"n": result: expected drop, got accept (room "formatted" by rule SDR_fmt with no trunk matched)',
      );
    });
  });

  it("lists every differing field of the same result, joined by ; and 'none' for a field the outcome lacks", () => {
    expect(
      failure({
        name: "accept fields",
        call: { from: "+1", to: "+2" },
        expect: { result: "accept", trunkId: "", ruleId: "SDR_b", roomName: "room-*-x", identity: "sip_+9", participantName: "Phone +9", attributes: { team: "b", gone: "x" } },
      }),
    ).toBe(
      '"accept fields": trunkId: expected "", got "ST_a"; ruleId: expected "SDR_b", got "SDR_a"; roomName: expected "room-*-x", got "room-a"; ' +
        'identity: expected "sip_+9", got "sip_+1"; participantName: expected "Phone +9", got "Phone +1"; attributes["team"]: expected "b", got "a"; ' +
        'attributes["gone"]: expected "x", got no such attribute',
    );
    expect(failure({ name: "error fields", call: { from: "+1", to: "+5" }, expect: { result: "error", errorCode: "rule_conflict", ruleId: "SDR_x", trunkId: "ST_c1" } })).toBe(
      '"error fields": trunkId: expected "ST_c1", got ""; ruleId: expected "SDR_x", got none; errorCode: expected "rule_conflict", got "trunk_conflict"',
    );
    expect(failure({ name: "pin fields", call: { from: "+1", to: "+3" }, expect: { result: "request_pin", roomName: "vault", identity: "x", attributes: { a: "b" } } })).toBe(
      '"pin fields": roomName: expected "vault", got none; identity: expected "x", got none; attributes["a"]: expected "b", got no such attribute',
    );
  });

  it("passes a case when every listed field matches, wildcards included", () => {
    const file = policyFile({
      config: CONFIG,
      cases: [
        { call: { from: "+1", to: "+2" }, expect: { result: "accept", trunkId: "ST_a", ruleId: "SDR_a", roomName: "room-*", identity: "sip_+1", participantName: "Phone +1", attributes: { team: "a" } } },
        { call: { from: "+1", to: "+3" }, expect: { result: "request_pin", ruleId: "SDR_pin", trunkId: "ST_a" } },
        { call: { from: "+1", to: "+3", pin: "73519" }, expect: { result: "accept", roomName: "vault" } },
        { call: { from: "+1", to: "+5" }, expect: { result: "error", errorCode: "trunk_conflict", trunkId: "" } },
        { call: { from: "+1", to: "+9" }, expect: { result: "drop", trunkId: "" } },
      ],
    });
    expect(run([file])).toEqual({ stdout: "5 passed, 0 failed\n", stderr: "", exitCode: 0 });
  });

  it("names unnamed cases by position, prints names as written, and colours FAIL on a terminal", () => {
    const file = policyFile({
      config: CONFIG,
      cases: [
        { call: { from: "+1", to: "+2" }, expect: { result: "accept" } },
        { call: { from: "+1", to: "+2" }, expect: { result: "drop" } },
        { name: "a wrong pin", call: { from: "+1", to: "+3", pin: "24680" }, expect: { result: "accept" } },
      ],
    });
    const plain = run([file]);
    expect(plain.stdout).toBe(
      `FAIL ${file}: "case 2": result: expected drop, got accept (room "room-a" by rule SDR_a on trunk ST_a)\n` +
        `FAIL ${file}: "a wrong pin": result: expected accept, got drop (no rule matched on trunk ST_a)\n` +
        "1 passed, 2 failed\n",
    );
    const coloured = run([file], true);
    expect(coloured.stdout.split("\n")[0]).toBe(`\u001b[31mFAIL\u001b[39m ${file}: "case 2": result: expected drop, got accept (room "room-a" by rule SDR_a on trunk ST_a)`);
  });

  it("resolves in strict mode when the file or the case asks for it; a case overrides the file", () => {
    const call = { from: "+1", to: "+15550100" };
    const cases = [
      { name: "file mode", call, expect: { result: "accept", ruleId: "SDR_fmt" } },
      { name: "forced lax", strict: false, call, expect: { result: "accept", ruleId: "SDR_fmt" } },
      { name: "forced strict", strict: true, call, expect: { result: "accept", ruleId: "SDR_fmt" } },
    ];
    const lax = policyFile({ config: CONFIG, cases });
    const strict = policyFile({ config: CONFIG, strict: true, cases });
    const failing = (file: string) => run([file]).stdout.split("\n").filter((line) => line.startsWith("FAIL")).map((line) => /: "([^"]+)"/.exec(line)?.[1]);
    expect(failing(lax)).toEqual(["file mode", "forced lax"]);
    expect(failing(strict)).toEqual(["forced lax"]);
  });

  it("reads a config file relative to each policy file, and sums cases over several files", () => {
    mkdirSync(join(dir, "policies"), { recursive: true });
    writeFileSync(join(dir, "shared.json"), JSON.stringify(CONFIG));
    const pass = { call: { from: "+1", to: "+2" }, expect: { result: "accept", ruleId: "SDR_a" } };
    const a = policyFile({ config: "../shared.json", cases: [pass, pass] }, "policies/a.json");
    const b = policyFile({ config: "shared.json", cases: [pass] }, "b.json");
    const c = policyFile({ config: "../shared.json", cases: [{ ...pass, expect: { result: "drop" } }] }, "policies/c.json");
    expect(run([a, b, c])).toMatchObject({ exitCode: 1, stdout: expect.stringMatching(/\n3 passed, 1 failed\n$/) });
  });

  describe("bad usage and bad policy files: exit 2, one line naming the file and the path", () => {
    const rejects = (policy: unknown): string => {
      const file = policyFile(policy, "bad.json");
      const result = run([file]);
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.startsWith(`sip-dispatch: ${file}: `)).toBe(true);
      return result.stderr.slice(`sip-dispatch: ${file}: `.length);
    };

    it("needs at least one file", () => {
      expect(run([])).toEqual({ stdout: "", stderr: "sip-dispatch: test needs at least one POLICY.json; see sip-dispatch test --help\n", exitCode: 2 });
    });

    it("points at the field that is wrong", () => {
      expect(rejects({ config: CONFIG, cases: [{ call: { from: "1", to: "+2" }, expect: { result: "maybe" } }] })).toBe(
        'cases[0].expect.result: expected one of "accept", "request_pin", "drop", "error", got "maybe"\n',
      );
      expect(rejects({ config: CONFIG, cases: [{ call: { from: "1", to: "+2", pinn: "1" }, expect: { result: "drop" } }] })).toBe('cases[0].call.pinn: unknown field "pinn" (did you mean "pin"?)\n');
      expect(rejects({ config: CONFIG, cases: [], extra: 1 })).toBe('extra: unknown field "extra"\n');
      expect(rejects([1])).toBe("expected an object, got an array\n");
    });

    it("never shows the value of a pin", () => {
      const message = rejects({ config: CONFIG, cases: [{ call: { from: "1", to: "+2", pin: 73519 }, expect: { result: "drop" } }] });
      expect(message).toMatch(/^cases\[0\]\.call\.pin: /);
      expect(message).not.toContain("73519");
    });

    it("checks an inline config like a config file, under config", () => {
      expect(rejects({ config: { trunks: "x" }, cases: [] })).toBe("config.trunks: expected an array of trunks\n");
      expect(rejects({ config: { trunks: [], rules: [], items: [] }, cases: [] })).toBe('config.items: unknown field "items"; a config has "trunks" and "rules"\n');
    });

    it("names a config file that cannot be read by its own path", () => {
      const file = policyFile({ config: "missing.json", cases: [] });
      expect(run([file]).stderr).toBe(`sip-dispatch: ${join(dir, "missing.json")}: cannot read the file (no such file)\n`);
    });

    it("reports a policy that is not JSON with its line and column", () => {
      expect(rejects('{"config": "x.json",\n "cases": [}')).toBe("invalid JSON at line 2, column 12: unexpected character\n");
    });
  });
});
