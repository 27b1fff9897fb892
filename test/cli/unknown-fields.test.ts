// `--ignore-unknown-fields` on resolve, lint, test and diff: a field this version does not know
// (one LiveKit adds next month) is skipped with a warning on stderr naming the file and the JSON
// path, and the command goes on; without the flag it stays a one-line error (exit 2) that names
// the flag.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { warningLines } from "../../src/cli/config.js";
import { runCli } from "../../src/cli/main.js";

const terminal = { isTTY: false, env: {}, columns: 100 };
const cli = (...argv: string[]) => runCli(argv, terminal);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sip-dispatch-unknown-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};

// A configuration from a newer LiveKit: a new trunk field and a new field inside a rule kind.
const trunk = { sipTrunkId: "ST_main", numbers: ["+15550199"], futureTrunkField: { mode: 2 } };
const rule = { sipDispatchRuleId: "SDR_main", trunkIds: ["ST_main"], rule: { dispatchRuleDirect: { roomName: "main", pin: "", newKnob: true } } };
const CALL = ["--from", "+15550100", "--to", "+15550199"];
const HINT = "(--ignore-unknown-fields skips fields this version does not know)";

describe("--ignore-unknown-fields", () => {
  let config: string;
  let expectedWarnings: string;
  beforeAll(() => {
    config = file("newer.json", { trunks: [trunk], rules: [rule] });
    expectedWarnings =
      `sip-dispatch: warning: ${config}: trunks[0].futureTrunkField: unknown field "futureTrunkField" in SIPInboundTrunkInfo: ignored\n` +
      `sip-dispatch: warning: ${config}: rules[0].rule.dispatchRuleDirect.newKnob: unknown field "newKnob" in SIPDispatchRuleDirect: ignored\n`;
  });
  const error = () => `sip-dispatch: ${config}: trunks[0].futureTrunkField: unknown field "futureTrunkField" in SIPInboundTrunkInfo ${HINT} (and 1 more problem)\n`;

  it("resolve: warns on stderr naming file and path, and resolves as if the fields were absent", () => {
    const fixed = ["--json", "--random-id", "RANDOM123456", "--call-id", "SCL_fixed"];
    const run = cli("resolve", config, ...CALL, ...fixed, "--ignore-unknown-fields");
    expect(run).toMatchObject({ exitCode: 0, stderr: expectedWarnings });
    expect(JSON.parse(run.stdout)).toMatchObject({ result: "accept", trunkId: "ST_main", ruleId: "SDR_main", roomName: "main" });
    const known = file("known.json", { trunks: [{ ...trunk, futureTrunkField: undefined }], rules: [{ ...rule, rule: { dispatchRuleDirect: { roomName: "main" } } }] });
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(cli("resolve", known, ...CALL, ...fixed).stdout));
    expect(cli("resolve", config, ...CALL)).toEqual({ stdout: "", exitCode: 2, stderr: error() });
  });

  it("lint: warns, lints, and its witness commands carry the flag", () => {
    const open = file("open.json", { rules: [{ sipDispatchRuleId: "SDR_open", rule: { dispatchRuleIndividual: { roomPrefix: "c-" } }, laterField: "x" }] });
    const run = cli("lint", open, "--ignore-unknown-fields");
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe(`sip-dispatch: warning: ${open}: rules[0].laterField: unknown field "laterField" in SIPDispatchRuleInfo: ignored\n`);
    expect(run.stdout).toContain(`try: sip-dispatch resolve --config ${open} --ignore-unknown-fields --from `);
    for (const format of ["json", "sarif"]) {
      const formatted = cli("lint", open, "--ignore-unknown-fields", "--format", format);
      expect(formatted.stderr).toBe(run.stderr);
      expect(() => JSON.parse(formatted.stdout)).not.toThrow();
    }
    expect(cli("lint", config)).toEqual({ stdout: "", exitCode: 2, stderr: error() });
  });

  it("test: warns once per configuration however many policies name it, and runs the cases", () => {
    const cases = [{ name: "main", call: { from: "+15550100", to: "+15550199" }, expect: { result: "accept", roomName: "main" } }];
    const a = file("policy-a.json", { config: "newer.json", cases });
    const b = file("policy-b.json", { config: "newer.json", cases });
    const run = cli("test", a, b, "--ignore-unknown-fields");
    expect(run).toEqual({ exitCode: 0, stdout: "2 passed, 0 failed\n", stderr: expectedWarnings });
    const inline = file("policy-inline.json", { config: { trunks: [trunk], rules: [rule] }, cases });
    expect(cli("test", inline, "--ignore-unknown-fields").stderr).toContain(`sip-dispatch: warning: ${inline}: config.trunks[0].futureTrunkField: `);
    expect(cli("test", a)).toEqual({ stdout: "", exitCode: 2, stderr: error() });
  });

  it("diff: warns for each file once, and compares", () => {
    const after = file("after.json", { trunks: [trunk], rules: [{ ...rule, rule: { dispatchRuleDirect: { roomName: "other", newKnob: false } } }] });
    const run = cli("diff", "--before", config, "--after", after, "--ignore-unknown-fields");
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toBe(expectedWarnings + expectedWarnings.replaceAll(config, after));
    expect(run.stdout).toContain(`try before: sip-dispatch resolve --config ${config} --ignore-unknown-fields --from `);
    expect(cli("diff", "--before", config, "--after", config, "--ignore-unknown-fields").stderr).toBe(expectedWarnings);
    expect(cli("diff", "--before", config, "--after", after)).toEqual({ stdout: "", exitCode: 2, stderr: error() });
  });

  it("still rejects what is not a field: a wrong type, JSON that is not a configuration", () => {
    const wrong = file("wrong.json", { trunks: [{ ...trunk, numbers: "+15550199" }] });
    expect(cli("lint", wrong, "--ignore-unknown-fields")).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/: trunks\[0\]\.numbers: .*expected/) });
    expect(cli("lint", file("five.json", 5), "--ignore-unknown-fields")).toMatchObject({ exitCode: 2 });
  });

  it("names the first ten fields and counts the rest, so a field on every rule of 100,000 is not 100,000 lines", () => {
    const rules = Array.from({ length: 25 }, (_, i) => ({ ...rule, sipDispatchRuleId: `SDR_${i}`, numbers: [`+1555000${String(i).padStart(4, "0")}`] }));
    const many = file("many.json", { trunks: [trunk], rules });
    const lines = cli("lint", many, "--ignore-unknown-fields").stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines[10]).toBe("sip-dispatch: warning: … and 16 more unknown fields ignored");
    expect(warningLines(["a", "a", "b"])).toEqual(["a", "b"]);
    expect(warningLines(Array.from({ length: 11 }, (_, i) => `w${i}`)).at(-1)).toBe("sip-dispatch: warning: … and 1 more unknown field ignored");
  });

  it("is in each command's help", () => {
    for (const command of ["resolve", "lint", "test", "diff"]) expect(cli(command, "--help").stdout).toContain("--ignore-unknown-fields");
  });
});
