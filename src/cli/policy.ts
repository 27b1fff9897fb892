import { writeFileSync } from "node:fs";
import { dirname, resolve as resolvePath } from "node:path";
import { z } from "zod";
import { configFromJson, displayPath, kindOf, warningLines } from "./config.js";
import { inputError, readJsonFile, type Style, usage } from "./io.js";
import { displayName, entryIndexes } from "./names.js";
import { compare } from "./policy-compare.js";
import { policyError } from "./policy-errors.js";
import { junitReport, type CaseReport } from "./policy-report.js";
import { policySchema } from "./policy-schema.js";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import type { InboundCall } from "../model/resolution.js";
import { resolveDispatch } from "../resolve/resolve.js";

export { compare, wildcardMatch } from "./policy-compare.js";
export { PolicyCallSchema, PolicyCaseSchema, PolicyExpectSchema, policySchema } from "./policy-schema.js";

// `sip-dispatch test`: routing-policy files. Each case is a call and what must happen to it.

export const TEST_HELP = `Usage: sip-dispatch test POLICY.json... [--json] [--junit FILE] [--coverage]

Run routing-policy tests: each case resolves a call against the policy's configuration and
checks the outcome. Prints one line per failing case saying what differed, then
"N passed, N failed".

A policy file:
  { "config": "dispatch.json",            (a path relative to the policy file, an array of
                                           paths whose files add up, or an inline
                                           {"trunks": [...], "rules": [...]})
    "cases": [ { "name": "VIP caller gets the billing agent",
                 "call": { "from": "+15550100", "to": "+15550199", "sourceIp": "203.0.113.7" },
                 "expect": { "result": "accept", "roomName": "vip-*", "ruleId": "SDR_vip",
                             "roomConfig": { "agents": [{ "agentName": "billing-agent" }] } } } ] }

  call      from, to (a string, or {"user", "host"}), sourceIp, pin, noPin, headers,
            trunkId, callId, sipCallId, extraAttributes
  expect    result (required: accept, request_pin, drop or error), sipOutcome (join_room,
            prompt_pin, ignore, wrong_pin_hangup, reject), trunkId, ruleId, roomName ("*"
            matches any run of characters), identity, name, metadata, errorCode, krispEnabled,
            mediaEncryption, attributes (each listed attribute must have that value), roomConfig
            (a subset: each agent listed, by agentName / metadata, must be dispatched)
  strict    true on the file or on a case resolves in strict mode

Configuration:
  --ignore-unknown-fields
                       skip fields of the configurations this version does not know,
                       with a warning on stderr naming each

Output:
  --json               print the results as JSON: every case, passed or failed, and why
  --junit FILE         also write the results as JUnit XML to FILE, for CI test reports
  --coverage           list the trunks and rules no case reached (selected by no case)
  -h, --help           show this help

\`sip-dispatch schema policy\` prints the JSON Schema of this format.

Exit status: 0 when every case passed, 1 when one failed, 2 on bad usage or input.
`;

