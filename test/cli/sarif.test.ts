// `lint --format sarif`: a SARIF 2.1.0 log that code-scanning tools accept (the properties the
// standard and GitHub's code scanning require), with exact values for a known finding, every
// location pointing at the element it names, and no pin anywhere. Also `--format text|json`, and
// the JSON-text positions SARIF's regions come from.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fc, test } from "@fast-check/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonPositions } from "../../src/cli/locate.js";
import { runCli } from "../../src/cli/main.js";
import { fileUri, LINT_CODE_SUMMARIES, type SarifLog } from "../../src/cli/sarif.js";
import { packageVersion } from "../../src/cli/version.js";
import { LINT_CODES } from "../../src/lint/lint.js";

const terminal = { isTTY: false, env: {}, columns: 100 };
const cli = (...argv: string[]) => runCli(argv, terminal);

let dir: string;
let count = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sip-dispatch-sarif-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (value: unknown, indent = 2): string => {
  const path = join(dir, `config-${count++}.json`);
  writeFileSync(path, JSON.stringify(value, null, indent));
  return path;
};

const PIN = "246813";
const conflict = {
  trunks: [{ sipTrunkId: "ST_hall", numbers: ["+15550500"] }],
  rules: [
    { sipDispatchRuleId: "SDR_hall_a", trunkIds: ["ST_hall"], rule: { dispatchRuleDirect: { roomName: "hall-a", pin: PIN } } },
    { sipDispatchRuleId: "SDR_hall_b", trunkIds: ["ST_hall"], rule: { dispatchRuleDirect: { roomName: "hall-b", pin: PIN } } },
  ],
};

