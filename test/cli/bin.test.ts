// The `sip-dispatch` bin, run the way users run it: `node dist/cli.js …` in a child process.
// `npm test` builds dist/ first. Every invocation is started at once in `beforeAll` (each costs a
// Node start-up), and the tests then read their results.
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = `${root}dist/cli.js`;
const fx = (name: string): string => `test/fixtures/cli/${name}`;

/** Pins of every configuration the tests use: none may ever be printed. */
const PINS = ["4321", "246813", "802461", "735190"];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const base = { ...process.env };
  delete base.NO_COLOR;
  delete base.FORCE_COLOR;
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env: { ...base, ...env }, encoding: "utf8" }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const MAIN_CALL = ["--from", "+15550111", "--to", "+15550199", "--ip", "203.0.113.7"];

/** Every invocation, by name. */
const invocations = {
  help: ["--help"],
  resolveHelp: ["resolve", "--help"],
  lintHelp: ["lint", "-h"],
  testHelp: ["test", "--help"],
  schemaHelp: ["help", "schema"],
  resolveBundled: ["resolve", "--example", "--from", "+15550100", "--to", "+15550199", "--ip", "203.0.113.7"],
  resolveJson: ["resolve", "--example", ...MAIN_CALL, "--json", "--random-id", "RANDOM123456", "--call-id", "SCL_fixed"],
  resolveDrop: ["resolve", "--config", "examples/dispatch.json", "--from", "15550111", "--to", "15550199", "--ip", "203.0.113.7"],
  resolvePinRequest: ["resolve", "--example", "--from", "+15550111", "--to", "+15550123", "--ip", "203.0.113.7"],
  resolvePin: ["resolve", "--example", "--from", "+15550111", "--to", "+15550123", "--ip", "203.0.113.7", "--pin", "4321"],
  resolvePinOf: ["resolve", "--config", "examples/dispatch.json", "--from", "+15550111", "--to", "+15550123", "--ip", "203.0.113.7", "--pin-of", "SDR_board", "--json"],
  resolveLk: ["resolve", "--trunks", fx("lk-trunks.json"), "--rules", fx("lk-rules.json"), "--from", "+15550100", "--to", "+15550400", "--ip", "192.0.2.10", "--json"],
  resolveRequestShape: ["resolve", "--trunks", fx("lk-trunks.json"), "--rules", fx("rule-request.json"), "--from", "+15550100", "--to", "+15550400", "--ip", "192.0.2.10"],
  resolveHeaders: ["resolve", "--example", "--from", "+15550111", "--to", "+15550142", "--header", "X-Ticket: T-9", "--random-id", "ABCDEFGHJKLM", "--json"],
  resolveBadIp: ["resolve", "--example", "--from", "+15550111", "--to", "+15550199", "--ip", "203.0.113"],
  colourForced: ["resolve", "--example", ...MAIN_CALL],
  colourNoColor: ["resolve", "--example", ...MAIN_CALL],
  colourZero: ["resolve", "--example", ...MAIN_CALL],
  lintExample: ["lint", "--config", "examples/dispatch.json"],
  lintConflict: ["lint", "--config", fx("conflict.json")],
  lintConflictJson: ["lint", "--config", fx("conflict.json"), "--json"],
  testPass: ["test", "examples/policy.json", fx("policy-pass.json")],
  testFail: ["test", fx("policy-fail.json")],
  testInvalid: ["test", fx("policy-invalid.json")],
  schemaConfig: ["schema"],
  schemaRule: ["schema", "rule"],
  schemaTrunk: ["schema", "trunk"],
  schemaPolicy: ["schema", "policy"],
  badRule: ["lint", "--config", fx("bad-rule.json")],
  numericPin: ["resolve", "--config", fx("numeric-pin.json"), "--from", "1", "--to", "2"],
  brokenJson: ["lint", "--config", fx("broken.json")],
  missingFile: ["resolve", "--config", fx("nope.json"), "--from", "1", "--to", "2"],
  unknownOption: ["resolve", "--from", "1", "--to", "2", "--pn=246813"],
  strayArgument: ["schema", "rule", "246813"],
  missingTo: ["resolve", "--from", "+15550100"],
  pinAndNoPin: ["resolve", "--from", "1", "--to", "2", "--pin", "246813", "--no-pin"],
  exampleAndConfig: ["lint", "--example", "--config", "examples/dispatch.json"],
  resolveNoConfig: ["resolve", "--from", "+15550100", "--to", "+15550199"],
  lkAsConfig: ["lint", "--config", fx("lk-trunks.json"), fx("lk-rules.json")],
  unknownCommand: ["route"],
  noCommand: [],
} satisfies Record<string, string[]>;

