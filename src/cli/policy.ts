import { dirname, resolve as resolvePath } from "node:path";
import { z } from "zod";
import { configFromJson, displayPath } from "./config.js";
import { inputError, isSecretPath, quote, readJsonFile, type Style, usage, withoutValue } from "./io.js";
import type { SIPDispatchRuleInfo } from "../model/dispatch-rule.js";
import type { SIPInboundTrunkInfo } from "../model/inbound-trunk.js";
import type { DispatchResolution, InboundCall } from "../model/resolution.js";
import { resolveDispatch } from "../resolve/resolve.js";

// `sip-dispatch test`: routing-policy files. Each case is a call and what must happen to it.

export const TEST_HELP = `Usage: sip-dispatch test POLICY.json...

Run routing-policy tests: each case resolves a call against the policy's configuration and
checks the outcome. Prints one line per failing case saying what differed, then
"N passed, N failed".

A policy file:
  { "config": "dispatch.json",            (a path relative to the policy file, or an
                                           inline {"trunks": [...], "rules": [...]})
    "cases": [ { "name": "VIP caller gets the direct room",
                 "call": { "from": "+15550100", "to": "+15550199", "sourceIp": "203.0.113.7" },
                 "expect": { "result": "accept", "roomName": "vip-*", "ruleId": "SDR_vip",
                             "trunkId": "ST_main", "attributes": { "tier": "vip" } } } ] }

  call      from, to (a string, or {"user", "host"}), sourceIp, pin, noPin, headers,
            trunkId, callId, sipCallId, extraAttributes
  expect    result (required: accept, request_pin, drop or error), trunkId, ruleId,
            roomName ("*" matches any run of characters), identity, participantName,
            errorCode, attributes (each listed attribute must have that value)
  strict    true on the file or on a case resolves in strict mode

\`sip-dispatch schema policy\` prints the JSON Schema of this format.

Exit status: 0 when every case passed, 1 when one failed, 2 on bad usage or input.
`;

export const TEST_OPTIONS = { help: { type: "boolean", short: "h" } } as const;

const PartySchema = z.union([
  z.string(),
  z.strictObject({ user: z.string(), host: z.string().optional() }).describe("A SIP party: URI user and host"),
]);

const StringMap = z.record(z.string(), z.string());

export const PolicyCallSchema = z
  .strictObject({
    from: PartySchema.describe("Calling party: the From user, or {user, host}"),
    to: PartySchema.describe("Called party: the To user, or {user, host}"),
    sourceIp: z.string().optional().describe("Signalling source address, without port"),
    pin: z.string().optional().describe("Digits the caller entered (never printed)"),
    noPin: z.boolean().optional().describe("The caller pressed # without digits"),
    headers: StringMap.optional().describe("INVITE headers, for header-derived attributes"),
    trunkId: z.string().optional().describe("Trunk identified by the auth step (LiveKit's fast path)"),
    callId: z.string().optional().describe("LiveKit call id for sip.callID"),
    sipCallId: z.string().optional().describe("The SIP Call-ID header, for sip.callIDFull"),
    extraAttributes: StringMap.optional().describe("Attributes added after the rule's own"),
  })
  .describe("An inbound call, as sip-dispatch's InboundCall");

export const PolicyExpectSchema = z
  .strictObject({
    result: z.enum(["accept", "request_pin", "drop", "error"]).describe("What LiveKit does with the call"),
    trunkId: z.string().optional().describe('The trunk that took the call ("" for none)'),
    ruleId: z.string().optional().describe("The winning dispatch rule (accept, request_pin)"),
    roomName: z.string().optional().describe('The room; "*" matches any run of characters (the random suffix)'),
    identity: z.string().optional().describe("The participant identity"),
    participantName: z.string().optional().describe("The participant name"),
    errorCode: z
      .enum(["trunk_conflict", "default_trunk_conflict", "rule_conflict", "invalid_rule", "invalid_source_ip"])
      .optional()
      .describe("The error code, for result error"),
    attributes: StringMap.optional().describe("Attributes the participant must have, with these values (a subset)"),
  })
  .describe("What must happen; every field but result is optional");

export const PolicyCaseSchema = z.strictObject({
  name: z.string().optional().describe("Shown when the case fails"),
  call: PolicyCallSchema,
  expect: PolicyExpectSchema,
  strict: z.boolean().optional().describe("Resolve this case in strict mode"),
});

/** The policy file format; `config` is described by `configSchema` (unchecked when validating: the parsers check it). */
export const policySchema = (configSchema: z.ZodType) =>
  z
    .strictObject({
      $schema: z.string().optional(),
      config: z.union([z.string().describe("A config file, relative to this policy file"), configSchema]),
      strict: z.boolean().optional().describe("Resolve every case in strict mode"),
      cases: z.array(PolicyCaseSchema),
    })
    .describe("A sip-dispatch routing-policy file: calls and what must happen to them. Run with `sip-dispatch test`.");