/** The SARIF log `lint` prints, after checking the parts every SARIF 2.1.0 consumer relies on. */
function sarifOf(...argv: string[]): { log: SarifLog; exitCode: number; text: string } {
  const run = cli("lint", ...argv, "--format", "sarif");
  expect(run.stderr).toBe("");
  const log = JSON.parse(run.stdout) as SarifLog;
  expect(log.version).toBe("2.1.0");
  expect(log.$schema).toBe("https://json.schemastore.org/sarif-2.1.0.json");
  expect(log.runs).toHaveLength(1);
  const [runLog] = log.runs;
  const driver = runLog!.tool.driver;
  expect(driver).toMatchObject({ name: "sip-dispatch", version: packageVersion(), informationUri: "https://github.com/sip-dispatch/sip-dispatch" });
  // Every code is a rule, once; results point at their rule by id and by index.
  expect(driver.rules.map((r) => r.id)).toEqual([...LINT_CODES]);
  for (const rule of driver.rules) {
    expect(rule.shortDescription.text.length).toBeGreaterThan(0);
    expect(rule.helpUri).toBe(`https://github.com/sip-dispatch/sip-dispatch/blob/main/docs/lint.md#${rule.id}`);
  }
  for (const result of runLog!.results) {
    expect(driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(["error", "warning", "note"]).toContain(result.level);
    expect(result.message.text.length).toBeGreaterThan(0);
    // GitHub places a result by its first location's file and start line.
    for (const location of [...result.locations, ...(result.relatedLocations ?? [])]) {
      const region = location.physicalLocation?.region;
      if (region !== undefined) expect(Number.isInteger(region.startLine) && region.startLine >= 1).toBe(true);
      expect(location.logicalLocations[0]?.fullyQualifiedName.length).toBeGreaterThan(0);
    }
  }
  return { log, exitCode: run.exitCode, text: run.stdout };
}

describe("lint --format sarif", () => {
  it("reports a rule conflict exactly: rule, level, message with its witness command, the file, line and JSON path", () => {
    const path = file(conflict);
    const { log, exitCode, text } = sarifOf(path);
    expect(exitCode).toBe(1);
    expect(text).not.toContain(PIN);
    const [result, ...rest] = log.runs[0]!.results;
    expect(rest).toEqual([]);
    const at = (line: number, column: number, jsonPath: string) => ({
      physicalLocation: { artifactLocation: { uri: fileUri(path) }, region: { startLine: line, startColumn: column } },
      logicalLocations: [{ fullyQualifiedName: jsonPath, kind: "element" }],
    });
    // JSON.stringify(…, null, 2): the trunk starts on line 3, the rules on lines 11 and 23.
    expect(result).toEqual({
      ruleId: "rule-conflict",
      ruleIndex: 0,
      level: "error",
      message: {
        text:
          'Dispatch rules "SDR_hall_a" and "SDR_hall_b" collide: they are both on trunk "ST_hall", both with the same pin, neither filters calling numbers and neither filters called numbers (numbers compared after normalisation). ' +
          'LiveKit refuses to create the second one, and when both are stored it answers 503 to every call through trunk "ST_hall", even calls neither rule would match. ' +
          "Fix: give one of them a distinct numbers or inboundNumbers filter, another trunk or another pin, or delete one. " +
          `Try: sip-dispatch resolve --config ${path} --from +18885550000 --to +15550500 --ip 192.0.2.10`,
      },
      locations: [at(11, 5, "rules[0]")],
      relatedLocations: [
        { id: 1, ...at(23, 5, "rules[1]") },
        { id: 2, ...at(3, 5, "trunks[0]") },
      ],
    });
    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines.slice(10, 12)).toEqual(["    {", '      "sipDispatchRuleId": "SDR_hall_a",']);
    expect(lines.slice(22, 24)).toEqual(["    {", '      "sipDispatchRuleId": "SDR_hall_b",']);
    expect(lines.slice(2, 4)).toEqual(["    {", '      "sipTrunkId": "ST_hall",']);
  });

  it("names a pin by its rule in witness commands, never by its digits", () => {
    // A rule whose pin only the witness can enter: an unreachable pin behind an open rule.
    const config = {
      trunks: [{ sipTrunkId: "ST_a", numbers: ["+15550100"] }],
      rules: [
        { sipDispatchRuleId: "SDR_open", trunkIds: ["ST_a"], rule: { dispatchRuleIndividual: { roomPrefix: "call-" } } },
        { sipDispatchRuleId: "SDR_pin", trunkIds: ["ST_a"], rule: { dispatchRuleDirect: { roomName: "secret", pin: "8802461" } } },
      ],
    };
    const { text } = sarifOf(file(config));
    expect(text).not.toContain("8802461");
    const json = cli("lint", file(config), "--json").stdout;
    expect(json).not.toContain("8802461");
  });

  it("places findings in every file of a configuration given in several, and gives stdin by JSON path only", () => {
    const trunks = file({ items: conflict.trunks }, 0);
    const rules = file(conflict.rules, 4);
    const { log } = sarifOf("--trunks", trunks, "--rules", rules);
    const [result] = log.runs[0]!.results;
    expect(result!.locations).toEqual([
      {
        physicalLocation: { artifactLocation: { uri: fileUri(rules) }, region: { startLine: 2, startColumn: 5 } },
        logicalLocations: [{ fullyQualifiedName: "[0]", kind: "element" }],
      },
    ]);
    expect(result!.relatedLocations?.[1]).toEqual({
      id: 2,
      physicalLocation: { artifactLocation: { uri: fileUri(trunks) }, region: { startLine: 1, startColumn: 11 } },
      logicalLocations: [{ fullyQualifiedName: "items[0]", kind: "element" }],
    });
    const piped = runCli(["lint", "-", "--format", "sarif"], { ...terminal, readStdin: () => JSON.stringify(conflict) });
    const fromStdin = (JSON.parse(piped.stdout) as SarifLog).runs[0]!.results[0]!;
    expect(fromStdin.locations).toEqual([{ logicalLocations: [{ fullyQualifiedName: "rules[0]", kind: "element" }] }]);
  });

  it("is an empty result list, exit 0, for a clean configuration; the bundled example's file is found", () => {
    const clean = sarifOf(file({ trunks: conflict.trunks, rules: [conflict.rules[0]] }));
    expect(clean).toMatchObject({ exitCode: 0 });
    expect(clean.log.runs[0]!.results).toEqual([]);
    const example = sarifOf("--example");
    for (const result of example.log.runs[0]!.results)
      expect(result.locations[0]?.physicalLocation?.artifactLocation.uri).toMatch(/^file:\/\/.*\/examples\/dispatch\.json$/);
  });

  it("keeps each code's summary the same as docs/lint.md's table", () => {
    const docs = readFileSync(new URL("../../docs/lint.md", import.meta.url), "utf8");
    const table = new Map([...docs.matchAll(/^\| \[`([a-z-]+)`\]\(#[a-z-]+\) \| [a-z /]+ \| (.+) \|$/gm)].map((m) => [m[1], m[2]]));
    for (const [code, summary] of Object.entries(LINT_CODE_SUMMARIES)) expect(summary, code).toBe(table.get(code));
    expect(Object.keys(LINT_CODE_SUMMARIES).length).toBeGreaterThanOrEqual(18);
  });
});

describe("lint --format", () => {
  it("takes text and json as the existing outputs; --json is --format json", () => {
    const path = file(conflict);
    expect(cli("lint", path, "--format", "text")).toEqual(cli("lint", path));
    expect(cli("lint", path, "--format", "json")).toEqual(cli("lint", path, "--json"));
    expect(cli("lint", path, "--format", "json", "--json")).toEqual(cli("lint", path, "--json"));
  });

  it("rejects another format, and --json with another format (exit 2)", () => {
    const path = file(conflict);
    expect(cli("lint", path, "--format", "xml")).toEqual({ stdout: "", exitCode: 2, stderr: 'sip-dispatch: lint: --format takes text, json or sarif, not "xml"\n' });
    expect(cli("lint", path, "--format", "sarif", "--json")).toEqual({ stdout: "", exitCode: 2, stderr: "sip-dispatch: lint: --json and --format sarif disagree; use one\n" });
  });

  it("counts warnings for --max-warnings in every format", () => {
    const config = file({ rules: [{ sipDispatchRuleId: "SDR_open", rule: { dispatchRuleIndividual: { roomPrefix: "call-" } } }] });
    for (const format of ["text", "json", "sarif"])
      expect(cli("lint", config, "--format", format, "--max-warnings", "0")).toMatchObject({ exitCode: 1, stderr: "sip-dispatch: 1 warning, more than --max-warnings 0\n" });
  });
});

describe("fileUri", () => {
  it.each([
    ["dispatch.json", "dispatch.json"],
    ["configs/prod dispatch.json", "configs/prod%20dispatch.json"],
    ["../up/#1.json", "../up/%231.json"],
    ["/srv/sip/dispatch.json", "file:///srv/sip/dispatch.json"],
  ])("%s is %s", (path, uri) => {
    expect(fileUri(path)).toBe(uri);
  });
});

describe("jsonPositions: where a JSON path's value starts in the text", () => {
  const offsetOf = (text: string, line: number, column: number): number => {
    const lines = text.split("\n");
    return lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  };
  /** Every path to a value, down to `depth` steps. */
  const pathsOf = (value: unknown, depth: number, at: (string | number)[] = []): (string | number)[][] => {
    const out = [at];
    if (depth === 0 || typeof value !== "object" || value === null) return out;
    const entries: [string | number, unknown][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
    for (const [step, child] of entries) out.push(...pathsOf(child, depth - 1, [...at, step]));
    return out;
  };
  const valueAt = (value: unknown, path: readonly (string | number)[]): unknown =>
    path.reduce<unknown>((v, step) => (v as Record<string | number, unknown>)[step], value);

  test.prop([fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(0, 1, 2, "\t", " \r\n ")])("each value found, where its own text starts", (value, indent) => {
    const text = typeof indent === "string" && indent.includes("\n") ? JSON.stringify(value, null, 1).replace(/\n/g, indent) : JSON.stringify(value, null, indent);
    const paths = pathsOf(JSON.parse(text), 3);
    const found = jsonPositions(text, paths);
    for (const path of paths) {
      const at = found.get(JSON.stringify(path));
      expect(at, JSON.stringify(path)).toBeDefined();
      const rest = text.slice(offsetOf(text, at!.line, at!.column));
      const compact = JSON.stringify(valueAt(JSON.parse(text), path));
      // The value's own text starts here: the same first character, and (compact) the same text.
      expect(rest[0]).toBe(compact[0]);
      if (indent === 0) expect(rest.startsWith(compact)).toBe(true);
    }
  });

  it("counts lines and UTF-16 columns, skips strings with brackets and escapes, and keeps the last of repeated keys", () => {
    const text = '\ufeff{"a\\"]": "x{[", "b": [1,\n  {"c": "😀", "d": true}], "b": null}';
    const found = jsonPositions(text, [[], ["b"], ["a\"]"], ["b", 1, "d"]]);
    // The byte order mark is not a column; the emoji is two UTF-16 code units.
    expect(found.get("[]")).toEqual({ line: 1, column: 1 });
    expect(found.get('["a\\"]"]')).toEqual({ line: 1, column: 10 });
    expect(found.get('["b",1,"d"]')).toEqual({ line: 2, column: 20 });
    expect(found.get('["b"]')).toEqual({ line: 2, column: 33 });
    expect(jsonPositions("", [["rules", 0]]).size).toBe(0);
  });
});