export const TEST_OPTIONS = {
  json: { type: "boolean" },
  junit: { type: "string" },
  coverage: { type: "boolean" },
  "ignore-unknown-fields": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

export interface TestValues {
  json?: boolean | undefined;
  junit?: string | undefined;
  coverage?: boolean | undefined;
  "ignore-unknown-fields"?: boolean | undefined;
}

const PolicyFileSchema = policySchema(z.unknown());

interface Config {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
  /** Where it came from, for coverage: the policy file (inline) or the config files. */
  label: string;
  /** Unknown fields skipped (`--ignore-unknown-fields`), as stderr lines. */
  warnings: string[];
}

/** Which trunks and rules of a configuration some case reached. */
interface Reached {
  config: Config;
  trunks: Set<number>;
  rules: Set<number>;
}

/** Runs every policy file; one line per failing case, then `N passed, N failed`. */
export function runPolicyTests(files: readonly string[], style: Style, values: TestValues = {}): { stdout: string; stderr: string[]; exitCode: 0 | 1 } {
  if (files.length === 0) throw usage("test needs at least one POLICY.json; see sip-dispatch test --help");
  const configs = new Map<string, Config>();
  const reached = new Map<Config, Reached>();
  const reports: CaseReport[] = [];
  for (const file of files) {
    const policy = loadPolicy(file);
    const config = policyConfig(policy.config, file, configs, values["ignore-unknown-fields"] === true);
    const seen = reached.get(config) ?? { config, trunks: new Set<number>(), rules: new Set<number>() };
    reached.set(config, seen);
    policy.cases.forEach((testCase, index) => {
      const strict = testCase.strict ?? policy.strict ?? false;
      const resolution = resolveDispatch(testCase.call as InboundCall, config.trunks, config.rules, { strict, trace: values.coverage === true });
      if (values.coverage === true) markReached(resolution.trace ?? [], seen);
      // What differed is read from the resolution, which holds no pin; the case name is printed as written.
      reports.push({ file, name: testCase.name ?? `case ${index + 1}`, differences: compare(testCase.expect, resolution) });
    });
  }
  // Each configuration's warnings once, however many policies name it.
  const stderr = warningLines([...reached.keys()].flatMap((config) => config.warnings));
  const failed = reports.filter((r) => r.differences.length > 0).length;
  const passed = reports.length - failed;
  if (values.junit !== undefined) writeReport(values.junit, junitReport(reports));
  const uncovered = values.coverage === true ? [...reached.values()].map(notReached) : [];
  const exitCode = failed > 0 ? 1 : 0;
  if (values.json === true) {
    const cases = reports.map((r) => ({ file: r.file, name: r.name, passed: r.differences.length === 0, differences: r.differences }));
    const json: Record<string, unknown> = { passed, failed, cases };
    if (values.coverage === true) json.notReached = uncovered;
    return { stdout: `${JSON.stringify(json, null, 2)}\n`, stderr, exitCode };
  }
  const lines = reports.filter((r) => r.differences.length > 0).map((r) => `${style.red("FAIL")} ${r.file}: ${JSON.stringify(r.name)}: ${r.differences.join("; ")}`);
  for (const gap of uncovered) {
    if (gap.trunks.length + gap.rules.length === 0) lines.push(`coverage ${gap.config}: every trunk and rule was reached`);
    else {
      if (gap.trunks.length > 0) lines.push(`coverage ${gap.config}: trunks no case reached: ${gap.trunks.join(", ")}`);
      if (gap.rules.length > 0) lines.push(`coverage ${gap.config}: rules no case reached: ${gap.rules.join(", ")}`);
    }
  }
  lines.push(`${passed} passed, ${failed} failed`);
  return { stdout: `${lines.join("\n")}\n`, stderr, exitCode };
}

/** The trunk and the rule a case selected (a trunk or rule "reached" by the case). */
function markReached(trace: readonly import("../model/resolution.js").TraceEntry[], seen: Reached): void {
  const selected = trace.filter((e) => e.verdict === "selected");
  const trunks = selected.filter((e) => e.stage === "trunk");
  const rules = selected.filter((e) => e.stage === "rule");
  const { config } = seen;
  const trunkIds = config.trunks.map((t) => t.sipTrunkId);
  const ruleIds = config.rules.map((r) => r.sipDispatchRuleId);
  for (const i of entryIndexes(trunks, trunkIds, config.trunks.map((t, i) => displayName("trunks", t.sipTrunkId, t.name, i)))) if (i !== undefined) seen.trunks.add(i);
  for (const i of entryIndexes(rules, ruleIds, config.rules.map((r, i) => displayName("rules", r.sipDispatchRuleId, r.name, i)))) if (i !== undefined) seen.rules.add(i);
}

function notReached(seen: Reached): { config: string; trunks: string[]; rules: string[] } {
  const { config } = seen;
  return {
    config: config.label,
    trunks: config.trunks.flatMap((t, i) => (seen.trunks.has(i) ? [] : [displayName("trunks", t.sipTrunkId, t.name, i)])),
    rules: config.rules.flatMap((r, i) => (seen.rules.has(i) ? [] : [displayName("rules", r.sipDispatchRuleId, r.name, i)])),
  };
}

function writeReport(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch (error) {
    throw inputError(file, [], `cannot write the JUnit report (${(error as { code?: string }).code ?? String(error)})`);
  }
}

function loadPolicy(file: string): z.infer<typeof PolicyFileSchema> {
  const input = readJsonFile(file);
  const parsed = PolicyFileSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw policyError(file, parsed.error.issues, input);
}

/**
 * The configuration a policy names: a path, an array of paths (their files add up), or inline in
 * any shape a config file may have (`{trunks, rules}`, an array of trunks and rules, …).
 */
function policyConfig(config: unknown, file: string, cache: Map<string, Config>, ignoreUnknownFields: boolean): Config {
  const paths = configPaths(config, file);
  if (paths === undefined) {
    const { trunks, rules, warnings } = configFromJson(config, file, ["config"], { ignoreUnknownFields });
    return { trunks, rules, label: file, warnings };
  }
  const key = JSON.stringify(paths);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const loaded: Config = { trunks: [], rules: [], label: paths.map(displayPath).join(" + "), warnings: [] };
  for (const path of paths) {
    const label = displayPath(path);
    // Any shape --config reads: {trunks, rules}, `lk … list --json` output, an array, one object.
    const { trunks, rules, warnings } = configFromJson(readJsonFile(path, label), label, [], { ignoreUnknownFields });
    loaded.trunks.push(...trunks);
    loaded.rules.push(...rules);
    loaded.warnings.push(...warnings);
  }
  cache.set(key, loaded);
  return loaded;
}

/** The files a policy's `config` names, resolved against the policy file; undefined when it is inline. */
function configPaths(config: unknown, file: string): string[] | undefined {
  if (typeof config === "string") return [resolvePath(dirname(file), config)];
  if (!Array.isArray(config) || !config.some((item) => typeof item === "string")) return undefined;
  const index = config.findIndex((item) => typeof item !== "string");
  if (index >= 0) throw inputError(file, ["config", index], `expected a file path, got ${kindOf(config[index])}; "config" is a path, an array of paths, or an inline configuration`);
  return config.map((path: string) => resolvePath(dirname(file), path));
}
