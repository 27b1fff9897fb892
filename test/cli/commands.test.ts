// The sip-dispatch command line in process (runCli): top-level commands, flag errors, the call
// `resolve` builds from its flags, the files `--config` / `--trunks` / `--rules` accept, and the
// findings `lint` prints with a `resolve` command that reproduces each witness.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve as resolvePath } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromJson, displayPath, kindOf, loadConfigFromFlags } from "../../src/cli/config.js";
import { showable, witnessCommand } from "../../src/cli/lint.js";
import { runCli } from "../../src/cli/main.js";
import type { InboundCall } from "../../src/model/resolution.js";
import { resolveDispatch } from "../../src/resolve/resolve.js";

const terminal = { isTTY: false, env: {}, columns: 100 };
const cli = (...argv: string[]) => runCli(argv, terminal);
/** The one stderr line of a run that must fail with exit 2. */
const usageError = (...argv: string[]): string => {
  const result = cli(...argv);
  expect(result.exitCode).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.endsWith("\n") && result.stderr.indexOf("\n") === result.stderr.length - 1).toBe(true);
  return result.stderr;
};

let dir: string;
let count = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "sip-dispatch-cli-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** Writes `value` (JSON, or a string as it is) to a new file; returns its path. */
const file = (value: unknown): string => {
  const path = join(dir, `file-${count++}.json`);
  writeFileSync(path, typeof value === "string" ? value : JSON.stringify(value));
  return path;
};

const direct = (roomName: string, pin = "") => ({ dispatchRuleDirect: { roomName, pin } });

describe("top level", () => {
  it("prints the package version for --version and -v", () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(cli("--version")).toEqual({ stdout: `${version}\n`, stderr: "", exitCode: 0 });
    expect(cli("-v")).toEqual({ stdout: `${version}\n`, stderr: "", exitCode: 0 });
  });

  it("prints help for `help`, `help <command>` and `<command> --help`", () => {
    expect(cli("help").stdout).toBe(cli("--help").stdout);
    expect(cli("-h").stdout).toMatch(/^Usage: sip-dispatch <command> \[options\]\n/);
    expect(cli("help", "lint").stdout).toBe(cli("lint", "--help").stdout);
    expect(cli("help", "resolve").stdout).toBe(cli("resolve", "-h").stdout);
    expect(cli("help", "test").stdout).toBe(cli("test", "-h").stdout);
    expect(cli("schema", "--help")).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^Usage: sip-dispatch schema \[rule\|trunk\|config\|policy\]\n/) });
    expect(cli("help", "schema").stdout).toBe(cli("schema", "-h").stdout);
  });

  it("rejects an unknown command, also after help", () => {
    expect(usageError("help", "route")).toBe('sip-dispatch: unknown command "route"; expected resolve, lint, test, diff or schema\n');
    expect(usageError("route")).toBe('sip-dispatch: unknown command "route"; expected resolve, lint, test, diff or schema (see sip-dispatch --help)\n');
  });

  it("turns flag errors into one line that never echoes a value", () => {
    expect(usageError("resolve", "--from")).toBe("sip-dispatch: resolve: --from needs a value (see sip-dispatch resolve --help)\n");
    expect(usageError("lint", "--config")).toBe("sip-dispatch: lint: --config needs a value (see sip-dispatch lint --help)\n");
    expect(usageError("resolve", "--from", "1", "--to", "2", "--no-pin=4321")).toBe("sip-dispatch: resolve: --no-pin takes no value\n");
    expect(usageError("lint", "--json=yes")).toBe("sip-dispatch: lint: --json takes no value\n");
    expect(usageError("lint", "-x")).toBe("sip-dispatch: lint: unknown option -x (see sip-dispatch lint --help)\n");
    expect(usageError("test", "--pin=4321", "p.json")).toBe("sip-dispatch: test: unknown option --pin (see sip-dispatch test --help)\n");
    expect(usageError("lint", "nope.json")).toBe("sip-dispatch: nope.json: cannot read the file (no such file)\n");
  });

  it("schema takes at most one known kind", () => {
    expect(usageError("schema", "rule", "trunk")).toBe("sip-dispatch: schema takes one kind: rule, trunk, config or policy\n");
    expect(usageError("schema", "rules")).toBe('sip-dispatch: unknown schema "rules"; expected rule, trunk, config or policy\n');
  });
});