const envs: Partial<Record<keyof typeof invocations, Record<string, string>>> = {
  colourForced: { FORCE_COLOR: "1" },
  colourNoColor: { FORCE_COLOR: "1", NO_COLOR: "1" },
  colourZero: { FORCE_COLOR: "0" },
};

let runs: Record<keyof typeof invocations, Run>;

beforeAll(async () => {
  if (!existsSync(bin)) throw new Error("dist/cli.js is missing: run `npm run build` first (`npm test` does)");
  const names = Object.keys(invocations) as (keyof typeof invocations)[];
  const results = await Promise.all(names.map((name) => cli(invocations[name], envs[name])));
  runs = Object.fromEntries(names.map((name, i) => [name, results[i]])) as typeof runs;
}, 120_000);

const lines = (text: string): string[] => text.split("\n").filter((line) => line !== "");
// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escapes are what we look for
const ESCAPE = /\u001b\[/;

describe("sip-dispatch bin", () => {
  it("is an ESM file with a shebang", () => {
    expect(readFileSync(bin, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  it("prints help for the top level and for each command, exit 0", () => {
    expect(runs.help.code).toBe(0);
    for (const command of ["resolve", "lint", "test", "schema"]) expect(runs.help.stdout).toContain(command);
    expect(runs.resolveHelp).toMatchObject({ code: 0, stderr: "" });
    expect(runs.resolveHelp.stdout).toContain("--from NUMBER");
    expect(runs.lintHelp.stdout).toMatch(/^Usage: sip-dispatch lint/);
    expect(runs.testHelp.stdout).toContain("N passed, N failed");
    expect(runs.schemaHelp.stdout).toMatch(/^Usage: sip-dispatch schema/);
    for (const run of [runs.lintHelp, runs.testHelp, runs.schemaHelp]) expect(run.code).toBe(0);
  });
});

describe("resolve", () => {
  it("explains the decision against the bundled example with --example", () => {
    const { code, stdout, stderr } = runs.resolveBundled;
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("bundled example");
    expect(stdout).toMatch(/ACCEPT\s+room "vip-lounge", rule SDR_vip on trunk ST_main/);
    // The trunks and rules that could have taken the call, with verdict and reason.
    expect(stdout).toMatch(/selected\s+ST_main .*selected_specific/);
    expect(stdout).toMatch(/selected\s+SDR_vip .*priority 1100/);
    expect(stdout).toMatch(/outranked\s+SDR_main .*priority 1101; SDR_vip has 1100 \(lower_priority\)/);
    // The trunk and the rules that could not have taken the call are counted, not listed.
    expect(stdout).toContain("  … 1 more trunk whose numbers do not list the called number (--all shows them)");
    expect(stdout).toContain("  … 2 more rules: 1 for other trunks, 1 whose numbers filter does not list the called number (--all shows them)");
    expect(stdout).toMatch(/identity\s+sip_\+15550100/);
    expect(stdout).toMatch(/attributes\s+tier\s+vip/);
  });

  it("prints the DispatchResolution with its trace under --json, with a fixed random id", () => {
    const { code, stdout } = runs.resolveJson;
    expect(code).toBe(0);
    const resolution = JSON.parse(stdout);
    expect(resolution).toMatchObject({
      result: "accept",
      trunkId: "ST_main",
      ruleId: "SDR_main",
      roomName: "call-_+15550111_RANDOM123456",
      participant: { identity: "sip_+15550111", attributes: { tier: "standard", "sip.callID": "SCL_fixed" } },
    });
    expect(resolution.trace.map((e: { id: string }) => e.id)).toEqual(["ST_main", "ST_support", "SDR_board", "SDR_main", "SDR_support", "SDR_vip"]);
  });

  it("says why a call is dropped: rule number filters compare exactly", () => {
    const { code, stdout, stderr } = runs.resolveDrop;
    expect(code).toBe(0);
    expect(stderr).toBe("");
    expect(stdout).toContain("DROP");
    expect(stdout).toContain("no final SIP response");
    expect(stdout).toMatch(/SDR_main .*"\+15550199" is the same number, but LiveKit compares rule filters exactly/);
  });

  it("explains a pin request, and accepts the pin without ever printing it", () => {
    expect(runs.resolvePinRequest.stdout).toMatch(/REQUEST_PIN\s+rule SDR_board on trunk ST_main needs a pin/);
    expect(runs.resolvePin.stdout).toMatch(/ACCEPT\s+room "board-meeting"/);
    expect(runs.resolvePin.stdout).toContain("pin entered (****)");
    expect(JSON.parse(runs.resolvePinOf.stdout)).toMatchObject({ result: "accept", roomName: "board-meeting" });
  });

  it("reads `lk … list --json` output, request bodies and snake_case", () => {
    expect(runs.resolveLk.code).toBe(0);
    expect(JSON.parse(runs.resolveLk.stdout)).toMatchObject({ result: "accept", trunkId: "ST_lk", ruleId: "SDR_lk", roomName: "desk_+15550400" });
    expect(runs.resolveRequestShape.stdout).toMatch(/ACCEPT\s+room "lobby", rule SDR_req on trunk ST_lk/);
    expect(runs.resolveRequestShape.stdout).toContain("lk-trunks.json + test/fixtures/cli/rule-request.json");
    // As config files too: trunks and rules are told apart by their fields.
    expect(runs.lkAsConfig).toEqual({ code: 0, stderr: "", stdout: `${fx("lk-rules.json")} + ${fx("lk-trunks.json")}: no findings (1 trunk, 1 rule)\n` });
  });

  it("maps --header to header-derived attributes", () => {
    const resolution = JSON.parse(runs.resolveHeaders.stdout);
    expect(resolution).toMatchObject({ result: "accept", roomName: "support_+15550142_ABCDEFGHJKLM", participant: { attributes: { ticket: "T-9" } } });
  });

  it("shows LiveKit's error text and the SIP status", () => {
    expect(runs.resolveBadIp.code).toBe(0);
    expect(runs.resolveBadIp.stdout).toMatch(/ERROR\s+SIP 503 "Try again later" \(invalid_source_ip\)/);
    expect(runs.resolveBadIp.stdout).toContain('invalid source IP address: "203.0.113"');
  });

  it("is plain when not a terminal, or with NO_COLOR or FORCE_COLOR=0; coloured when forced", () => {
    expect(runs.colourForced.stdout).toMatch(ESCAPE);
    for (const run of [runs.colourNoColor, runs.colourZero, runs.resolveBundled, runs.lintConflict, runs.testFail])
      expect(run.stdout).not.toMatch(ESCAPE);
    expect(runs.colourNoColor.stdout.length).toBeGreaterThan(0);
  });
});

describe("lint", () => {
  it("passes the example configuration (exit 0)", () => {
    expect(runs.lintExample.code).toBe(0);
    expect(runs.lintExample.stdout).toMatch(/examples\/dispatch\.json: /);
  });

  it("exits 1 on an error finding, with a ready-to-run witness that shows it", async () => {
    const { code, stdout } = runs.lintConflict;
    expect(code).toBe(1);
    expect(stdout).toMatch(/^error\s+rule-conflict\s+.*SDR_hall_a/m);
    const command = /try: (sip-dispatch resolve .*)$/m.exec(stdout)?.[1];
    expect(command).toBeDefined();
    expect(command).toContain(`--config ${fx("conflict.json")}`);
    const witness = await cli(shellWords(command as string).slice(1));
    expect(witness.code).toBe(0);
    expect(witness.stdout).toMatch(/ERROR\s+SIP 503/);
    expect(witness.stdout).toContain("rule_conflict");
    for (const pin of PINS) expect(witness.stdout + witness.stderr).not.toContain(pin);
  });

  it("prints the findings as JSON with --json, pins masked", () => {
    expect(runs.lintConflictJson.code).toBe(1);
    const findings = JSON.parse(runs.lintConflictJson.stdout) as { code: string; severity: string; witness?: { pin?: string } }[];
    expect(findings.some((f) => f.code === "rule-conflict" && f.severity === "error")).toBe(true);
    for (const f of findings) if (f.witness?.pin !== undefined) expect(f.witness.pin).toBe("****");
  });
});

describe("test (routing policies)", () => {
  it("passes passing policies (several files; config paths relative to each policy file)", () => {
    expect(runs.testPass).toMatchObject({ code: 0, stdout: "10 passed, 0 failed\n", stderr: "" });
  });

  it("prints one line per failing case, saying what differed, then N passed, N failed (exit 1)", () => {
    const { code, stdout } = runs.testFail;
    expect(code).toBe(1);
    const out = lines(stdout);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/^FAIL test\/fixtures\/cli\/policy-fail\.json: "wrong room prefix and team": /);
    expect(out[0]).toMatch(/roomName: expected "sales-\*", got "office_\+15550100_[2-9A-Za-z]{12}"/);
    expect(out[0]).toContain('attributes["team"]: expected "support", got "sales"');
    expect(out[0]).toContain('attributes["missing"]: expected "x", got no such attribute');
    expect(out[1]).toContain("result: expected accept, got drop (no rule matched with no trunk matched)");
    expect(out[1]).toContain("the vault pin is typed but the number is wrong");
    expect(out[2]).toBe("2 passed, 2 failed");
  });

  it("rejects a policy file with an unknown field (exit 2, file and path)", () => {
    expect(runs.testInvalid.code).toBe(2);
    expect(runs.testInvalid.stderr).toBe(`sip-dispatch: ${fx("policy-invalid.json")}: cases[0].expect.roomNmae: unknown field "roomNmae" (did you mean "roomName"?)\n`);
  });
});

describe("schema", () => {
  const parse = (run: Run): JsonSchema => {
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as JsonSchema;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    return schema;
  };
  const file = (path: string): unknown => JSON.parse(readFileSync(`${root}${path}`, "utf8"));

  it("describes config files: the example validates, a typo does not", () => {
    const schema = parse(runs.schemaConfig);
    expect(validate(schema, file("examples/dispatch.json"))).toEqual([]);
    expect(validate(schema, file(fx("conflict.json")))).toEqual([]);
    expect(validate(schema, file(fx("bad-rule.json")))).not.toEqual([]);
    expect(validate(schema, { trunks: [], rules: [{ rule: { dispatchRuleDirect: { roomName: 5 } } }] })).not.toEqual([]);
    expect(String(schema.$defs?.DispatchConfig?.description)).toContain("snake_case");
  });

  it("describes rules and trunks in every accepted shape", () => {
    const rule = parse(runs.schemaRule);
    const trunk = parse(runs.schemaTrunk);
    expect(validate(rule, file(fx("lk-rules.json")))).toEqual([]);
    expect(validate(rule, file(fx("rule-request.json")))).toEqual([]);
    expect(validate(rule, { rule: { dispatch_rule_direct: { room_name: "x" } }, trunk_ids: ["ST_1"] })).toEqual([]);
    expect(validate(rule, { rule: { dispatchRuleDirect: { roomNmae: "x" } } })).not.toEqual([]);
    expect(validate(trunk, file(fx("lk-trunks.json")))).toEqual([]);
    expect(validate(trunk, { trunk: { numbers: ["+1555"], include_headers: 2 } })).toEqual([]);
    expect(validate(trunk, { numbers: "+1555" })).not.toEqual([]);
  });

  it("describes policy files", () => {
    const schema = parse(runs.schemaPolicy);
    for (const path of ["examples/policy.json", fx("policy-pass.json"), fx("policy-fail.json")]) expect(validate(schema, file(path))).toEqual([]);
    expect(validate(schema, file(fx("policy-invalid.json")))).not.toEqual([]);
  });
});

describe("bad usage and bad input: exit 2, one line naming the file and the JSON path", () => {
  const oneLine = (run: Run): string => {
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    expect(lines(run.stderr)).toHaveLength(1);
    return run.stderr;
  };

  it("names the file and the path of a bad field", () => {
    expect(oneLine(runs.badRule)).toBe(
      `sip-dispatch: ${fx("bad-rule.json")}: rules[2].rule.dispatchRuleIndividual.roomPrefx: unknown field "roomPrefx" in SIPDispatchRuleIndividual (did you mean "roomPrefix"?) (--ignore-unknown-fields skips fields this version does not know)\n`,
    );
    expect(oneLine(runs.numericPin)).toMatch(/numeric-pin\.json: rules\[0\]\.rule\.dispatchRuleDirect\.pin: .*expected a string/);
    expect(oneLine(runs.brokenJson)).toMatch(/broken\.json: invalid JSON at line 3, column \d+/);
    expect(oneLine(runs.missingFile)).toMatch(/nope\.json: cannot read the file \(no such file\)/);
  });

  it("rejects unknown options, commands and contradictory flags", () => {
    expect(oneLine(runs.unknownOption)).toBe("sip-dispatch: resolve: unknown option --pn (see sip-dispatch resolve --help)\n");
    expect(oneLine(runs.strayArgument)).toBe("sip-dispatch: schema takes one kind: rule, trunk, config or policy\n");
    expect(oneLine(runs.missingTo)).toContain("--to NUMBER");
    expect(oneLine(runs.pinAndNoPin)).toContain("--no-pin");
    expect(oneLine(runs.exampleAndConfig)).toBe("sip-dispatch: lint: --example takes no other configuration\n");
    expect(oneLine(runs.resolveNoConfig)).toContain("resolve needs a configuration");
    expect(oneLine(runs.unknownCommand)).toContain('unknown command "route"');
    expect(oneLine(runs.noCommand)).toContain("no command given");
  });
});

describe("pins", () => {
  it("never appear in any output", () => {
    for (const [name, run] of Object.entries(runs))
      for (const pin of PINS) expect(`${run.stdout}${run.stderr}`, `${name} printed a pin`).not.toContain(pin);
  });
});

/** Splits a command line as `shellWord` quotes it: bare words and '…' (with '\'' inside). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  const pattern = /'((?:[^']|'\\'')*)'|(\S+)/g;
  for (const match of line.matchAll(pattern)) words.push(match[1] !== undefined ? match[1].replace(/'\\''/g, "'") : (match[2] as string));
  return words;
}

// A JSON Schema validator for the keywords our generated schemas use, so the test needs no
// dependency: $ref (#/$defs/…), anyOf, type, enum, properties, additionalProperties, required,
// items, propertyNames, pattern, minimum, maximum.
interface JsonSchema {
  $schema?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  anyOf?: JsonSchema[];
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  required?: string[];
  items?: JsonSchema;
  propertyNames?: JsonSchema;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  description?: string;
}

function validate(rootSchema: JsonSchema, value: unknown): string[] {
  /** The first error under `schema`, or undefined when `v` is valid. */
  const check = (schema: JsonSchema, v: unknown, path: string): string | undefined => {
    if (schema.$ref !== undefined) {
      const target = rootSchema.$defs?.[schema.$ref.replace("#/$defs/", "")];
      if (target === undefined) throw new Error(`unresolved ${schema.$ref}`);
      const error = check(target, v, path);
      if (error !== undefined) return error;
    }
    if (schema.anyOf !== undefined && !schema.anyOf.some((branch) => check(branch, v, path) === undefined)) return `${path}: matches no anyOf branch`;
    if (schema.type !== undefined && !hasType(v, schema.type)) return `${path}: expected ${schema.type}`;
    if (schema.enum !== undefined && !schema.enum.includes(v)) return `${path}: not in enum`;
    if (typeof v === "string" && schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(v)) return `${path}: pattern`;
    if (typeof v === "number" && ((schema.minimum !== undefined && v < schema.minimum) || (schema.maximum !== undefined && v > schema.maximum)))
      return `${path}: out of range`;
    if (Array.isArray(v) && schema.items !== undefined) {
      for (const [i, item] of v.entries()) {
        const error = check(schema.items, item, `${path}[${i}]`);
        if (error !== undefined) return error;
      }
    }
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const object = v as Record<string, unknown>;
      for (const key of schema.required ?? []) if (!(key in object)) return `${path}.${key}: required`;
      for (const [key, child] of Object.entries(object)) {
        const error =
          (schema.propertyNames === undefined ? undefined : check(schema.propertyNames, key, `${path}.${key} (name)`)) ??
          (schema.properties?.[key] !== undefined
            ? check(schema.properties[key], child, `${path}.${key}`)
            : schema.additionalProperties === false
              ? `${path}.${key}: not allowed`
              : typeof schema.additionalProperties === "object"
                ? check(schema.additionalProperties, child, `${path}.${key}`)
                : undefined);
        if (error !== undefined) return error;
      }
    }
    return undefined;
  };
  const { $defs: _defs, $schema: _schema, ...top } = rootSchema;
  const error = check(top, value, "$");
  return error === undefined ? [] : [error];
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case "object":
      return v !== null && typeof v === "object" && !Array.isArray(v);
    case "array":
      return Array.isArray(v);
    case "integer":
      return Number.isInteger(v);
    case "null":
      return v === null;
    default:
      return typeof v === type;
  }
}

// The same invocations in this process, through runCli (what the bin wraps): they must print and
// exit exactly as the bin does, and they are what coverage sees of the command line.
describe("runCli in process", () => {
  const RANDOM = /(_|SCL_)[23456789A-HJ-NP-Za-km-z]{12}\b/g;
  const normalise = (text: string): string => text.replace(RANDOM, "$1<random>");

  it.each(Object.keys(invocations) as (keyof typeof invocations)[])("%s matches the bin", (name) => {
    const base: Record<string, string | undefined> = { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined };
    const result = runCli(invocations[name], { isTTY: false, env: { ...base, ...envs[name] }, columns: undefined });
    const bin = runs[name];
    expect(result.exitCode).toBe(bin.code);
    // Node 22+ warns on stderr when NO_COLOR and FORCE_COLOR are both set; that line is Node's, not ours.
    const ours = (text: string) => text.split("\n").filter((line) => !line.startsWith("(node:") && !line.startsWith("(Use `node")).join("\n");
    expect(normalise(result.stderr)).toBe(normalise(ours(bin.stderr)));
    expect(normalise(result.stdout)).toBe(normalise(bin.stdout));
  });

  it("colours a terminal unless NO_COLOR is set", () => {
    const call = ["resolve", "--example", "--from", "+15550111", "--to", "+15550199", "--ip", "203.0.113.7"];
    expect(runCli(call, { isTTY: true, env: {}, columns: 80 }).stdout).toMatch(ESCAPE);
    expect(runCli(call, { isTTY: true, env: { NO_COLOR: "1" }, columns: 80 }).stdout).not.toMatch(ESCAPE);
  });
});
