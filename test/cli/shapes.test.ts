// Every configuration shape users have, for every command that reads one: `{trunks, rules}`
// config files, `lk sip inbound list --json` / `lk sip dispatch list --json` exports, bare arrays
// and single `lk sip … create` request files. The same trunks and rules in any shape give the same
// decisions (resolve), the same findings (lint), the same results (test) and no change (diff).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

const terminal = { isTTY: false, env: {}, columns: 100 };
const cli = (...argv: string[]) => runCli(argv, terminal);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sip-dispatch-shapes-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value, null, 2));
  return path;
};

// One configuration, spelt as LiveKit's JSON spells it: camelCase in config files, snake_case in
// what `lk` prints and reads. A trunk for +15550199, a sales rule on it, an open default rule, and a
// pin rule on the trunk (so lint has findings to compare and test has a pin to check).
const trunk = { sipTrunkId: "ST_main", name: "Main", numbers: ["+15550199"], allowedAddresses: ["203.0.113.0/24"] };
const sales = { sipDispatchRuleId: "SDR_sales", trunkIds: ["ST_main"], inboundNumbers: ["+15550100"], rule: { dispatchRuleDirect: { roomName: "sales" } } };
const board = { sipDispatchRuleId: "SDR_board", trunkIds: ["ST_main"], rule: { dispatchRuleDirect: { roomName: "board", pin: "7351" } } };
const open = { sipDispatchRuleId: "SDR_open", rule: { dispatchRuleIndividual: { roomPrefix: "call-" } } };
const snakeTrunk = { sip_trunk_id: "ST_main", name: "Main", numbers: ["+15550199"], allowed_addresses: ["203.0.113.0/24"] };
const snakeRules = [
  { sip_dispatch_rule_id: "SDR_sales", trunk_ids: ["ST_main"], inbound_numbers: ["+15550100"], rule: { dispatch_rule_direct: { room_name: "sales" } } },
  { sip_dispatch_rule_id: "SDR_board", trunk_ids: ["ST_main"], rule: { dispatch_rule_direct: { room_name: "board", pin: "7351" } } },
  { sip_dispatch_rule_id: "SDR_open", rule: { dispatch_rule_individual: { room_prefix: "call-" } } },
];

/** The configuration in each shape, as the flags that load it. */
function shapes(): Record<string, string[]> {
  const config = file("config.json", { trunks: [trunk], rules: [sales, board, open] });
  const lkTrunks = file("lk-trunks.json", { items: [snakeTrunk] });
  const lkRules = file("lk-rules.json", { items: snakeRules });
  const arrayTrunks = file("trunks.json", [trunk]);
  const arrayRules = file("rules.json", [sales, board, open]);
  const mixed = file("mixed.json", [snakeTrunk, ...snakeRules]);
  // `lk sip inbound create trunk.json` / `lk sip dispatch create rule.json` request files, one per
  // file; the open rule in the legacy top-level request form.
  const trunkRequest = file("trunk-request.json", { trunk: snakeTrunk });
  const salesRequest = file("sales-request.json", { dispatch_rule: snakeRules[0] });
  const boardRequest = file("board-request.json", { dispatchRule: board });
  const openRequest = file("open-request.json", { rule: { dispatch_rule_individual: { room_prefix: "call-" } }, trunk_ids: [] });
  const openWithId = file("open-with-id.json", snakeRules[2]);
  return {
    "{trunks, rules}": ["--config", config],
    "{trunks, rules} as an argument": [config],
    "lk list --json exports": ["--trunks", lkTrunks, "--rules", lkRules],
    "lk list --json exports as config files": [lkTrunks, lkRules],
    "bare arrays": ["--trunks", arrayTrunks, "--rules", arrayRules],
    "one mixed array": [mixed],
    "create request files": ["--trunks", trunkRequest, "--rules", salesRequest, "--rules", boardRequest, "--rules", openWithId],
    "create request files as config files": [trunkRequest, salesRequest, boardRequest, openWithId],
    // The legacy request has no id: it is named by position, so it is compared on decisions only.
    "legacy create request": ["--trunks", trunkRequest, "--rules", salesRequest, "--rules", boardRequest, "--rules", openRequest],
  };
}

const CALLS = [
  ["--from", "+15550100", "--to", "+15550199", "--ip", "203.0.113.7"],
  ["--from", "+15550111", "--to", "+15550199", "--ip", "203.0.113.7"],
  ["--from", "+15550111", "--to", "+15550199", "--ip", "203.0.113.7", "--pin-of", "SDR_board"],
  ["--from", "+15550111", "--to", "+15550199", "--ip", "198.51.100.1"],
  ["--from", "sip:+15550111@carrier.example", "--to", "+15550777"],
];

