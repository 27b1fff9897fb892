// Pins never appear in the command's output, and nothing else is changed to hide them: output is
// built from data that holds no pin (a rule's pin is replaced by a mask before anything formats
// it), not redacted afterwards. Pins here collide on purpose with numbers printed elsewhere
// ("600" with an emptyTimeout, "1000" with the priority bonus, "12" with a rule index).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

let dir: string;
let count = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sip-dispatch-pins-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (value: unknown): string => {
  const path = join(dir, `file-${count++}.json`);
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const cli = (...argv: string[]) => runCli(argv, { isTTY: false, env: {}, columns: 100 });

const trunks = [{ sipTrunkId: "ST_a", numbers: ["+15550100"] }];
const rules = [
  { sipDispatchRuleId: "SDR_pin600", name: "Room 600", trunkIds: ["ST_a"], rule: { dispatchRuleDirect: { roomName: "r600", pin: "600" } } },
  { sipDispatchRuleId: "SDR_pin1000", trunkIds: ["ST_a"], inboundNumbers: ["+15550999"], rule: { dispatchRuleDirect: { roomName: "r1000", pin: "1000" } } },
  {
    sipDispatchRuleId: "SDR_open",
    name: "Desk 600 of 1000",
    inboundNumbers: ["+15550111"],
    rule: { dispatchRuleDirect: { roomName: "desk-600" } },
    metadata: "seat 1000",
    roomConfig: { emptyTimeout: 600, departureTimeout: 1000, maxParticipants: 12 },
  },
];
let config: string;
beforeAll(() => {
  config = file({ trunks, rules });
});

describe("pins are kept out of the data, not redacted from the text", () => {
  it("resolve --json is valid JSON and keeps every number that equals a pin", () => {
    const result = cli("resolve", "--config", config, "--from", "+15550111", "--to", "+15550222", "--json", "--random-id", "R");
    expect(result.exitCode).toBe(0);
    const resolution = JSON.parse(result.stdout) as { roomName: string; roomConfig: Record<string, unknown>; participant: { metadata: string } };
    expect(resolution.roomName).toBe("desk-600");
    expect(resolution.roomConfig).toMatchObject({ emptyTimeout: 600, departureTimeout: 1000, maxParticipants: 12 });
    expect(resolution.participant.metadata).toBe("seat 1000");
  });

  it("the explanation keeps priorities, names and metadata that equal a pin", () => {
    const { stdout } = cli("resolve", "--config", config, "--from", "+15550111", "--to", "+15550222", "--random-id", "R");
    expect(stdout).toContain("no numbers filter (+1000)");
    expect(stdout).toContain("Desk 600 of 1000");
    expect(stdout).toContain("seat 1000");
    expect(stdout).not.toContain("****");
  });

  it("a caller's pin of two digits is never printed, in words or JSON", () => {
    const shortPin = file({ trunks, rules: [...rules, { sipDispatchRuleId: "SDR_12", trunkIds: ["ST_a"], rule: { dispatchRuleDirect: { roomName: "r12", pin: "12" } } }] });
    const human = cli("resolve", "--config", shortPin, "--from", "+15550111", "--to", "+15550100", "--pin", "12", "--random-id", "R");
    expect(human.stdout).toContain("pin entered (****)");
    expect(human.stdout).toContain('ACCEPT  room "r12", rule SDR_12');
    const lint = JSON.parse(cli("lint", "--config", shortPin, "--json").stdout) as { witness?: { pin?: string } }[];
    for (const finding of lint) if (finding.witness?.pin !== undefined) expect(finding.witness.pin).toBe("****");
  });

  it("lint keeps a rule id that holds a number equal to a pin", () => {
    const catchAll = file({ trunks, rules: [rules[0], { sipDispatchRuleId: "SDR_600", rule: { dispatchRuleDirect: { roomName: "all" } } }] });
    const findings = JSON.parse(cli("lint", "--config", catchAll, "--json").stdout) as { code: string; message: string }[];
    const open = findings.find((f) => f.code === "open-catch-all");
    expect(open?.message).toContain('"SDR_600"');
    expect(cli("lint", "--config", catchAll).stdout).toContain("open-catch-all  rule SDR_600");
  });

  it("a failing policy case keeps its name as written", () => {
    const policy = file({
      config: { trunks, rules },
      cases: [{ name: "desk 600 of 1000", call: { from: "+15550111", to: "+15550222" }, expect: { result: "drop" } }],
    });
    const result = cli("test", policy);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('"desk 600 of 1000"');
    expect(result.stdout).toContain('room "desk-600"');
  });
});