describe("resolve: the call from the flags", () => {
  it("needs --from and --to, and at most one of --pin, --pin-of and --no-pin", () => {
    expect(usageError("resolve", "--to", "+1")).toBe("sip-dispatch: resolve needs --from NUMBER (the calling party); see sip-dispatch resolve --help\n");
    expect(usageError("resolve", "--from", "+1")).toBe("sip-dispatch: resolve needs --to NUMBER (the called party); see sip-dispatch resolve --help\n");
    expect(usageError("resolve", "--from", "1", "--to", "2", "--pin-of", "SDR_board", "--no-pin")).toBe("sip-dispatch: use only one of --pin, --pin-of and --no-pin\n");
    expect(usageError("resolve", "--from", "1", "--to", "2", "--pin-of", "SDR_board", "--pin", "1")).toBe("sip-dispatch: use only one of --pin, --pin-of and --no-pin\n");
  });

  it("enters a rule's pin for --pin-of, and says when there is no such rule or it has no pin", () => {
    const config = file({ trunks: [], rules: [{ sipDispatchRuleId: "SDR_pin", rule: direct("vault", "4321") }, { sipDispatchRuleId: "SDR_open", rule: direct("lobby") }] });
    const json = cli("resolve", "--config", config, "--from", "+1", "--to", "+2", "--pin-of", "SDR_pin", "--json");
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ result: "accept", ruleId: "SDR_pin", roomName: "vault" });
    expect(json.stdout).not.toContain("4321");
    expect(usageError("resolve", "--config", config, "--from", "1", "--to", "2", "--pin-of", "SDR_nope")).toBe(`sip-dispatch: --pin-of: no rule "SDR_nope" in ${config}\n`);
    expect(usageError("resolve", "--config", config, "--from", "1", "--to", "2", "--pin-of", "SDR_open")).toBe('sip-dispatch: --pin-of: rule "SDR_open" has no pin\n');
    const kindless = file({ trunks: [], rules: [{ sipDispatchRuleId: "SDR_kindless" }] });
    expect(usageError("resolve", "--config", kindless, "--from", "1", "--to", "2", "--pin-of", "SDR_kindless")).toBe('sip-dispatch: --pin-of: rule "SDR_kindless" has no pin\n');
  });

  it("builds hosts, the auth trunk, # without a pin, headers and the call id into the call", () => {
    const config = file({
      trunks: [{ sipTrunkId: "ST_a", numbers: ["+2"], includeHeaders: "SIP_X_HEADERS" }],
      rules: [{ sipDispatchRuleId: "SDR_pin", rule: direct("vault", "4321") }, { sipDispatchRuleId: "SDR_open", rule: direct("lobby") }],
    });
    const result = cli(
      ...["resolve", "--config", config, "--from", "+1", "--from-host", "carrier.example", "--to", "+2", "--to-host", "pbx.example"],
      ...["--trunk-id", "ST_a", "--no-pin", "--header", "X-Ticket:  T-9 ", "--header", "X-Empty:", "--call-id", "SCL_fixed", "--json"],
    );
    const resolution = JSON.parse(result.stdout);
    expect(resolution).toMatchObject({ result: "accept", trunkId: "ST_a", ruleId: "SDR_open" });
    expect(resolution.trace[0]).toMatchObject({ stage: "trunk", id: "ST_a", reason: "fast_path" });
    expect(resolution.trace).toContainEqual(expect.objectContaining({ id: "SDR_pin", reason: "pin_required_but_no_pin_mode" }));
    expect(resolution.participant.attributes).toMatchObject({
      "sip.callID": "SCL_fixed",
      "sip.hostname": "carrier.example",
      "sip.h.x-ticket": "T-9",
      "sip.h.x-empty": "",
    });
  });

  it("rejects a --header that is not 'Name: value', quoting at most 40 characters of it", () => {
    const bad = (header: string) => usageError("resolve", "--from", "1", "--to", "2", "--header", header);
    expect(bad("NoColon")).toBe(`sip-dispatch: --header needs 'Name: value', got "NoColon"\n`);
    expect(bad(": value")).toBe(`sip-dispatch: --header needs 'Name: value', got ": value"\n`);
    expect(bad("Bad Name: v")).toBe(`sip-dispatch: --header needs 'Name: value', got "Bad Name: v"\n`);
    expect(bad("A Very Long Header Name That Goes On And On: 1")).toBe(`sip-dispatch: --header needs 'Name: value', got "A Very Long Header Name That Goes On And…"\n`);
  });

  it("needs a configuration (exit 2); --example is the bundled one, and takes no other", () => {
    const need = "resolve needs a configuration: a config FILE, --config FILE, --trunks FILE / --rules FILE, or --example for the bundled example";
    expect(usageError("resolve", "--from", "+15550100", "--to", "+15550199")).toBe(`sip-dispatch: ${need}\n`);
    const result = cli("resolve", "--example", "--from", "+15550100", "--to", "+15550199", "--ip", "203.0.113.7", "--json");
    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    expect(JSON.parse(result.stdout)).toMatchObject({ result: "accept", ruleId: "SDR_vip" });
    const config = file({ trunks: [], rules: [] });
    expect(usageError("resolve", "--example", "--config", config, "--from", "1", "--to", "2")).toBe("sip-dispatch: resolve: --example takes no other configuration\n");
    expect(usageError("resolve", config, "--example", "--from", "1", "--to", "2")).toBe("sip-dispatch: resolve: --example takes no other configuration\n");
  });
});