const PolicyFileSchema = policySchema(z.unknown());
type PolicyCase = z.infer<typeof PolicyCaseSchema>;
type Expect = z.infer<typeof PolicyExpectSchema>;

interface Config {
  trunks: SIPInboundTrunkInfo[];
  rules: SIPDispatchRuleInfo[];
}

/** Runs every policy file; one line per failing case, then `N passed, N failed`. */
export function runPolicyTests(files: readonly string[], style: Style): { stdout: string; exitCode: 0 | 1 } {
  if (files.length === 0) throw usage("test needs at least one POLICY.json; see sip-dispatch test --help");
  const configs = new Map<string, Config>();
  const lines: string[] = [];
  let passed = 0;
  let failed = 0;
  for (const file of files) {
    const policy = loadPolicy(file);
    const config = policyConfig(policy.config, file, configs);
    policy.cases.forEach((testCase, index) => {
      const strict = testCase.strict ?? policy.strict ?? false;
      const resolution = resolveDispatch(testCase.call as InboundCall, config.trunks, config.rules, { strict });
      const differences = compare(testCase.expect, resolution);
      if (differences.length === 0) {
        passed++;
        return;
      }
      failed++;
      // What differed is read from the resolution, which holds no pin; the case name is printed as written.
      const name = testCase.name ?? `case ${index + 1}`;
      lines.push(`${style.red("FAIL")} ${file}: ${quote(name)}: ${differences.join("; ")}`);
    });
  }
  lines.push(`${passed} passed, ${failed} failed`);
  return { stdout: `${lines.join("\n")}\n`, exitCode: failed > 0 ? 1 : 0 };
}

function loadPolicy(file: string): z.infer<typeof PolicyFileSchema> {
  const parsed = PolicyFileSchema.safeParse(readJsonFile(file));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue === undefined) throw inputError(file, [], "invalid policy file");
  const path = issue.path.filter((step): step is string | number => typeof step !== "symbol");
  let message = issue.message;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0] ?? "";
    path.push(key);
    message = `unknown field ${quote(key)}`;
  }
  throw inputError(file, path, isSecretPath(path) ? withoutValue(message) : message);
}

function policyConfig(config: unknown, file: string, cache: Map<string, Config>): Config {
  if (typeof config === "string") {
    const path = resolvePath(dirname(file), config);
    const cached = cache.get(path);
    if (cached !== undefined) return cached;
    const label = displayPath(path);
    const { trunks, rules } = configFromJson(readJsonFile(path, label), label, []);
    const loaded = { trunks, rules };
    cache.set(path, loaded);
    return loaded;
  }
  const { trunks, rules } = configFromJson(config, file, ["config"]);
  return { trunks, rules };
}

/** What differs between `expect` and `got`, one phrase per field. */
export function compare(expect: Expect, got: DispatchResolution): string[] {
  if (got.result !== expect.result) return [`result: expected ${expect.result}, got ${got.result} (${outcome(got)})`];
  const out: string[] = [];
  const check = (field: string, want: string | undefined, have: string | undefined, matches = want === have) => {
    if (want !== undefined && !matches) out.push(`${field}: expected ${quote(want)}, got ${have === undefined ? "none" : quote(have)}`);
  };
  check("trunkId", expect.trunkId, got.trunkId);
  check("ruleId", expect.ruleId, "ruleId" in got ? got.ruleId : undefined);
  const room = got.result === "accept" ? got.roomName : undefined;
  check("roomName", expect.roomName, room, expect.roomName !== undefined && room !== undefined && wildcardMatch(expect.roomName, room));
  const participant = got.result === "accept" ? got.participant : undefined;
  check("identity", expect.identity, participant?.identity);
  check("participantName", expect.participantName, participant?.name);
  check("errorCode", expect.errorCode, got.result === "error" ? got.error.code : undefined);
  for (const [key, want] of Object.entries(expect.attributes ?? {})) {
    const have = participant?.attributes[key];
    if (have !== want) out.push(`attributes[${quote(key)}]: expected ${quote(want)}, got ${have === undefined ? "no such attribute" : quote(have)}`);
  }
  return out;
}

function outcome(got: DispatchResolution): string {
  const on = got.trunkId === "" ? "with no trunk matched" : `on trunk ${got.trunkId}`;
  switch (got.result) {
    case "accept":
      return `room ${quote(got.roomName)} by rule ${got.ruleId} ${on}`;
    case "request_pin":
      return `rule ${got.ruleId} ${on} asks for a pin`;
    case "drop":
      return `no rule matched ${on}`;
    case "error":
      return `${got.error.code}: ${got.error.message}`;
  }
}

/**
 * `*` matches any run of characters, everything else itself. Linear: the pattern is split on `*`
 * and each segment is found at its leftmost place after the previous one (greedy is exact for a
 * glob with `*` alone), so no input backtracks.
 */
export function wildcardMatch(pattern: string, text: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === text;
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (text.length < first.length + last.length || !text.startsWith(first) || !text.endsWith(last)) return false;
  let at = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const found = text.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
