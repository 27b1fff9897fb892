// `sip-dispatch diff` in process (runCli): exit codes, grouped output, --json, pins kept out, and
// witness commands that really show the change.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

const terminal = { isTTY: false, env: {}, columns: 100 };
const cli = (...argv: string[]) => runCli(argv, terminal);

let dir: string;
let count = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sip-dispatch-diff-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (value: unknown): string => {
  const path = join(dir, `config-${count++}.json`);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};

const PIN = "48213";
const trunks = [{ sipTrunkId: "ST_main", numbers: ["+15550100"] }];
const open = { sipDispatchRuleId: "SDR_open", trunkIds: ["ST_main"], rule: { dispatchRuleIndividual: { roomPrefix: "call-" } } };
const board = { sipDispatchRuleId: "SDR_board", name: "board", trunkIds: ["ST_main"], rule: { dispatchRuleDirect: { roomName: "board", pin: PIN } } };

describe("sip-dispatch diff", () => {
  it("lists each change under the trunk the calls came through, with commands for both files; exit 1", () => {
    const before = file({ trunks, rules: [open] });
    const after = file({ trunks, rules: [open, board] });
    const result = cli("diff", "--before", before, "--after", after);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe("");
    expect(result.stdout).toContain("calls through ST_main (2 changes)\n");
    expect(result.stdout).toContain("  calls from any number to +15550100 through ST_main now need a pin: rule SDR_board\n");
    expect(result.stdout).toContain('    after:      accept: room "board" (rule SDR_board, trunk ST_main)\n');
    expect(result.stdout).toContain(`    try after:  sip-dispatch resolve --config ${after} --from +19995550100 --to +15550100 --pin-of SDR_board\n`);
    expect(result.stdout).toContain(`    try before: sip-dispatch resolve --config ${before} --from +19995550100 --to +15550100 --pin 0000\n`);
    expect(result.stdout.endsWith(`${before} -> ${after}: 2 changes (8 call classes compared)\n`)).toBe(true);
    expect(result.stdout).not.toContain(PIN);
  });

  it("each witness command resolves as the change says", () => {
    const before = file({ trunks, rules: [open] });
    const after = file({ trunks, rules: [open, board] });
    const out = cli("diff", "--before", before, "--after", after).stdout;
    const commands = [...out.matchAll(/try (before|after): +sip-dispatch (.*)\n/g)].map((m) => [m[1], m[2]!.split(" ")] as const);
    expect(commands).toHaveLength(4);
    const results = commands.map(([, words]) => (JSON.parse(cli(...words, "--json").stdout) as { result: string }).result);
    expect(results).toEqual(["accept", "request_pin", "drop", "accept"]);
  });

  it("says so and exits 0 when no call is decided differently (reordered entries, a renamed rule)", () => {
    const before = file({ trunks, rules: [open, board] });
    const after = file({ trunks, rules: [board, open] });
    const result = cli("diff", "--before", before, "--after", after);
    expect(result).toEqual({ stdout: `${before} -> ${after}: no call is decided differently (0 call classes compared)\n`, stderr: "", exitCode: 0 });
    // A renamed rule is compared (names appear in conflict messages), and changes no decision here.
    const renamed = file({ trunks, rules: [open, { ...board, name: "renamed" }] });
    expect(cli("diff", "--before", before, "--after", renamed).stdout).toBe(
      `${before} -> ${renamed}: no call is decided differently (8 call classes compared)\n`,
    );
  });

  it("--json prints the changes and the class count, pins masked", () => {
    const before = file({ trunks, rules: [open] });
    const after = file({ trunks, rules: [open, board] });
    const result = cli("diff", "--before", before, "--after", after, "--json");
    expect(result.exitCode).toBe(1);
    const diff = JSON.parse(result.stdout) as { changes: { call: { pin?: string }; fields: string[]; message: string }[]; classes: number };
    expect(diff.classes).toBe(8);
    expect(diff.changes.map((change) => change.call.pin)).toEqual([undefined, "****"]);
    expect(diff.changes[0]!.fields).toContain("result");
    expect(result.stdout).not.toContain(PIN);
  });

  it("--strict compares as resolve --strict decides", () => {
    const before = file({ trunks, rules: [{ ...open, numbers: ["15550100"] }] });
    const after = file({ trunks, rules: [{ ...open, numbers: ["+15550100"] }] });
    expect(cli("diff", "--before", before, "--after", after).exitCode).toBe(1);
    const strict = cli("diff", "--before", before, "--after", after, "--strict");
    expect(strict.exitCode).toBe(0);
    expect(strict.stdout).toContain("(strict): no call is decided differently");
  });

  it("never prints a pin, also when a new conflict fails calls", () => {
    const before = file({ trunks, rules: [open, board] });
    const twin = { ...open, sipDispatchRuleId: "SDR_dup" }; // conflicts with SDR_open
    const after = file({ trunks, rules: [open, twin, board] });
    for (const flags of [[], ["--json"]]) {
      const result = cli("diff", "--before", before, "--after", after, ...flags);
      expect(result.exitCode).toBe(1);
      expect(result.stdout).toContain("rule_conflict");
      expect(result.stdout).not.toContain(PIN);
    }
  });

  it("is bad usage or input (exit 2, one line) without both files, with an unreadable one, or an invalid rule", () => {
    const good = file({ trunks, rules: [open] });
    for (const argv of [
      ["diff", "--before", good],
      ["diff", "--after", good],
      ["diff", "--before", good, "--after", join(dir, "missing.json")],
      ["diff", "--before", good, "--after", file("{ not json")],
      ["diff", "--before", good, "--after", file({ trunks, rules: [{ ...open, trunkIDs: ["ST_main"] }] })],
      ["diff", "--before", good, "--after", good, "--colour"],
    ]) {
      const result = cli(...argv);
      expect(result.exitCode).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.split("\n")).toHaveLength(2);
    }
  });

  it("has --help, and is listed in the command overview", () => {
    expect(cli("diff", "--help").stdout).toMatch(/^Usage: sip-dispatch diff --before FILE --after FILE \[--strict\] \[--json\]/);
    expect(cli("help", "diff").stdout).toBe(cli("diff", "--help").stdout);
    expect(cli("--help").stdout).toContain("  diff      which calls a configuration change decides differently\n");
  });
});