describe("configuration files", () => {
  const lint = (...flags: string[]) => cli("lint", ...flags);
  const ok = { sipDispatchRuleId: "SDR_1", trunkIds: ["ST_1"], rule: direct("r") };
  const trunk = { sipTrunkId: "ST_1", numbers: ["+1"] };

  it("--config reads every shape; a value no configuration has, a misspelt key or a config given as a list is one line", () => {
    for (const [value, kind] of [[null, "null"], ["x", "a string"], [5, "a number"], [true, "a boolean"]] as const)
      expect(usageError("lint", "--config", file(value === "x" ? '"x"' : value))).toMatch(
        new RegExp(`: expected \\{"trunks": \\[\\.\\.\\.\\], "rules": \\[\\.\\.\\.\\]\\}, \`lk … list --json\` output, an array, or one trunk or rule, got ${kind}\\n$`),
      );
    const withSchema = lint("--config", file({ $schema: "./schema.json", trunks: null, rules: [ok] }));
    expect(withSchema.exitCode).toBe(0);
    expect(withSchema.stdout).toMatch(/^warning  unknown-trunk  rule SDR_1; trunk ST_1\n[\s\S]*: 0 errors, 1 warning, 0 info\n$/);
    const config = loadConfigFromFlags({ config: [file({ $schema: "x", rules: [ok] })] }, "lint");
    expect(config).toMatchObject({ trunks: [], rules: [{ sipDispatchRuleId: "SDR_1" }], bundled: false });
    expect(usageError("lint", "--config", file({ trunks: {}, rules: [] }))).toMatch(/: trunks: expected an array of trunks\n$/);
    expect(usageError("lint", "--config", file({ trunks: [], rulez: [] }))).toMatch(/\.json: rulez: unknown field "rulez"; a config has "trunks" and "rules" \(did you mean "rules"\?\)\n$/);
    expect(usageError("lint", "--rules", file({ trunks: [], rules: [] }))).toMatch(/\.json: this is a \{"trunks", "rules"\} configuration, not a list of rules; give it as --config FILE\n$/);
    expect(usageError("lint", "--config", file([{ name: "which?" }]))).toMatch(
      /\.json: \[0\]: cannot tell whether this is a trunk or a dispatch rule: .* \(give the file as --trunks FILE or --rules FILE\)\n$/,
    );
    // `lk … list --json` output, arrays and single objects are configurations too (test/cli/shapes.test.ts).
    expect(loadConfigFromFlags({ config: [file({ items: [] })] }, "lint")).toMatchObject({ trunks: [], rules: [] });
  });

  it("--trunks and --rules take lk's list output, a bare array, one object, or {} for none", () => {
    const trunks = file({ items: [trunk] });
    const rules = file([ok]);
    expect(loadConfigFromFlags({ trunks: [trunks], rules: [rules] }, "lint")).toMatchObject({
      trunks: [{ sipTrunkId: "ST_1" }],
      rules: [{ sipDispatchRuleId: "SDR_1" }],
      label: `${trunks} + ${rules}`,
      flags: ["--trunks", trunks, "--rules", rules],
      bundled: false,
    });
    const one = file(ok);
    expect(loadConfigFromFlags({ rules: [one] }, "lint")).toMatchObject({ trunks: [], rules: [{ sipDispatchRuleId: "SDR_1" }], label: one, flags: ["--rules", one] });
    const none = file({});
    expect(loadConfigFromFlags({ trunks: [none] }, "lint")).toMatchObject({ trunks: [], rules: [], label: none, flags: ["--trunks", none] });
    expect(lint("--trunks", trunks, "--rules", rules).stdout).toBe(`${trunks} + ${rules}: no findings (1 trunk, 1 rule)\n`);
  });

  it("takes several files per option, and config files as arguments; they add up, in order", () => {
    const a = file([{ sipDispatchRuleId: "SDR_a", rule: direct("a") }]);
    const b = file({ items: [{ sipDispatchRuleId: "SDR_b", trunkIds: ["ST_1"], rule: direct("b") }] });
    const t = file([trunk]);
    const c = file({ trunks: [{ sipTrunkId: "ST_2", numbers: ["+2"] }], rules: [{ sipDispatchRuleId: "SDR_c", trunkIds: ["ST_2"], rule: direct("c") }] });
    const loaded = loadConfigFromFlags({ rules: [a, b], trunks: [t], config: [c] }, "lint");
    expect(loaded.rules.map((r) => r.sipDispatchRuleId)).toEqual(["SDR_c", "SDR_a", "SDR_b"]);
    expect(loaded.trunks.map((r) => r.sipTrunkId)).toEqual(["ST_2", "ST_1"]);
    expect(loaded.ruleOrigins).toEqual([
      { file: c, path: ["rules", 0] },
      { file: a, path: [0] },
      { file: b, path: ["items", 0] },
    ]);
    expect(loaded.flags).toEqual(["--config", c, "--trunks", t, "--rules", a, "--rules", b]);
    expect(loaded.label).toBe(`${c} + ${t} + ${a} + ${b}`);
    const resolved = JSON.parse(cli("resolve", "--rules", a, "--rules", b, "--trunks", t, "--from", "+9", "--to", "+1", "--json").stdout);
    expect(resolved).toMatchObject({ result: "accept", ruleId: "SDR_b", trunkId: "ST_1" });
    // The first --rules file is not dropped: its open rule takes a call no trunk matches.
    const first = JSON.parse(cli("resolve", "--rules", a, "--rules", b, "--trunks", t, "--from", "+9", "--to", "+5", "--json").stdout);
    expect(first).toMatchObject({ result: "accept", ruleId: "SDR_a", trunkId: "" });
    const positional = loadConfigFromFlags({ config: [c] }, "lint", [c]);
    expect(positional.rules.map((r) => r.sipDispatchRuleId)).toEqual(["SDR_c", "SDR_c"]);
    expect(cli("lint", c).stdout).toBe(`${c}: no findings (1 trunk, 1 rule)\n`);
  });

  it("reads - from standard input, once", () => {
    const stdin = JSON.stringify([{ sipDispatchRuleId: "SDR_in", rule: direct("in") }]);
    const withStdin = (...argv: string[]) => runCli(argv, { ...terminal, readStdin: () => stdin });
    const loaded = loadConfigFromFlags({ rules: ["-"] }, "lint", [], { readStdin: () => stdin });
    expect(loaded).toMatchObject({ rules: [{ sipDispatchRuleId: "SDR_in" }], label: "stdin", flags: ["--rules", "-"], ruleOrigins: [{ file: "stdin", path: [0] }] });
    expect(JSON.parse(withStdin("resolve", "--rules", "-", "--from", "+1", "--to", "+2", "--json").stdout)).toMatchObject({ roomName: "in" });
    expect(withStdin("lint", "--config", "-")).toMatchObject({ exitCode: 0, stdout: expect.stringMatching(/^warning  open-catch-all/) });
    expect(runCli(["lint", "-"], { ...terminal, readStdin: () => "7" })).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/^sip-dispatch: stdin: expected .*, got a number\n$/) });
    expect(withStdin("lint", "-", "--rules", "-")).toMatchObject({ exitCode: 2, stderr: "sip-dispatch: lint: standard input (-) can be read only once\n" });
    expect(runCli(["lint", "-"], { ...terminal, readStdin: () => "{" })).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/^sip-dispatch: stdin: invalid JSON at line 1, column 2: /) });
    const unreadable = () => {
      throw new Error("EAGAIN");
    };
    expect(runCli(["lint", "-"], { ...terminal, readStdin: unreadable })).toMatchObject({ exitCode: 2, stderr: "sip-dispatch: stdin: cannot read standard input (EAGAIN)\n" });
    expect(usageError("lint", "-")).toBe("sip-dispatch: lint: no standard input to read - from\n");
  });

  it("names the element and field of a bad trunk or rule, and how many more problems there are", () => {
    expect(usageError("lint", "--rules", file("5"))).toMatch(/\.json: expected a SIPDispatchRuleInfo object, got the number 5\n$/);
    expect(usageError("lint", "--trunks", file({ items: [trunk, 5] }))).toMatch(/\.json: items\[1\]: expected a SIPInboundTrunkInfo object, got the number 5\n$/);
    expect(usageError("lint", "--rules", file([ok, { rule: 5 }]))).toMatch(/\.json: \[1\]\.rule: SIPDispatchRuleInfo\.rule: expected a SIPDispatchRule object, got the number 5\n$/);
    expect(usageError("lint", "--config", file({ rules: [{ rule: { dispatchRuleDirect: { roomName: 1, pin: "1" } } }] }))).toMatch(
      /: rules\[0\]\.rule\.dispatchRuleDirect\.roomName: SIPDispatchRuleDirect\.roomName: expected a string, got the number 1\n$/,
    );
    expect(usageError("lint", "--config", file({ rules: [{ rule: { dispatchRuleDirect: { roomName: 1, metadata: 2 } } }] }))).toMatch(/ got the number 1 \(and 1 more problem\)\n$/);
    expect(usageError("lint", "--config", file({ rules: [{ name: 3, rule: { dispatchRuleDirect: { roomName: 1, pin: 2 } } }] }))).toMatch(/ \(and 2 more problems\)\n$/);
  });

  it("never shows the value of a pin or a password in a type error", () => {
    const pin = usageError("lint", "--config", file({ rules: [{ rule: { dispatchRuleDirect: { pin: 4321 } } }] }));
    expect(pin).toMatch(/: rules\[0\]\.rule\.dispatchRuleDirect\.pin: SIPDispatchRuleDirect\.pin: expected a string, got another value \(not shown\)\n$/);
    const password = usageError("lint", "--config", file({ trunks: [{ authPassword: 12345678 }] }));
    expect(password).toMatch(/: trunks\[0\]\.authPassword: SIPInboundTrunkInfo\.authPassword: expected a string, got another value \(not shown\)\n$/);
    expect(pin + password).not.toMatch(/4321|12345678/);
  });

  it("configFromJson reports paths under where the config sits", () => {
    expect(() => configFromJson({ rules: "x" }, "policy.json", ["config"])).toThrow("policy.json: config.rules: expected an array of rules");
    expect(() => configFromJson(7, "policy.json", ["config"])).toThrow(/^policy\.json: config: expected \{"trunks": .*, got a number$/);
    expect(configFromJson({ items: [{ sipTrunkId: "ST_1" }] }, "policy.json", ["config"]).trunkOrigins).toEqual([{ file: "policy.json", path: ["config", "items", 0] }]);
  });

  it("kindOf names a JSON value's kind", () => {
    expect([null, [], {}, 1, "s", false].map(kindOf)).toEqual(["null", "an array", "an object", "a number", "a string", "a boolean"]);
  });

  it("displayPath shortens a path under the working directory, and keeps others", () => {
    expect(displayPath(resolvePath("examples", "dispatch.json"))).toBe(join("examples", "dispatch.json"));
    expect(displayPath(process.cwd())).toBe(process.cwd());
    expect(displayPath(join(tmpdir(), "x.json"))).toBe(join(tmpdir(), "x.json"));
  });

});