describe("every shape, every command", () => {
  let all: Record<string, string[]>;
  beforeAll(() => {
    all = shapes();
  });
  const withIds = () => Object.entries(all).filter(([name]) => name !== "legacy create request");

  it("resolve: the same resolution in every shape", () => {
    for (const call of CALLS) {
      const outputs = Object.entries(all).map(([name, flags]) => {
        const run = cli("resolve", ...flags, ...call, "--json", "--random-id", "RANDOM123456", "--call-id", "SCL_fixed");
        expect(run, name).toMatchObject({ exitCode: 0, stderr: "" });
        const resolution = JSON.parse(run.stdout) as Record<string, unknown>;
        // The legacy request's rule has no id, so only the decision itself is compared.
        if (name !== "legacy create request") return resolution;
        const keys = ["result", "sipOutcome", "trunkId", "roomName", ...(resolution.ruleId === "" ? [] : ["ruleId"])];
        return Object.fromEntries(keys.filter((key) => key in resolution).map((key) => [key, resolution[key]]));
      });
      const [first, ...rest] = outputs as Record<string, unknown>[];
      expect(first).toMatchObject({ result: expect.stringMatching(/^(accept|request_pin|error)$/) });
      for (const output of rest) expect(first).toMatchObject(output);
    }
    const sales = JSON.parse(cli("resolve", ...all["lk list --json exports"]!, ...CALLS[0]!, "--json").stdout);
    expect(sales).toMatchObject({ result: "accept", trunkId: "ST_main", ruleId: "SDR_sales", roomName: "sales" });
  });

  it("lint: the same findings in every shape, located in the file and element they came from", () => {
    const findingsOf = (flags: string[]) => {
      const run = cli("lint", ...flags, "--json");
      expect(run.stderr).toBe("");
      return JSON.parse(run.stdout) as { code: string; locations: { file: string; path: string }[] }[];
    };
    const reference = findingsOf(all["{trunks, rules}"]!);
    expect(reference.map((f) => f.code)).toContain("open-catch-all");
    for (const [name, flags] of withIds()) {
      const findings = findingsOf(flags);
      expect(findings.map(({ locations: _, ...f }) => f), name).toEqual(reference.map(({ locations: _, ...f }) => f));
    }
    const located = (flags: string[]) => findingsOf(flags).find((f) => f.code === "open-catch-all")?.locations;
    expect(located(all["{trunks, rules}"]!)).toEqual([{ file: join(dir, "config.json"), path: "rules[2]" }]);
    expect(located(all["lk list --json exports"]!)).toEqual([{ file: join(dir, "lk-rules.json"), path: "items[2]" }]);
    expect(located(all["bare arrays"]!)).toEqual([{ file: join(dir, "rules.json"), path: "[2]" }]);
    expect(located(all["one mixed array"]!)).toEqual([{ file: join(dir, "mixed.json"), path: "[3]" }]);
    expect(located(all["create request files"]!)).toEqual([{ file: join(dir, "open-with-id.json"), path: "" }]);
  });

  it("test: a policy passes against every shape, named by one path or an array of paths", () => {
    const cases = [
      { name: "sales", call: { from: "+15550100", to: "+15550199", sourceIp: "203.0.113.7" }, expect: { result: "accept", ruleId: "SDR_sales", roomName: "sales" } },
      { name: "pin", call: { from: "+15550111", to: "+15550199", sourceIp: "203.0.113.7" }, expect: { result: "request_pin", sipOutcome: "prompt_pin" } },
      { name: "board", call: { from: "+15550111", to: "+15550199", sourceIp: "203.0.113.7", pin: "7351" }, expect: { result: "accept", roomName: "board" } },
      { name: "no trunk", call: { from: "+15550111", to: "+15550777" }, expect: { result: "accept", trunkId: "", roomName: "call-*" } },
    ];
    const policies = withIds().map(([name, flags], i) => {
      const paths = flags.filter((f) => !f.startsWith("--"));
      return file(`policy-${i}.json`, { config: paths.length === 1 ? paths[0] : paths, cases: cases.map((c) => ({ ...c, name: `${name}: ${c.name}` })) });
    });
    const run = cli("test", ...policies, "--json");
    expect(run.stderr).toBe("");
    const json = JSON.parse(run.stdout) as { passed: number; failed: number; cases: { passed: boolean }[] };
    expect(json).toMatchObject({ passed: policies.length * cases.length, failed: 0 });
    expect(run.exitCode).toBe(0);
    // An inline configuration may be any shape as well: here a bare array of trunks and rules.
    const inline = file("policy-inline.json", { config: [trunk, sales, board, open], cases });
    expect(cli("test", inline)).toEqual({ exitCode: 0, stderr: "", stdout: `${cases.length} passed, 0 failed\n` });
    const mixed = file("policy-mixed.json", { config: ["config.json", 5], cases });
    expect(cli("test", mixed)).toMatchObject({
      exitCode: 2,
      stderr: `sip-dispatch: ${mixed}: config[1]: expected a file path, got a number; "config" is a path, an array of paths, or an inline configuration\n`,
    });
  });

  it("diff: the same configuration in another shape changes nothing; a changed rule in any shape is found", () => {
    const config = all["{trunks, rules}"]![1]!;
    for (const other of [join(dir, "mixed.json")]) {
      expect(cli("diff", "--before", config, "--after", other)).toMatchObject({ exitCode: 0, stderr: "" });
      expect(cli("diff", "--before", other, "--after", config)).toMatchObject({ exitCode: 0, stderr: "" });
    }
    // Either side may come from standard input, once.
    const stdin = readFileSync(join(dir, "mixed.json"), "utf8");
    expect(runCli(["diff", "--before", config, "--after", "-"], { ...terminal, readStdin: () => stdin })).toMatchObject({ exitCode: 0, stderr: "" });
    expect(cli("diff", "--before", "-", "--after", "-")).toEqual({ stdout: "", exitCode: 2, stderr: "sip-dispatch: diff: standard input (-) can be read only once\n" });
    // One rule as an `lk` export and as a create request file: the same rule, no change.
    const lkSales = file("lk-sales.json", { items: [snakeRules[0]] });
    const requestSales = join(dir, "sales-request.json");
    expect(cli("diff", "--before", lkSales, "--after", requestSales).stdout).toMatch(/: no call is decided differently \(\d+ call class(es)? compared\)\n$/);
    // The open rule, renamed room prefix: as an lk export before, a bare rule file after.
    const lkOpen = file("lk-open.json", { items: [snakeRules[2]] });
    const moved = file("moved.json", { ...open, rule: { dispatchRuleIndividual: { roomPrefix: "desk-" } } });
    const changed = cli("diff", "--before", lkOpen, "--after", moved, "--json");
    expect(changed.exitCode).toBe(1);
    expect(JSON.parse(changed.stdout).changes[0]).toMatchObject({ before: { roomName: "call-_+19995550100_{random}" }, after: { roomName: "desk-_+19995550100_{random}" }, fields: ["roomName"] });
  });
});