describe("lint", () => {
  const config = {
    trunks: [{ sipTrunkId: "ST_host", numbers: ["+15550100"], allowedAddresses: ["sip.example.com"] }, { sipTrunkId: "ST_x", numbers: ["+15550200"] }],
    rules: [
      { sipDispatchRuleId: "SDR_a", trunkIds: ["ST_host", "ST_gone"], rule: direct("a") },
      { sipDispatchRuleId: "SDR_pin", trunkIds: ["ST_x"], rule: direct("p", "12a4") },
    ],
  };

  it("prints errors, then warnings, each with its ids, wrapped message and a resolve command; exit 1 on an error", () => {
    const path = file(config);
    const result = runCli(["lint", "--config", path], { isTTY: false, env: {}, columns: 100 });
    expect(result.exitCode).toBe(1);
    expect(result.stdout.replaceAll(path, "CONFIG")).toBe(`error    unreachable-pin  rule SDR_pin
         Dispatch rule "SDR_pin" has a pin that contains characters a phone keypad cannot send (only
         0-9, *, and upper-case A-D can be entered; # ends the entry). LiveKit does not check pins
         when a rule is created, so callers prompted for it can never enter it and hear "wrong pin".
         Fix: use a pin of at most 16 characters from 0-9, *, A-D.
         try: sip-dispatch resolve --config CONFIG --from +18885550000 --to +15550200 --ip 192.0.2.10

warning  allowlist-bypassed  trunk ST_host
         Trunk "ST_host" allowedAddresses lists host name "sip.example.com". LiveKit does not
         resolve names: it admits any call whose From header carries that host, and the caller
         writes the From header, so anyone can pass this entry from any address. Fix: list your
         carrier's IP addresses or CIDR prefixes instead, and set authUsername and authPassword if
         you need more than an address check.
         try: sip-dispatch resolve --config CONFIG --from +18885550000 --from-host sip.example.com --to +15550100 --ip 192.0.2.10

warning  unknown-trunk  rule SDR_a; trunk ST_gone
         Dispatch rule "SDR_a" names trunk "ST_gone", which is not in this configuration; calls
         through its other trunks still reach it. LiveKit keeps rules when a trunk is deleted. Fix:
         correct the trunk id, or remove it from trunkIds.

CONFIG: 1 error, 2 warnings, 0 info
`);
  });

  it("wraps to a narrow terminal, colours severities, and lists several ids", () => {
    const path = file({
      trunks: [{ sipTrunkId: "ST_1", numbers: ["+1"] }],
      rules: [
        { sipDispatchRuleId: "SDR_1", trunkIds: ["ST_1"], rule: direct("a") },
        { sipDispatchRuleId: "SDR_2", trunkIds: ["ST_1"], rule: direct("b") },
        { sipDispatchRuleId: "SDR_3", trunkIds: ["ST_gone"], rule: direct("c") },
      ],
    });
    const { stdout } = runCli(["lint", "--config", path], { isTTY: true, env: {}, columns: 50 });
    const lines = stdout.split("\n");
    expect(lines).toContain("\u001b[31merror   \u001b[39m \u001b[1mrule-conflict\u001b[22m  rules SDR_1, SDR_2; trunk ST_1");
    expect(lines).toContain("\u001b[33mwarning \u001b[39m \u001b[1munknown-trunk\u001b[22m  rule SDR_3; trunk ST_gone");
    for (const line of lines) if (line.startsWith("         ") && !line.includes("try:")) expect(line.length).toBeLessThanOrEqual(50);
  });

  it("says when there is nothing to report, exit 0", () => {
    const path = file({ trunks: [{ sipTrunkId: "ST_x", numbers: ["+15550200"] }], rules: [{ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_x"], rule: direct("a") }] });
    expect(cli("lint", "--config", path)).toEqual({ stdout: `${path}: no findings (1 trunk, 1 rule)\n`, stderr: "", exitCode: 0 });
  });

  it("lints the bundled example with --example; no configuration at all is bad usage", () => {
    expect(cli("lint", "--example")).toEqual({ stdout: "bundled example examples/dispatch.json: no findings (2 trunks, 4 rules)\n", stderr: "", exitCode: 0 });
    expect(usageError("lint")).toBe(
      "sip-dispatch: lint needs a configuration: a config FILE, --config FILE, --trunks FILE / --rules FILE, or --example for the bundled example\n",
    );
  });

  it("prints the findings as JSON with --json, with the same exit status", () => {
    const result = cli("lint", "--config", file(config), "--json");
    expect(result.exitCode).toBe(1);
    const findings = JSON.parse(result.stdout) as { code: string; severity: string; witness?: unknown }[];
    expect(findings.map((f) => [f.severity, f.code])).toEqual([
      ["error", "unreachable-pin"],
      ["warning", "allowlist-bypassed"],
      ["warning", "unknown-trunk"],
    ]);
    expect(findings[1]?.witness).toEqual({ from: { user: "+18885550000", host: "sip.example.com" }, to: "+15550100", sourceIp: "192.0.2.10" });
    expect(result.stdout).not.toContain("12a4");
  });

  it("each suggested command, run, resolves exactly the witness call", () => {
    const path = file(config);
    const findings = JSON.parse(cli("lint", "--config", path, "--json").stdout) as { witness?: InboundCall }[];
    const commands = cli("lint", "--config", path).stdout.split("\n").filter((line) => line.includes("try: ")).map((line) => line.split("try: ")[1] as string);
    const witnesses = findings.flatMap((f) => (f.witness === undefined ? [] : [f.witness]));
    expect(commands).toHaveLength(witnesses.length);
    const parsed = loadConfigFromFlags({ config: [path] }, "lint");
    for (const [i, argv] of shellSplit(commands).entries()) {
      expect(argv.slice(0, 2)).toEqual(["sip-dispatch", "resolve"]);
      const ran = JSON.parse(cli(...argv.slice(1), "--json", "--random-id", "R").stdout);
      const expected = resolveDispatch(witnesses[i] as InboundCall, parsed.trunks, parsed.rules, { trace: true, randomId: () => "R" });
      expect(ran).toEqual(JSON.parse(JSON.stringify(expected)));
    }
  });
});

describe("witnessCommand: any call as a resolve command line", () => {
  const rules = configFromJson({ rules: [{ sipDispatchRuleId: "SDR_vault", rule: direct("vault", "4321") }, { sipDispatchRuleId: "SDR_open", rule: direct("lobby") }] }, "c.json", []).rules;
  const config = { flags: ["--config", "my dispatch.json"], rules };
  /** The command lint prints for a finding with this witness: pins masked first, then formatted. */
  const command = (call: InboundCall, on: { flags: string[]; rules: typeof rules }): string => {
    const [shown] = showable([{ code: "open-catch-all", severity: "info", message: "", witness: call }], on.rules);
    return witnessCommand(shown!.witness!, on.flags, shown!.pinOf);
  };

  it("writes every part of the call as a flag, quoting words for the shell", () => {
    const call: InboundCall = {
      from: { user: "+15550100", host: "carrier.example" },
      to: { user: "+15550199", host: "" },
      sourceIp: "192.0.2.1",
      trunkId: "ST_main",
      noPin: true,
      headers: { "X-Ticket": "it's 9", "X-Empty": "" },
      callId: "SCL_1",
    };
    expect(command(call, config)).toBe(
      "sip-dispatch resolve --config 'my dispatch.json' --from +15550100 --from-host carrier.example --to +15550199 --ip 192.0.2.1 " +
        "--trunk-id ST_main --no-pin --header 'X-Ticket: it'\\''s 9' --header 'X-Empty: ' --call-id SCL_1",
    );
    expect(command({ from: "+1", to: "+2" }, { flags: [], rules })).toBe("sip-dispatch resolve --from +1 --to +2");
  });

  it("never prints a pin: it names the rule whose pin it is, or masks it", () => {
    expect(command({ from: "+1", to: "+2", pin: "4321" }, config)).toBe("sip-dispatch resolve --config 'my dispatch.json' --from +1 --to +2 --pin-of SDR_vault");
    expect(command({ from: "+1", to: "+2", pin: "5555" }, config)).toBe("sip-dispatch resolve --config 'my dispatch.json' --from +1 --to +2 --pin '****'");
  });

  it("round-trips through the shell and resolve to the same call", () => {
    const path = file({ trunks: [{ sipTrunkId: "ST_main", numbers: ["+15550199"], includeHeaders: "SIP_ALL_HEADERS" }], rules: [{ sipDispatchRuleId: "SDR_vault", rule: direct("vault", "4321") }, { sipDispatchRuleId: "SDR_open", rule: direct("lobby") }] });
    const loaded = loadConfigFromFlags({ config: [path] }, "resolve");
    const calls: InboundCall[] = [
      { from: { user: "+15550100", host: "carrier.example" }, to: "+15550199", sourceIp: "192.0.2.1", headers: { "X-Ticket": "it's $HOME `x`" }, callId: "SCL_1" },
      { from: "+1 (555) 0100", to: { user: "+15550199", host: "pbx.example" }, trunkId: "ST_main", pin: "4321" },
      { from: "anonymous", to: "+15550199", noPin: true },
    ];
    const commands = calls.map((call) => command(call, loaded));
    for (const [i, argv] of shellSplit(commands).entries()) {
      const ran = JSON.parse(cli(...argv.slice(1), "--json", "--random-id", "R").stdout);
      expect(ran).toEqual(JSON.parse(JSON.stringify(resolveDispatch(calls[i] as InboundCall, loaded.trunks, loaded.rules, { trace: true, randomId: () => "R" }))));
    }
  });
});

/** Each command line split into words by a POSIX shell (one shell for all of them). */
function shellSplit(commands: readonly string[]): string[][] {
  const script = commands.map((command) => `printf '%s\\0' ${command}; printf '\\001'`).join("; ");
  const out = execFileSync("sh", ["-c", script], { encoding: "utf8" });
  return out
    .split("\u0001")
    .slice(0, -1)
    .map((words) => words.split("\0").slice(0, -1));
}

describe("--from and --to as SIP and tel URIs", () => {
  const config = () => file({ trunks: [{ sipTrunkId: "ST_a", numbers: ["+15550199"], allowedAddresses: ["carrier.example"] }], rules: [{ sipDispatchRuleId: "SDR_a", rule: direct("a") }] });
  const resolved = (path: string, ...args: string[]) => JSON.parse(cli("resolve", "--config", path, ...args, "--json", "--random-id", "R").stdout);

  it("reads the URI user as the number and the host (no port, no parameters) as the host", () => {
    const path = config();
    const viaUri = resolved(path, "--from", "sip:+15550100@carrier.example:5060;user=phone", "--to", "tel:+15550199;phone-context=x", "--ip", "192.0.2.1");
    const plain = resolved(path, "--from", "+15550100", "--from-host", "carrier.example", "--to", "+15550199", "--ip", "192.0.2.1");
    expect(viaUri).toEqual(plain);
    expect(viaUri).toMatchObject({ result: "accept", trunkId: "ST_a" });
    expect(viaUri.participant.attributes).toMatchObject({ "sip.phoneNumber": "+15550100", "sip.hostname": "carrier.example", "sip.trunkPhoneNumber": "+15550199" });
    const named = resolved(path, "--from", '"Alice" <sips:+15550100@[2001:db8::1]:5061>', "--to", "<sip:+15550199@pbx.example>");
    expect(named.participant.attributes).toMatchObject({ "sip.phoneNumber": "+15550100", "sip.hostname": "2001:db8::1" });
  });

  it("--from-host wins over a URI's host; a URI without a host after @ is bad usage", () => {
    const path = config();
    const over = resolved(path, "--from", "sip:+15550100@other.example", "--from-host", "carrier.example", "--to", "+15550199", "--ip", "192.0.2.1");
    expect(over.participant.attributes["sip.hostname"]).toBe("carrier.example");
    expect(usageError("resolve", "--config", path, "--from", "sip:+1@", "--to", "+2")).toBe('sip-dispatch: --from: no host after "@" in the SIP URI\n');
    expect(resolved(path, "--from", "sip:carrier.example", "--to", "+15550199").participant.attributes["sip.phoneNumber"]).toBe("");
  });
});

describe("lint --max-warnings and finding locations", () => {
  const config = {
    trunks: [{ sipTrunkId: "ST_host", numbers: ["+15550100"], allowedAddresses: ["sip.example.com"] }],
    rules: [{ sipDispatchRuleId: "SDR_a", trunkIds: ["ST_host", "ST_gone"], rule: direct("a") }],
  };

  it("fails when warnings exceed --max-warnings N, and says so on stderr", () => {
    const path = file(config);
    expect(cli("lint", path).exitCode).toBe(0);
    expect(cli("lint", path, "--max-warnings", "2")).toMatchObject({ exitCode: 0, stderr: "" });
    expect(cli("lint", path, "--max-warnings", "1")).toMatchObject({ exitCode: 1, stderr: "sip-dispatch: 2 warnings, more than --max-warnings 1\n" });
    expect(usageError("lint", path, "--max-warnings", "many")).toBe("sip-dispatch: lint: --max-warnings needs a whole number, such as 0\n");
  });

  it("each finding in --json carries the file and JSON path of what it names", () => {
    const trunks = file({ items: config.trunks });
    const rules = file(config.rules);
    const findings = JSON.parse(cli("lint", "--trunks", trunks, "--rules", rules, "--json").stdout) as { code: string; locations: unknown }[];
    expect(findings.find((f) => f.code === "allowlist-bypassed")?.locations).toEqual([{ file: trunks, path: "items[0]" }]);
    expect(findings.find((f) => f.code === "unknown-trunk")?.locations).toEqual([{ file: rules, path: "[0]" }]);
    const inConfig = JSON.parse(cli("lint", file(config), "--json").stdout) as { code: string; locations: { path: string }[] }[];
    expect(inConfig.find((f) => f.code === "unknown-trunk")?.locations.map((l) => l.path)).toEqual(["rules[0]"]);
  });

  it("locates findings about trunks and rules without ids (by name, by position, names used twice), across files", () => {
    // The shapes of LiveKit's docs: no ids. Each finding names what it is about by name or position.
    const trunks = file([
      { sipTrunkId: "ST_1", numbers: ["+15550100"] },
      { name: "Backup", numbers: ["+15550100"] },
    ]);
    const first = file([{ name: "Front desk", trunkIds: ["ST_gone"], rule: direct("a") }]);
    const second = file({
      items: [
        { trunkIds: ["ST_gone_2"], rule: direct("b") },
        { name: "Front desk", trunkIds: ["ST_gone_3"], rule: direct("c") },
      ],
    });
    type Located = { code: string; ruleIds?: string[]; trunkIds?: string[]; locations: { file: string; path: string }[] };
    const findings = JSON.parse(cli("lint", "--trunks", trunks, "--rules", first, "--rules", second, "--json").stdout) as Located[];
    const about = (code: string, trunkId: string) => findings.find((f) => f.code === code && f.trunkIds?.includes(trunkId));
    expect(about("trunk-conflict", "Backup")).toMatchObject({
      trunkIds: ["Backup", "ST_1"],
      locations: [
        { file: trunks, path: "[1]" },
        { file: trunks, path: "[0]" },
      ],
    });
    expect(about("unknown-trunk", "ST_gone")).toMatchObject({ ruleIds: ["Front desk"], locations: [{ file: first, path: "[0]" }] });
    expect(about("unknown-trunk", "ST_gone_2")).toMatchObject({ ruleIds: ["rules[1]"], locations: [{ file: second, path: "items[0]" }] });
    // The same name twice: each finding still points at its own rule.
    expect(about("unknown-trunk", "ST_gone_3")).toMatchObject({ ruleIds: ["Front desk"], locations: [{ file: second, path: "items[1]" }] });
    expect(findings.every((f) => f.locations.length > 0 && !(f.ruleIds ?? []).includes("") && !(f.trunkIds ?? []).includes(""))).toBe(true);
  });
});