describe("bad input in any shape: one line with the file and the JSON path", () => {
  const HINT = " (--ignore-unknown-fields skips fields this version does not know)";
  const oneLine = (...argv: string[]): string => {
    const run = cli(...argv);
    expect(run).toMatchObject({ exitCode: 2, stdout: "" });
    expect(run.stderr.split("\n")).toHaveLength(2);
    return run.stderr;
  };
  const lint = (...flags: string[]) => oneLine("lint", ...flags);

  const badLk = () => file("bad-lk.json", { items: [snakeRules[0], { ...snakeRules[1], trunk_idz: [] }] });

  it("names the element of an lk export, an array or a request by its path", () => {
    const lk = badLk();
    expect(lint("--rules", lk)).toBe(`sip-dispatch: ${lk}: items[1].trunk_idz: unknown field "trunk_idz" in SIPDispatchRuleInfo (did you mean "trunk_ids"?)${HINT}\n`);
    expect(lint(lk)).toBe(`sip-dispatch: ${lk}: items[1].trunk_idz: unknown field "trunk_idz" in SIPDispatchRuleInfo (did you mean "trunk_ids"?)${HINT}\n`);
    const array = file("bad-array.json", [trunk, { ...trunk, numbers: "+1" }]);
    expect(lint("--trunks", array)).toMatch(new RegExp(`^sip-dispatch: ${array}: \\[1\\]\\.numbers: .*expected an array`));
    const request = file("bad-request.json", { dispatch_rule: { rule: { dispatch_rule_direct: { room_nme: "x" } } } });
    expect(lint("--rules", request)).toMatch(new RegExp(`^sip-dispatch: ${request}: dispatch_rule\\.rule\\.dispatch_rule_direct\\.room_nme: unknown field "room_nme"`));
  });

  it("is the same error for resolve, test and diff", () => {
    const lk = badLk();
    const expected = `sip-dispatch: ${lk}: items[1].trunk_idz: unknown field "trunk_idz" in SIPDispatchRuleInfo (did you mean "trunk_ids"?)${HINT}\n`;
    expect(oneLine("resolve", lk, "--from", "1", "--to", "2")).toBe(expected);
    expect(oneLine("diff", "--before", lk, "--after", lk)).toBe(expected);
    expect(oneLine("test", file("policy-bad.json", { config: "bad-lk.json", cases: [] }))).toBe(expected);
  });
});
